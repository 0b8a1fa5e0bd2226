# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The launcher's standard streams (ctr-launch in the foreground, ctrctl run): a host file given to read must
# not become a file the container's root reopens through /proc/self/fd/0 to write, nor an output file one
# it reopens to read what else it holds; a host directory must not become a way out (fchdir(0)). Files and
# devices reach the workload through pipes the monitor relays; a directory refuses the start.

conf launchstdio "RootDirectory=$ROOT" "Exec=/attack fds-escape escaped-by-launch-stdio nothing"

C=$(canary launch-stdio-in)
timeout 60 "$LAUNCH" --no-scope launchstdio < "$C" > "$OUT" 2> "$ERR"
RC=$?
check "ctr-launch with a host file as stdin: the workload reads a pipe, the file is intact" \
        eval 'canary_intact "$C" && has "fds-escape holds fd 0 (mode 10000)" && lacks "reopened to write: ok"'
check "ctr-launch with files as stdout and stderr: the workload writes pipes, the output arrives" \
        eval 'has "fds-escape holds fd 1 (mode 10000)" && has "fds-escape holds fd 2 (mode 10000)"'

C=$(canary launch-stdio-run)
timeout 60 "$CTRCTL" run --no-scope launchstdio < "$C" > "$OUT" 2> "$ERR"
RC=$?
check "ctrctl run with a host file as stdin: the file is intact" \
        eval 'canary_intact "$C" && has "fds-escape holds fd 0 (mode 10000)" && lacks "reopened to write: ok"'

conf launchstdiocat "RootDirectory=$ROOT" "Exec=/payload cat /proc/self/fd/0"
C=$(canary launch-stdio-cat)
timeout 60 "$LAUNCH" --no-scope launchstdiocat < "$C" > "$OUT" 2> "$ERR"
RC=$?
check "a host file as stdin still reaches the workload whole" eval 'rc_is 0 && has "$(canary_token "$C")"'

C=$(canary launch-stdio-dir)
DIR=$(dirname "$C")
BEFORE=$(ls -A "$DIR")
timeout 60 "$LAUNCH" --no-scope launchstdio < "$DIR" > "$OUT" 2> "$ERR"
RC=$?
check "ctr-launch with a host directory as stdin: refused, nothing created there" \
        eval '! rc_is 0 && err_has "is a directory" && [ "$(ls -A "$DIR")" = "$BEFORE" ] && canary_intact "$C"'
