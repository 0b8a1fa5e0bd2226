# SPDX-License-Identifier: LGPL-2.1-or-later
# ctrctl in the guest, against systemd as PID 1: list/status/start/stop/enable over sd-bus, logs from the
# journal, exec into a running container (namespaces, cgroup, capabilities, seccomp, pty), run --rm and
# --detach, stats. The cases share one set of containers and run in order:
#   ctlweb    long-running; prints "ctlweb-started", and "usr1 MARKER" on SIGUSR1 (MARKER from a shared volume)
#   ctlidle   defined, never started (stopped)
#   ctlcrash  exits 3 right away (failed)
#   ctlbroken an invalid .ctr (the start fails with the parser's message)
# Cases that need the launcher's systemd integration (ctr-launch built with scope.c) skip until it is there.

ctl_need() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
}

# ctr-launch built with src/launch/scope.c (it names the D-Bus method it calls)
ctl_need_scope() {
        ctl_need
        local l
        l=$(ctr_launch) || skip "ctr-launch is not in the installed tree"
        grep -q StartTransientUnit "$l" ||
                skip "ctr-launch is built without scope.c (systemd integration not landed): ctr@NAME cannot start"
}

# ctlweb runs and its workload has set its traps (it printed ctlweb-started after them)
ctl_need_web() {
        ctl_need_scope
        if [[ $(unit_prop ctr@ctlweb.service ActiveState) != active ]]; then
                echo "(re)starting ctlweb for this case"
                ctl_start_web_and_wait ctrctl start ctlweb
        fi
        wait_for 20 test -f /run/ctr/ctlweb/state
}

ctl_web_started() {
        ctrctl logs -o cat ctlweb 2>/dev/null | grep -c '^ctlweb-started$' || true
}

ctl_start_web_and_wait() {      # COMMAND…: starts ctlweb, waits until this start's workload printed ctlweb-started
        local n0
        n0=$(ctl_web_started)
        "$@"
        wait_for 30 bash -c "[[ \$(ctrctl logs -o cat ctlweb | grep -c '^ctlweb-started\$') -gt $n0 ]]" ||
                fail "ctlweb's workload did not print ctlweb-started after: $*"
}

ctl_init_pid() {        # NAME: the container's PID 1 on the host, from its runtime state
        sed -n 's/^INIT_PID=//p' "/run/ctr/$1/state"
}

# A JSON validator in Perl (perl-base is in every Debian): RFC 8259's grammar as recursive regexes.
json_valid() {
        perl -0777 -ne 'exit(/\A\s*(?&v)\s*\z
                (?(DEFINE)
                  (?<v>\s*(?:(?&o)|(?&a)|(?&s)|(?&n)|true|false|null)\s*)
                  (?<o>\{\s*(?:(?&s)\s*:(?&v)(?:,\s*(?&s)\s*:(?&v))*)?\s*\})
                  (?<a>\[\s*(?:(?&v)(?:,(?&v))*)?\s*\])
                  (?<s>"(?:[^"\\\x00-\x1f]|\\(?:["\\\/bfnrt]|u[0-9a-fA-F]{4}))*")
                  (?<n>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?))/x ? 0 : 1)'
}

# the object of container NAME in a "list --json" array (one object per line)
json_object() {         # NAME < JSON
        grep -F "{\"name\":\"$1\","
}

json_field() {          # KEY < one JSON object: the raw value (string without quotes)
        sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p" | tr -d '"'
}

test_setup() {
        ctl_need
        mkdir -p /var/lib/ctrctl-test
        echo initial >/var/lib/ctrctl-test/marker
        write_ctr ctlweb \
                'Exec=/bin/sh -c "trap \"exit 0\" TERM; trap \x27echo usr1 $(cat /shared/marker)\x27 USR1; echo ctlweb-started; while :; do sleep 1 & wait; done"' \
                'Volume=/var/lib/ctrctl-test:/shared:ro' 'Tmpfs=/scratch' MemoryMax=64M TasksMax=50 CPUWeight=40
        write_ctr ctlidle 'Exec=/bin/sleep infinity'
        write_ctr ctlcrash 'Exec=/bin/sh -c "echo crashing; exit 3"'
        write_ctr ctlbroken 'Network=wifi'
        systemctl daemon-reload
        ctrctl validate ctlweb ctlidle ctlcrash
        local out rc=0
        out=$(ctrctl validate ctlbroken 2>&1) || rc=$?
        assert_eq "$rc" 1 "validate ctlbroken"
        assert_contains "$out" "/etc/ctr/ctlbroken.ctr:3: error:" "validate ctlbroken"
}

test_help_every_verb() {
        ctl_need
        local v
        for v in list status start stop restart reload enable disable logs exec shell top stats inspect run validate cat; do
                ctrctl "$v" --help | grep -q "^ctrctl $v" || fail "ctrctl $v --help"
        done
        local rc=0
        ctrctl status 2>/dev/null || rc=$?
        assert_eq "$rc" 2 "exit status of a usage error"
}

test_start_web() {
        ctl_need_scope
        local rc=0 n0
        n0=$(ctl_web_started)
        timeout 50 ctrctl start ctlweb || rc=$?
        assert_eq "$rc" 0 "ctrctl start ctlweb"
        # returned only when the job finished: the state is final right away, no waiting
        assert_prop ctr@ctlweb.service ActiveState active
        assert_prop ctr-ctlweb.scope ActiveState active
        wait_for 20 test -f /run/ctr/ctlweb/state
        wait_for 30 bash -c "[[ \$(ctrctl logs -o cat ctlweb | grep -c '^ctlweb-started\$') -gt $n0 ]]"
}

test_list_running() {
        ctl_need_web
        local json obj
        json=$(ctrctl list --json)
        echo "$json"
        obj=$(json_object ctlweb <<<"$json")
        assert_eq "$(json_field active_state <<<"$obj")" active "ctlweb active_state"
        assert_eq "$(json_field sub_state <<<"$obj")" running "ctlweb sub_state"
        assert_eq "$(json_field main_pid <<<"$obj")" "$(unit_prop ctr@ctlweb.service MainPID)" "ctlweb main_pid"
        [[ $(json_field memory_bytes <<<"$obj") =~ ^[0-9]+$ ]] || fail "ctlweb memory_bytes is not a number: $obj"
        assert_eq "$(json_field image <<<"$obj")" host "ctlweb image"
        [[ $(json_field tasks <<<"$obj") =~ ^[1-9]$ ]] || fail "ctlweb tasks is not a count: $obj"
        [[ $(json_field cpu_usage_nsec <<<"$obj") =~ ^[0-9]+$ ]] || fail "ctlweb cpu_usage_nsec is not a number: $obj"
        [[ $(json_field uptime_usec <<<"$obj") =~ ^[0-9]+$ ]] || fail "ctlweb uptime_usec is not a number: $obj"
        assert_eq "$(json_field result <<<"$obj")" success "ctlweb result"
        # the scope's own count: its shell and at most its sleep (the service's monitor is not in it)
        (( $(json_field tasks <<<"$obj") <= 2 )) || fail "ctlweb tasks is more than its shell and sleep: $obj"
        local table
        table=$(ctrctl list --no-pager)
        echo "$table"
        [[ $table =~ (^|$'\n')ctlweb\ +active\ +running\ +[0-9]+ ]] || fail "table row of ctlweb"
        assert_contains "$table" "/etc/ctr/ctlweb.ctr" "table"
}

# With 1,000 running, a call to systemd per container made list take 20 s (bench/README.md "density"): a
# running container's row comes from its runtime state and its scope's cgroup files. Every message ctrctl
# sends is logged (ctr-vm-bus-log.so): the units are listed, but nothing is asked of ctlweb's service or
# scope (their object paths never appear). stats likewise.
test_list_stats_no_call_per_running() {
        ctl_need_web
        local log=/tmp/ctl-bus.log out
        rm -f "$log"
        out=$(CTR_TEST_BUS_LOG=$log LD_PRELOAD=$CTR_VM_PAYLOAD/bin/ctr-vm-bus-log.so ctrctl list --json)
        assert_eq "$(json_object ctlweb <<<"$out" | json_field active_state)" active "ctlweb active_state"
        grep -aq ListUnitsByPatterns "$log" || fail "the bus log has no ListUnitsByPatterns: is the module loaded?"
        ! grep -aqE 'ctr_40ctlweb_2eservice|ctr_2dctlweb_2escope' "$log" || fail "list asked systemd about ctlweb"
        rm -f "$log"
        out=$(CTR_TEST_BUS_LOG=$log LD_PRELOAD=$CTR_VM_PAYLOAD/bin/ctr-vm-bus-log.so \
              ctrctl stats --json --interval 0.2s ctlweb)
        [[ $(json_object ctlweb <<<"$out" | json_field memory_bytes) =~ ^[0-9]+$ ]] || fail "stats of ctlweb: $out"
        assert_eq "$(json_object ctlweb <<<"$out" | json_field cgroup)" /machine.slice/ctr-ctlweb.scope "stats cgroup"
        grep -aq ListUnitsByPatterns "$log" || fail "stats did not list the units"
        ! grep -aqE 'ctr_40ctlweb_2eservice|ctr_2dctlweb_2escope' "$log" || fail "stats asked systemd about ctlweb"
        rm -f "$log"
}

test_list_stopped_and_failed() {
        ctl_need_scope
        systemctl start --no-block ctr@ctlcrash.service
        wait_for 30 bash -c '[[ $(systemctl show -P ActiveState ctr@ctlcrash.service) == failed ]]'
        local json
        json=$(ctrctl list --json)
        assert_eq "$(json_object ctlidle <<<"$json" | json_field active_state)" inactive "ctlidle active_state"
        assert_eq "$(json_object ctlidle <<<"$json" | json_field sub_state)" dead "ctlidle sub_state"
        assert_eq "$(json_object ctlcrash <<<"$json" | json_field active_state)" failed "ctlcrash active_state"
        assert_eq "$(json_object ctlcrash <<<"$json" | json_field result)" exit-code "ctlcrash result"
        assert_eq "$(json_object ctlbroken <<<"$json" | json_field valid)" false "ctlbroken valid"
        ctrctl list | grep -E '^ctlcrash +failed' || fail "ctlcrash is not shown as failed in the table"
}

test_list_json_valid() {
        ctl_need
        local f=/tmp/ctrctl-list.json
        ctrctl list --all --json >$f
        json_valid <$f || { cat $f; fail "list --json is not valid JSON"; }
        # the validator can fail: a ctlbroken document is refused
        printf '[{"a":1,}]' | json_valid && fail "the JSON validator accepts a trailing comma"
        ctrctl inspect --json ctlweb ctlidle >$f
        json_valid <$f || { cat $f; fail "inspect --json is not valid JSON"; }
        echo "ok: list --json and inspect --json are valid JSON"
}

test_status_limits() {
        ctl_need_web
        local out rc=0
        out=$(ctrctl status --no-pager ctlweb) || rc=$?
        echo "$out"
        assert_eq "$rc" 0 "status of a running container"
        assert_contains "$out" "Active: active (running)" status
        [[ $out =~ Memory:\ [0-9.]+[BKMG]\ \(limit:\ 64.0M\;\ MemoryMax=64.0M\) ]] || fail "memory line (current vs. limit)"
        [[ $out =~ Tasks:\ [0-9]+\ \(limit:\ 50\;\ TasksMax=50\) ]] || fail "tasks line"
        assert_contains "$out" "CPUWeight=40" status
        assert_contains "$out" "/var/lib/ctrctl-test → /shared (ro)" "volumes"
        # the scope's process tree, then the journal
        assert_contains "$out" "CGroup: /machine.slice/ctr-ctlweb.scope" status
        assert_contains "$out" "while :; do sleep 1" "process tree"
        assert_contains "$out" "ctlweb-started" "journal lines"
}

test_status_exit_codes() {
        ctl_need
        local rc=0
        ctrctl status --no-pager ctlidle >/dev/null || rc=$?
        assert_eq "$rc" 3 "status of a stopped container"
        rc=0
        ctrctl status --no-pager no-such-container >/dev/null 2>&1 || rc=$?
        assert_eq "$rc" 4 "status of a missing container"
}

test_stop_start_like_systemctl() {
        ctl_need_web
        local a b
        ctrctl stop ctlweb
        a=$(systemctl show -p ActiveState -p SubState -p Result ctr@ctlweb.service)
        [[ $(unit_prop ctr-ctlweb.scope ActiveState) != active ]] || fail "the scope outlived ctrctl stop"
        [[ ! -e /run/ctr/ctlweb/state ]] || fail "runtime state left after ctrctl stop"
        ctl_start_web_and_wait systemctl start ctr@ctlweb.service
        systemctl stop ctr@ctlweb.service
        b=$(systemctl show -p ActiveState -p SubState -p Result ctr@ctlweb.service)
        assert_eq "$a" "$b" "state after ctrctl stop vs. systemctl stop"
        assert_contains "$a" "ActiveState=inactive" "after stop"

        ctl_start_web_and_wait ctrctl start ctlweb
        a=$(systemctl show -p ActiveState -p SubState ctr@ctlweb.service)
        systemctl stop ctr@ctlweb.service
        ctl_start_web_and_wait systemctl start ctr@ctlweb.service
        b=$(systemctl show -p ActiveState -p SubState ctr@ctlweb.service)
        assert_eq "$a" "$b" "state after ctrctl start vs. systemctl start"
        assert_contains "$a" "ActiveState=active" "after start"
        wait_for 20 test -f /run/ctr/ctlweb/state
}

test_restart() {
        ctl_need_web
        local before after
        before=$(unit_prop ctr@ctlweb.service MainPID)
        ctl_start_web_and_wait ctrctl restart ctlweb
        after=$(unit_prop ctr@ctlweb.service MainPID)
        assert_prop ctr@ctlweb.service ActiveState active
        [[ $before != "$after" && $after != 0 ]] || fail "MainPID did not change: $before → $after"
        wait_for 20 test -f /run/ctr/ctlweb/state
}

test_start_failure_message() {
        ctl_need_scope
        local out rc=0
        out=$(ctrctl start ctlbroken 2>&1) || rc=$?
        echo "$out"
        # the local check refuses an invalid file before asking systemd
        [[ $rc -ne 0 ]] || fail "ctrctl start of an invalid container succeeded"
        assert_contains "$out" "/etc/ctr/ctlbroken.ctr:3:" "the parser's message"
        rc=0
        out=$(ctrctl start ctlcrash 2>&1) || rc=$?
        echo "rc=$rc $out"
        # ctlcrash exits right after it started: the job may finish before (done) or after the exit (failed)
        if [[ $rc -ne 0 ]]; then
                assert_contains "$out" "Job for ctr@ctlcrash.service" "systemd's words"
                assert_contains "$out" "See 'ctrctl status ctlcrash'" "the hint"
        fi
        rc=0
        ctrctl start no-such-container 2>/dev/null || rc=$?
        assert_eq "$rc" 4 "start of a missing container"
}

test_enable_disable() {
        ctl_need_scope
        local link=/etc/systemd/system/multi-user.target.wants/ctr@ctlidle.service out
        out=$(ctrctl enable ctlidle)
        echo "$out"
        assert_contains "$out" "Created symlink" "enable's output"
        [[ -L $link ]] || fail "$link missing after enable"
        assert_eq "$(systemctl is-enabled ctr@ctlidle.service)" enabled "is-enabled"
        ctrctl disable ctlidle
        [[ ! -e $link ]] || fail "$link left after disable"
        [[ $(systemctl is-enabled ctr@ctlidle.service || true) != enabled ]] || fail "still enabled"
}

test_logs() {
        ctl_need_web
        local out
        out=$(ctrctl logs --no-pager ctlweb)
        assert_contains "$out" "ctlweb-started" "logs"
        assert_contains "$out" " ctlweb[" "identifier"
        out=$(ctrctl logs -n 1 -o cat ctlweb)
        assert_eq "$(wc -l <<<"$out")" 1 "logs -n 1 lines"
        ctrctl logs -n 3 -o json ctlweb >/tmp/ctrctl-logs.json
        local line
        while IFS= read -r line; do
                json_valid <<<"$line" || fail "not JSON: $line"
                # the container's own lines, or PID 1's about its units
                [[ $line == *'"_SYSTEMD_UNIT":"ctr@ctlweb.service"'* || $line == *'"_SYSTEMD_UNIT":"ctr-ctlweb.scope"'* ||
                   $line == *'"UNIT":"ctr@ctlweb.service"'* || $line == *'"UNIT":"ctr-ctlweb.scope"'* ]] ||
                        fail "an entry of another unit: $line"
                assert_contains "$line" '"MESSAGE":' "json entry"
        done </tmp/ctrctl-logs.json
        out=$(ctrctl logs --since -1h -o cat ctlweb)
        assert_contains "$out" "ctlweb-started" "logs --since -1h"
}

test_logs_follow() {
        ctl_need_web
        local marker=m$RANDOM$RANDOM out=/tmp/ctrctl-follow.out pid
        ctrctl logs -f -o cat ctlweb >$out 2>&1 &
        pid=$!
        # it has shown the past lines: it is following now
        wait_for 20 grep -q ctlweb-started $out || { kill $pid; fail "logs -f showed nothing"; }
        echo "$marker" >/var/lib/ctrctl-test/marker
        kill -USR1 "$(ctl_init_pid ctlweb)"
        wait_for 30 grep -q "usr1 $marker" $out || { kill $pid; cat $out; fail "logs -f did not show the new line"; }
        echo "ok: logs -f showed 'usr1 $marker'"
        # across a restart: the same logs -f shows the new instance's first line (a new monitor, new PIDs)
        local n0
        n0=$(grep -c '^ctlweb-started' $out || true)
        timeout 50 ctrctl restart ctlweb
        wait_for 30 bash -c "[[ \$(grep -c '^ctlweb-started' $out) -gt $n0 ]]" ||
                { kill $pid; cat $out; fail "logs -f did not follow across the restart"; }
        kill -0 $pid || fail "logs -f ended at the restart"
        kill $pid
        wait $pid || true
}

test_exec_hostname() {
        ctl_need_web
        assert_eq "$(ctrctl exec ctlweb -- hostname)" ctlweb "hostname in the container"
}

test_exec_sees_only_container_processes() {
        ctl_need_web
        local out init
        out=$(ctrctl exec ctlweb -- ps -eo pid=,args=)
        echo "$out"
        init=$(awk '$1 == 1' <<<"$out")
        assert_contains "$init" "while :; do sleep 1" "PID 1 is the workload"
        [[ $(wc -l <<<"$out") -le 6 ]] || fail "more processes than the container's"
        assert_not_contains "$out" "systemd" "processes"
        assert_not_contains "$out" "ctr-launch" "processes"
}

test_exec_joins_cgroup() {
        ctl_need_web
        # the root of its cgroup namespace, i.e. the scope (joined before the namespace)
        assert_eq "$(ctrctl exec ctlweb -- cat /proc/self/cgroup)" "0::/" "/proc/self/cgroup in the container"
        # a process exec leaves behind is in the scope, under its limits
        ctrctl exec ctlweb -- sh -c 'sleep 57 >/dev/null 2>&1 </dev/null &'
        local p found=
        for p in $(cat /sys/fs/cgroup/machine.slice/ctr-ctlweb.scope/cgroup.procs); do
                [[ $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null) == "sleep 57 " ]] && found=$p
        done
        [[ -n $found ]] || fail "the process started by exec is not in ctr-ctlweb.scope"
        kill "$found"
}

test_exec_no_more_privilege() {
        ctl_need_web
        local init want got
        init=$(ctl_init_pid ctlweb)
        want=$(grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/$init/status)
        got=$(ctrctl exec ctlweb -- grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp|Seccomp_filters):' /proc/self/status)
        echo "$got"
        assert_eq "$got" "$want" "capabilities, no_new_privs and seccomp of exec vs. the workload"
        # -u does not widen the bounding set either
        got=$(ctrctl exec -u 65534 ctlweb -- grep -E '^CapBnd:' /proc/self/status)
        assert_eq "$got" "$(grep -E '^CapBnd:' /proc/$init/status)" "CapBnd with -u"
}

test_exec_cannot_escape_seccomp() {
        ctl_need_web
        # keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING): allowed on the host, refused by the filter
        local probe='$r = syscall(250, 0, -3, 0); print $r < 0 ? "refused errno=" . ($!+0) : "allowed", "\n"'
        assert_eq "$(perl -e "$probe")" allowed "keyctl on the host"
        assert_eq "$(ctrctl exec ctlweb -- perl -e "$probe")" "refused errno=1" "keyctl in exec"
}

test_exec_exit_status() {
        ctl_need_web
        local rc=0
        ctrctl exec ctlweb -- sh -c 'exit 7' || rc=$?
        assert_eq "$rc" 7 "exit status of exec"
        rc=0
        ctrctl exec ctlweb -- no-such-command 2>/dev/null || rc=$?
        assert_eq "$rc" 127 "exit status of a missing command"
        rc=0
        ctrctl exec ctlidle -- true 2>/dev/null || rc=$?
        assert_eq "$rc" 3 "exec into a stopped container"
}

test_exec_env_user_workdir() {
        ctl_need_web
        assert_eq "$(ctrctl exec -u 65534 -e A=1 -e 'B=x y' -w /tmp ctlweb -- sh -c 'echo "$(id -u) $(pwd) $A $B $HOSTNAME"')" \
                "65534 /tmp 1 x y ctlweb" "exec -u -e -w"
}

test_exec_tty() {
        ctl_need_web
        command -v script >/dev/null || skip "script (util-linux) is not installed"
        local out rc=0
        out=$( (sleep 2; printf 'echo tty-$((6*7)); tty; stty size\n'; sleep 2; printf 'exit 3\n') |
                timeout 40 script -qec "stty cols 91 rows 27; ctrctl exec -t ctlweb -- sh" /dev/null) || rc=$?
        echo "$out"
        assert_eq "$rc" 3 "exit status through the terminal"
        assert_contains "$out" "tty-42" "the command ran"
        assert_contains "$out" "/dev/pts/0" "a pty of the container's own devpts"
        assert_contains "$out" "27 91" "window size passed on"
}

test_exec_tty_resize() {
        ctl_need_web
        command -v script >/dev/null || skip "script (util-linux) is not installed"
        local log=/tmp/ctrctl-resize.log flag=/tmp/ctrctl-resize.done rc=0 pid tty
        rm -f $log $flag
        # the outer terminal is resized while "exec -t" runs; the shell inside must see the new size
        (
                # typed once the shell prompts: typed earlier, the echo comes first and "# " precedes the size
                wait_for 30 grep -q '# ' $log || exit 1
                printf 'stty size\n'
                wait_for 30 test -f $flag || exit 1
                printf 'stty size; echo resized-$((2*21))\n'
                sleep 2
                printf 'exit 0\n'
        ) | timeout 50 script -qfec "stty cols 91 rows 27; ctrctl exec -t ctlweb -- sh" /dev/null >$log &
        pid=$!
        wait_for 30 grep -q "^27 91" $log || { kill $pid; cat -v $log; fail "no first size"; }
        # the oldest: ctrctl itself, which relays the terminal (its child that enters the container has /dev/null)
        tty=$(readlink /proc/"$(pgrep -f -o '^ctrctl exec -t ctlweb')"/fd/0) || fail "no ctrctl exec -t running"
        stty -F "$tty" rows 33 cols 77
        touch $flag
        wait $pid || rc=$?
        cat -v $log
        assert_eq "$rc" 0 "exit status"
        grep -q "resized-42" $log || fail "the command after the resize did not run"
        grep -q "^33 77" $log || fail "the container's terminal did not get the new size 33x77"
}

test_stats_memory_moves() {
        ctl_need_web
        local before after
        ctrctl exec ctlweb -- rm -f /scratch/fill
        before=$(ctrctl stats --json --interval 0.2s ctlweb | json_object ctlweb | json_field memory_bytes)
        ctrctl exec ctlweb -- sh -c 'head -c 20000000 /dev/zero >/scratch/fill'
        after=$(ctrctl stats --json --interval 0.2s ctlweb | json_object ctlweb | json_field memory_bytes)
        echo "memory before=$before after=$after"
        [[ $before =~ ^[0-9]+$ && $after =~ ^[0-9]+$ ]] || fail "stats gave no numbers"
        [[ $after -ge $((before + 15000000)) ]] || fail "memory did not grow by the 20 MB the workload allocated"
        local top
        top=$(ctrctl top -n 1 ctlweb)
        echo "$top"
        [[ $top =~ (^|$'\n')ctlweb\ +[-0-9.]+\ +[0-9.]+[BKMG]\ +64.0M ]] || fail "top's row for ctlweb"
        ctrctl exec ctlweb -- rm -f /scratch/fill
}

test_top_interactive() {
        ctl_need_web
        command -v script >/dev/null || skip "script (util-linux) is not installed"
        local out rc=0 frames
        # a real terminal: top refreshes in place until "q" is typed, then gives the terminal back as it was
        out=$( (sleep 4; printf q) |
                timeout 40 script -qec "stty cols 120 rows 30; ctrctl top -d 0.5 ctlweb; echo top-rc=\$?; stty -a" /dev/null) || rc=$?
        echo "$out"
        assert_eq "$rc" 0 "script's exit status"
        assert_contains "$out" "top-rc=0" "top quits on q with status 0"
        frames=$(grep -c "ctrctl top - .* 1 running (q to quit)" <<<"$out" || true)
        [[ $frames -ge 2 ]] || fail "top did not refresh (frames: $frames)"
        [[ $(grep -c $'\e\[H\e\[2J' <<<"$out" || true) -ge 2 ]] || fail "no screen clears between refreshes"
        # a refresh after the first sample has a CPU % (the first frame has none yet)
        [[ $out =~ (^|$'\n')ctlweb\ +[0-9]+\.[0-9]+\ + ]] || fail "no CPU % for ctlweb after a refresh"
        # the terminal modes are restored: canonical input and echo again
        [[ $out =~ [[:space:]]icanon[[:space:]] && $out =~ [[:space:]]echo[[:space:]] ]] || fail "terminal left in raw mode"
}

test_inspect_runtime() {
        ctl_need_web
        local out
        out=$(ctrctl inspect ctlweb)
        assert_contains "$out" "\"init_pid\":$(ctl_init_pid ctlweb)" "inspect runtime"
        assert_contains "$out" '"active_state":"active"' "inspect unit"
        assert_contains "$out" '"memory_max":67108864' "inspect configuration"
}

test_run_rm_host() {
        ctl_need_scope
        local out rc=0 name
        out=$(timeout 50 ctrctl run --rm host -- cat /etc/hostname) || rc=$?
        echo "$out"
        assert_eq "$rc" 0 "ctrctl run --rm"
        name=$out
        [[ $name =~ ^run-[0-9a-f]{8}$ ]] || fail "not a generated name: '$name'"
        [[ ! -e /run/ctr/$name.ctr && ! -e /run/ctr/$name && ! -e /var/lib/ctr/containers/$name ]] ||
                fail "files left behind by run --rm"
        wait_for 20 bash -c "! systemctl list-units --all --plain --no-legend | grep -F '$name'" ||
                fail "units left behind: $(systemctl list-units --all --plain --no-legend | grep -F "$name")"
        rc=0
        timeout 50 ctrctl run --rm host sh -c 'exit 7' || rc=$?
        assert_eq "$rc" 7 "exit status of run"
}

test_run_scope_topology() {
        ctl_need_scope
        local pid rc=0
        # as systemd-run --scope: the launcher in ctrctl-N.scope, the workload in ctr-N.scope
        ctrctl run --rm --name ctltopo host sh -c 'trap "exit 0" TERM; sleep infinity & wait' >/tmp/ctltopo.out 2>&1 &
        pid=$!
        wait_for 40 bash -c '[[ $(systemctl show -P ActiveState ctr-ctltopo.scope) == active && -f /run/ctr/ctltopo/state ]]' ||
                { kill $pid; cat /tmp/ctltopo.out; fail "ctr-ctltopo.scope did not start"; }
        assert_prop ctrctl-ctltopo.scope ActiveState active
        assert_contains "$(pid_cgroup "$(ctl_init_pid ctltopo)")" "ctr-ctltopo.scope" "the workload's cgroup"
        local launcher
        launcher=$(pgrep -P $pid) || fail "no launcher below ctrctl"
        assert_contains "$(pid_cgroup "$launcher")" "ctrctl-ctltopo.scope" "the launcher's cgroup"
        # SIGTERM to ctrctl goes on to the launcher, which stops the container; --rm cleans up
        kill -TERM $pid
        wait $pid || rc=$?
        echo "ctrctl exited with $rc"
        [[ ! -e /run/ctr/ctltopo.ctr ]] || fail "/run/ctr/ctltopo.ctr left behind"
        wait_for 20 bash -c '[[ $(systemctl show -P ActiveState ctr-ctltopo.scope) != active ]]' || fail "ctr-ctltopo.scope left"
}

test_run_detach() {
        ctl_need_scope
        local out
        out=$(timeout 50 ctrctl run --detach --name ctldet -e GREETING=hello host sh -c 'echo "detached $GREETING"; trap "exit 0" TERM; sleep infinity & wait')
        assert_eq "$out" ctldet "run --detach prints the name"
        assert_prop ctr@ctldet.service ActiveState active
        ctrctl list --json | json_object ctldet | grep -q '"active_state":"active"' || fail "ctldet not active in list"
        wait_for 20 bash -c 'ctrctl logs -o cat ctldet | grep -q "detached hello"' || fail "ctldet's output not in logs"
        ctrctl stop ctldet
        rm -f /run/ctr/ctldet.ctr
        systemctl daemon-reload
}

# Network=bridge under systemd: eth0 on ctr0 with a leased address, PublishPort= from the host, the address in
# status and inspect, everything released at the stop
test_bridge_publish_port() {
        ctl_need_scope
        write_ctr ctlnet 'Network=bridge' 'PublishPort=8080:8000' \
                'Exec=/bin/busybox sh -c "echo page-of-$HOSTNAME >/tmp/index.html; exec /bin/busybox httpd -f -p 8000 -h /tmp"'
        systemctl daemon-reload
        timeout 50 ctrctl start ctlnet
        assert_prop ctr@ctlnet.service ActiveState active
        local addr page
        addr=$(sed -n 's/^ADDRESS=//p' /run/ctr/ctlnet/state)
        [[ $addr == 10.121.* ]] || fail "no bridge address in the runtime state: '$addr'"
        [[ -e /run/ctr/.network/leases/$addr ]] || fail "no lease for $addr"
        wait_for 30 bash -c '[[ $(busybox wget -q -O - http://127.0.0.1:8080/index.html) == page-of-ctlnet ]]' ||
                fail "the published port does not answer"
        page=$(busybox wget -q -O - "http://$addr:8000/index.html")
        assert_eq "$page" page-of-ctlnet "the container's address from the host"
        assert_contains "$(ctrctl status ctlnet)" "address $addr" "status shows the address"
        assert_contains "$(ctrctl inspect ctlnet)" "\"address\":\"$addr\"" "inspect shows the address"
        timeout 50 ctrctl stop ctlnet
        [[ ! -e /run/ctr/.network/leases/$addr ]] || fail "the lease outlived the container"
        # the pair goes with the container's namespace, which the kernel frees from a worker after the stop
        wait_for 30 bash -c '[[ ! -e /sys/class/net/vc-ctlnet ]]' || fail "the veth outlived the container"
        ! busybox wget -q -T 3 -O - http://127.0.0.1:8080/index.html 2>/dev/null || fail "the port is still published"
        rm -f /etc/ctr/ctlnet.ctr
        systemctl daemon-reload
}

# -H over sd-bus's own ssh transport ("ssh HOST systemd-stdio-bridge"), to this machine's sshd: the same path
# as to another machine, and the only one a single guest has.
test_remote_host_over_ssh() {
        ctl_need_web
        [[ -x /usr/sbin/sshd ]] && command -v ssh >/dev/null || skip "openssh is not in the guest image"
        install -d -m 700 /root/.ssh
        [[ -f /root/.ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
        cp /root/.ssh/id_ed25519.pub /root/.ssh/authorized_keys
        printf 'Host *\n  StrictHostKeyChecking accept-new\n  BatchMode yes\n' >/root/.ssh/config
        # the test image masks systemd-user-sessions, which would remove this (sshd prints it on every login)
        rm -f /run/nologin
        systemctl start ssh.service
        timeout 30 ssh root@localhost true || fail "ssh root@localhost does not work in the guest"

        local rc=0 out
        timeout 50 ctrctl -H root@localhost stop ctlweb || rc=$?
        assert_eq "$rc" 0 "ctrctl -H root@localhost stop"
        assert_prop ctr@ctlweb.service ActiveState inactive
        ctl_start_web_and_wait timeout 50 ctrctl start --host=root@localhost ctlweb
        assert_prop ctr@ctlweb.service ActiveState active
        assert_prop ctr-ctlweb.scope ActiveState active
        # a failing job on the far side: systemd's words and the hint, exit status 1
        rc=0
        out=$(timeout 50 ctrctl -H root@localhost:22 start ctlnothere 2>&1) || rc=$?
        echo "$out"
        assert_eq "$rc" 1 "a remote start that fails"
        assert_contains "$out" "ctr@ctlnothere.service" "the error names the unit"
        assert_contains "$out" "See 'ctrctl status ctlnothere' and 'ctrctl logs ctlnothere' on root@localhost:22" \
                "the hint names the host to look on"
        systemctl reset-failed ctr@ctlnothere.service 2>/dev/null || true
        systemctl stop ssh.service
}

test_cleanup() {
        ctl_need
        systemctl stop ctr@ctlweb.service ctr@ctlcrash.service 2>/dev/null || true
        systemctl reset-failed 'ctr@*' 2>/dev/null || true
        rm -f /etc/ctr/{ctlweb,ctlidle,ctlcrash,ctlbroken}.ctr
        systemctl daemon-reload
}
