# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# PrivateUsers=pick, root in the container with every capability in its namespace and no seccomp filter
# (conf_userns): a host process that entered only the container's PID namespace (as `nsenter --pid` does) is
# in view, owned by host root and in the host's user namespace. Root in the container must not signal it,
# ptrace it, nor reach the host's root through its /proc/PID/root; its own /proc/1/root is the container's.
# The control (CTR_ESCAPE_PRIVILEGED=1: PrivateUsers=no) does all three.

if ! userns_image; then
        skip "a host process in the container's PID namespace" "no static busybox for the image"
        return 0 2>/dev/null || exit 0
fi
C=$(canary userns-proc-root)
script hostproc <<EOF
for i in \$(seq 1 300); do [ -s /x/victim ] && break; sleep 0.1; done
V=\$(cat /x/victim)
stat -c "victim-owner %u" /proc/\$V
/attack proc-roots $C escaped-by-userns-proc-root
/attack ptrace \$V
/attack kill \$V 9
/attack kill -1 9
echo hostproc-done
# the container stays up: its PID 1 gone, the kernel would kill the victim itself
exec /attack hold idle
EOF
conf_userns hostproc "Exec=/x/hostproc"
launch_bg hostproc
INIT=
for _ in $(seq 1 100); do
        INIT=$(container_pids | head -n 1)
        [ -n "$INIT" ] && [ "$(host_ns_of "$INIT" pid)" != "$(host_ns_of $$ pid)" ] && break
        sleep 0.1
done
nsenter --target "$INIT" --pid -- sleep 600 &
ENTER=$!
VICTIM=
for _ in $(seq 1 100); do
        VICTIM=$(awk '{print $1}' "/proc/$ENTER/task/$ENTER/children" 2>/dev/null)
        [ -n "$VICTIM" ] && break
        sleep 0.1
done
alive() { [ -n "$VICTIM" ] && kill -0 "$VICTIM" 2>/dev/null && ! grep -q '^State:.*zombie' "/proc/$VICTIM/status"; }
untraced() { grep -q '^TracerPid:[[:space:]]*0$' "/proc/$VICTIM/status"; }
# its PID in the container's namespace: the last of NSpid
[ -n "$VICTIM" ] && awk '/^NSpid:/ { print $NF }' "/proc/$VICTIM/status" > "$ROOT/victim"
wait_for holding "$OUT"
check "a host process in view (nsenter --pid) belongs to nobody for root in the container" has "victim-owner 65534"
check "its /proc/PID/root does not reach the host's root, /proc/1/root is the container's" \
        eval 'canary_intact "$C" && has "proc-roots /proc/1/root/$C: refused"'
check "it survives ptrace, kill by its PID and kill(-1), untraced" eval 'alive && untraced'
stop_bg
kill "$VICTIM" "$ENTER" 2>/dev/null
wait "$ENTER" 2>/dev/null || :
