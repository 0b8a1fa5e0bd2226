# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# PrivateUsers=pick, root in the container with every capability in its namespace and no seccomp filter
# (conf_userns), at the host's kernel: load a module; read and mount a host block device (a loop device over
# an ext4 image holding a canary), both a node the host made on a volume mounted with device nodes allowed and
# one it makes itself; write /proc/sys and /sys knobs after remounting them read-write or through a procfs of
# its own; set the clock and the kernel's time error. Asserted on the host: its modules, the token never read,
# the knobs, the time error. The control (CTR_ESCAPE_PRIVILEGED=1: PrivateUsers=no) does each (the module only
# where a module is there to load).

if ! userns_image; then
        skip "the host's kernel from a user namespace" "no static busybox for the image"
        return 0 2>/dev/null || exit 0
fi

# --- modules: a module of the host's if there is one, else an ELF file that is none still reaches the syscall
MOD=$(find "/lib/modules/$(uname -r)" -name 'dummy.ko*' 2>/dev/null | head -n 1)
MODVOL=()
if [ -n "$MOD" ]; then
        MODVOL=("Volume=/lib/modules:/lib/modules:ro")
else
        MOD=/attack
fi
modules_state() { cut -d' ' -f1 /proc/modules 2>/dev/null | sort; }
MODS=$(modules_state)

# --- a block device holding a canary
C=$(canary userns-disk)
TOKEN=$(canary_token "$C")
mkdir -p "$T/userns-disk" "$T/userns-dev"
cp "$C" "$T/userns-disk/canary"
IMG=$T/userns-disk.img
LOOP=
if mkfs.ext4 -q -d "$T/userns-disk" "$IMG" 4M > /dev/null 2>&1 && LOOP=$(losetup -f --show "$IMG" 2>/dev/null); then
        MAJ=$((0x$(stat -c %t "$LOOP")))
        MIN=$((0x$(stat -c %T "$LOOP")))
        OFF=$(grep -obUaF "$TOKEN" "$IMG" | head -n 1 | cut -d: -f1)
        mknod -m 600 "$T/userns-dev/disk" b "$MAJ" "$MIN"
fi

# --- knobs and the clock
KNOBS="/proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /sys/kernel/mm/ksm/pages_to_scan"
BEFORE=$(knobs_snapshot)
esterror() { "$ATTACK" clock-show | sed -n 's/^esterror //p'; }
ESTERROR=$(esterror)
SENTINEL=$((ESTERROR == 123457 ? 123458 : 123457))

{
        echo "/attack modules $MOD dummy"
        if [ -n "$LOOP" ]; then
                echo "/attack read /d/disk $OFF 64"
                echo "/attack mount /d/disk /tmp/m ext4; /attack read /tmp/m/canary"
                echo "/attack mknod-read /tmp/own $MAJ $MIN $OFF 64"
                echo "/attack mount /tmp/own /tmp/m2 ext4; /attack read /tmp/m2/canary"
        fi
        echo "/attack remount-rw /proc/sys"
        echo "/attack remount-rw /sys"
        echo "/attack write /proc/sys/kernel/core_pattern '|/tmp/escaped %p'"
        echo "/attack write /sys/kernel/mm/ksm/pages_to_scan 4321"
        echo "/attack mount proc /tmp/p proc && /attack write /tmp/p/sys/kernel/modprobe /tmp/escaped"
        echo "/attack clock $SENTINEL"
        echo "echo kernel-done"
} | script kernel
conf_userns kernel "Volume=$T/userns-dev:/d:dev" "${MODVOL[@]}" "Exec=/x/kernel"
launch kernel
AFTER=$(knobs_snapshot)
knobs_restore "$BEFORE"
NOW=$(esterror)
# the attack binary, run on the host, puts the host's value back
[ "$NOW" = "$ESTERROR" ] || "$ATTACK" clock "$ESTERROR" > /dev/null
MODS_AFTER=$(modules_state)
[ "$MODS" = "$MODS_AFTER" ] || modprobe -r dummy 2>/dev/null
[ -z "$LOOP" ] || losetup -d "$LOOP"

check "no module loaded" eval 'has kernel-done && [ "$MODS" = "$MODS_AFTER" ] && has "modules: all refused"'
if [ -n "$LOOP" ]; then
        check "a host block device: not read nor mounted, through a node on a volume or one of its own" \
                eval 'lacks "$TOKEN" && has "mknod-read mknod: refused"'
else
        skip "a host block device from a user namespace" "no loop device or mkfs.ext4 here"
fi
check "/proc/sys and /sys knobs unchanged on the host (remounted read-write, or a procfs of its own)" \
        eval '[ "$BEFORE" = "$AFTER" ] && lacks "write: ok"'
check "the host's clock: its time error unchanged" eval '[ "$NOW" = "$ESTERROR" ] && has "clock clock_settime: refused"'
