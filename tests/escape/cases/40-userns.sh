# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A user namespace of its own gives a container's process every capability over it: the door to mounts and
# to most kernel exploits. Every entry point: unshare(), clone() and clone3() with CLONE_NEWUSER, each held
# open; the host then looks at the user namespace of every process of the container.

script userns <<EOF
/attack hold unshare & pids="\$pids \$!"
/attack hold clone & pids="\$pids \$!"
/attack hold clone3 & pids="\$pids \$!"
# a shell as PID 1 ignores SIGTERM unless it traps it
trap 'kill \$pids; exit 0' TERM
wait
EOF
conf_host userns "Exec=/x/userns"
launch_bg userns
wait_for "unshare: " "$OUT" && wait_for "clone: " "$OUT" && wait_for "clone3: " "$OUT"
HOST_USERNS=$(host_ns_of $$ user)
foreign_userns() {
        local p
        for p in $(container_pids); do
                n=$(host_ns_of "$p" user) || continue
                [ "$n" = "$HOST_USERNS" ] || { echo "process $p: $n"; return 0; }
        done
        return 1
}
check "no process of the container is in a user namespace of its own (unshare, clone, clone3)" \
        eval '[ "$(container_pids | wc -l)" -ge 4 ] && ! foreign_userns'
for m in unshare clone clone3; do
        check "refused: $m CLONE_NEWUSER" has "$m CLONE_NEWUSER: refused"
done
stop_bg

# ctrctl exec gets the same filter
conf usernsx "RootDirectory=$ROOT" "Exec=/attack hold idle"
launch_bg usernsx
wait_for holding "$OUT"
ctl exec usernsx -- /attack unshare
check "ctrctl exec: unshare(CLONE_NEWUSER) refused" has "unshare CLONE_NEWUSER: refused"
ctl exec usernsx -- /attack clone3
check "ctrctl exec: clone3(CLONE_NEWUSER) refused" has "clone3 CLONE_NEWUSER: refused"
stop_bg

ctl run --no-scope --rm -v "$ROOT/attack:/attack:ro" host /attack clone
check "ctrctl run: clone(CLONE_NEWUSER) refused" has "clone CLONE_NEWUSER: refused"
