# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# User= names against a passwd the container controls. An Image=host container's root rewrites /etc/passwd in
# its persistent layer (nobody becomes uid 0); the next start with User=nobody must run as 65534, asserted on
# the host: the workload's uid in /proc, and a root-only host file (bound in) that it must not be able to write.
# (CTR_ESCAPE_PRIVILEGED gives nobody capabilities enough to write the file; the uid check fails only against a
# launcher without the defence.)

C=$(canary passwd-nobody)
chmod 0600 "$C"
script rewrite <<'EOF2'
sed -i 's/^nobody:x:65534:65534:/nobody:x:0:0:/' /etc/passwd && grep '^nobody:' /etc/passwd
EOF2
conf_host pwrewrite "Exec=/x/rewrite"
launch pwrewrite
check "a root workload rewrites its persistent /etc/passwd (the attack's set-up)" has "nobody:x:0:0:"

conf_host pwrewrite "User=nobody" "Volume=$C:/canary" "Exec=/x/attack hold write /canary escaped-as-nobody"
launch_bg pwrewrite
wait_for holding "$OUT"
UIDS=
for p in $(container_pids); do
        UIDS="$UIDS $(awk '/^Uid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)"
done
check "User=nobody after the rewrite runs as 65534, not 0 (seen from the host)" \
        eval '[ -n "$UIDS" ] && ! grep -qw 0 <<< "$UIDS" && grep -qw 65534 <<< "$UIDS"'
check "User=nobody after the rewrite cannot write a root-only host file" canary_intact "$C"
stop_bg
