# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The mount family: a new proc, sysfs or tmpfs, a bind mount, lifting a mask or a read-only mount, pivot_root,
# open_tree + move_mount and fsopen + fsmount. Each is the first step of a host write through /proc/sys or
# /sys; the container tries that write after each, and the host asserts it never landed.

CORE=$(cat /proc/sys/kernel/core_pattern)
KNOB=/sys/kernel/mm/ksm/pages_to_scan
[ -w "$KNOB" ] || KNOB=/sys/kernel/mm/transparent_hugepage/khugepaged/pages_to_scan
KNOB_VALUE=$(cat "$KNOB" 2>/dev/null)
host_unchanged() {
        [ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE" ] &&
                { [ -z "$KNOB_VALUE" ] || [ "$(cat "$KNOB")" = "$KNOB_VALUE" ]; }
}
restore() {
        [ "$(cat /proc/sys/kernel/core_pattern)" = "$CORE" ] || echo "$CORE" > /proc/sys/kernel/core_pattern
        [ -z "$KNOB_VALUE" ] || [ "$(cat "$KNOB")" = "$KNOB_VALUE" ] || echo "$KNOB_VALUE" > "$KNOB"
}

script mounts <<EOF
a=/attack k=${KNOB#/sys/} v=$((KNOB_VALUE + 7)) evil='|/tmp/escaped-core %p'
\$a mount proc /tmp/proc proc; \$a write /tmp/proc/sys/kernel/core_pattern "\$evil"
\$a mount sysfs /tmp/sys sysfs; \$a write /tmp/sys/\$k \$v
\$a umount /proc/sys; \$a write /proc/sys/kernel/core_pattern "\$evil"
\$a remount-rw /proc/sys; \$a write /proc/sys/kernel/core_pattern "\$evil"
\$a remount-rw /sys; \$a write /sys/\$k \$v
\$a umount /sys; \$a write /sys/\$k \$v
\$a bind /proc /tmp/b; \$a write /tmp/b/sys/kernel/core_pattern "\$evil"
\$a open-tree /proc /tmp/o; \$a write /tmp/o/sys/kernel/core_pattern "\$evil"
\$a fsopen proc /tmp/f; \$a write /tmp/f/sys/kernel/core_pattern "\$evil"
\$a fsopen sysfs /tmp/g; \$a write /tmp/g/\$k \$v
\$a pivot-root /tmp /tmp/old
\$a mount tmpfs /tmp/t tmpfs
echo mounts-done
EOF
conf_host mounts "Exec=/x/mounts"
launch mounts
check "mount, umount, remount, bind, open_tree, fsopen: core_pattern and ${KNOB#/sys/} unchanged on the host" \
        eval 'has mounts-done && host_unchanged'
for what in "mount /tmp/proc" "mount /tmp/sys" "mount /tmp/t" "umount /proc/sys" "remount-rw /proc/sys" \
            "bind /tmp/b" "open-tree /proc" "fsopen proc" "fsopen sysfs" "pivot-root /tmp"; do
        check "refused: $what" has "$what: refused"
done
restore
