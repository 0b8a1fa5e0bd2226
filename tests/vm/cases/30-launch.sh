# SPDX-License-Identifier: LGPL-2.1-or-later
# ctr-launch in the guest: --no-scope smoke tests of an Image=host container, then (once the launcher is
# built with scope.c) the whole path: systemctl start ctr@NAME → monitor in the service, workload in
# ctr-NAME.scope with its limits, output in the service's journal.

test_no_scope_runs_host_image() {
        need_launch
        write_ctr smoke 'Exec=/bin/sh -c "echo hello-$(hostname) uid=$(id -u) pid=$$; ls /dev | tr \"\\n\" \" \""'
        local out
        out=$(timeout 60 "$(ctr_launch)" --no-scope smoke 2>&1)
        echo "$out"
        assert_contains "$out" "hello-smoke uid=0 pid=1" "the workload's output (hostname, uid, PID 1)"
        assert_contains "$out" "null" "/dev in the container"
        assert_not_contains "$out" "nvme0n1" "/dev in the container"
}

test_no_scope_exit_status() {
        need_launch
        write_ctr exit7 'Exec=/bin/sh -c "exit 7"'
        local rc=0
        timeout 60 "$(ctr_launch)" --no-scope exit7 || rc=$?
        assert_eq "$rc" 7 "ctr-launch's exit status"
}

test_no_scope_invalid_file() {
        need_launch
        printf '[Container]\nImage=host\nAddCapability=CAP_BOGUS\n' >/etc/ctr/invalid.ctr
        local out rc=0
        out=$(timeout 60 "$(ctr_launch)" --no-scope invalid 2>&1) || rc=$?
        echo "$out"
        [[ $rc -ne 0 ]] || fail "ctr-launch started a rejected file"
        assert_contains "$out" "/etc/ctr/invalid.ctr:3:" "the parser's message"
}

test_service_start() {
        need_launch_scope
        # the workload is PID 1 of its namespace: without a handler SIGTERM would not stop it
        write_ctr svc 'Exec=/bin/sh -c "trap \"exit 0\" TERM; echo out-line; echo err-line >&2; sleep infinity & wait"' \
                MemoryMax=64M TasksMax=50 CPUWeight=40
        systemctl daemon-reload
        # Type=notify: active only once the monitor said READY=1 (bounded here, not by the unit's 90 s)
        systemctl start --no-block ctr@svc.service
        if ! wait_for 45 bash -c '[[ $(systemctl show -P ActiveState ctr@svc.service) != activating ]]' ||
           [[ $(unit_prop ctr@svc.service ActiveState) != active ]]; then
                systemctl status --no-pager ctr@svc.service ctr-svc.scope || true
                fail "ctr@svc.service did not become active (READY=1 from the monitor?)"
        fi
        assert_prop ctr@svc.service ActiveState active
        assert_prop ctr-svc.scope ActiveState active
}

test_service_scope_limits() {
        need_launch_scope
        local cg=/sys/fs/cgroup/machine.slice/ctr-svc.scope
        assert_file_eq $cg/memory.max 67108864
        assert_file_eq $cg/pids.max 50
        assert_file_eq $cg/cpu.weight 40
        assert_contains "$(unit_prop ctr-svc.scope BindsTo)" ctr@svc.service BindsTo
        assert_contains "$(unit_prop ctr-svc.scope Before)" ctr@svc.service Before
        # the workload is in the scope, the monitor in the service
        local procs
        procs=$(cat $cg/cgroup.procs)
        [[ -n $procs ]] || fail "no process in $cg"
        assert_contains "$(cat /proc/"$(unit_prop ctr@svc.service MainPID)"/cgroup)" "ctr@svc.service" "monitor's cgroup"
}

test_service_journal() {
        need_launch_scope
        wait_for 30 bash -c 'journalctl -u ctr@svc.service -o cat --no-pager | grep -q err-line'
        local out
        out=$(journalctl -u ctr@svc.service -o verbose --no-pager)
        assert_contains "$out" "MESSAGE=out-line" "journal of ctr@svc"
        assert_contains "$out" "CONTAINER_NAME=svc" "journal of ctr@svc"
        assert_contains "$out" "SYSLOG_IDENTIFIER=svc" "journal of ctr@svc"
        # stderr at error priority
        assert_contains "$(journalctl -u ctr@svc.service -p err -o cat --no-pager)" "err-line" "priority err"
}

test_service_stop() {
        need_launch_scope
        systemctl stop ctr@svc.service
        assert_prop ctr@svc.service ActiveState inactive
        wait_for 20 bash -c '[[ $(systemctl show -P LoadState ctr-svc.scope) == not-found ]]'
}
