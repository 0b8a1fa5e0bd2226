# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# mknod of a host block device inside the container and a read of the blocks that hold a host secret: in the
# root (an overlay, nodev), in an Image=host container's /tmp, and on a tmpfs the container mounts itself (a
# fresh mount would allow devices). Two disks: the host's root disk, at the block of a secret file written
# there (where the host lets root read it at all), and a loop device over an image that holds the secret (so
# the case can tell a read from a refusal everywhere). The secret's token must never come back.
# (A device node on a volume is 50-parser-volume-mknod.)

TOK=$(token)
SECRET=$T/canary/secret
for i in $(seq 1 256); do echo "secret $TOK"; done > "$SECRET"
sync "$SECRET"

# DISK MAJ MIN OFFSET, one line per disk
: > "$T/disks"
DEV=$(findmnt -no SOURCE -T "$SECRET")
BS=$(stat -fc %S "$SECRET")
BLOCK=$(filefrag -v -b"$BS" "$SECRET" 2>/dev/null | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
if [ -b "$DEV" ] && [ -n "$BLOCK" ]; then
        echo "$DEV $((16#$(stat -Lc %t "$DEV"))) $((16#$(stat -Lc %T "$DEV"))) $((BLOCK * BS))" >> "$T/disks"
        head -c 1 "$DEV" > /dev/null 2>&1 || echo "# note: this host refuses its own root a read of $DEV"
else
        echo "# note: $T is not on a block device ($DEV) or filefrag cannot map it: the loop device only"
fi
IMG=$T/secret-disk.img
truncate -s 1M "$IMG"
dd if="$SECRET" of="$IMG" conv=notrunc status=none
LOOP=$(losetup -f --show "$IMG" 2>/dev/null) &&
        echo "$LOOP $((16#$(stat -c %t "$LOOP"))) $((16#$(stat -c %T "$LOOP"))) 0" >> "$T/disks"
if [ ! -s "$T/disks" ]; then
        skip "mknod of a host block device" "no block device to try here"
        return 0
fi

{
        echo "a=/attack"
        echo "\$a mount tmpfs /tmp/fresh tmpfs"
        i=0
        while read -r disk maj min off; do
                i=$((i + 1))
                echo "echo '# $disk'"
                echo "\$a mknod-read /tmp/disk$i $maj $min $off 4096"
                echo "\$a mknod-read /tmp/fresh/disk$i $maj $min $off 4096"
        done < "$T/disks"
        echo "echo devices-done"
} | script devices

# AddCapability=MKNOD: the capability set is not what this case tests (the default lacks MKNOD, see
# 50-parser-volume-mknod); the mount flags are. The root has no shell: one start per disk.
: > "$T/devroot.out"
while read -r disk maj min off; do
        conf devroot "RootDirectory=$ROOT" "AddCapability=MKNOD" "Exec=/attack mknod-read /disk $maj $min $off 4096"
        launch devroot
        cat "$OUT" >> "$T/devroot.out"
done < "$T/disks"
cat "$T/devroot.out" > "$OUT"
check "mknod + read of the host's disks in a RootDirectory= root (nodev): the secret does not leak" \
        eval 'has "mknod-read /disk: refused" && lacks "$TOK"'

conf_host devhost "AddCapability=MKNOD" "Exec=/x/devices"
launch devhost
check "the same in an Image=host container's /tmp and on a tmpfs it mounts itself" \
        eval 'has devices-done && lacks "$TOK"'

[ -z "$LOOP" ] || losetup -d "$LOOP"
