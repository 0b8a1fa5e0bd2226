# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A runtime state left behind: a launcher killed with SIGKILL cannot remove RUNTIME_DIR/NAME/state, and the
# kernel may hand the PIDs it names (the init's, the monitor's) to other processes, host ones, in the host's
# namespaces. `ctrctl exec NAME` and a `Network=container:NAME` joiner enter the namespaces of the process the
# state names: trusting a reused PID, they would enter the host's, the command in the host's mount namespace
# and the joiner on the host's network. The reuse is staged (waiting for the kernel to wrap PIDs around would
# take minutes): once the container is killed, its state names a host process whose parent has the PID
# recorded as the monitor's, as the kernel could hand out both; the init's recorded start time stays. That
# passes the parent check alone (the pods suite's stale case is the weaker one, a process of another parent);
# the start time is what tells the impostor from the init.

conf_host stale "Exec=/bin/sleep 1000"
launch_bg stale
STATE=$CTR_RUNTIME_DIR/stale/state
for _ in $(seq 1 100); do
        grep -q '^INIT_PID=' "$STATE" 2>/dev/null && break
        sleep 0.1
done
INIT=$(sed -n 's/^INIT_PID=//p' "$STATE" 2>/dev/null)
check "the launcher records the init's start time beside its PID" \
        eval 'grep -qE "^INIT_START=[1-9][0-9]*$" "$STATE" &&
              [ "$(sed -n "s/^INIT_START=//p" "$STATE")" = "$(awk "{print \$22}" "/proc/$INIT/stat")" ]'

# killed as an OOM kill or kill -9 of the service would: nothing removes the state
kill -KILL "$BG" 2>/dev/null
[ -n "$INIT" ] && kill -KILL "$INIT" 2>/dev/null
stop_bg
# the impostor: a host sleep, the child of a host shell; the shell's PID is written as the monitor's
bash -c 'sleep 1000 & echo $! > "$1"; wait' impostor "$T/impostor" &
SHELL_PID=$!
for _ in $(seq 1 100); do
        [ -s "$T/impostor" ] && break
        sleep 0.1
done
IMPOSTOR=$(cat "$T/impostor")
sed -i -e "s/^INIT_PID=.*/INIT_PID=$IMPOSTOR/" -e "s/^MONITOR_PID=.*/MONITOR_PID=$SHELL_PID/" "$STATE"
check "the stale state names the impostor, the child of the PID it names as monitor (the staged reuse)" \
        eval '[ -f "$STATE" ] && [ "$(awk "{print \$4}" "/proc/$IMPOSTOR/stat")" = "$SHELL_PID" ]'

ctl exec stale -- /bin/sh -c "touch $T/escaped-exec"
check "ctrctl exec of the stale name refuses (not running), nothing runs in the impostor's namespaces" \
        eval '[ "$RC" != 0 ] && err_has "is not running" && [ ! -e "$T/escaped-exec" ]'

HOST_NET=$(host_ns_of $$ net)
conf_host joiner "Network=container:stale" "Exec=/bin/readlink /proc/self/ns/net"
launch joiner
check "a Network=container: joiner of the stale name refuses to start, and never is on the host's network" \
        eval '[ "$RC" != 0 ] && err_has "that container is not running" && lacks "$HOST_NET"'

kill -KILL "$IMPOSTOR" "$SHELL_PID" 2>/dev/null
wait "$SHELL_PID" 2>/dev/null
rm -rf "$CTR_RUNTIME_DIR/stale"
