# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Leaked descriptors (CVE-2024-21626 class): whatever ctrctl exec's caller has open must not reach the
# command. A host directory on fd 3 or 5, or as the working directory through "-w /proc/self/fd/3", would
# let the container's root create files next to the host's canary and rewrite it: the attacker tries every
# descriptor it holds, every /proc/self/fd link, its working directory and 16 levels above it. A host
# directory as stdin is refused outright.

conf execfds "RootDirectory=$ROOT" "Exec=/attack hold idle"
launch_bg execfds
wait_for holding "$OUT"

# fds_attack TAG [EXEC OPTION…]: a fresh canary in the host directory $T/canary, then ctrctl exec of the
# attack with that directory on fds 3 and 5 (the caller's redirections follow in "$@" through eval)
fds_attack() {
        local tag=$1
        shift
        C=$(canary "exec-fds-$tag")
        DIR=$(dirname "$C")
        BEFORE=$(ls -A "$DIR")
        timeout 60 "$CTRCTL" exec "$@" execfds -- /attack fds-escape "escaped-by-exec-$tag" "$(basename "$C")" \
                > "$OUT" 2> "$ERR" 3< "$DIR" 5< "$DIR" < "${STDIN:-/dev/null}"
        RC=$?
}
nothing_new() { canary_intact "$C" && [ "$(ls -A "$DIR")" = "$BEFORE" ]; }

fds_attack fd35
check "fds 3 and 5 on a host directory: the command holds only stdio, the host directory is untouched" \
        eval 'nothing_new && has "fds-escape cwd /" && lacks "holds fd 3" && lacks "holds fd 5"'

fds_attack cwd -w /proc/self/fd/3
check "-w /proc/self/fd/3 with fd 3 on a host directory: refused, the host directory is untouched" \
        eval 'nothing_new && ! rc_is 0 && err_has "leads out of the container"'

STDIN=$T/canary fds_attack stdin
check "a host directory as stdin: refused, the host directory is untouched" \
        eval 'nothing_new && ! rc_is 0 && err_has "is a directory"'

# a host file as stdin (to read) must not become a file the container's root reopens to write: the command
# reads it through a pipe
CF=$(canary exec-fds-stdin-file)
STDIN=$CF fds_attack stdinfile
check "a host file as stdin: the command reads a pipe, cannot reopen the file to write; the file is intact" \
        eval 'canary_intact "$CF" && has "fds-escape holds fd 0 (mode 10000)" && lacks "reopened to write: ok"'
timeout 60 "$CTRCTL" exec execfds -- /payload cat /proc/self/fd/0 < "$CF" > "$OUT" 2> "$ERR"
RC=$?
check "a host file as stdin still reaches the command whole" eval 'rc_is 0 && has "$(canary_token "$CF")"'

# a working directory of the container's own still works, and is inside it
fds_attack tmp -w /tmp
check "-w /tmp: the command runs there, inside the container's root; the host directory is untouched" \
        eval 'nothing_new && has "fds-escape cwd /tmp"'
stop_bg
