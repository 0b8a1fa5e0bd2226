# SPDX-License-Identifier: LGPL-2.1-or-later
# src/launch/scope.c through ctr-vm-scope-test: the container's child is put into ctr-NAME.scope over sd-bus;
# systemd's view (systemctl show) and the kernel's (cgroup files) must both say what was asked for.
# The cases of one scope run in order: limits_start starts ctr-lim.scope, the next ones inspect it.

lim_cg=/sys/fs/cgroup/machine.slice/ctr-lim.scope

test_limits_start() {
        local out
        systemctl stop ctr-lim.scope 2>/dev/null || true
        out=$(CTR_LOG_LEVEL=debug ctr-vm-scope-test --memory-max 67108864 --memory-high 50331648 \
                --memory-swap-max 0 --cpu-weight 50 --cpu-quota 250000 --allowed-cpus 1 --tasks-max 32 \
                --io-weight 200 --stop-signal 2 --stop-timeout 7000000 lim -- sleep infinity 2>stderr.txt)
        cat stderr.txt
        echo "$out"
        # the child was in the scope before it was released (the program prints its cgroup first)
        assert_contains "$out" "cgroup=/machine.slice/ctr-lim.scope" "child's cgroup before release"
        assert_contains "$out" "unit=ctr-lim.scope"
        assert_prop ctr-lim.scope ActiveState active
        local pid
        pid=$(sed -n 's/^pid=//p' <<<"$out")
        assert_eq "$(cat $lim_cg/cgroup.procs)" "$pid" "$lim_cg/cgroup.procs"
        if (($(systemd_version) < 253)); then
                # systemd 252 has no PIDFDs=: scope.c must have fallen back to PIDs= without tripping over the
                # half-made unit of the first attempt
                assert_contains "$(cat stderr.txt)" "using PIDs=" "debug log"
        else
                # systemd 253 and later take the pidfd itself (no PID reuse race): no fallback
                assert_not_contains "$(cat stderr.txt)" "using PIDs=" "debug log"
        fi
        assert_not_contains "$(cat stderr.txt)" "Stopping stale" "debug log"
}

test_limits_memory_files() {
        assert_file_eq $lim_cg/memory.max 67108864
        assert_file_eq $lim_cg/memory.high 50331648
        assert_file_eq $lim_cg/memory.swap.max 0
}

test_limits_cpu_files() {
        assert_file_eq $lim_cg/cpu.weight 50
        assert_file_eq $lim_cg/cpu.max "25000 100000"
        assert_file_eq $lim_cg/cpuset.cpus 1
        assert_file_eq $lim_cg/cpuset.cpus.effective 1
}

test_limits_pids_io_files() {
        assert_file_eq $lim_cg/pids.max 32
        assert_file_eq $lim_cg/io.weight "default 200"
}

test_limits_unit_properties() {
        assert_props ctr-lim.scope MemoryMax=67108864 MemoryHigh=50331648 MemorySwapMax=0 CPUWeight=50 \
                CPUQuotaPerSecUSec=250ms AllowedCPUs=1 TasksMax=32 IOWeight=200 Slice=machine.slice Delegate=yes \
                CollectMode=inactive-or-failed KillSignal=2 TimeoutStopUSec=7s "Description=Container lim" \
                Transient=yes
}

test_limits_devices_property() {
        assert_prop ctr-lim.scope DevicePolicy closed
        local allow
        allow=$(unit_prop ctr-lim.scope DeviceAllow)
        assert_contains "$allow" "/dev/null rw" DeviceAllow
        assert_contains "$allow" "/dev/ptmx rw" DeviceAllow
        assert_contains "$allow" "char-pts rw" DeviceAllow
}

test_limits_stop_collects() {
        local pid
        pid=$(cat $lim_cg/cgroup.procs)
        systemctl stop ctr-lim.scope
        wait_for 20 bash -c "! kill -0 $pid 2>/dev/null"
        # CollectMode=inactive-or-failed: the unit is gone once stopped
        assert_eq "$(unit_prop ctr-lim.scope LoadState)" not-found "LoadState after stop"
        [[ ! -e $lim_cg ]] || fail "$lim_cg still exists"
}

test_unset_limits_are_not_sent() {
        local cg=/sys/fs/cgroup/machine.slice/ctr-plain.scope
        ctr-vm-scope-test plain -- sleep infinity
        assert_file_eq $cg/memory.max max
        # TasksMax= unset: systemd's DefaultTasksMax= applies, as to any unit
        assert_file_eq $cg/pids.max "$(systemctl show -P DefaultTasksMax)"
        assert_prop ctr-plain.scope MemoryMax infinity
        assert_prop ctr-plain.scope CPUWeight "[not set]"
        systemctl stop ctr-plain.scope
}

test_infinity_limits() {
        local cg=/sys/fs/cgroup/machine.slice/ctr-inf.scope
        ctr-vm-scope-test --memory-max infinity --tasks-max infinity --cpu-quota infinity inf -- sleep infinity
        assert_file_eq $cg/memory.max max
        assert_file_eq $cg/pids.max max
        assert_file_eq $cg/cpu.max "max 100000"
        systemctl stop ctr-inf.scope
}

test_other_slice() {
        local out
        out=$(ctr-vm-scope-test --slice tenant-a.slice --memory-max 33554432 sl -- sleep infinity)
        assert_contains "$out" "cgroup=/tenant.slice/tenant-a.slice/ctr-sl.scope" "child's cgroup"
        assert_prop ctr-sl.scope Slice tenant-a.slice
        assert_file_eq /sys/fs/cgroup/tenant.slice/tenant-a.slice/ctr-sl.scope/memory.max 33554432
        [[ ! -e /sys/fs/cgroup/machine.slice/ctr-sl.scope ]] || fail "scope also under machine.slice"
        systemctl stop ctr-sl.scope
}

# DevicePolicy=closed: inside the scope, the allowed nodes open and a disk does not.
test_device_outside_allowed_set() {
        [[ -b /dev/nvme0n1 ]] || fail "no /dev/nvme0n1 to probe with"
        head -c 1 /dev/nvme0n1 >/dev/null || fail "the disk cannot be read even outside the scope"
        local out
        out=$(ctr-vm-scope-test --wait dev -- sh -c '
                echo "cgroup $(cat /proc/self/cgroup)"
                echo x >/dev/null && echo "null ok"
                head -c 1 /dev/zero >/dev/null && echo "zero ok"
                head -c 1 /dev/urandom >/dev/null && echo "urandom ok"
                if head -c 1 /dev/nvme0n1 >/dev/null 2>err; then echo "disk opened"; else echo "disk denied: $(cat err)"; fi
                rm -f err' 2>&1)
        echo "$out"
        assert_contains "$out" "cgroup 0::/machine.slice/ctr-dev.scope"
        assert_contains "$out" "null ok"
        assert_contains "$out" "zero ok"
        assert_contains "$out" "urandom ok"
        assert_contains "$out" "disk denied"
        assert_contains "$out" "Operation not permitted"
}

# A stand-in monitor as a service: the scope BindsTo= it and is ordered Before= it.
start_monitor() {   # NAME
        systemctl reset-failed "ctrtest-$1.service" 2>/dev/null || true
        systemd-run -q --unit="ctrtest-$1.service" -p Type=exec \
                "$CTR_VM_PAYLOAD/bin/ctr-vm-scope-test" --hold --service "ctrtest-$1.service" "$1" -- sleep infinity
        wait_for 30 systemctl -q is-active "ctr-$1.scope"
}

test_binds_to_and_before_service() {
        start_monitor bind
        assert_contains "$(unit_prop ctr-bind.scope BindsTo)" ctrtest-bind.service BindsTo
        assert_contains "$(unit_prop ctr-bind.scope Before)" ctrtest-bind.service Before
        assert_not_contains "$(unit_prop ctr-bind.scope After)" ctrtest-bind.service After
        assert_contains "$(unit_prop ctrtest-bind.service BoundBy)" ctr-bind.scope "service BoundBy"
        # the monitor stays in the service, the child went to the scope
        local mon child
        mon=$(unit_prop ctrtest-bind.service MainPID)
        child=$(cat /sys/fs/cgroup/machine.slice/ctr-bind.scope/cgroup.procs)
        assert_eq "$(pid_cgroup "$mon")" /system.slice/ctrtest-bind.service "monitor's cgroup"
        assert_eq "$(pid_cgroup "$child")" /machine.slice/ctr-bind.scope "child's cgroup"
        systemctl stop ctrtest-bind.service
        wait_for 20 bash -c "! kill -0 $child 2>/dev/null"
        assert_eq "$(unit_prop ctr-bind.scope LoadState)" not-found "scope after the service stopped"
}

# kill -9 of the monitor: BindsTo= takes the scope and the container process down with it.
test_monitor_sigkill_stops_scope() {
        start_monitor kill9
        local mon child
        mon=$(unit_prop ctrtest-kill9.service MainPID)
        child=$(cat /sys/fs/cgroup/machine.slice/ctr-kill9.scope/cgroup.procs)
        kill -9 "$mon"
        wait_for 20 bash -c "! kill -0 $child 2>/dev/null"
        wait_for 20 bash -c '[[ $(systemctl show -P LoadState ctr-kill9.scope) == not-found ]]'
        [[ ! -e /sys/fs/cgroup/machine.slice/ctr-kill9.scope ]] || fail "the scope's cgroup is still there"
        systemctl reset-failed ctrtest-kill9.service 2>/dev/null || true
}

test_stale_scope_replaced() {
        local out1 out2 old new
        out1=$(ctr-vm-scope-test stale -- sleep infinity)
        old=$(sed -n 's/^pid=//p' <<<"$out1")
        assert_prop ctr-stale.scope ActiveState active
        # the first owner is gone without stopping it (a crash): the same name again
        out2=$(CTR_LOG_LEVEL=debug ctr-vm-scope-test stale -- sleep infinity 2>&1)
        echo "$out2"
        new=$(sed -n 's/^pid=//p' <<<"$out2")
        assert_contains "$out2" "Stopping stale ctr-stale.scope" "debug log"
        assert_contains "$out2" "cgroup=/machine.slice/ctr-stale.scope"
        wait_for 20 bash -c "! kill -0 $old 2>/dev/null"
        assert_eq "$(cat /sys/fs/cgroup/machine.slice/ctr-stale.scope/cgroup.procs)" "$new" "scope's processes"
        systemctl stop ctr-stale.scope
}

test_error_text_not_a_slice() {
        local err rc=0
        err=$(ctr-vm-scope-test --slice ctrtest.service badslice -- true 2>&1) || rc=$?
        echo "$err"
        assert_eq "$rc" 1 "exit status"
        assert_contains "$err" "error: Unit name 'ctrtest.service' is not a slice" "systemd's error text"
        assert_eq "$(unit_prop ctr-badslice.scope LoadState)" not-found "LoadState of the refused scope"
}

test_error_text_no_such_process() {
        local err rc=0
        err=$(ctr-vm-scope-test --pid 4194000 nopid 2>&1) || rc=$?
        echo "$err"
        assert_eq "$rc" 1 "exit status"
        # systemd's own words, which changed when PID references came (253): passed through either way
        if (($(systemd_version) < 253)); then
                assert_contains "$err" "error: Process with ID 4194000 does not exist" "systemd's error text"
        else
                assert_contains "$err" "error: Failed to set unit properties: No such process" "systemd's error text"
        fi
}

test_pids_without_pidfd() {
        local out
        out=$(CTR_LOG_LEVEL=debug ctr-vm-scope-test --no-pidfd nopidfd -- sleep infinity 2>&1)
        assert_contains "$out" "cgroup=/machine.slice/ctr-nopidfd.scope"
        assert_not_contains "$out" "PIDFDs" "debug log"
        systemctl stop ctr-nopidfd.scope
}

test_through_system_bus() {
        local out
        out=$(ctr-vm-scope-test --system-bus --tasks-max 5 --allowed-cpus 0-1 viabus -- sleep infinity)
        assert_contains "$out" "cgroup=/machine.slice/ctr-viabus.scope"
        assert_file_eq /sys/fs/cgroup/machine.slice/ctr-viabus.scope/pids.max 5
        assert_file_eq /sys/fs/cgroup/machine.slice/ctr-viabus.scope/cpuset.cpus 0-1
        systemctl stop ctr-viabus.scope
}

# A fork bomb in the scope hits TasksMax=: the kernel refuses the fork (pids.events counts it).
test_tasks_max_enforced() {
        local out
        out=$(ctr-vm-scope-test --wait --tasks-max 4 fork -- sh -c '
                cg=/sys/fs/cgroup/machine.slice/ctr-fork.scope
                sh -c "for i in 1 2 3 4 5 6 7 8; do sleep 60 </dev/null >/dev/null 2>&1 & done" 2>/dev/null
                read -r c <$cg/pids.current; read -r e n <$cg/pids.events
                echo "current=$c events=$e:$n"
                while read -r p; do [ "$p" = $$ ] || kill "$p"; done <$cg/cgroup.procs' 2>&1)
        echo "$out"
        local cur max
        cur=$(sed -n 's/.*current=\([0-9]*\).*/\1/p' <<<"$out")
        max=$(sed -n 's/.*events=max:\([0-9]*\).*/\1/p' <<<"$out")
        [[ -n $cur && $cur -le 4 && $cur -ge 2 ]] || fail "pids.current '$cur' with TasksMax=4"
        [[ -n $max && $max -ge 1 ]] || fail "pids.events max '$max': no fork was refused"
}

# MemoryMax= with MemorySwapMax=0: a workload that needs more is OOM-killed inside the scope, the host lives on.
test_memory_max_oom_kill() {
        local out rc=0
        out=$(ctr-vm-scope-test --wait --memory-max 33554432 --memory-swap-max 0 oomscope -- sh -c '
                cg=/sys/fs/cgroup/machine.slice/ctr-oomscope.scope
                head -c 200M /dev/zero | tail -c 100M >/dev/null
                echo "pipeline=$?"
                grep oom_kill $cg/memory.events' 2>&1) || rc=$?
        echo "$out"
        assert_contains "$out" "pipeline=137" "the memory hog's exit status (SIGKILL)"
        local kills
        kills=$(sed -n 's/^oom_kill \([0-9]*\)$/\1/p' <<<"$out")
        [[ -n $kills && $kills -ge 1 ]] || fail "memory.events oom_kill '$kills'"
        assert_eq "$rc" 0 "the shell in the scope survived"
}

# 20 scopes asked for at once: every start waits for its own job's JobRemoved, none mixes them up.
# vm-timeout: 240
test_twenty_at_once() {
        local i pids=() rc=0
        for i in $(seq 1 20); do
                ctr-vm-scope-test --tasks-max $((100 + i)) "many$i" -- sleep infinity >"many$i.out" 2>&1 &
                pids+=($!)
        done
        for i in "${pids[@]}"; do
                wait "$i" || rc=1
        done
        cat many*.out
        assert_eq "$rc" 0 "every ctr-vm-scope-test"
        for i in $(seq 1 20); do
                assert_contains "$(<"many$i.out")" "cgroup=/machine.slice/ctr-many$i.scope" "many$i"
                assert_file_eq "/sys/fs/cgroup/machine.slice/ctr-many$i.scope/pids.max" $((100 + i))
        done
        assert_eq "$(systemctl list-units --no-legend --state=active 'ctr-many*.scope' | wc -l)" 20 "active scopes"
        systemctl stop 'ctr-many*.scope'
        assert_eq "$(systemctl list-units --no-legend --all 'ctr-many*.scope' | wc -l)" 0 "scopes after stop"
        rm -f many*.out
}

test_bad_allowed_cpus() {
        local err rc=0
        err=$(ctr-vm-scope-test --allowed-cpus 3-1 badcpus -- true 2>&1) || rc=$?
        echo "$err"
        assert_eq "$rc" 1 "exit status"
        assert_contains "$err" "error: Invalid AllowedCPUs= '3-1'"
}

# MemoryMax=50% and TasksMax=10% arrive as MemoryMaxScale=/TasksMaxScale=; systemd turns them into bytes and
# a count of its own.
test_percentage_limits() {
        local out mem total half
        out=$(ctr-vm-scope-test --memory-max-scale 2147483648 --tasks-max-scale 429496730 pct -- sleep infinity)
        echo "$out"
        total=$(( $(sed -n 's/^MemTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo) * 1024 ))
        half=$((total / 2))
        mem=$(</sys/fs/cgroup/machine.slice/ctr-pct.scope/memory.max)
        echo "memory.max=$mem MemTotal=$total"
        [[ $mem =~ ^[0-9]+$ ]] || fail "memory.max '$mem' is not a number"
        (( mem > half - half / 20 && mem < half + half / 20 )) || fail "memory.max $mem is not ~50% of $total"
        local tasks
        tasks=$(</sys/fs/cgroup/machine.slice/ctr-pct.scope/pids.max)
        [[ $tasks =~ ^[0-9]+$ && $tasks -gt 0 ]] || fail "pids.max '$tasks' for TasksMax=10%"
        [[ $tasks != "$(systemctl show -P DefaultTasksMax)" ]] || fail "pids.max is the default, the scale was ignored"
        systemctl stop ctr-pct.scope
}
