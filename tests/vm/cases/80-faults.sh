# SPDX-License-Identifier: LGPL-2.1-or-later
# Faults under systemd (issue 17): the container's init killed with SIGKILL, the whole service killed with
# `systemctl kill -s KILL`, systemd re-executed and reloaded while containers run, and the filesystem of the
# writable layers full. Each case checks that what should go on goes on, that what ends ends cleanly (no scope,
# no process, no runtime state left), and that the container starts again afterwards. (The monitor killed
# with SIGKILL and the OOM kill are 40-service's.)

fault_idle='trap \"exit 0\" TERM; sleep infinity & wait'

# nothing of NAME left: no scope, no process in its cgroup, no runtime state
fault_nothing_left() {
        wait_for 30 bash -c "[[ \$(systemctl show -P LoadState ctr-$1.scope) == not-found ]]" ||
                fail "ctr-$1.scope is still $(unit_prop "ctr-$1.scope" ActiveState)"
        wait_for 10 bash -c "[[ ! -e /run/ctr/$1/state ]]" || fail "/run/ctr/$1/state is left"
        [[ ! -d /sys/fs/cgroup/machine.slice/ctr-$1.scope ]] || fail "the cgroup of ctr-$1.scope is left"
}

fault_init_pid() {
        sed -n 's/^INIT_PID=//p' "/run/ctr/$1/state"
}

test_init_sigkill_ends_the_service_and_leaves_nothing() {
        need_launch_scope
        write_ctr fkinit "Exec=/bin/sh -c \"$fault_idle\""
        systemctl daemon-reload
        start_ctr fkinit
        local init
        init=$(fault_init_pid fkinit)
        [[ -n $init ]] || fail "no INIT_PID in the runtime state"
        kill -KILL "$init"
        wait_for 30 bash -c '[[ $(systemctl show -P ActiveState ctr@fkinit.service) == failed ]]' ||
                fail "ctr@fkinit is $(unit_prop ctr@fkinit.service ActiveState) after its init was killed"
        assert_props ctr@fkinit.service Result=exit-code ExecMainStatus=137
        fault_nothing_left fkinit
        systemctl reset-failed ctr@fkinit.service
        start_ctr fkinit
        systemctl stop ctr@fkinit.service
        fault_nothing_left fkinit
}

test_systemctl_kill_ends_the_container_too() {
        need_launch_scope
        write_ctr fkall "Exec=/bin/sh -c \"$fault_idle\""
        systemctl daemon-reload
        start_ctr fkall
        local init rc=0
        init=$(fault_init_pid fkall)
        systemctl kill -s KILL ctr@fkall.service
        # the monitor is gone: the scope is BindsTo= its service and goes with it, and the init with the scope
        wait_for 30 bash -c '[[ $(systemctl show -P ActiveState ctr@fkall.service) == failed ]]' ||
                fail "ctr@fkall is $(unit_prop ctr@fkall.service ActiveState) after systemctl kill"
        assert_prop ctr@fkall.service Result signal
        wait_for 30 bash -c "! kill -0 $init 2>/dev/null" || fail "the container's init $init outlived systemctl kill"
        wait_for 30 bash -c '[[ $(systemctl show -P LoadState ctr-fkall.scope) == not-found ]]' ||
                fail "ctr-fkall.scope is still $(unit_prop ctr-fkall.scope ActiveState)"
        [[ ! -d /sys/fs/cgroup/machine.slice/ctr-fkall.scope ]] || fail "the cgroup of ctr-fkall.scope is left"
        # the killed monitor could not remove its runtime state: what is left must not pass for a running
        # container (its INIT_PID may be reused by now)
        ctrctl status --no-pager fkall >/dev/null 2>&1 || rc=$?
        assert_eq "$rc" 3 "ctrctl status's exit status (not running)"
        rc=0
        ctrctl exec fkall -- /bin/true >/dev/null 2>&1 || rc=$?
        assert_eq "$rc" 3 "ctrctl exec's exit status (not running)"
        systemctl reset-failed ctr@fkall.service
        start_ctr fkall
        systemctl stop ctr@fkall.service
        fault_nothing_left fkall
}

# vm-timeout: 240
test_daemon_reexec_and_reload_keep_containers_running() {
        need_launch_scope
        mkdir -p /var/lib/ctrtest-reexec
        write_ctr fkre 'Volume=/var/lib/ctrtest-reexec:/m' \
                "Exec=/bin/sh -c \"trap 'echo reloaded' HUP; trap 'exit 0' TERM; echo started; while :; do sleep 0.2; [ -e /m/say ] && { cat /m/say; rm /m/say; }; done\""
        systemctl daemon-reload
        start_ctr fkre
        local mon init scope_inv
        mon=$(unit_prop ctr@fkre.service MainPID)
        init=$(fault_init_pid fkre)
        scope_inv=$(unit_prop ctr-fkre.scope InvocationID)

        systemctl daemon-reexec
        systemctl is-system-running --wait >/dev/null 2>&1 || true
        systemctl daemon-reload
        assert_props ctr@fkre.service ActiveState=active "MainPID=$mon"
        assert_props ctr-fkre.scope ActiveState=active "InvocationID=$scope_inv"
        kill -0 "$init" || fail "the container's init died across daemon-reexec"
        grep -qx "$init" /sys/fs/cgroup/machine.slice/ctr-fkre.scope/cgroup.procs ||
                fail "the init is no longer in ctr-fkre.scope"

        # logs, exec, status and reload still work afterwards
        echo after-reexec > /var/lib/ctrtest-reexec/say
        wait_for 30 bash -c "journalctl -u ctr@fkre.service -o cat --no-pager | grep -qx after-reexec" ||
                fail "the workload's output after daemon-reexec did not reach the journal"
        out=$(ctrctl exec fkre -- /bin/echo exec-after-reexec) || fail "ctrctl exec failed after daemon-reexec"
        assert_eq "$out" exec-after-reexec "ctrctl exec output"
        ctrctl status --no-pager fkre >/dev/null || fail "ctrctl status failed after daemon-reexec"
        systemctl reload ctr@fkre.service || fail "systemctl reload failed after daemon-reexec"
        wait_for 30 bash -c "journalctl -u ctr@fkre.service -o cat --no-pager | grep -qx reloaded" ||
                fail "the reload signal did not reach the workload after daemon-reexec"
        systemctl stop ctr@fkre.service
        assert_props ctr@fkre.service ActiveState=inactive Result=success
        fault_nothing_left fkre
        rm -rf /var/lib/ctrtest-reexec
}

# The writable layers' filesystem full: a 24 MiB ext4 image loop-mounted as the layer directory of one
# container. Its workload sees ENOSPC and goes on; the container, the host's other containers and their starts
# are unaffected; freeing space makes writes work again.
# vm-timeout: 180
test_writable_layer_filesystem_full() {
        need_launch_scope
        local img=/var/tmp/ctrtest-small.img dir=/var/lib/ctr/containers/fkfull
        systemctl stop ctr@fkfull.service 2>/dev/null || true
        rm -rf "$dir" "$img"
        mkdir -p "$dir"
        truncate -s 24M "$img"
        mkfs.ext4 -q -F "$img" || fail "mkfs.ext4 failed"
        mount -o loop "$img" "$dir" || fail "could not loop-mount $img"
        mkdir -p /var/lib/ctrtest-full
        rm -f /var/lib/ctrtest-full/*
        write_ctr fkfull 'Volume=/var/lib/ctrtest-full:/m' \
                "Exec=/bin/sh -c \"if dd if=/dev/zero of=/big bs=1M count=64 2>/m/dd.err; then echo 0 >/m/dd.rc; else echo 1 >/m/dd.rc; fi; trap 'exit 0' TERM; while :; do sleep 0.2; [ -e /m/retry ] && { rm -f /big /m/retry; echo ok >/small && echo written >/m/after; }; done\""
        write_ctr fkother "Exec=/bin/sh -c \"$fault_idle\""
        systemctl daemon-reload
        start_ctr fkfull
        wait_for 60 test -s /var/lib/ctrtest-full/dd.rc || { umount "$dir"; fail "the workload did not finish its write"; }
        assert_eq "$(cat /var/lib/ctrtest-full/dd.rc)" 1 "dd's exit status"
        assert_contains "$(cat /var/lib/ctrtest-full/dd.err)" "No space left on device"
        assert_prop ctr@fkfull.service ActiveState active
        # another container starts and runs meanwhile
        start_ctr fkother
        systemctl stop ctr@fkother.service
        # space freed: writes work again
        touch /var/lib/ctrtest-full/retry
        wait_for 30 test -e /var/lib/ctrtest-full/after || { umount "$dir"; fail "the workload could not write after space was freed"; }
        systemctl stop ctr@fkfull.service
        assert_props ctr@fkfull.service ActiveState=inactive Result=success
        fault_nothing_left fkfull
        umount "$dir" || umount -l "$dir"
        rm -rf "$dir" "$img" /var/lib/ctrtest-full
}
