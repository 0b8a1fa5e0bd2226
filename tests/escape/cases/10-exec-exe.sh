# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The exec window (CVE-2019-5736 class): while ctrctl exec enters a container, its process in the
# container's PID namespace is a copy of the host's ctrctl. A container that catches it (stopping every
# process it can signal, over and over, and single-stepping by signals the one it finds without a seccomp
# filter) must neither open its /proc/PID/exe nor ptrace it; were it able to, it would rewrite the host's
# binary through that descriptor once ctrctl exits. ctrctl exec runs from a copy of the binary, whose checksum
# must not change.

XFER=$T/xfer-exec-exe
mkdir -p "$XFER"
cp "$CTRCTL" "$T/ctrctl-copy"
SUM=$(sha256sum < "$T/ctrctl-copy")

conf execexe "RootDirectory=$ROOT" "Volume=$XFER:/xfer" "Exec=/attack hold exec-catch /xfer/done"
launch_bg execexe
wait_for "exec-catch watching" "$OUT"
# Entries until the attacker opened an exe that is not the command's (without the fix it does within a few),
# at most 15: each is a new process for it to catch.
ok_execs=0 n_execs=0
while [ $n_execs -lt 15 ] && ! grep "^exec-catch open" "$OUT" | grep -qv " ok -> /attack\$"; do
        n_execs=$((n_execs + 1))
        timeout 60 "$T/ctrctl-copy" exec execexe -- /attack idle > "$T/exec-exe.out" 2>> "$T/exec-exe.err" < /dev/null &&
                grep -q "idle: all refused" "$T/exec-exe.out" && ok_execs=$((ok_execs + 1))
done
touch "$XFER/done"
wait_for "exec-catch: " "$OUT"

check "ctrctl exec still works while the container stops and probes everything that enters it" \
        eval '[ $ok_execs = $n_execs ] || { cat "$T/exec-exe.err" >> "$ERR"; false; }'
check "the attacker caught the entering process before its seccomp filter (the window was really probed)" \
        has "stopped with Seccomp:0"
check "no /proc/PID/exe but the command's could be opened (never the host's ctrctl, nor its sealed copy)" \
        eval '! grep "^exec-catch open" "$OUT" | grep -v " ok -> /attack\$"'
check "the host's ctrctl binary is unchanged after the container rewrote what it could" \
        eval '[ "$(sha256sum < "$T/ctrctl-copy")" = "$SUM" ]'
stop_bg
