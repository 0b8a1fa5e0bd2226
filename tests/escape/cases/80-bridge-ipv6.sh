# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Router advertisements on the bridge, which carries IPv6 (with its own ULA prefix). A bridged container
# (NET_RAW, as a packet tool has) sends router advertisements to ff02::1 on eth0, with a prefix and an MTU option — through a raw ICMPv6 socket and
# as raw Ethernet frames (AF_PACKET), so that the container's own settings do not decide: the host's IPv6
# routes, ctr0's addresses and MTU, and another bridged container's routes and addresses must not change
# (CVE-2020-13401): ctr0 and the containers accept none (accept_ra=0), and the table "bridge ctr" drops them
# on the bridge's ports. Then the container connects to a host listener on [::] through ctr0's link-local
# address (fe80::…%eth0), which must not answer: ctr0 has none of ours, and "ip6 ctr" drops what arrives on ctr0
# for a link-local address of the host (an operator's ctr0 has one). Over ctr0's prefix address the container
# reaches the host's [::] listeners, as it reaches its 0.0.0.0 ones over ctr0's IPv4 address.
#
# (A defence of the host's network setup: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against
# a launcher without it.)

PORT6=$((20000 + RANDOM % 12000))
cat > "$ROOT/ra.py" <<'EOF'
import socket, struct, sys, time

def mac_of(dev):
    return bytes.fromhex(open("/sys/class/net/%s/address" % dev).read().strip().replace(":", ""))

def link_local(mac):
    eui = bytes([mac[0] ^ 2]) + mac[1:3] + b"\xff\xfe" + mac[3:6]
    return b"\xfe\x80" + b"\0" * 6 + eui

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

# IPv6 on eth0, if any, is usable once duplicate address detection is over: wait for a link-local address
# that is no longer tentative (IFA_F_TENTATIVE), 3 s at most (there is none at all when IPv6 is off)
for _ in range(30):
    if any(f[5] == "eth0" and f[0].startswith("fe80") and not int(f[4], 16) & 0x40
           for f in (l.split() for l in open("/proc/net/if_inet6"))):
        break
    time.sleep(0.1)
mac = mac_of("eth0")
prefix = socket.inet_pton(socket.AF_INET6, "2001:db8:ca7::")
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
ra += struct.pack("!BB6s", 1, 1, mac)                                   # source link-layer address
ra += struct.pack("!BBHI", 5, 1, 0, 1280)                               # MTU
ra += struct.pack("!BBBBIII16s", 3, 4, 64, 0xc0, 86400, 14400, 0, prefix)   # prefix, on-link + autonomous
sent = 0
try:
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    for _ in range(3):
        s.sendto(ra, ("ff02::1", 0, 0, socket.if_nametoindex("eth0")))
        sent += 1
except OSError as e:
    print("icmpv6 socket:", e)
src, dst = link_local(mac), socket.inet_pton(socket.AF_INET6, "ff02::1")
pseudo = src + dst + struct.pack("!I3xB", len(ra), 58)
body = ra[:2] + struct.pack("!H", csum(pseudo + ra)) + ra[4:]
ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + src + dst
frame = b"\x33\x33\x00\x00\x00\x01" + mac + b"\x86\xdd" + ip6 + body
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind(("eth0", 0))
for _ in range(3):
    p.send(frame)
    sent += 1
print("router advertisements sent:", sent)

# the host's link-local address on ctr0 (EUI-64 of its MAC: the kernel's default), over a normal socket
gw = sys.argv[3] if len(sys.argv) > 3 else \
        socket.inet_ntop(socket.AF_INET6, link_local(bytes.fromhex(sys.argv[1].replace(":", ""))))
try:
    c = socket.create_connection(("%s%%eth0" % gw, int(sys.argv[2])), timeout=3)
    c.send(b"from-the-container")
    c.close()
    print("link-local connect: connected to", gw)
except OSError as e:
    print("link-local connect: refused:", e)
EOF

if ! ip -6 addr show dev lo >/dev/null 2>&1 || [ ! -d /proc/sys/net/ipv6 ]; then
        skip "router advertisements from a bridged container" "no IPv6 in this kernel"
        return 0
fi

ipv6_state() {          # the host's IPv6 routes and ctr0's addresses and MTU, without changing lifetimes
        ip -6 route show table all | grep -E '^default|ctr0|2001:db8:ca7' | sed 's/ expires [0-9]*sec//'
        ip -6 -o addr show dev ctr0 2>/dev/null | awk '{ print $4 }'
        cat /sys/class/net/ctr0/mtu 2>/dev/null
}
victim_state() {        # the victim's IPv6 routes, addresses and eth0 MTU, from inside its namespace
        nsenter -t "$1" -n sh -c 'ip -6 route show table all | sed "s/ expires [0-9]*sec//"; ip -6 -o addr; cat /sys/class/net/eth0/mtu'
}

# a host listener on [::]: it records the first message it gets
cat > "$T/listen6.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", int(sys.argv[1])))
s.listen(4)
s.settimeout(30)
print("listening", flush=True)
try:
    c, _ = s.accept()
    c.settimeout(5)
    open(sys.argv[2], "w").write(c.recv(100).decode(errors="replace"))
except OSError:
    pass
EOF
python3 "$T/listen6.py" "$PORT6" "$T/ipv6-first" > "$T/ipv6-listen.out" 2>&1 &
LISTENER=$!
wait_for listening "$T/ipv6-listen.out"

conf_host ravictim "Network=bridge" "Exec=/bin/sh -c 'echo victim-up; exec sleep 60'"
launch_bg ravictim
VICTIM_BG=$BG
wait_for victim-up "$OUT"
VICTIM=$(container_pids | tail -n 1)
sleep 0.5
HOST_BEFORE=$(ipv6_state)
VICTIM_BEFORE=$(victim_state "$VICTIM")

conf_host raattack "Network=bridge" "AddCapability=NET_RAW" \
        "Exec=/usr/bin/python3 /x/ra.py $(cat /sys/class/net/ctr0/address) $PORT6 $(ip -6 -o addr show dev ctr0 scope link | awk '{ sub("/.*", "", $4); print $4; exit }')"
launch raattack
sleep 2
HOST_AFTER=$(ipv6_state)
VICTIM_AFTER=$(victim_state "$VICTIM")
check "router advertisements from a bridged container were sent" has "router advertisements sent: "
check "router advertisements from a bridged container: the host's IPv6 routes, ctr0's addresses and MTU unchanged" \
        eval '[ "$HOST_BEFORE" = "$HOST_AFTER" ] && ! ip -6 route show table all | grep -q 2001:db8:ca7'
check "router advertisements from a bridged container: another bridged container unchanged" \
        eval '[ -n "$VICTIM_BEFORE" ] && [ "$VICTIM_BEFORE" = "$VICTIM_AFTER" ] && ! grep -q 2001:db8:ca7 <<< "$VICTIM_AFTER"'
python3 -c 'import socket, sys; c = socket.create_connection(("::1", int(sys.argv[1]))); c.send(b"host")' "$PORT6" 2> /dev/null
wait "$LISTENER"
check "a host listener on [::] is not reached from a bridged container over fe80::…%eth0" \
        eval '[ "$(cat "$T/ipv6-first")" = host ] && has "link-local connect: refused"'
BG=$VICTIM_BG
stop_bg
