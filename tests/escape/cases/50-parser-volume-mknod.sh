# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A host block device made with mknod on a volume and read from inside. The "disk" is a loop device over an
# image holding a canary, so a leaked token is the proof. Volumes are nodev by default: even with
# AddCapability=MKNOD (so the mount flag, not the capability set, is what stops it) the node must not open.
# Without AddCapability=MKNOD the default capability set (Podman's 11) cannot make the node at all.
# CTR_ESCAPE_PRIVILEGED=1 turns nodev off (Volume=…:dev), so this case shows it detects the read.

C=$(canary loop-disk)
TOKEN=$(cat "$C")
IMG=$T/loop-disk.img
truncate -s 1M "$IMG"
dd if="$C" of="$IMG" conv=notrunc status=none
if ! LOOP=$(losetup -f --show "$IMG" 2>/dev/null); then
        skip "mknod of a host block device on a volume" "no loop device here"
        return 0 2>/dev/null || exit 0
fi
MAJ=$((0x$(stat -c %t "$LOOP")))
MIN=$((0x$(stat -c %T "$LOOP")))
mkdir -p "$T/mknod-vol"
dev=
[ "${CTR_ESCAPE_PRIVILEGED:-0}" = 0 ] || dev=":dev"

conf mknodvol "RootDirectory=$ROOT" "Volume=$T/mknod-vol:/vol$dev" "AddCapability=MKNOD" \
        "Exec=/attack mknod-read /vol/disk $MAJ $MIN 0 64"
launch mknodvol
check "a block device made on a volume cannot be read (nodev by default)" \
        eval 'lacks "$TOKEN" && has "mknod-read /vol/disk: refused"'

rm -f "$T/mknod-vol/disk"
conf mknoddefault "RootDirectory=$ROOT" "Volume=$T/mknod-vol:/vol$dev" "Exec=/attack mknod-read /vol/disk $MAJ $MIN 0 64"
launch mknoddefault
check "the default capability set cannot mknod at all" \
        eval 'lacks "$TOKEN" && has "mknod-read mknod: refused EPERM"'

ctl run --no-scope --rm -v "$ROOT/attack:/attack:ro" -v "$T/mknod-vol:/vol" host \
        /attack mknod-read /vol/disk2 "$MAJ" "$MIN" 0 64
check "the same through ctrctl run" lacks "$TOKEN"

rm -f "$T/mknod-vol/disk" "$T/mknod-vol/disk2"
losetup -d "$LOOP"
