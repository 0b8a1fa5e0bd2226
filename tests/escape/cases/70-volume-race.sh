# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A symlink race on mount targets (CVE-2021-30465 class): container A shares a writable directory that is the
# root of container B, and swaps, in a tight loop, the directories B's mounts land on (a Volume= target and
# /etc, where hostname, hosts and resolv.conf are bound) with symlinks to a host directory outside B's root.
# B is started again and again meanwhile. Had the launcher followed a swapped-in link while mounting or
# creating a mount point, the host directory would gain a file (or lose its canary).

C=$(canary race)
OUTSIDE=$T/canary
ls "$OUTSIDE" > "$T/outside.before"
SHARED=$T/shared
cp -a "$ROOT" "$SHARED"
mkdir -p "$SHARED/data/sub" "$T/volsrc"
UP=$(printf '../%.0s' $(seq 1 30))
ln -s "$UP${OUTSIDE#/}" "$SHARED/data.lnk"
mv "$SHARED/etc" "$SHARED/etc.dir"
mkdir -p "$SHARED/etc"
cp -a "$SHARED/etc.dir/." "$SHARED/etc/"
rm -rf "$SHARED/etc.dir"
ln -s "$UP${OUTSIDE#/}" "$SHARED/etc.lnk"

conf racer "RootDirectory=$ROOT" "Volume=$SHARED:/shared" \
        "Exec=/attack swap-loop 60 /shared/data /shared/data.lnk /shared/etc /shared/etc.lnk"
launch_bg racer
wait_for "swap-loop: running" "$OUT"
conf victim "RootDirectory=$SHARED" "Volume=$T/volsrc:/data/sub" "Exec=/attack create /data/sub/from-victim x"
STARTS=0
for i in $(seq 1 20); do
        timeout 60 "$LAUNCH" --no-scope victim > "$T/victim.out" 2>&1 < /dev/null
        [ -e "$T/volsrc/from-victim" ] && STARTS=$((STARTS + 1))
        rm -f "$T/volsrc/from-victim"
done
echo "# the victim's volume was in place in $STARTS of 20 starts during the swaps (the others failed to start)"
stop_bg
grep "swap-loop: [0-9]* swaps" "$OUT" | sed 's/^/# racer: /'
check "the racer was swapping until the end" grep -q "swap-loop: [0-9]* swaps" "$OUT"
check "a mount-target race against 20 starts: nothing created or replaced outside the root" \
        eval 'canary_intact "$C" && ls "$OUTSIDE" | cmp -s - "$T/outside.before"'
