# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Kernel interfaces a container has no business with, each a large attack surface of its own: bpf (maps and
# programs), perf_event_open, userfaultfd (the syscall and /dev/userfaultfd), io_uring. Each attempt is held
# open; the host then lists the descriptors every process of the container holds.

script kif <<EOF
/attack hold bpf & pids="\$pids \$!"
/attack hold perf & pids="\$pids \$!"
/attack hold userfaultfd & pids="\$pids \$!"
/attack hold io_uring & pids="\$pids \$!"
# a shell as PID 1 ignores SIGTERM unless it traps it
trap 'kill \$pids; exit 0' TERM
wait
EOF
conf_host kif "Exec=/x/kif"
launch_bg kif
for m in bpf perf userfaultfd io_uring; do
        wait_for "$m: " "$OUT"
done
kernel_fds() {
        local p
        for p in $(container_pids); do
                ls -l "/proc/$p/fd/" 2>/dev/null
        done | grep -E 'anon_inode:(bpf-map|bpf-prog|\[perf_event\]|\[userfaultfd\]|\[io_uring\])'
}
check "no process of the container holds a bpf, perf_event, userfaultfd or io_uring descriptor" \
        eval '[ "$(container_pids | wc -l)" -ge 5 ] && ! kernel_fds'
for what in "bpf BPF_MAP_CREATE" "bpf BPF_PROG_LOAD" "perf self" "perf cpu0" "userfaultfd syscall" \
            "io_uring io_uring_setup"; do
        check "refused: $what" has "$what: refused"
done
stop_bg
