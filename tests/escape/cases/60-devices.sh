# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# mknod of the host's root block device, in the container's root and in /tmp, and a read of the blocks that
# hold a host secret: the secret's token must not come back. (A device node on a volume is its own case,
# with the volumes' nodev default.)

DEV=$(findmnt -no SOURCE -T "$T")
MAJMIN=$(stat -Lc '%t:%T' "$DEV" 2>/dev/null)
if [ ! -b "$DEV" ] || ! command -v filefrag > /dev/null; then
        skip "mknod of the host's block device" "$T is not on a block device ($DEV) or filefrag is missing"
        return 0
fi
MAJ=$((16#${MAJMIN%:*}))
MIN=$((16#${MAJMIN#*:}))

# a secret big enough to have a block of its own (no inline data), synced, and where its block is
SECRET=$T/canary/secret
TOK=$(token)
for i in $(seq 1 256); do echo "secret $TOK"; done > "$SECRET"
sync "$SECRET"
BS=$(stat -fc %S "$SECRET")
BLOCK=$(filefrag -v -b"$BS" "$SECRET" | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
if [ -z "$BLOCK" ]; then
        skip "mknod of the host's block device" "filefrag cannot map $SECRET"
        return 0
fi
OFFSET=$((BLOCK * BS))

conf devroot "RootDirectory=$ROOT" \
        "Exec=/attack mknod-read /disk $MAJ $MIN $OFFSET 4096"
launch devroot
check "mknod + read of the host's disk ($DEV) in the root: the host secret does not leak" \
        eval 'has "mknod-read" && lacks "$TOK"'

conf_host devtmp "Exec=/attack mknod-read /tmp/disk $MAJ $MIN $OFFSET 4096"
launch devtmp
check "the same in /tmp of an Image=host container" eval 'has "mknod-read" && lacks "$TOK"'
