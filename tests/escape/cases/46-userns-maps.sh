# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# PrivateUsers=pick, root in the container with every capability in its namespace and no seccomp filter
# (conf_userns), at the maps themselves: it writes its own /proc/self/uid_map and gid_map to take every host
# id ("0 0 4294967295") and /proc/self/setgroups ("allow": a no-op where the launcher's gid_map left it so),
# then becomes root by whatever they say; and it makes a nested user namespace, maps it with the host's ids
# or, refused, with its own root, and from there writes a host-root file it reaches through a volume, creates
# one beside it and mounts over the volume. The host then reads the container's maps and ids, the canary, the
# directory and its own mount table.
# The control (CTR_ESCAPE_PRIVILEGED=1: PrivateUsers=no) is host root: its maps, its ids and the canary show it.

if ! userns_image; then
        skip "a user namespace's own maps" "no static busybox for the image"
        return 0 2>/dev/null || exit 0
fi
C=$(canary userns-nested)
script maps <<EOF
/attack nested-userns '0 0 4294967295' /c/userns-nested escaped-by-nested-userns
exec /attack hold uid-map '0 0 4294967295'
EOF
conf_userns maps "Volume=$T/canary:/c" "Exec=/x/maps"
launch_bg maps
wait_for holding "$OUT"
INIT=$(container_pids | head -n 1)
{ read -r BASE COUNT < "$CTR_STATE_DIR/userns/maps"; } 2>/dev/null || { BASE=none; COUNT=none; }
maps_unchanged() {
        local k
        for k in uid_map gid_map; do
                [ "$(awk '{ print $1, $2, $3 }' "/proc/$INIT/$k")" = "0 $BASE $COUNT" ] || return 1
        done
}
ids_in_range() {
        local k
        for k in Uid Gid; do
                [ "$(awk "/^$k:/ { print \$2, \$3, \$4, \$5 }" "/proc/$INIT/status")" = "$BASE $BASE $BASE $BASE" ] ||
                        return 1
        done
        for k in $(awk '/^Groups:/ { $1 = ""; print }' "/proc/$INIT/status"); do
                [ "$k" -ge "$BASE" ] && [ "$k" -lt $((BASE + COUNT)) ] || return 1
        done
}
check "its own uid_map and gid_map cannot be rewritten: the host reads the picked range" maps_unchanged
check "root by the maps (setgroups written too) is still the range's first id on the host, its groups in the range" \
        ids_in_range
check "a nested user namespace gets none of the host's ids, and its root cannot write a host-root file" \
        eval 'canary_intact "$C" && has "nested-userns uid_map '"'0 0 4294967295'"': EPERM"'
check "nor create a file beside it, nor mount over it on the host" \
        eval '[ ! -e "$C.nested" ] && ! findmnt -rn -o TARGET | grep -qxF "$T/canary"'
stop_bg
