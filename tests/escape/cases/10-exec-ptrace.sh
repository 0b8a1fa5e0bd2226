# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Seccomp bypass in the exec window: a process that ctrctl exec forks into the container runs without the
# container's seccomp filter until container_exec_apply() loads it last. A container that could ptrace it
# there would have it make any syscall for it unfiltered (unshare(CLONE_NEWUSER), keyctl…), and with its
# memory, the host's ctrctl's. The attacker catches every entering process as in 10-exec-exe (stop the next
# PID, single-step by signals) and tries PTRACE_SEIZE at every stop; the host watches the container's PID
# namespace meanwhile and records any process of it that is traced while not yet the command.

XFER=$T/xfer-exec-ptrace
mkdir -p "$XFER"
# a copy: without the fix the attacker also rewrites the binary it caught (10-exec-exe), which must not be the
# build's
cp "$CTRCTL" "$T/ctrctl-copy-ptrace"
conf execptrace "RootDirectory=$ROOT" "Volume=$XFER:/xfer" "Exec=/attack hold exec-catch /xfer/done"
launch_bg execptrace
wait_for "exec-catch watching" "$OUT"
INIT_PID=$(container_pids | head -n 1)
PIDNS=/proc/$INIT_PID/ns/pid

# the host's view, independent of what the attacker reports: traced processes of the container that are not
# the attack binary, with their filter mode
: > "$T/traced"
(
        while [ ! -e "$XFER/done" ]; do
                for p in /proc/[0-9]*; do
                        [ "$p/ns/pid" -ef "$PIDNS" ] || continue
                        name= tracer=0 filter=
                        while read -r k v; do
                                case $k in
                                Name:) name=$v ;;
                                TracerPid:) tracer=$v ;;
                                Seccomp:) filter=$v ;;
                                esac
                        done < "$p/status" 2>/dev/null
                        [ "$tracer" != 0 ] && [ "$name" != attack ] && echo "$p $name TracerPid:$tracer Seccomp:$filter" >> "$T/traced"
                done
        done
) &
WATCH=$!

ok_execs=0 n_execs=0
while [ $n_execs -lt 15 ] && ! grep -q "^exec-catch seize .*: ok" "$OUT"; do
        n_execs=$((n_execs + 1))
        timeout 60 "$T/ctrctl-copy-ptrace" exec execptrace -- /attack idle > "$T/exec-ptrace.out" 2>> "$T/exec-ptrace.err" < /dev/null &&
                grep -q "idle: all refused" "$T/exec-ptrace.out" && ok_execs=$((ok_execs + 1))
done
touch "$XFER/done"
wait "$WATCH"
wait_for "exec-catch: " "$OUT"

check "ctrctl exec still works while the container stops, single-steps and tries to trace what enters it" \
        eval '[ $ok_execs = $n_execs ] || { cat "$T/exec-ptrace.err" >> "$ERR"; false; }'
check "the attacker caught the entering process before its seccomp filter (the window was really probed)" \
        has "stopped with Seccomp:0"
check "the host saw no process entering the container traced by it (no unfiltered syscall could be injected)" \
        eval '[ ! -s "$T/traced" ] || { sort -u "$T/traced" | sed "s/^/traced: /" >> "$ERR"; false; }'
check "the attacker's PTRACE_SEIZE never succeeded on an entering process" \
        eval '! grep "^exec-catch seize .*: ok" "$OUT"'
stop_bg
