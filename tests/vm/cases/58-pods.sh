# SPDX-License-Identifier: LGPL-2.1-or-later
# Pods under systemd as PID 1 (issue 16's acceptance): podweb serves on 127.0.0.1:8000 in its network
# namespace; podside (Network=container:podweb, JoinNamespaces=uts) fetches from it over 127.0.0.1 in a loop.
# The generator's BindsTo=/After=ctr@podweb.service: `systemctl start ctr@podside` starts podweb first;
# stopping podweb stops podside. Cases run in order and share the two containers.

pod_need() {
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

pod_write() {
        write_ctr podweb "Network=none" \
                "Exec=/bin/busybox sh -c 'echo page-of-podweb > /tmp/index.html; exec /bin/busybox httpd -f -p 127.0.0.1:8000 -h /tmp'"
        # prints each page it fetched, then waits; exits when it can fetch nothing for 5 s
        write_ctr podside "Network=container:podweb" "JoinNamespaces=uts" \
                "Exec=/bin/busybox sh -c 'for i in \$(/bin/busybox seq 1 100); do /bin/busybox wget -q -O - http://127.0.0.1:8000/index.html && break; /bin/busybox sleep 0.05; done; /bin/busybox hostname; trap \"exit 0\" TERM; /bin/busybox sleep infinity & wait'"
        systemctl daemon-reload
}

test_pods_binds_to() {
        pod_need
        pod_write
        assert_contains "$(unit_prop ctr@podside.service BindsTo)" "ctr@podweb.service" "podside BindsTo"
        assert_contains "$(unit_prop ctr@podside.service After)" "ctr@podweb.service" "podside After"
        assert_eq "$(unit_prop ctr@podweb.service BindsTo)" "" "podweb BindsTo"
}

test_pods_start_order() {
        pod_need
        pod_write
        systemctl stop ctr@podside.service ctr@podweb.service || true
        # the joiner alone: BindsTo= pulls podweb in, After= starts it first (Type=notify: ready once its
        # runtime state exists, which podside's launcher reads)
        timeout 90 systemctl start ctr@podside.service
        assert_prop ctr@podweb.service ActiveState active
        assert_prop ctr@podside.service ActiveState active
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@podside.service | grep -qx page-of-podweb"
        assert_contains "$(journalctl -q -o cat -u ctr@podside.service)" "podweb" "podside's hostname (JoinNamespaces=uts)"
        local web side
        web=$(unit_prop ctr@podweb.service ActiveEnterTimestampMonotonic)
        side=$(unit_prop ctr@podside.service ExecMainStartTimestampMonotonic)
        [[ $side -ge $web ]] || fail "podside's launcher started ($side) before podweb was up ($web)"
        echo "ok: podweb was started first, then podside"
}

test_pods_stop_owner_stops_joiner() {
        pod_need
        pod_write
        start_ctr podweb
        start_ctr podside
        timeout 90 systemctl stop ctr@podweb.service
        wait_for 30 bash -c "[[ \$(systemctl show -P ActiveState ctr@podside.service) == inactive ]]"
        assert_prop ctr@podside.service ActiveState inactive
        [[ ! -e /run/ctr/podside/state ]] || fail "podside's runtime state is still there"
        echo "ok: stopping podweb stopped podside"
}

test_pods_cleanup() {
        pod_need
        systemctl stop ctr@podside.service ctr@podweb.service || true
        rm -f /etc/ctr/podweb.ctr /etc/ctr/podside.ctr
        systemctl daemon-reload
}
