# SPDX-License-Identifier: LGPL-2.1-or-later
# ctr@NAME.service end to end (issue 4's acceptance): the generator's drop-in, ctr-launch as the monitor in the
# service, the workload in ctr-NAME.scope. Every workload is PID 1 of its namespace, so each one that should
# stop on SIGTERM traps it. Skipped until ctr-launch is built with scope.c.

# The workload's loop: wait for TERM (the sleep runs in the background so the trap fires at once).
idle='trap \"exit 0\" TERM; sleep infinity & wait'

test_files_and_reload() {
        need_launch_scope
        mkdir -p /etc/ctr /usr/lib/ctr /var/lib/ctrtest /run/ctrtest-go
        rm -f /var/lib/ctrtest/*
        write_ctr term "Exec=/bin/sh -c \"$idle\""
        write_ctr stubborn 'Exec=/bin/sh -c "trap \"\" TERM; sleep infinity & while :; do wait; done"' \
                StopTimeoutSec=2
        write_ctr kill9 "Exec=/bin/sh -c \"$idle\""
        write_ctr restart 'Volume=/var/lib/ctrtest:/state' \
                "Exec=/bin/sh -c \"n=\$(cat /state/restart 2>/dev/null || echo 0); echo \$((n + 1)) >/state/restart; [ \$n -ge 1 ] || exit 3; $idle\""
        printf '[Service]\nRestart=on-failure\nRestartSec=100ms\n' >>/etc/ctr/restart.ctr
        write_ctr notify Notify=yes 'Volume=/run/ctrtest-go:/go' \
                "Exec=/bin/sh -c \"while [ ! -e /go/now ]; do sleep 0.2; done; systemd-notify --ready; $idle\""
        write_ctr reload ReloadSignal=SIGUSR1 'Volume=/var/lib/ctrtest:/state' \
                "Exec=/bin/sh -c \"trap 'echo reloaded >/state/reload' USR1; $idle; while :; do wait; done\""
        # sort holds its one endless line in memory: the init itself is OOM-killed (systemd 252 has no
        # OOMPolicy= for scopes, so a killed helper process would leave the workload running)
        write_ctr hog MemoryMax=32M MemorySwapMax=0 'Exec=/usr/bin/sort /dev/zero'
        printf '[Container]\nImage=host\nAddCapability=CAP_BOGUS\n' >/etc/ctr/broken.ctr
        printf '[Container]\nImage=host\n' >/usr/lib/ctr/gone.ctr
        ln -sf /dev/null /etc/ctr/gone.ctr
        write_ctr first "Exec=/bin/sh -c \"$idle\""
        write_ctr second "Exec=/bin/sh -c \"$idle\""
        printf '[Unit]\nWants=ctr@first.service\nAfter=ctr@first.service\n' >>/etc/ctr/second.ctr
        local i
        for i in $(seq 1 20); do
                write_ctr "fleet$i" "Exec=/bin/sh -c \"$idle\"" TasksMax=16
        done
        systemctl daemon-reload
        [[ -f /run/systemd/generator/ctr@fleet20.service.d/50-ctr.conf ]] || fail "the generator did not run"
}

test_stop_handled_sigterm() {
        need_launch_scope
        start_ctr term
        local init
        init=$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-term.scope/cgroup.procs)
        systemctl stop ctr@term.service
        assert_props ctr@term.service ActiveState=inactive Result=success
        pid_alive "$init" && fail "the container init $init survived the stop"
        assert_prop ctr-term.scope LoadState not-found
}

test_stop_ignored_sigterm_killed_after_timeout() {
        need_launch_scope
        start_ctr stubborn
        local init
        init=$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-stubborn.scope/cgroup.procs)
        systemctl stop ctr@stubborn.service
        pid_alive "$init" && fail "the container init $init survived the stop"
        # a stop systemd asked for is not a failure, even when the workload had to be killed
        assert_props ctr@stubborn.service ActiveState=inactive Result=success
        assert_prop ctr-stubborn.scope LoadState not-found
}

test_monitor_sigkill_leaves_nothing() {
        need_launch_scope
        start_ctr kill9
        local mon procs p
        mon=$(unit_prop ctr@kill9.service MainPID)
        procs=$(cat /sys/fs/cgroup/machine.slice/ctr-kill9.scope/cgroup.procs)
        kill -9 "$mon"
        wait_for 30 bash -c '[[ $(systemctl show -P LoadState ctr-kill9.scope) == not-found ]]'
        for p in $procs; do
                wait_for 10 bash -c "! kill -0 $p 2>/dev/null"
        done
        systemctl reset-failed ctr@kill9.service 2>/dev/null || true
}

# The monitor asked for the scope over the bus and opened the journal streams with libsystemd, then unloaded
# it once the workload ran (issue 18: ~130 KiB of relocated data per monitor): none of libsystemd or its
# libraries is mapped while the container runs, and what it sent without them (READY=1, STATUS=) arrived.
test_monitor_holds_no_libsystemd() {
        need_launch_scope
        # the loader's log of what the launcher and its children load: each line carries the PID that wrote it,
        # and a forked child writes to its parent's file (/run/ctrtest-ld.PID)
        local d=/run/systemd/system/ctr@term.service.d
        mkdir -p "$d"
        printf '[Service]\nEnvironment=LD_DEBUG=files LD_DEBUG_OUTPUT=/run/ctrtest-ld\n' >"$d/90-ld-debug.conf"
        rm -f /run/ctrtest-ld.*
        systemctl daemon-reload
        start_ctr term
        local mon
        mon=$(unit_prop ctr@term.service MainPID)
        [[ -r /proc/$mon/maps ]] || fail "no monitor process ($mon)"
        if grep -E 'libsystemd|libgcrypt|libgpg-error|liblz4|liblzma|libzstd' "/proc/$mon/maps"; then
                fail "the running monitor $mon still maps libsystemd or its libraries"
        fi
        # never loaded, not only unloaded: systemd 257's libsystemd is NODELETE and would stay mapped. The scope
        # was asked for by a child of the monitor, which loaded it and ended.
        grep -q 'file=libc.so.6' "/run/ctrtest-ld.$mon" || fail "no loader log of the monitor $mon"
        if grep -E "^ *$mon:.*file=libsystemd" "/run/ctrtest-ld.$mon"; then
                fail "the monitor $mon loaded libsystemd itself"
        fi
        grep -qE "^ *[0-9]+:.*file=libsystemd" "/run/ctrtest-ld.$mon" ||
                fail "no child of the monitor $mon loaded libsystemd for the scope"
        rm -rf "$d" /run/ctrtest-ld.*
        systemctl daemon-reload
        assert_prop ctr@term.service StatusText "Container term running."
        systemctl stop ctr@term.service
        assert_props ctr@term.service ActiveState=inactive Result=success
}

# ctr-launch(8): 127 when libsystemd cannot be loaded, also now that a child of the monitor loads it for the scope
test_libsystemd_unloadable_exits_127() {
        need_launch_scope
        local d=/run/systemd/system/ctr@term.service.d lib=/run/ctrtest-nolib
        mkdir -p "$d" "$lib"
        : >"$lib/libsystemd.so.0"
        printf '[Service]\nEnvironment=LD_LIBRARY_PATH=%s\n' "$lib" >"$d/90-no-libsystemd.conf"
        systemctl daemon-reload
        if timeout 90 systemctl start ctr@term.service; then
                rm -rf "$d" "$lib"
                fail "ctr@term started with an unloadable libsystemd"
        fi
        local status
        status=$(unit_prop ctr@term.service ExecMainStatus)
        rm -rf "$d" "$lib"
        systemctl daemon-reload
        systemctl reset-failed ctr@term.service ctr-term.scope 2>/dev/null || true
        assert_eq "$status" 127 "the launcher's exit status"
}

test_restart_on_failure() {
        need_launch_scope
        systemctl start --no-block ctr@restart.service
        wait_for 60 bash -c '[[ $(systemctl show -P NRestarts ctr@restart.service) -ge 1 &&
                              $(systemctl show -P ActiveState ctr@restart.service) == active ]]'
        assert_prop ctr@restart.service NRestarts 1
        assert_file_eq /var/lib/ctrtest/restart 2
        systemctl stop ctr@restart.service
}

test_notify_waits_for_ready() {
        need_launch_scope
        rm -f /run/ctrtest-go/now
        systemctl start --no-block ctr@notify.service
        # the workload runs (its init sits in the scope) but has not said READY=1: still activating
        # (cgroup files report size 0: read them, don't stat them)
        wait_for 60 grep -q . /sys/fs/cgroup/machine.slice/ctr-notify.scope/cgroup.procs
        assert_prop ctr@notify.service ActiveState activating
        touch /run/ctrtest-go/now
        wait_for 60 bash -c '[[ $(systemctl show -P ActiveState ctr@notify.service) == active ]]'
        systemctl stop ctr@notify.service
}

test_reload_delivers_reload_signal() {
        need_launch_scope
        rm -f /var/lib/ctrtest/reload
        start_ctr reload
        systemctl reload ctr@reload.service
        wait_for 30 test -s /var/lib/ctrtest/reload
        assert_file_eq /var/lib/ctrtest/reload reloaded
        systemctl stop ctr@reload.service
}

test_oom_kill_fails_and_says_why() {
        need_launch_scope
        systemctl start --no-block ctr@hog.service
        wait_for 60 bash -c '[[ $(systemctl show -P ActiveState ctr@hog.service) == failed ]]'
        local log
        log=$(journalctl -u ctr@hog.service -o cat --no-pager)
        echo "$log"
        # (the name "hog" keeps systemd's own "ctr@NAME.service: …" lines from matching)
        grep -qiE 'oom|out of memory' <<<"$log" || fail "the service's journal does not say it was an OOM kill"
        systemctl reset-failed ctr@hog.service 2>/dev/null || true
}

test_invalid_file_fails_start_with_file_line() {
        need_launch_scope
        systemctl start ctr@broken.service && fail "ctr@broken started"
        local status
        status=$(systemctl status --no-pager -n 20 ctr@broken.service || true)
        echo "$status"
        assert_contains "$status" "/etc/ctr/broken.ctr:3:" "systemctl status"
        systemctl reset-failed ctr@broken.service 2>/dev/null || true
}

test_masked_file_does_not_start() {
        need_launch_scope
        systemctl start ctr@gone.service && fail "ctr@gone started though /etc/ctr/gone.ctr masks it"
        assert_prop ctr-gone.scope LoadState not-found
        systemctl reset-failed ctr@gone.service 2>/dev/null || true
}

test_after_orders_two_containers() {
        need_launch_scope
        start_ctr second
        assert_prop ctr@first.service ActiveState active
        local a b
        a=$(unit_prop ctr@first.service ActiveEnterTimestampMonotonic)
        b=$(unit_prop ctr@second.service ActiveEnterTimestampMonotonic)
        (( a > 0 && a <= b )) || fail "ctr@first became active at $a, after ctr@second at $b"
        systemctl stop ctr@second.service ctr@first.service
}

# vm-timeout: 240
test_twenty_containers_at_once() {
        need_launch_scope
        local units=() i
        for i in $(seq 1 20); do
                units+=("ctr@fleet$i.service")
        done
        timeout 240 systemctl start "${units[@]}"
        assert_eq "$(systemctl list-units --no-legend --state=active 'ctr@fleet*.service' | wc -l)" 20 "active services"
        assert_eq "$(systemctl list-units --no-legend --state=active 'ctr-fleet*.scope' | wc -l)" 20 "active scopes"
        timeout 240 systemctl stop "${units[@]}"
        assert_eq "$(systemctl list-units --no-legend --all 'ctr-fleet*.scope' | wc -l)" 0 "scopes after stop"
}

# At most 4 launchers talk to systemd at once (parent.c's slots, lock files in /run/ctr/.bus-slots): systemd
# sends every signal to every connection on its private socket, and 1,000 launchers connected at once made
# that N² messages, under which it dropped connections. With the 4 slots held here, a start waits for one
# before it connects (the kernel lists the launcher's lock request as blocked), and goes on once one is free.
# vm-timeout: 180
test_launcher_waits_for_a_bus_slot() {
        need_launch_scope
        local d=/run/ctr/.bus-slots i holders=() mon
        mkdir -p "$d"
        for i in 0 1 2 3; do
                bash -c 'exec 9>"$1"; flock 9; exec sleep infinity' slot "$d/$i" &
                holders+=($!)
        done
        wait_for 30 bash -c "for i in 0 1 2 3; do ! flock -n $d/\$i true || exit 1; done" ||
                fail "the test could not hold the 4 slots"
        systemctl start --no-block ctr@fleet1.service
        wait_for 60 bash -c '[[ $(systemctl show -P MainPID ctr@fleet1.service) -gt 0 ]]' || fail "no launcher"
        mon=$(systemctl show -P MainPID ctr@fleet1.service)
        # the scope is asked for by a child of the monitor (parent.c: place_in_scope_apart()): it waits
        wait_for 60 bash -c "for p in \$(pgrep -P $mon); do grep -qE -- \"-> FLOCK +ADVISORY +WRITE +\$p \" /proc/locks && exit 0; done; exit 1" ||
                { cat /proc/locks; kill "${holders[@]}"; fail "no child of the launcher ($mon) is waiting for a slot"; }
        assert_prop ctr-fleet1.scope ActiveState inactive
        assert_prop ctr@fleet1.service ActiveState activating
        kill "${holders[@]}"
        wait_for 90 systemctl -q is-active ctr@fleet1.service || fail "ctr@fleet1 did not start once a slot was free"
        assert_prop ctr-fleet1.scope ActiveState active
        systemctl stop ctr@fleet1.service
}

# systemd dropped a few launchers' connections under a burst of 1,000 starts (bench/apply: ENOTCONN). The
# launcher connects again and asks whether its scope was started: when systemd had taken the request, the
# scope holds the container and the start goes on (stopping it as "stale" would kill the container); when it
# had not, the start is asked again. ctr-vm-bus-drop.so breaks the connection once, after the request and
# before it. The workload counts its starts in a volume: exactly one each.
bus_drop_case() {   # NAME MODE EXPECTED-LOG-LINE
        local name=$1 mode=$2 path=$3 inv
        mkdir -p "/var/lib/ctrtest-$name"
        rm -f "/var/lib/ctrtest-$name/starts"
        write_ctr "$name" "Volume=/var/lib/ctrtest-$name:/state" \
                "Exec=/bin/sh -c \"echo x >>/state/starts; $idle\""
        printf '[Service]\nEnvironment=LD_PRELOAD=%s CTR_TEST_BUS_DROP=%s\n' \
                "$CTR_VM_PAYLOAD/bin/ctr-vm-bus-drop.so" "$mode" >>"/etc/ctr/$name.ctr"
        systemctl daemon-reload
        start_ctr "$name"
        inv=$(unit_prop "ctr@$name.service" InvocationID)
        wait_for 30 bash -c "journalctl -q -o cat _SYSTEMD_INVOCATION_ID=$inv | grep -q 'Lost the connection to systemd'" ||
                { journalctl -q -o cat "_SYSTEMD_INVOCATION_ID=$inv" >&2; fail "the launcher did not lose its connection: the fault was not injected"; }
        journalctl -q -o cat "_SYSTEMD_INVOCATION_ID=$inv" | grep -q "$path" ||
                { journalctl -q -o cat "_SYSTEMD_INVOCATION_ID=$inv" >&2; fail "the launcher did not say: $path"; }
        assert_props "ctr@$name.service" ActiveState=active NRestarts=0
        assert_prop "ctr-$name.scope" ActiveState active
        grep -q . "/sys/fs/cgroup/machine.slice/ctr-$name.scope/cgroup.procs" || fail "ctr-$name.scope holds nothing"
        sleep 1
        assert_eq "$(wc -l <"/var/lib/ctrtest-$name/starts")" 1 "workload starts"
        systemctl stop "ctr@$name.service"
        rm -f "/etc/ctr/$name.ctr"
        rm -rf "/var/lib/ctrtest-$name"
}

# vm-timeout: 120
test_lost_connection_after_the_scope_request() {
        need_launch_scope
        bus_drop_case dropafter after 'systemd had started the scope'
}

# vm-timeout: 120
test_lost_connection_before_the_scope_request() {
        need_launch_scope
        bus_drop_case dropbefore before 'connecting again'
}
