# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# PrivateUsers=pick, root in the container with every capability in its namespace and no seccomp filter
# (conf_userns), at host files: a host root's 0600 file through a bind it does not own (read, write, create
# beside it, chmod); a setuid-root file for the host, made in a world-writable host directory it is given
# (cp, chown 0, chmod 4755) and by an overlayfs of its own over a host root's setuid file (the copy-up trick);
# chown to ids outside its range there, on a named volume and in its writable layer. The host asserts on the
# canary and on the owners on disk: nothing the container made in a host directory belongs to host root or to
# an id outside its range. The named volume and the writable layer keep the container's own ids on disk
# (id-mapped, as the image's layers: its root's files are 0 there), so no other host user may enter them.
# The control (CTR_ESCAPE_PRIVILEGED=1: PrivateUsers=no) is host root and does all of it.

if ! userns_image; then
        skip "host files from a user namespace" "no static busybox for the image"
        return 0 2>/dev/null || exit 0
fi
C=$(canary userns-bind)
chmod 600 "$C"
TOKEN=$(canary_token "$C")
mkdir -p "$T/userns-lower"
cp "$ATTACK" "$T/userns-lower/suid"
chmod 4755 "$T/userns-lower/suid"
SHARED=$T/userns-shared
mkdir -p "$SHARED"
chmod 1777 "$SHARED"
script files <<EOF
/attack read /c/userns-bind
/attack write /c/userns-bind escaped-by-userns-bind
/attack create /c/userns-bind.new escaped
chmod 666 /c/userns-bind
cp /attack /s/suid; chown 0:0 /s/suid; chmod 4755 /s/suid
mkdir -p /s/up /s/work /tmp/ov
mount -t overlay overlay -o lowerdir=/h,upperdir=/s/up,workdir=/s/work /tmp/ov && echo overlay-mounted
chmod 4755 /tmp/ov/suid
touch /s/far /v/far /far
chown 70000:70000 /s/far /v/far /far
echo files-done
EOF
conf_userns files "Volume=$T/canary:/c" "Volume=$T/userns-lower:/h:ro" "Volume=$SHARED:/s" "Volume=files-uns:/v" \
        "Exec=/x/files"
launch files
{ read -r BASE COUNT < "$CTR_STATE_DIR/userns/files"; } 2>/dev/null || { BASE=none; COUNT=none; }
VOL=$CTR_STATE_DIR/volumes/files-uns
RW=$CTR_STATE_DIR/containers/files.mstack/rw/data
check "a host root's file through a bind it does not own: not read, written, chmod'ed, nor a file made beside it" \
        eval 'has files-done && canary_intact "$C" && lacks "$TOKEN" && [ "$(stat -c %a "$C")" = 600 ] &&
              [ ! -e "$C.new" ]'
# every file the container made in the host's directory, with its owner, group and mode
owners() { find "$SHARED" -mindepth 1 -printf '%U %G %m %P\n'; }
in_range() {
        local u g m p
        [ -n "$(owners)" ] || return 1
        while read -r u g m p; do
                [ "$u" -ge "$BASE" ] && [ "$u" -lt $((BASE + COUNT)) ] &&
                        [ "$g" -ge "$BASE" ] && [ "$g" -lt $((BASE + COUNT)) ] || { echo "# $p: $u:$g $m"; return 1; }
        done < <(owners)
}
check "no setuid file of host root in a host directory: made there, or copied up by an overlayfs of its own" \
        eval '[ -e "$SHARED/suid" ] && ! find "$SHARED" -mindepth 1 -uid 0 | grep -q . && in_range'
check "chown to an id outside the range: refused in a host directory, on a named volume, in the writable layer" \
        eval '[ "$(stat -c %u:%g "$SHARED/far")" = "$BASE:$BASE" ] && [ "$(stat -c %u:%g "$VOL/far")" = 0:0 ] &&
              [ "$(stat -c %u:%g "$RW/far")" = 0:0 ]'
# (a defence of the launcher itself: the same with PrivateUsers=no)
closed() { [ $((0$(stat -c %a "$1") & 07)) = 0 ]; }
check "named volumes and writable layers (the container's root is 0 on disk there) are closed to other host users" \
        eval 'closed "$CTR_STATE_DIR/volumes" && closed "$CTR_STATE_DIR/containers"'
