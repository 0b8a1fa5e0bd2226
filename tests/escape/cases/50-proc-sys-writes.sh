# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Writes to the host kernel's knobs from a default container: /proc/sys (core_pattern and modprobe — both
# run a program of the writer's choice as root on the host —, hostname), /proc/sysrq-trigger, /sys
# (uevent_helper, a /sys/kernel/mm knob). Each must stay unchanged on the host; what this kernel lacks is
# attempted all the same.

KNOBS="/proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /proc/sys/kernel/hostname /sys/kernel/uevent_helper
       /sys/kernel/mm/ksm/pages_to_scan /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan"
BEFORE=$(knobs_snapshot)
sysrq_count() { dmesg 2>/dev/null | grep -c 'sysrq: HELP'; }
SYSRQ=$(sysrq_count)

script writes <<EOF
/attack write /proc/sys/kernel/core_pattern '|/tmp/escaped %p'
/attack write /proc/sys/kernel/modprobe /tmp/escaped
/attack write /proc/sys/kernel/hostname escaped
/attack write /proc/sysrq-trigger h
/attack write /sys/kernel/uevent_helper /tmp/escaped
/attack write /sys/kernel/mm/ksm/pages_to_scan 4321
/attack write /sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan 4321
echo writes-done
EOF
conf_host writes "Exec=/x/writes"
launch writes
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
check "/proc/sys (core_pattern, modprobe, hostname) and /sys knobs unchanged on the host" \
        eval 'has writes-done && [ "$BEFORE" = "$AFTER" ]'
check "/proc/sysrq-trigger: no SysRq reached the host's kernel" eval '[ "$(sysrq_count)" = "$SYSRQ" ]'
check "every write refused" eval 'lacks "write: ok"'

# the same from a RootDirectory= container through ctrctl exec
conf writesx "RootDirectory=$ROOT" "Exec=/attack hold idle"
launch_bg writesx
wait_for holding "$OUT"
ctl exec writesx -- /attack write /proc/sys/kernel/core_pattern '|/tmp/escaped %p'
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
check "ctrctl exec: core_pattern unchanged on the host" eval '[ "$BEFORE" = "$AFTER" ] && lacks "write: ok"'
stop_bg
