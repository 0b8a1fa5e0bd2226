# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Terminal injection: a container whose stdin is a terminal types a command into it with ioctl(TIOCSTI); who
# reads that terminal next runs it. Two readers, each asserted on a host canary:
#   - the operator's shell, after the container (ctr-launch in the foreground, ctrctl run, ctrctl exec)
#     returns: the escape itself (closed by the container's own session and pty, and by the filter);
#   - the container's own shell, on whatever terminal it has: the seccomp filter alone, which refuses
#     TIOCSTI (and TIOCLINUX) whatever terminal and capabilities the container holds.
# The terminal is a fresh pty from python3's pty module (a session of its own with the pty as controlling
# terminal, as a login shell has); dev.tty.legacy_tiocsti must be on for the kernel to allow TIOCSTI at all.

if ! tiocsti_possible; then
        skip "TIOCSTI" "no $PY, or the kernel refuses TIOCSTI itself (dev.tty.legacy_tiocsti=0)"
        return 0
fi

# --- the operator's shell

C=$(canary tiocsti-operator)
conf_host tiocstifg "Exec=/attack tiocsti 'echo escaped-by-tiocsti > $C'"
then_shell "$(printf '%q --no-scope tiocstifg' "$LAUNCH")"
check "TIOCSTI from a container in the foreground does not reach the operator's shell" canary_intact "$C"

then_shell "$(printf '%q run --no-scope --rm -v %q host /attack tiocsti %q' "$CTRCTL" "$ROOT/attack:/attack:ro" \
        "echo escaped-by-ctrctl-run > $C")"
check "the same through ctrctl run" canary_intact "$C"

conf_host tiocstibg "Exec=/attack hold idle"
launch_bg tiocstibg
wait_for holding "$OUT"
then_shell "$(printf '%q exec tiocstibg -- /attack tiocsti %q' "$CTRCTL" "echo escaped-by-ctrctl-exec > $C")"
check "the same through ctrctl exec" canary_intact "$C"
stop_bg

# --- the container's own terminal: only the filter stands between TIOCSTI and the container's shell. The
# canary's directory is bound in, so that a command the container typed into its terminal and then read
# back could reach it.

C=$(canary tiocsti-self)
cat > "$ROOT/self-inject" <<EOF
#!/bin/bash
/attack tiocsti 'echo escaped-by-tiocsti > /canary/${C##*/}'
read -t 3 -r line && eval "\$line"
ls -l /proc/self/fd/0
exit 0
EOF
chmod 755 "$ROOT/self-inject"
conf_host tiocstiself "Volume=$T/canary:/canary" "Exec=/x/self-inject"
on_terminal "$LAUNCH" --no-scope tiocstiself
check "TIOCSTI into the container's own terminal is refused by the default seccomp filter" \
        eval 'canary_intact "$C" && has "tiocsti TIOCSTI on stdin: refused EPERM"'

# and the same for a container given CAP_SYS_ADMIN, which lets the kernel's TIOCSTI write to any terminal
conf_host tiocstiadmin "Volume=$T/canary:/canary" "AddCapability=CAP_SYS_ADMIN" "Exec=/x/self-inject"
on_terminal "$LAUNCH" --no-scope tiocstiadmin
check "the filter refuses TIOCSTI whatever the capabilities (CAP_SYS_ADMIN)" \
        eval 'canary_intact "$C" && has "tiocsti TIOCSTI on stdin: refused EPERM"'
