# SPDX-License-Identifier: LGPL-2.1-or-later
# The cgroup firewall (issue 16): IPAddressAllow=/IPAddressDeny= and SocketBindAllow=/SocketBindDeny= given to
# ctr-NAME.scope, enforced by systemd's BPF programs on the workload, tested from inside (ctrctl exec enters
# the scope's cgroup as the workload). ipfw serves on port 8000 in its own network namespace and may reach
# 127.0.0.1 only: a fetch from 127.0.0.1 answers, one from 127.0.0.2 (loopback too, the same server) gets no
# answer, its packets dropped by the filter. ipopen, the same without the keys, reaches both: the control.

ipfw_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

ipfw_server() {   # NAME, then more [Container] lines
        local name=$1
        shift
        write_ctr "$name" "Network=none" "Init=yes" "$@" \
                "Exec=/bin/busybox sh -c 'echo page-of-$name > /tmp/index.html; exec /bin/busybox httpd -f -p 8000 -h /tmp'"
}

# page NAME ADDRESS: the page alone, or nothing (the guest's busybox wget has no -T: bounded from outside)
ipfw_page() {
        timeout 30 ctrctl exec "$1" -- /bin/busybox wget -q -O - "http://$2:8000/index.html" 2>/dev/null
}

test_ipfw_control_without_keys() {
        ipfw_need
        ipfw_server ipopen
        systemctl daemon-reload
        start_ctr ipopen
        wait_for 30 bash -c "[[ \$(ctrctl exec ipopen -- /bin/busybox wget -q -O - http://127.0.0.1:8000/index.html) == page-of-ipopen ]]"
        assert_eq "$(ipfw_page ipopen 127.0.0.2 || true)" page-of-ipopen "without a firewall, a fetch from 127.0.0.2"
        assert_eq "$(unit_prop ctr-ipopen.scope IPAddressDeny)" "" "ctr-ipopen.scope IPAddressDeny"
        systemctl stop ctr@ipopen.service
}

test_ipfw_ip_address_allow_one() {
        ipfw_need
        ipfw_server ipfw "IPAddressDeny=any" "IPAddressAllow=127.0.0.1"
        systemctl daemon-reload
        start_ctr ipfw
        # systemd's own view of the scope
        local deny
        deny=$(unit_prop ctr-ipfw.scope IPAddressDeny)     # a set: in no particular order
        [[ $deny == "0.0.0.0/0 ::/0" || $deny == "::/0 0.0.0.0/0" ]] ||
                fail "ctr-ipfw.scope IPAddressDeny: expected 0.0.0.0/0 and ::/0, got '$deny'"
        assert_eq "$(unit_prop ctr-ipfw.scope IPAddressAllow)" "127.0.0.1/32" "ctr-ipfw.scope IPAddressAllow"
        # the allowed address answers (once httpd listens) ...
        wait_for 30 bash -c "[[ \$(ctrctl exec ipfw -- /bin/busybox wget -q -O - http://127.0.0.1:8000/index.html) == page-of-ipfw ]]"
        # ... and another one is not: the filter drops its packets, so the connection never completes (TCP
        # takes a dropped SYN for congestion and retries: no error, only no answer, here bounded at 10 s);
        # ipopen, the same container without the keys, fetched from 127.0.0.2 above
        local out rc=0
        out=$(timeout 10 ctrctl exec ipfw -- /bin/busybox wget -O - http://127.0.0.2:8000/index.html 2>&1) || rc=$?
        echo "$out"
        [[ $rc -ne 0 ]] || fail "the fetch from 127.0.0.2 succeeded under IPAddressDeny=any: $out"
        assert_not_contains "$out" "page-of-ipfw"
        echo "ok: no answer from 127.0.0.2 (status $rc)"
        # ctrctl inspect shows the keys as systemd prints them
        out=$(ctrctl inspect ipfw)
        assert_contains "$out" '"ip_address_deny":["0.0.0.0/0","::/0"]' "ctrctl inspect"
        assert_contains "$out" '"ip_address_allow":["127.0.0.1/32"]' "ctrctl inspect"
        systemctl stop ctr@ipfw.service
}

# SocketBind*= came with systemd 249 and need it built with BPF_FRAMEWORK (Debian 12's 252 is not, Debian
# 13's 257 is): where systemd can enforce them, 8080/tcp binds and 8081 and 8080/udp fail with EPERM; where it
# cannot, the start is refused saying why, rather than running the container unfiltered.
test_ipfw_socket_bind() {
        ipfw_need
        write_ctr ipbind "SocketBindDeny=any" "SocketBindAllow=tcp:8080" "Exec=/bin/busybox sleep infinity"
        systemctl daemon-reload
        if ! systemctl --version | grep -q '+BPF_FRAMEWORK'; then
                local rc=0
                timeout 90 systemctl start ctr@ipbind.service || rc=$?
                [[ $rc -ne 0 ]] || fail "ctr@ipbind.service started on a systemd that cannot enforce SocketBindDeny="
                wait_for 20 bash -c "journalctl -q -o cat -u ctr@ipbind.service | grep -q 'SocketBindAllow=/SocketBindDeny= are not enforced on ctr-ipbind.scope'"
                journalctl -q -o cat -u ctr@ipbind.service | grep 'not enforced'
                [[ ! -e /run/ctr/ipbind/state ]] || fail "the refused container left its runtime state"
                systemctl reset-failed ctr@ipbind.service 2>/dev/null || true
                echo "ok: systemd $(systemd_version) without BPF_FRAMEWORK: the start was refused, saying why"
                return 0
        fi
        start_ctr ipbind
        # (systemctl show of 257 prints it "tcp8080")
        assert_contains "$(unit_prop ctr-ipbind.scope SocketBindAllow)" "8080" "ctr-ipbind.scope SocketBindAllow"
        local out
        out=$(ctrctl exec ipbind -- python3 -c '
import errno, socket
for kind, port in ((socket.SOCK_STREAM, 8080), (socket.SOCK_STREAM, 8081), (socket.SOCK_DGRAM, 8080)):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("0.0.0.0", port))
        r = "ok"
    except OSError as e:
        r = errno.errorcode[e.errno]
    print("tcp" if kind == socket.SOCK_STREAM else "udp", port, r)
')
        assert_eq "$out" $'tcp 8080 ok\ntcp 8081 EPERM\nudp 8080 EPERM' "binds from inside"
        systemctl stop ctr@ipbind.service
}

# Published ports after nftables.service replaced the ruleset (issue 16): the guest has no nftables package, so
# nftables.service is Debian's unit with ctr-vm-nft (libnftables, from the payload) in place of nft, running
# what Debian's /etc/nftables.conf begins with, "flush ruleset", on start, reload and stop. A second
# ExecReload= line records whether the table "ip ctr" was gone after the flush: ctr-network-restore.service
# (installed with ctr; nftables.service wants it through ctr's drop-in) reloads only after that.
ipfw_nftables_unit() {
        local nft
        nft=$(command -v ctr-vm-nft) || skip "no ctr-vm-nft in the payload"
        cat >/etc/systemd/system/nftables.service <<EOF
[Unit]
Description=nftables (the VM's stand-in: Debian's unit, nft by ctr-vm-nft, a ruleset that flushes)
DefaultDependencies=no
Before=network-pre.target shutdown.target
Wants=network-pre.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=$nft "flush ruleset"
ExecReload=$nft "flush ruleset"
ExecReload=/bin/sh -c 'if $nft "list table ip ctr" >/dev/null 2>&1; then echo present; else echo flushed; fi >>/run/ipnft.log'
ExecStop=$nft "flush ruleset"
EOF
        systemctl daemon-reload
}

ipnft_fetch() {
        [[ $(timeout 10 /bin/busybox wget -q -O - http://127.0.0.1:18057/index.html 2>/dev/null) == page-of-ipnft ]]
}

# restores N: ctr-network-restore.service has put back ipnft's port N times (start, reloads, restarts)
ipnft_restores() {
        [[ $(journalctl -q -o cat -u ctr-network-restore.service | grep -c 'Put back 1 published ports of 1 containers') == "$1" ]]
}

# vm-timeout: 240
test_ipfw_ports_survive_nftables_reload() {
        ipfw_need
        ipfw_nftables_unit
        assert_contains "$(unit_prop nftables.service Wants)" ctr-network-restore.service \
                "nftables.service Wants= (ctr's drop-in)"
        rm -f /run/ipnft.log
        write_ctr ipnft "Network=bridge" "Init=yes" "PublishPort=127.0.0.1:18057:8000" \
                "Exec=/bin/busybox sh -c 'echo page-of-ipnft > /tmp/index.html; exec /bin/busybox httpd -f -p 8000 -h /tmp'"
        systemctl daemon-reload
        start_ctr ipnft
        wait_for 30 ipnft_fetch
        echo "ok: the published port answers"

        # nftables.service's start flushes too; the restore follows it (After=)
        systemctl start nftables.service
        wait_for 30 ipnft_restores 1
        assert_prop ctr-network-restore.service ActiveState active
        wait_for 30 ipnft_fetch
        echo "ok: the published port answers after systemctl start nftables"

        systemctl reload nftables.service
        wait_for 30 bash -c '[[ -s /run/ipnft.log ]]'
        assert_eq "$(</run/ipnft.log)" flushed "the table right after nftables.service's reload"
        wait_for 30 ipnft_restores 2
        wait_for 30 ipnft_fetch
        echo "ok: the published port answers after systemctl reload nftables"

        systemctl restart nftables.service
        wait_for 30 ipnft_restores 3
        wait_for 30 ipnft_fetch
        echo "ok: the published port answers after systemctl restart nftables"
        systemctl stop ctr@ipnft.service
}

test_ipfw_cleanup() {
        systemctl stop ctr@ipopen.service ctr@ipfw.service ctr@ipbind.service ctr@ipnft.service 2>/dev/null || true
        systemctl reset-failed ctr@ipbind.service 2>/dev/null || true
        systemctl stop nftables.service ctr-network-restore.service 2>/dev/null || true
        rm -f /etc/ctr/ipopen.ctr /etc/ctr/ipfw.ctr /etc/ctr/ipbind.ctr /etc/ctr/ipnft.ctr \
                /etc/systemd/system/nftables.service /run/ipnft.log
        systemctl daemon-reload
}
