# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# An image's symlink decides where a volume lands: /data -> /proc makes Volume=SRC:/data/sys a writable host
# directory over the container's read-only /proc/sys (and Tmpfs=/data a tmpfs over its whole /proc, masks and
# all). The text check saw "/data/sys"; the resolved path must be checked. The canary: the volume's host
# directory gets nothing through /proc/sys; and the start is refused.
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against a
# launcher without it.)

SRC=$T/volsrc-dest
mkdir -p "$SRC"
echo kept > "$SRC/kept"
ln -s /proc "$ROOT/data"
conf voldest "RootDirectory=$ROOT" "Volume=$SRC:/data/sys" \
        "Exec=/attack create /proc/sys/escaped escaped-through-proc-sys"
launch voldest
check "Volume= on /data/sys with /data -> /proc: nothing reaches the host directory through /proc/sys" \
        eval '[ ! -e "$SRC/escaped" ] && [ "$(ls -A "$SRC")" = kept ]'
check "Volume= on /data/sys with /data -> /proc: the start is refused, naming /proc/sys" \
        eval 'rc_is 125 && err_has "/proc/sys"'

conf tmpdest "RootDirectory=$ROOT" "Tmpfs=/data" "Exec=/attack read /proc/keys"
launch tmpdest
check "Tmpfs= on /data with /data -> /proc: refused, /proc stays masked" \
        eval 'rc_is 125 && lacks "read /proc/keys: ok"'
