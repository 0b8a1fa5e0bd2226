# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Terminal injection through ctrctl exec without -t: the command must neither be in the caller's session nor
# hold the caller's terminal, or ioctl(TIOCSTI) types a command line into the operator's shell, which runs it
# once ctrctl returns. An interactive shell on a fresh pty (python3's pty module: a session of its own, the
# pty its controlling terminal, as a login shell has) runs ctrctl exec, then the next line it reads. Run
# with the default filter (which refuses TIOCSTI itself) and with SeccompProfile=unconfined: the session and
# the relay alone must hold.

if ! tiocsti_possible; then
        skip "TIOCSTI through ctrctl exec" "no $PY, or the kernel refuses TIOCSTI itself (dev.tty.legacy_tiocsti=0)"
        return 0
fi

for profile in default unconfined; do
        C=$(canary "exec-tiocsti-$profile")
        conf_host "exectiocsti$profile" "Exec=/attack hold idle" "SeccompProfile=$profile"
        launch_bg "exectiocsti$profile"
        wait_for holding "$OUT"
        then_shell "$(printf '%q exec %q -- /attack tiocsti %q' "$CTRCTL" "exectiocsti$profile" \
                "echo escaped-by-exec-tiocsti > $C")"
        check "ctrctl exec without -t (SeccompProfile=$profile): TIOCSTI does not reach the operator's shell" \
                eval 'canary_intact "$C" && has "tiocsti: all refused"'
        stop_bg
done

# the command's own view: a session of its own, stdio that is no terminal (pipes to ctrctl), no /dev/tty
conf_host exectiocstiinfo "Exec=/attack hold idle"
launch_bg exectiocstiinfo
wait_for holding "$OUT"
then_shell "$(printf '%q exec exectiocstiinfo -- /attack tty-info' "$CTRCTL")"
check "the command gets a session of its own, no terminal on stdio and no controlling terminal" \
        eval 'has "tty-info fd 0: pipe:" && has "tty-info fd 1: pipe:" && has "tty-info fd 2: pipe:" &&
              has "tty-info /dev/tty: none"'
stop_bg
