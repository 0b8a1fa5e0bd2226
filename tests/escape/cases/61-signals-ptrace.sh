# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Host processes from inside: kill and ptrace a host `sleep` by its host PID, and kill(-1) — every process
# the container can signal. The victim (and the launcher) must survive, untraced.

sleep 600 &
VICTIM=$!
alive() { kill -0 "$VICTIM" 2>/dev/null && ! grep -q '^State:.*zombie' "/proc/$VICTIM/status"; }
untraced() { grep -q '^TracerPid:[[:space:]]*0$' "/proc/$VICTIM/status"; }

script sig <<EOF
/attack ptrace $VICTIM
/attack kill $VICTIM 9
/attack kill $$ 9
/attack kill 1 9
/attack kill -1 9
echo sig-done
EOF
conf_host sig "Exec=/x/sig"
launch sig
check "the host victim survives kill and ptrace by its PID, and kill(-1)" eval 'has sig-done && alive && untraced'

conf sigx "RootDirectory=$ROOT" "Exec=/attack hold idle"
launch_bg sigx
wait_for holding "$OUT"
LAUNCHER=$(cat "/proc/$BG/task/$BG/children" | awk '{print $1}')
ctl exec sigx -- /attack ptrace "$VICTIM"
ctl exec sigx -- /attack kill -1 9
ctl exec sigx -- /attack kill "$VICTIM" 9
ctl exec sigx -- /attack kill "$LAUNCHER" 9
check "ctrctl exec: the victim and the container's launcher survive" \
        eval 'alive && untraced && kill -0 "$LAUNCHER"'
stop_bg
kill "$VICTIM" 2>/dev/null
wait "$VICTIM" 2>/dev/null || :
