# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# /proc/1/root and /proc/PID/root of every PID in view: were any of them a host process (or its root the
# host's), the host's canary would be one path away. Run as the workload, by ctrctl run and by ctrctl exec.

C=$(canary proc-root)

conf procroot "RootDirectory=$ROOT" "Exec=/attack proc-roots $C escaped-by-proc-root"
launch procroot
check "/proc/PID/root of every PID the workload sees does not reach the host" \
        eval 'canary_intact "$C" && has "proc-roots /proc/1/root/$C: refused"'

conf procroothost "Image=host" "Volume=$ROOT/attack:/attack:ro" "Exec=/attack proc-roots $C escaped-by-proc-root"
launch procroothost
check "the same with Image=host" canary_intact "$C"

ctl run --no-scope --rm -v "$ROOT/attack:/attack:ro" host /attack proc-roots "$C" escaped-by-ctrctl-run
check "the same through ctrctl run" eval 'canary_intact "$C" && has "proc-roots /proc/1/root/$C: refused"'

# ctrctl exec: the entering process and the workload's init are both in view from inside
conf procrootbg "RootDirectory=$ROOT" "Exec=/attack hold proc-roots /none x"
launch_bg procrootbg
wait_for holding "$OUT"
ctl exec procrootbg -- /attack proc-roots "$C" escaped-by-ctrctl-exec
check "the same through ctrctl exec" eval 'canary_intact "$C" && has "proc-roots /proc/1/root/$C: refused"'
stop_bg
