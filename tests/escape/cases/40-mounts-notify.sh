# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Notify=yes: the monitor's socket is bound into the container. Had its host directory come along (as it did),
# the container's root could fill the host's /run from inside: files written next to the socket, the socket
# removed or replaced. The host's notify directory must hold the socket alone, still a socket, afterwards.
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against a
# launcher without it.)

script fill <<'EOF2'
cd /run/host/notify || exit 1
head -c 1048576 /dev/zero > filler && echo "fill filler: ok"
mkdir sub && echo "fill mkdir: ok"
rm -f notify && echo "fill rm: ok"
ln -s /etc notify 2>/dev/null && echo "fill replace: ok"
ls -A /run/host/notify
exec /x/attack hold write /run/host/notify/notify escaped
EOF2
conf_host notifyfill "Notify=yes" "Exec=/x/fill"
launch_bg notifyfill
wait_for holding "$OUT"
HOSTDIR=$CTR_RUNTIME_DIR/notifyfill/notify
check "Notify=yes: nothing written from inside lands in the host's notify directory" \
        eval '[ "$(ls -A "$HOSTDIR")" = notify ]'
check "Notify=yes: the host's socket is still there, still a socket" eval '[ -S "$HOSTDIR/notify" ]'
check "Notify=yes: the socket cannot be removed from inside" lacks "fill rm: ok"
stop_bg
