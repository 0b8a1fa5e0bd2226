# SPDX-License-Identifier: LGPL-2.1-or-later
# The caller's terminal under systemd (issue 9, terminal injection): "ctrctl run" in the foreground with its
# scopes (ctrctl-N.scope, ctr-N.scope), on a real pty (python3's pty module: the command leads a session with
# the pty as its controlling terminal, as a login shell does). The container must hold neither the caller's
# session nor any descriptor of its terminal: with -t a pty of its own devpts, without -t pipes; and a line
# pushed with TIOCSTI never reaches the shell that reads the terminal next. ctr@NAME.service (stdio: the
# journal and /dev/null) is covered by 40-service's log cases, which must not change.

TTY_OUT=/var/lib/ctrtest-terminal
TTY_TIOCSTI=/proc/sys/dev/tty/legacy_tiocsti
TTY_TIOCSTI_SAVED=/run/ctrtest-legacy-tiocsti

tty_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        command -v ctr-escape-attack >/dev/null || skip "the attack binary is not in the payload"
        command -v python3 >/dev/null || skip "no python3 in the guest for a pty"
        # where the kernel refuses TIOCSTI by default (Debian 13's 6.12), the throw-away guest allows it for
        # these cases, so that they test ctr's own defence, not the kernel's; the teardown restores it
        if [[ -e $TTY_TIOCSTI ]]; then
                [[ -e $TTY_TIOCSTI_SAVED ]] || cp $TTY_TIOCSTI $TTY_TIOCSTI_SAVED
                echo 1 >$TTY_TIOCSTI || true
        fi
        [[ $(cat $TTY_TIOCSTI 2>/dev/null || echo 1) == 1 ]] ||
                skip "the kernel refuses TIOCSTI itself (dev.tty.legacy_tiocsti=0)"
}

# on_pty COMMAND…: COMMAND on a new pty, its output there printed
on_pty() {
        timeout 120 python3 -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))' \
                "$@" </dev/null
}

# what a workload's tty-info says: an own session, nothing on the guest's devpts; "pty" or "pipes"
assert_confined() {     # OUTPUT KIND
        local dev
        dev=$(stat -c %d /dev/pts)
        assert_contains "$1" "tty-info sid=" "tty-info ran"
        assert_not_contains "$1" "tty-info sid=0 " "the workload's session is the container's"
        assert_not_contains "$1" " dev=$dev tty" "no descriptor on the guest's devpts"
        if [[ $2 == pty ]]; then
                assert_contains "$1" "tty-info fd 0: /dev/pts/0 " "fd 0 is the container's pty"
        else
                assert_contains "$1" "tty-info fd 1: pipe:" "fd 1 is a pipe"
        fi
}

test_setup() {
        tty_need
        mkdir -p $TTY_OUT
        cp "$(command -v ctr-escape-attack)" $TTY_OUT/attack
}

test_run_t_has_its_own_pty() {
        tty_need
        local out
        out=$(on_pty ctrctl run --rm -t -v $TTY_OUT/attack:/attack:ro host /attack tty-info)
        echo "$out"
        assert_confined "$out" pty
}

test_run_without_t_has_pipes() {
        tty_need
        local out
        out=$(on_pty ctrctl run --rm -v $TTY_OUT/attack:/attack:ro host /attack tty-info)
        echo "$out"
        assert_confined "$out" pipes
}

# a shell on the pty runs "ctrctl run", then the next line it reads from the terminal (an operator's shell)
test_tiocsti_does_not_reach_the_shell() {
        tty_need
        local opt out
        for opt in -t ""; do
                rm -f $TTY_OUT/pwned
                # shellcheck disable=SC2016
                out=$(on_pty bash -c "ctrctl run --rm $opt -v $TTY_OUT/attack:/attack:ro host /attack tiocsti \
                        'touch $TTY_OUT/pwned'; read -t 3 -r line && eval \"\$line\"; exit 0")
                echo "$out"
                [[ ! -e $TTY_OUT/pwned ]] || fail "ctrctl run $opt: the pushed line ran in the caller's shell"
                echo "ok: ctrctl run $opt: nothing reached the caller's shell"
        done
}

test_teardown() {
        rm -rf $TTY_OUT
        if [[ -e $TTY_TIOCSTI_SAVED ]]; then
                cat $TTY_TIOCSTI_SAVED >$TTY_TIOCSTI
                rm $TTY_TIOCSTI_SAVED
        fi
}
