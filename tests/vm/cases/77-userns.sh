# SPDX-License-Identifier: LGPL-2.1-or-later
# PrivateUsers=pick under systemd as PID 1 (issue 14), on the guest's kernel (6.1 on bookworm: the layers
# and binds are set up through the launcher's mount(2) path): a store image (a busybox rootfs tarball
# imported here) runs as ctr@NAME.service in its own UID range; its output reaches the journal and
# `ctrctl logs`; `systemctl stop` ends it cleanly; MemoryMax= exceeded is reported as an OOM kill, as
# 40-service's oom_kill_fails_and_says_why asserts for a container without the namespace; the scope's
# cgroup is delegated to the container's root (as systemd-nspawn does): the workload creates a sub-cgroup
# and moves itself into it, while the scope's own limits stay out of its reach. Cases share $UN, in order.

UN=/var/tmp/ctr-userns

un_need() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

idle="trap 'exit 0' TERM; sleep infinity & wait"

# un_ctr NAME LINE…: /etc/ctr/NAME.ctr on the imported image, PrivateUsers=pick said explicitly
un_ctr() {
        local name=$1
        shift
        mkdir -p /etc/ctr
        printf '%s\n' "[Container]" "Image=localhost/userns:1" "PrivateUsers=pick" "$@" >"/etc/ctr/$name.ctr"
}

# stop_cleanly NAME: systemctl stop ctr@NAME is a success, and takes the scope with it
stop_cleanly() {
        systemctl stop "ctr@$1.service"
        assert_props "ctr@$1.service" ActiveState=inactive Result=success
        assert_prop "ctr-$1.scope" LoadState not-found
}

test_import() {
        un_need
        local r=$UN/root x
        rm -rf "$UN"
        mkdir -p "$r"/{bin,etc,tmp}
        chmod 1777 "$r/tmp"
        cp /bin/busybox "$r/bin/busybox"
        for x in sh cat echo sleep mkdir id sort; do ln -s busybox "$r/bin/$x"; done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
        echo 'root:x:0:' >"$r/etc/group"
        tar -C "$r" -czf "$UN/root.tar.gz" bin etc tmp
        ctrctl image import --quiet "$UN/root.tar.gz" localhost/userns:1 || fail "the import failed"
        un_ctr unlog "Exec=/bin/sh -c \"echo userns-hello uid=\$(id -u) map=\$(cat /proc/self/uid_map); $idle\""
        un_ctr unhog MemoryMax=32M MemorySwapMax=0 'Exec=/bin/sort /dev/zero'
        un_ctr undel "Exec=/bin/sh -c \"mkdir /sys/fs/cgroup/work && echo 0 >/sys/fs/cgroup/work/cgroup.procs && echo moved \$(cat /proc/self/cgroup); echo max >/sys/fs/cgroup/memory.max 2>/dev/null && echo limit-written; $idle\"" \
                MemoryMax=64M
        systemctl daemon-reload
}

test_logs_and_clean_stop() {
        un_need
        local uid init
        start_ctr unlog
        init=$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-unlog.scope/cgroup.procs)
        [[ -n $init ]] || fail "no process in ctr-unlog.scope"
        uid=$(pid_uid "$init")
        [[ $uid -ge 65536 ]] || fail "the workload runs as host uid $uid, not in a picked range"
        wait_for 20 bash -c "ctrctl logs unlog 2>&1 | grep -qF userns-hello"
        # root inside is the range's first id outside
        assert_contains "$(ctrctl logs unlog 2>&1)" "userns-hello uid=0 map= 0 $uid 65536"
        stop_cleanly unlog
}

test_oom_kill_reported() {
        un_need
        local log
        systemctl start --no-block ctr@unhog.service
        wait_for 60 bash -c '[[ $(systemctl show -P ActiveState ctr@unhog.service) == failed ]]'
        log=$(journalctl -u ctr@unhog.service -o cat --no-pager)
        echo "$log"
        assert_contains "$log" "Container 'unhog' ran out of memory" "the service's journal"
        systemctl reset-failed ctr@unhog.service 2>/dev/null || true
}

test_cgroup_delegated_to_container_root() {
        un_need
        local scope=/sys/fs/cgroup/machine.slice/ctr-undel.scope uid init log
        start_ctr undel
        wait_for 20 bash -c "journalctl -u ctr@undel.service -o cat --no-pager | grep -qF moved"
        # the init moved itself (echo 0: the writing shell) into the sub-cgroup it made
        init=$(head -n 1 "$scope/work/cgroup.procs")
        [[ -n $init ]] || fail "no process in $scope/work"
        uid=$(pid_uid "$init")
        # the scope's directory and the files that move processes are the range root's; the limits are not
        assert_eq "$(stat -c %u:%g "$scope" "$scope/cgroup.procs" "$scope/cgroup.subtree_control" \
                "$scope/cgroup.threads" | sort -u)" "$uid:$uid" "owner of the delegated files"
        assert_eq "$(stat -c %u "$scope/memory.max")" 0 "owner of memory.max"
        log=$(journalctl -u ctr@undel.service -o cat --no-pager)
        echo "$log"
        # seen from inside (its cgroup namespace is rooted at the scope), and on the host
        assert_contains "$log" "moved 0::/work"
        assert_eq "$(pid_cgroup "$init")" "/machine.slice/ctr-undel.scope/work" "the init's cgroup"
        assert_contains "$log" "/sys/fs/cgroup/memory.max: Permission denied"
        assert_not_contains "$log" limit-written "the workload's output"
        assert_prop ctr-undel.scope MemoryMax 67108864
        stop_cleanly undel
}

test_cleanup_userns() {
        un_need
        local n
        systemctl stop ctr@unlog.service ctr@unhog.service ctr@undel.service 2>/dev/null || true
        systemctl reset-failed ctr@unhog.service 2>/dev/null || true
        for n in unlog unhog undel; do
                rm -f "/etc/ctr/$n.ctr"
        done
        systemctl daemon-reload
        ctrctl image rm localhost/userns:1 >/dev/null 2>&1 || true
        rm -rf "$UN"
}
