# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Terminal injection through ctrctl's output: a workload writes escape sequences into its log lines and its
# own command line (a hyperlink that less -R passes on, the alternate screen, a DCS string, a line erased and
# rewritten into a fake prompt, 8-bit C1 controls), then the operator runs status, logs and top on a
# terminal. What the terminal receives (script's transcript, on the host) must hold none of them raw. The
# container runs under ctr-launch as ctr@.service would run it, its output filed by a journald of the test's
# own (tests/ctrctl/with-journal) under ctr@ctrout.service.

WITH_JOURNAL=$HERE/../ctrctl/with-journal

script ctrout.sh <<'EOF'
printf 'link \033]8;;file:///etc/shadow\033\\click\033]8;;\033\\ alt \033[?1049h dcs \033P$q m\033\\ end\n'
printf 'fake\r\033[Kroot@host:~# \n'
printf 'c1 \233 2J \235 0;t \234 end\n'
echo started
exec sh -c 'sleep 600; :' "$(printf 'argv \033]52;c;cm0gLXJmIH4K\007 \033[1A\033[2K')"
EOF
conf_host ctrout "Exec=/x/ctrout.sh"

cat > "$T/ctrout-inner.sh" <<'EOF'
systemd-cat -t ctrout "$LAUNCH" --no-scope ctrout &
for _ in $(seq 100); do
        "$CTRCTL" logs -o cat ctrout 2>/dev/null | grep -q started && [ -f "$CTR_RUNTIME_DIR/ctrout/state" ] && break
        sleep 0.1
done
transcript() { command script -qfec "$*" /dev/null < /dev/null; }
transcript "$CTRCTL" status ctrout > "$T/ctrout-status"
transcript "$CTRCTL" logs ctrout > "$T/ctrout-logs"
transcript "$CTRCTL" logs -o cat ctrout > "$T/ctrout-cat"
SYSTEMD_PAGER="cat > $T/ctrout-paged" transcript "$CTRCTL" logs ctrout > /dev/null
transcript "$CTRCTL" top -n 1 ctrout > "$T/ctrout-top"
kill %1
wait
EOF

if ! command -v script > /dev/null || ! command -v systemd-cat > /dev/null; then
        skip "status, logs and top escape a container's escape sequences" "script or systemd-cat is not installed"
        return 0
fi
: > "$OUT"
SYSTEMD_PAGER=cat NO_COLOR=1 LAUNCH=$LAUNCH CTRCTL=$CTRCTL T=$T \
        "$WITH_JOURNAL" ctr@ctrout.service bash "$T/ctrout-inner.sh" > "$ERR" 2>&1
RC=$?
if [ "$RC" = 77 ]; then
        skip "status, logs and top escape a container's escape sequences" "no journald or cgroup2 (with-journal)"
        return 0
fi

# raw_free FILE: no control character but tab and line ends, as UTF-8 or as a raw byte (C0, ESC, DEL, C1)
raw_free() {
        cp "$1" "$OUT"
        python3 -c '
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
sys.exit(any((ord(c) < 32 and c not in "\t\r\n") or 0x7f <= ord(c) <= 0x9f or 0xdc80 <= ord(c) <= 0xdc9f
             for c in s))' "$1"
}
shown() { grep -qF -- "$2" "$1"; }

check "status: the workload's own command line and log lines reach the terminal escaped" eval \
        'raw_free "$T/ctrout-status" && shown "$T/ctrout-status" "argv \x1b]52;c;cm0gLXJmIH4K\a \x1b[1A\x1b[2K" &&
         shown "$T/ctrout-status" "link \x1b]8;;file:///etc/shadow\x1b\click"'
check "logs on a terminal: hyperlink, alternate screen, DCS, fake prompt and 8-bit C1 escaped" eval \
        'raw_free "$T/ctrout-logs" && shown "$T/ctrout-logs" "fake\r\x1b[Kroot@host:~#" &&
         shown "$T/ctrout-logs" "c1 \x9b 2J \x9d 0;t \x9c end" && shown "$T/ctrout-logs" "dcs \x1bP\$q m\x1b\ end"'
check "logs -o cat on a terminal: escaped" eval \
        'raw_free "$T/ctrout-cat" && shown "$T/ctrout-cat" "alt \x1b[?1049h dcs"'
check "logs into the pager on a terminal: escaped" eval \
        'raw_free "$T/ctrout-paged" && shown "$T/ctrout-paged" "link \x1b]8;;file:///etc/shadow"'
# top shows names and numbers only; its own clear-screen is the one sequence allowed
check "top: nothing of the container's but its name and numbers" eval \
        'sed "s/$(printf "\033")\[H$(printf "\033")\[2J//g" "$T/ctrout-top" > "$T/ctrout-top.rest" &&
         raw_free "$T/ctrout-top.rest" && shown "$T/ctrout-top" ctrout'
