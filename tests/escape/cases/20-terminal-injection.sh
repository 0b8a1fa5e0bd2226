# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Terminal injection (issue 9, escape 1): a container started in the foreground from an operator's shell
# pushes "touch $T/pwned-…" into the terminal's input with ioctl(TIOCSTI) on fds 0-2 and /dev/tty; with the
# caller's session and terminal, the operator's shell would run it once the container is gone. Driven for real:
# an interactive bash on a pseudo terminal (tests/launch/pty-drive) types the command line, waits for it to
# finish, then types "exit". Asserted on the host: no pwned file; and from inside (tty-info): the workload
# leads a session of the container's (its sid is visible in its PID namespace, the caller's never is), and
# none of its fds 0-2 and /dev/tty is on the host's devpts.
#
# The .ctr files say SeccompProfile=unconfined: the fix must hold without the filter that blocks TIOCSTI.
# Ad-hoc "ctrctl run" has no such option: there the tty-info assertions are the ones that catch a regression.

DRIVE=$HERE/../launch/pty-drive
HOST_PTS=$(stat -c %d /dev/pts)

script tty <<EOF
/x/attack tty-info
/x/attack tiocsti "touch $T/pwned-\$1"
EOF

# drive NAME COMMAND-LINE: the line typed at an interactive bash on a new pty; transcript in $OUT
drive() {
        rm -f "$T/pwned-$1"
        env TERM=dumb HISTFILE=/dev/null PS1='$ ' timeout 90 "$DRIVE" --timeout 60 \
                -s "$2; echo DONE-\$((40+2))\n" -e DONE-42 -p 0.5 -s "exit\n" \
                -- bash --norc --noprofile -i > "$OUT" 2> "$ERR"
        RC=$?
        echo >> "$OUT"  # a transcript ends where the terminal's cursor was, not at a line's end
}

not_pwned() { [ "$RC" = 0 ] && has DONE-42 && [ ! -e "$T/pwned-$1" ]; }

# own session, no descriptor on the host's devpts; "pty": fds 0-2 are the container's pty, "pipes": 1 and 2
# are pipes
confined() {
        has "tty-info sid=" && lacks "tty-info sid=0 " && lacks " dev=$HOST_PTS tty" || return 1
        case $1 in
        pty)    has "tty-info fd 0: /dev/pts/0 " && has "tty-info fd 1: /dev/pts/0 " ;;
        pipes)  has "tty-info fd 1: pipe:" && has "tty-info fd 2: pipe:" ;;
        esac
}

conf_host ttyl "SeccompProfile=unconfined" "Exec=/x/tty launch"
drive launch "$LAUNCH --no-scope ttyl"
check "ctr-launch --no-scope typed at a shell: TIOCSTI does not reach the shell" not_pwned launch
check "ctr-launch --no-scope typed at a shell: a session and a pty of the container's own" confined pty

conf_host ttyp "SeccompProfile=unconfined" "Exec=/x/tty pipes"
drive pipes "$LAUNCH --no-scope ttyp < /dev/null"
check "ctr-launch --no-scope, stdin not a terminal: TIOCSTI does not reach the shell" not_pwned pipes
check "ctr-launch --no-scope, stdin not a terminal: stdout and stderr are pipes, own session" confined pipes

conf_host ttyi "SeccompProfile=unconfined" "Init=yes" "Exec=/x/tty init"
drive init "$LAUNCH --no-scope ttyi"
check "Init=yes: TIOCSTI from the init's child does not reach the shell" not_pwned init
check "Init=yes: the workload has a session and a pty of the container's own" confined pty

conf_host ttyd "SeccompProfile=unconfined" "Exec=/x/tty declared"
drive declared "$CTRCTL run --no-scope $CONF/ttyd.ctr"
check "ctrctl run FILE in the foreground: TIOCSTI does not reach the shell" not_pwned declared
check "ctrctl run FILE in the foreground: a session and a pty of the container's own" confined pty

drive run "$CTRCTL run --no-scope --rm -v $ROOT:/x:ro host /x/tty run"
check "ctrctl run IMAGE: TIOCSTI does not reach the shell" not_pwned run
check "ctrctl run IMAGE: stdout and stderr are pipes, own session" confined pipes

drive run-t "$CTRCTL run --no-scope --rm -t -v $ROOT:/x:ro host /x/tty run-t"
check "ctrctl run -t: TIOCSTI does not reach the shell" not_pwned run-t
check "ctrctl run -t: a session and a pty of the container's own" confined pty

drive run-i "$CTRCTL run --no-scope --rm -i -v $ROOT:/x:ro host /x/tty run-i"
check "ctrctl run -i: TIOCSTI does not reach the shell" not_pwned run-i
check "ctrctl run -i: stdin, stdout and stderr are pipes, own session" \
        eval 'confined pipes && has "tty-info fd 0: pipe:"'
