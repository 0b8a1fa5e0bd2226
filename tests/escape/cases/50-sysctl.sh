# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Sysctl= writes the sysctls of the container's own namespaces, never the host's: a sysctl that is the
# host's by name (kernel.panic), and a net.* one with the host's network namespace (Network=host), reject the
# file before anything runs; the container's own are set in its namespaces while the host's stay as they were,
# and inside /proc/sys is read-only again once they are written. Each knob is compared on the host.

KNOBS="/proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shmmni /proc/sys/kernel/panic
       /proc/sys/net/core/somaxconn"
BEFORE=$(knobs_snapshot)

conf sysctlhost "RootDirectory=$ROOT" "Network=host" "Sysctl=net.ipv4.ip_unprivileged_port_start=1234" \
        "Exec=/attack write /proc/sys/kernel/shmmni 999"
launch sysctlhost
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
check "Sysctl=net.* with Network=host: the file is rejected, the host's value unchanged" \
        eval '! rc_is 0 && err_has "the namespace is the host'"'"'s" && [ "$BEFORE" = "$AFTER" ]'

conf sysctlpanic "RootDirectory=$ROOT" "Sysctl=kernel.panic=77" "Exec=/attack write /proc/sys/kernel/panic 78"
launch sysctlpanic
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
check "Sysctl=kernel.panic (the host's): the file is rejected, the host's value unchanged" \
        eval '! rc_is 0 && err_has "not a sysctl of the container" && [ "$BEFORE" = "$AFTER" ]'

conf sysctlown "RootDirectory=$ROOT" \
        "Sysctl=net.ipv4.ip_unprivileged_port_start=1234 kernel.shmmni=4321 net.core.somaxconn=77" \
        "Exec=/attack write /proc/sys/kernel/shmmni 999"
launch sysctlown
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
check "the container's own sysctls: set in its namespaces, the host's unchanged, /proc/sys read-only after" \
        eval 'rc_is 0 && [ "$BEFORE" = "$AFTER" ] && lacks "write: ok"'
