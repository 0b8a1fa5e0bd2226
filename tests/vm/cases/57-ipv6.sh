# SPDX-License-Identifier: LGPL-2.1-or-later
# IPv6 on ctr0 under systemd (issue 16): web6 serves on [::]:8000 and publishes a port on every address and
# one on [::1]; the host reaches the first over ctr0's IPv6 address (DNAT) and the second over [::1] (the relay,
# ctr-relay below ctr@web6.service's monitor); cli6 reaches web6 over IPv6; after the stops, the relay and
# web6's IPv6 elements are gone.

ipv6_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
        [[ $(cat /proc/sys/net/ipv6/conf/all/disable_ipv6 2>/dev/null) == 0 ]] || skip "no IPv6 in the guest"
}

# page URL: the page alone, or nothing (the guest's busybox wget has no -T: bounded from outside)
ipv6_page() {
        timeout 10 /bin/busybox wget -q -O - "$1" 2>/dev/null
}

ipv6_gateway() {
        ip -6 -o addr show dev ctr0 scope global | awk '{ sub("/.*", "", $4); print $4; exit }'
}

test_ipv6_published_and_between_containers() {
        ipv6_need
        write_ctr web6 "Network=bridge" "Init=yes" "PublishPort=18096:8000 [::1]:18097:8000" \
                "Exec=/bin/busybox sh -c 'echo page-of-web6 > /tmp/index.html; exec /bin/busybox httpd -f -p [::]:8000 -h /tmp'"
        write_ctr cli6 "Network=bridge" "Init=yes" "Exec=/bin/busybox sleep infinity"
        systemctl daemon-reload
        start_ctr web6
        start_ctr cli6
        local gw a6
        gw=$(ipv6_gateway)
        [[ $gw == fd*::1 ]] || fail "ctr0 has no ULA of its own: '$(ip -6 addr show dev ctr0)'"
        a6=$(ctrctl exec web6 -- /bin/busybox ip -6 addr show dev eth0 | sed -n 's|.*inet6 \([0-9a-f:]*\)/64 scope global.*|\1|p')
        [[ $a6 == "${gw%::1}"::* ]] || fail "web6's IPv6 address '$a6' is not in ctr0's prefix ${gw%::1}::/64"
        assert_contains "$(ctrctl exec web6 -- /bin/busybox ip -6 route)" "default via $gw dev eth0" "web6's IPv6 route"
        wait_for 30 bash -c "[[ \$(timeout 10 /bin/busybox wget -q -O - 'http://[::1]:18097/index.html') == page-of-web6 ]]"
        echo "ok: PublishPort=[::1]:18097:8000 answers on [::1]"
        assert_eq "$(ipv6_page "http://[$gw]:18096/index.html")" page-of-web6 "PublishPort=18096:8000 on [$gw]"
        assert_eq "$(ipv6_page "http://[::1]:18096/index.html")" page-of-web6 "PublishPort=18096:8000 on [::1]"
        assert_eq "$(ipv6_page "http://127.0.0.1:18096/index.html")" page-of-web6 "PublishPort=18096:8000 on 127.0.0.1"
        assert_eq "$(timeout 30 ctrctl exec cli6 -- /bin/busybox wget -q -O - "http://[$a6]:8000/index.html" 2>/dev/null)" \
                page-of-web6 "cli6 fetching from web6 over IPv6"
        local monitor relay
        monitor=$(unit_prop ctr@web6.service MainPID)
        relay=$(pgrep -P "$monitor" -x ctr-relay) || fail "no ctr-relay below web6's monitor $monitor"
        echo "$a6" >/run/ipv6-web6
        echo "$relay" >/run/ipv6-relay
}

test_ipv6_nothing_left() {
        ipv6_need
        local a6 relay
        a6=$(cat /run/ipv6-web6 2>/dev/null) || skip "the first case did not get this far"
        relay=$(cat /run/ipv6-relay)
        systemctl stop ctr@web6.service ctr@cli6.service
        ! kill -0 "$relay" 2>/dev/null || fail "the relay $relay outlived web6"
        [[ -z $(ipv6_page "http://[::1]:18097/index.html") ]] || fail "[::1]:18097 still answers"
        if command -v ctr-vm-nft >/dev/null; then
                ! ctr-vm-nft "list table ip6 ctr" | grep -qF "$a6" || fail "an element still leads to $a6"
                ! ctr-vm-nft "list set bridge ctr sources6" | grep -qF "$a6" || fail "web6's source check is left"
        fi
        ! grep -qs '^web6 ' /run/ctr/.network/leases/* || fail "web6's lease is left"
}

test_ipv6_cleanup() {
        systemctl stop ctr@web6.service ctr@cli6.service 2>/dev/null || true
        rm -f /etc/ctr/web6.ctr /etc/ctr/cli6.ctr /run/ipv6-web6 /run/ipv6-relay
        systemctl daemon-reload
}
