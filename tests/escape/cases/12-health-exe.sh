# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The health check window (as 10-exec-exe and 10-exec-ptrace for ctrctl exec): every HealthInterval= the
# monitor forks a check into the container, and until it executes HealthCmd= that process is a copy of the
# host's ctr-launch (no sealed copy here: as the container's init, the monitor runs the installed binary,
# which cannot be opened for writing while it runs), not yet under the container's seccomp filter. A
# container that catches it (stopping every new process of its PID namespace, single-stepping the one
# without a filter) must neither open its /proc/PID/exe nor ptrace it. The launcher runs from a copy whose
# checksum must not change.

XFER=$T/xfer-health-exe
mkdir -p "$XFER"
cp "$LAUNCH" "$T/ctr-launch-copy"
SUM=$(sha256sum < "$T/ctr-launch-copy")
LAUNCH_SAVED=$LAUNCH
LAUNCH=$T/ctr-launch-copy

conf healthexe "RootDirectory=$ROOT" "Volume=$XFER:/xfer" "Exec=/attack hold exec-catch /xfer/done" \
        "HealthCmd=/attack idle" "HealthInterval=50ms" "HealthRetries=1"
launch_bg healthexe
wait_for "exec-catch watching" "$OUT"
# Checks until the attacker opened an exe that is not the check's, at most 15: each is a new process for it
# to catch. A check has ended when its output file was written again.
HOUT=$CTR_RUNTIME_DIR/healthexe/health-output
n_checks=0 last=
while [ $n_checks -lt 15 ] && ! grep "^exec-catch open" "$OUT" | grep -qv " ok -> /attack\$"; do
        for _ in $(seq 1 500); do
                now=$(stat -c %y "$HOUT" 2>/dev/null)
                [ -n "$now" ] && [ "$now" != "$last" ] && break
                sleep 0.02
        done
        [ "$now" = "$last" ] && break
        last=$now
        n_checks=$((n_checks + 1))
done
HEALTH=$(sed -n 's/^HEALTH=//p' "$CTR_RUNTIME_DIR/healthexe/state")
touch "$XFER/done"
wait_for "exec-catch: " "$OUT"

check "the health checks ran while the container stopped and probed everything that entered it" \
        eval '[ $n_checks = 15 ] && [ "$HEALTH" = healthy ]'
check "the attacker caught an entering check before its seccomp filter (the window was really probed)" \
        has "stopped with Seccomp:0"
check "no /proc/PID/exe but the check's could be opened (never the host's ctr-launch)" \
        eval '! grep "^exec-catch open" "$OUT" | grep -v " ok -> /attack\$"'
check "the attacker's PTRACE_SEIZE never succeeded on an entering check" \
        eval '! grep "^exec-catch seize .*: ok" "$OUT"'
stop_bg
check "the host's ctr-launch binary is unchanged after the container rewrote what it could" \
        eval '[ "$(sha256sum < "$T/ctr-launch-copy")" = "$SUM" ]'
LAUNCH=$LAUNCH_SAVED
