# SPDX-License-Identifier: LGPL-2.1-or-later
# Churn under systemd (issue 17): ctr@NAME started and stopped over and over, every other time bridged with a
# published port; afterwards no scope, no cgroup, no veth, no lease, no nftables element and no runtime file is
# left, and each monitor held as many descriptors as the first. (tests/launch/run-churn does 40 on the host in
# the suite, bench/churn 1,000; bench/churn vm runs churn_cycles here with 200.)

churn_snapshot() {      # FILE
        {
                systemctl list-units --all --no-legend --plain 'ctr-churn*.scope' | awk '{ print "unit " $1 }'
                find /sys/fs/cgroup/machine.slice -maxdepth 1 -name 'ctr-churn*' | sed 's/^/cgroup /'
                ip -o link show type veth | sed 's/^[0-9]*: //; s/[:@].*//; s/^/veth /'
                { ls -A /run/ctr/.network/leases 2>/dev/null || true; } | sed 's/^/lease /'
                { nft list map ip ctr publish 2>/dev/null || true; } | { grep -o '[0-9.]* \. [0-9]*' || true; } |
                        sed 's/^/nft /'
                find /run/ctr -maxdepth 1 -name 'churn*' | sed 's/^/runtime /'
                findmnt -rn -o TARGET | grep -c . | sed 's/^/mounts /'
        } | sort > "$1"
}

churn_veths_as() {      # FILE: the veths are those of the snapshot FILE
        [[ "$(ip -o link show type veth | sed 's/^[0-9]*: //; s/[:@].*//; s/^/veth /' | sort)" == \
           "$(grep '^veth ' "$1" || true)" ]]
}

# churn_cycles N: the cycles, asserted; prints "FIGURE: …" lines for bench/churn's vm mode: the time of each
# half, the monitors' descriptors and resident memory (VmRSS, kB) in the first and the last cycle of each kind
churn_cycles() {
        local cycles=$1 i name before=/tmp/churn.before after=/tmp/churn.after fds rss pid t0 t_start=0 t_stop=0
        local first_plain= first_bridged= rss_first_plain= rss_first_bridged= rss_plain= rss_bridged=
        write_ctr churnplain 'Exec=/bin/sh -c "trap \"exit 0\" TERM; sleep infinity & wait"'
        write_ctr churnbridged 'Network=bridge' 'PublishPort=18181:80' \
                'Exec=/bin/sh -c "trap \"exit 0\" TERM; sleep infinity & wait"'
        systemctl daemon-reload
        # a first start of each: the caches it makes (the bridge, the table, the seccomp program) are not leaks
        start_ctr churnplain
        start_ctr churnbridged
        systemctl stop ctr@churnplain.service ctr@churnbridged.service
        churn_snapshot "$before"
        for i in $(seq 1 "$cycles"); do
                name=churnplain
                if [[ $((i % 2)) -eq 0 ]]; then
                        name=churnbridged
                fi
                t0=${EPOCHREALTIME/./}
                start_ctr "$name"
                t_start=$((t_start + ${EPOCHREALTIME/./} - t0))
                pid=$(unit_prop "ctr@$name.service" MainPID)
                fds=$(ls "/proc/$pid/fd" | wc -l)
                rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
                if [[ $name == churnplain ]]; then
                        first_plain=${first_plain:-$fds}
                        rss_first_plain=${rss_first_plain:-$rss}
                        rss_plain=$rss
                        assert_eq "$fds" "$first_plain" "descriptors of the monitor in cycle $i"
                else
                        first_bridged=${first_bridged:-$fds}
                        rss_first_bridged=${rss_first_bridged:-$rss}
                        rss_bridged=$rss
                        assert_eq "$fds" "$first_bridged" "descriptors of the monitor in cycle $i"
                fi
                t0=${EPOCHREALTIME/./}
                systemctl stop "ctr@$name.service"
                t_stop=$((t_stop + ${EPOCHREALTIME/./} - t0))
                assert_props "ctr@$name.service" ActiveState=inactive Result=success
        done
        # veth pairs go with the containers' namespaces, which the kernel frees from a worker after the stop
        wait_for 30 churn_veths_as "$before" || true
        churn_snapshot "$after"
        diff "$before" "$after" || fail "$cycles cycles left something behind (< before, > after)"
        echo "FIGURE: churn-systemd $cycles cycles: systemctl start $((t_start / 1000)) ms, systemctl stop $((t_stop / 1000)) ms in all"
        echo "FIGURE: churn-systemd monitor descriptors: plain $first_plain, bridged $first_bridged (every cycle)"
        echo "FIGURE: churn-systemd monitor VmRSS kB first/last: plain $rss_first_plain/$rss_plain," \
             "bridged $rss_first_bridged/$rss_bridged"
        echo "FIGURE: churn-systemd left behind: nothing (scopes, cgroups, veths, leases, nft elements, runtime files, mounts)"
}

# vm-timeout: 300
test_start_stop_cycles_leave_nothing() {
        need_launch_scope
        churn_cycles 10
}
