# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Names on the bridge: every bridged container's monitor rewrites that container's /etc/hosts whenever another
# bridged container comes or goes. A container that may unmount (CAP_SYS_ADMIN, as an operator may grant) takes
# its /etc/hosts off the bind and puts there an absolute symlink to a host file. A monitor that wrote through
# /proc/PID/root/etc/hosts would follow that link from the host's root and overwrite the host file; ctr's
# writes through the descriptor of its own staging file. The case first shows that the monitor did rewrite
# the list after the redirect (so the write happened), then that the host file is intact and that the
# container's redirected path did not get the list either.
#
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here, the container holds the
# capability the attack needs either way; the case fails against a monitor that writes by path.)

BB=/bin/busybox
CAN=$(canary names-hosts)

# the staging file the monitor PID holds, read through its own descriptor
monitor_hosts() {
        local f
        for f in /proc/"$1"/fd/*; do
                [[ $(readlink "$f") == */etc/hosts* ]] && { cat "$f"; return 0; }
        done
        return 1
}

conf_host nattack "Network=bridge" "StopSignal=SIGKILL" "AddCapability=CAP_SYS_ADMIN" \
        "Exec=$BB sh -c '$BB umount /etc/hosts && $BB rm -f /etc/hosts && $BB ln -s $CAN /etc/hosts && echo redirected; echo up; exec $BB sleep 600'"
launch_bg nattack
ATTACKER=$BG
wait_for up "$OUT"
check "the attacker replaced its /etc/hosts by a link to a host file" grep -qx redirected "$OUT"

conf_host nother "Network=bridge" "StopSignal=SIGKILL" "Exec=$BB sh -c 'echo up; exec $BB sleep 600'"
launch_bg nother
OTHER=$BG
wait_for up "$OUT"
OTHER_IP=$(sed -n 's/^ADDRESS=//p' "$CTR_RUNTIME_DIR/nother/state" 2>/dev/null)
heard=no
for _ in $(seq 1 250); do
        if monitor_hosts "$ATTACKER" | grep -qxF "$(printf '%s\tnother' "$OTHER_IP")"; then
                heard=yes
                break
        fi
        sleep 0.02
done
check "the attacker's monitor rewrote its list when another container came ($OTHER_IP nother)" \
        [ -n "$OTHER_IP" -a "$heard" = yes ]
check "the host file behind the container's link is intact" canary_intact "$CAN"
check "… and holds no host list" bash -c "! grep -q nother '$CAN'"

BG=$OTHER
stop_bg
BG=$ATTACKER
stop_bg
