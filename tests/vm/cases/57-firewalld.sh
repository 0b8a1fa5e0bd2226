# SPDX-License-Identifier: LGPL-2.1-or-later
# firewalld beside ctr's bridge (issue 16). firewalld puts an interface no zone names in its default zone, whose
# policies reject most of what arrives from it; ctr installs a zone of its own, ctr (target ACCEPT, interface
# ctr0: /usr/lib/firewalld/zones/ctr.xml), so that firewalld lets through what ctr's tables decide on. With
# firewalld's nftables backend running, then after "firewall-cmd --reload", a restart and a stop of firewalld:
#   - a client in a network namespace of its own ("outside", its link in zone dmz, as an administrator or
#     NetworkManager puts an uplink in a zone) reaches fwweb's published port on the guest's address: DNAT, forwarded into ctr0;
#   - fwweb reaches that client's server (forwarded out of ctr0, masqueraded);
#   - fwweb reaches a server of the host's on ctr0's address (input from ctr0);
#   - the port published on 127.0.0.1 answers the host.
# The control: ctr0 taken out of zone ctr (runtime only) falls into the default zone (public), and neither the
# host's server nor outside's is reached from the container any more; a start that makes ctr0 then warns (the
# launcher asks firewalld which zone ctr0 is in); the reload puts the permanent zone back. A ctr0 made with
# firewalld stopped, or with ctr0 in zone ctr, says nothing.

FWD_OUT_NS=fwout
FWD_OUT_HOST=198.51.100.1     # the guest's end of the link to "outside"
FWD_OUT_PEER=198.51.100.2     # outside's end

fwd_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
        command -v firewall-cmd >/dev/null || skip "no firewalld in the guest (tests/vm/vm GUEST_PKGS)"
        [[ -f /usr/lib/firewalld/zones/ctr.xml ]] || fail "ctr's firewalld zone is not installed"
}

fwd_setup() {
        ip netns add "$FWD_OUT_NS"
        ip link add fw-host type veth peer name fw-out netns "$FWD_OUT_NS"
        ip addr add "$FWD_OUT_HOST/24" dev fw-host
        ip link set fw-host up
        ip -n "$FWD_OUT_NS" addr add "$FWD_OUT_PEER/24" dev fw-out
        ip -n "$FWD_OUT_NS" link set fw-out up
        ip -n "$FWD_OUT_NS" link set lo up
        mkdir -p /run/fwd-out /run/fwd-host
        echo page-of-outside >/run/fwd-out/index.html
        echo page-of-host >/run/fwd-host/index.html
        systemd-run --quiet --unit=fwd-out-httpd -p NetworkNamespacePath="/run/netns/$FWD_OUT_NS" \
                /bin/busybox httpd -f -p 8000 -h /run/fwd-out
        systemd-run --quiet --unit=fwd-host-httpd /bin/busybox httpd -f -p 18059 -h /run/fwd-host
        write_ctr fwweb "Network=bridge" "Init=yes" "PublishPort=18058:8000" "PublishPort=127.0.0.1:18060:8000" \
                "Exec=/bin/busybox sh -c 'echo page-of-fwweb > /tmp/index.html; exec /bin/busybox httpd -f -p 8000 -h /tmp'"
        systemctl daemon-reload
        start_ctr fwweb
}

# fwd_drop_bridge: deletes ctr0 when no container is on it, so that the next start makes it (ctr-launch asks
# firewalld about its zone then); false when something else holds it
fwd_drop_bridge() {
        [[ -e /sys/class/net/ctr0 ]] || return 0
        [[ -z $(ip -o link show master ctr0) ]] || return 1
        ip link del ctr0
}

# fwd_start_fresh_bridge: restarts fwweb on a ctr0 it makes; prints the launcher's firewalld warning, if any
fwd_start_fresh_bridge() {
        local cursor
        systemctl stop ctr@fwweb.service
        fwd_drop_bridge || fail "ctr0 still has ports with fwweb stopped: $(ip -o link show master ctr0)"
        cursor=$(journalctl -n 0 --show-cursor | sed -n 's/^-- cursor: //p')
        start_ctr fwweb
        [[ -e /sys/class/net/ctr0 ]] || fail "fwweb's start made no ctr0"
        journalctl -q -o cat --after-cursor="$cursor" -u ctr@fwweb.service | grep 'firewalld runs' || true
}

fwd_cleanup() {
        systemctl stop ctr@fwweb.service fwd-out-httpd.service fwd-host-httpd.service firewalld.service 2>/dev/null || true
        ip link del fw-host 2>/dev/null || true
        ip netns del "$FWD_OUT_NS" 2>/dev/null || true
        rm -f /etc/ctr/fwweb.ctr
        rm -rf /run/fwd-out /run/fwd-host
}

fwd_gateway() {
        ip -4 -o addr show dev ctr0 | awk '{ sub("/.*", "", $4); print $4; exit }'
}

# fwd_fetch WHERE URL: the page fetched from WHERE (host, outside, fwweb), or nothing; bounded from outside
fwd_fetch() {
        local where=$1 url=$2
        case $where in
        host) timeout 10 /bin/busybox wget -q -O - "$url" 2>/dev/null ;;
        outside) timeout 10 ip netns exec "$FWD_OUT_NS" /bin/busybox wget -q -O - "$url" 2>/dev/null ;;
        fwweb) timeout 10 ctrctl exec fwweb -- /bin/busybox wget -q -O - "$url" 2>/dev/null ;;
        esac
}

# fwd_fetches WHERE URL PAGE: fwd_fetch gets PAGE
fwd_fetches() {
        [[ $(fwd_fetch "$1" "$2") == "$3" ]]
}

# fwd_check WHAT: the four ways in and out, each retried briefly (a rule set being replaced), named on failure
fwd_check() {
        local what=$1 gw
        gw=$(fwd_gateway)
        wait_for 20 fwd_fetches outside "http://$FWD_OUT_HOST:18058/index.html" page-of-fwweb ||
                fail "$what: outside does not reach fwweb's port published on $FWD_OUT_HOST:18058"
        wait_for 20 fwd_fetches fwweb "http://$FWD_OUT_PEER:8000/index.html" page-of-outside ||
                fail "$what: fwweb does not reach outside's server at $FWD_OUT_PEER:8000"
        wait_for 20 fwd_fetches fwweb "http://$gw:18059/index.html" page-of-host ||
                fail "$what: fwweb does not reach the host's server at $gw:18059"
        assert_eq "$(fwd_fetch host http://127.0.0.1:18060/index.html)" page-of-fwweb "$what: PublishPort=127.0.0.1:18060:8000"
        echo "ok: $what: published ports answer, fwweb reaches outside and the host"
}

fwd_zone_of_ctr0() {
        firewall-cmd --get-zone-of-interface=ctr0 2>/dev/null || true
}

# vm-timeout: 600
test_firewalld_ports_and_ways_out() {
        fwd_need
        trap fwd_cleanup EXIT      # each case is a bash of its own
        grep -q '^FirewallBackend=nftables' /etc/firewalld/firewalld.conf ||
                skip "firewalld is not configured with its nftables backend"
        fwd_setup
        fwd_check "before firewalld"
        # ctr0 made while no firewalld runs: the launcher's question goes unanswered, nothing is said
        assert_eq "$(fwd_start_fresh_bridge)" "" "the launcher's firewalld warning, no firewalld running"
        fwd_check "before firewalld, on a ctr0 made again"
        timeout 180 systemctl start firewalld.service
        wait_for 120 firewall-cmd --state
        assert_eq "$(firewall-cmd --get-default-zone)" public "firewalld's default zone"
        firewall-cmd --zone=dmz --add-interface=fw-host
        assert_eq "$(fwd_zone_of_ctr0)" ctr "the zone of ctr0"
        ctr-vm-nft "list tables"
        fwd_check "firewalld running"

        # the control: without the zone, firewalld's default zone refuses the container's way to the host
        firewall-cmd --zone=ctr --remove-interface=ctr0
        assert_eq "$(fwd_zone_of_ctr0)" "" "the zone of ctr0 once removed at runtime"
        assert_eq "$(fwd_fetch fwweb "http://$(fwd_gateway):18059/index.html")" "" \
                "the host's server from fwweb, ctr0 in firewalld's default zone"
        assert_eq "$(fwd_fetch fwweb "http://$FWD_OUT_PEER:8000/index.html")" "" \
                "outside's server from fwweb, ctr0 in firewalld's default zone"
        # ctr0 made in that state: the launcher says so, and what to do
        local warning
        warning=$(fwd_start_fresh_bridge)
        assert_contains "$warning" "firewalld runs and puts ctr0 in no zone (its default zone applies), not in ctr's zone 'ctr'" \
                "the launcher's warning"
        assert_contains "$warning" "firewall-cmd --reload" "the launcher's warning"

        timeout 120 firewall-cmd --reload
        assert_eq "$(fwd_zone_of_ctr0)" ctr "the zone of ctr0 after firewall-cmd --reload"
        firewall-cmd --zone=dmz --add-interface=fw-host    # runtime only: the reload dropped it
        ctr-vm-nft "list table ip ctr" >/dev/null || fail "firewall-cmd --reload dropped the table ip ctr"
        fwd_check "after firewall-cmd --reload"

        timeout 180 systemctl restart firewalld.service
        wait_for 120 firewall-cmd --state
        firewall-cmd --zone=dmz --add-interface=fw-host
        fwd_check "after a restart of firewalld"

        # a container started while firewalld runs, on a ctr0 it makes: in the zone, and nothing said
        assert_eq "$(fwd_start_fresh_bridge)" "" "the launcher's firewalld warning, ctr0 in zone ctr"
        assert_eq "$(fwd_zone_of_ctr0)" ctr "the zone of ctr0 after the container's restart"
        fwd_check "fwweb restarted under firewalld"

        timeout 120 systemctl stop firewalld.service
        fwd_check "after firewalld stopped"
}
