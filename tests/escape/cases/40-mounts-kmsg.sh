# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# /etc/passwd -> /proc/kmsg in a container's root: the launcher (and ctrctl exec) resolve users as root with
# CAP_SYSLOG, and a read of the container's own /proc/kmsg drains the host's kernel log (the messages
# syslog(2) readers, klogd and rsyslog's imklog, have not seen yet). The canary is the count of unread bytes,
# after a marker written to /dev/kmsg: it must not drop. A FIFO as /etc/group must not block the start.
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against a
# launcher without it.)

unread() { python3 -c 'import ctypes; print(ctypes.CDLL(None).klogctl(9, None, 0))'; }
if ! command -v python3 > /dev/null || [ "$(unread)" -lt 0 ]; then
        skip "/etc/passwd -> /proc/kmsg" "no python3, or syslog(2) is not allowed here"
        return 0
fi

K=$T/kmsg-root
mkdir -p "$K"
cp -a "$ROOT"/. "$K"/
ln -sf /proc/kmsg "$K/etc/passwd"
echo "<6>ctr-escape: kmsg canary $(token)" > /dev/kmsg
BEFORE=$(unread)
conf kmsg "RootDirectory=$K" "User=app" "Exec=/attack idle"
launch kmsg
check "User= with /etc/passwd -> /proc/kmsg: the host's kernel log is not drained" \
        eval '[ "$(unread)" -ge "$BEFORE" ] && [ "$BEFORE" -gt 0 ]'
check "User= with /etc/passwd -> /proc/kmsg: the start is refused, naming the file" \
        eval 'rc_is 125 && err_has "/etc/passwd: not a regular file"'

# a FIFO: the start must fail at once, not block in open() or read()
rm -f "$K/etc/passwd" "$K/etc/group"
cp "$ROOT/etc/passwd" "$K/etc/passwd"
mkfifo "$K/etc/group"
conf kfifo "RootDirectory=$K" "User=app" "Group=app" "Exec=/attack idle"
START=$SECONDS
launch kfifo
check "Group= with /etc/group a FIFO is refused without blocking" \
        eval 'rc_is 125 && [ $((SECONDS - START)) -lt 30 ]'

# ctrctl exec: the container's own root swaps its /etc/passwd for the link while it runs; the operator's
# exec then resolves the user. A static busybox gives the RootDirectory= container a shell for the swap.
if [ ! -x /bin/busybox ] || ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
        skip "ctrctl exec with /etc/passwd -> /proc/kmsg" "no static /bin/busybox"
        return 0
fi
mkdir -p "$ROOT/bin"
ln -sf busybox "$ROOT/bin/sh"
script swap <<'EOF2'
/bin/busybox ln -sf /proc/kmsg /etc/passwd && echo swapped
exec /attack hold idle
EOF2
conf kmsgexec "RootDirectory=$ROOT" "Volume=/bin/busybox:/bin/busybox:ro" "Exec=/swap"
launch_bg kmsgexec
wait_for holding "$OUT"
echo "<6>ctr-escape: kmsg canary $(token)" > /dev/kmsg
BEFORE=$(unread)
ctl exec kmsgexec -- /attack idle
check "ctrctl exec into a root whose /etc/passwd became /proc/kmsg: the host's kernel log is not drained" \
        eval '[ "$(unread)" -ge "$BEFORE" ] && [ "$BEFORE" -gt 0 ]'
stop_bg
