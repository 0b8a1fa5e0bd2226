# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# What the terminal fix (20-terminal-injection) must keep working, on a real pseudo terminal
# (tests/launch/pty-drive): "ctrctl run -t" is an interactive terminal (a line typed through the pty is read,
# the window size follows, Ctrl-C is SIGINT inside, the exit status is kept, the caller's terminal mode comes
# back even when the launcher is killed, a hangup reaches the container); without -t the output still reaches
# the terminal, and -i reads it.
# Each workload also reports what its stdio is: the container's own pty or pipes, never the caller's terminal
# (st_dev of the host's devpts), so that each case fails on a launcher that hands the terminal through.

DRIVE=$HERE/../launch/pty-drive
HOST_PTS=$(stat -c %d /dev/pts)
# what the workload says of its stdio: a link and the device of the file system it is on
STDIO='for f in 0 1 2; do echo "fd $f: $(readlink /proc/$$/fd/$f) dev=$(stat -L -c %d /proc/$$/fd/$f)"; done'

# pty STEP… -- CMD…: pty-drive (see there) with a 60 s bound; transcript in $OUT
pty() {
        timeout 90 "$DRIVE" --timeout 60 "$@" > "$OUT" 2> "$ERR" < /dev/null
        RC=$?
        echo >> "$OUT"  # a transcript ends where the terminal's cursor was, not at a line's end
}

own_pty() { has "fd 0: /dev/pts/0 " && has "fd 1: /dev/pts/0 " && lacks " dev=$HOST_PTS"; }
pipes() { has "fd 1: pipe:" && has "fd 2: pipe:" && lacks " dev=$HOST_PTS"; }

run=("$CTRCTL" run --no-scope --rm)

pty --size 30x100 -e ready -s 'hello\r' -e got:hello -- "${run[@]}" -t host \
        sh -c "$STDIO; stty size; echo ready; read line; echo \"got:\$line\"; exit 7"
check "ctrctl run -t: a line typed on the terminal is read through the container's pty, status kept" \
        eval 'rc_is 7 && has got:hello && own_pty'
check "ctrctl run -t: the window size is the caller's" eval 'has "30 100" && own_pty'

pty -e ready -w 40x120 -e '40 120' -- "${run[@]}" -t host \
        sh -c "$STDIO; trap 'stty size; exit 3' WINCH; echo ready; while :; do sleep 0.1; done"
check "ctrctl run -t: a new window size reaches the container (SIGWINCH, then the size)" \
        eval 'rc_is 3 && own_pty'

pty -e ready -s '\x03' -e got-INT -- "${run[@]}" -t host \
        sh -c "$STDIO; trap 'echo got-INT; exit 130' INT; echo ready; while :; do sleep 0.1; done"
check "ctrctl run -t: Ctrl-C is SIGINT in the container" eval 'rc_is 130 && own_pty'

conf_host ctrlc "Init=yes" "Exec=/bin/sh -c '${STDIO//%/%%}; echo ready; exec sleep 100'"
pty -e ready -s '\x03' -- "$CTRCTL" run --no-scope "$CONF/ctrlc.ctr"
check "ctrctl run FILE with Init=yes: Ctrl-C stops a workload without a SIGINT handler" \
        eval 'rc_is 130 && own_pty'

pty -- "${run[@]}" host sh -c "$STDIO; echo out-line; echo err-line >&2; exit 3"
check "ctrctl run without -t: output and errors reach the terminal through pipes, status kept" \
        eval 'rc_is 3 && has out-line && has err-line && pipes'

pty -e ready -s 'abc\n' -e abc -s '\x04' -e cat-done -- "${run[@]}" -i host \
        sh -c "$STDIO; echo ready; cat; echo cat-done"
check "ctrctl run -i: the terminal's lines reach stdin through a pipe, Ctrl-D ends it" \
        eval 'rc_is 0 && has "fd 0: pipe:" && pipes'

# the monitor killed while the terminal is raw (it is from before the runtime state is written: the pty's
# master comes ahead of the end of the start on the sync socket), once the workload's output is relayed:
# ctrctl gives the terminal its mode back
mkdir -p "$T/tkill"
(
        for i in $(seq 1 500); do
                m=$(sed -n 's/^MONITOR_PID=//p' "$CTR_RUNTIME_DIR"/tkill/* 2>/dev/null | head -n 1)
                [ -n "$m" ] && [ -e "$T/tkill/ready" ] && { sleep 0.5; kill -KILL "$m"; exit 0; }
                sleep 0.02
        done
) &
KILLER=$!
line="stty -g > $T/stty-before; ${run[*]} --name tkill -t -v $T/tkill:/out host"
line+=" sh -c '$STDIO; echo ready; touch /out/ready; sleep 100'"
line+="; stty -g > $T/stty-after; echo DONE-\$((40+2))\n"
env TERM=dumb HISTFILE=/dev/null PS1='$ ' timeout 90 "$DRIVE" --timeout 60 -s "$line" -e DONE-42 -s "exit\n" \
        -- bash --norc --noprofile -i > "$OUT" 2> "$ERR" < /dev/null
RC=$?
echo >> "$OUT"
wait "$KILLER"
check "ctrctl run -t: the terminal's mode comes back when the launcher is killed" \
        eval 'rc_is 0 && [ -s $T/stty-before ] && cmp -s $T/stty-before $T/stty-after && own_pty'

# the caller's terminal hangs up (an ssh connection drops): the container's terminal hangs up too, and its
# session leader (the workload, with Init=yes) gets SIGHUP from it; ReloadSignal= keeps the launcher's own
# SIGHUP (forwarded as reload) apart
mkdir -p "$T/hup"
conf_host hup "Init=yes" "ReloadSignal=SIGUSR2" "Volume=$T/hup:/out" \
        "Exec=/bin/sh -c '${STDIO//%/%%}; trap \"\" USR2; trap \"echo hup > /out/hup; exit 3\" HUP; echo ready; while :; do sleep 0.1; done'"
pty -e ready -h -- "$CTRCTL" run --no-scope "$CONF/hup.ctr"
check "a hangup of the caller's terminal hangs up the container's: SIGHUP to the workload" \
        eval 'rc_is 3 && [ -s $T/hup/hup ] && own_pty'
