# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The host's loopback from a bridged container (CVE-2020-8558 class). ctr0 has route_localnet=1, so that
# replies of connections to ports published on 127.0.0.1 come back through it; a frame a container crafts to
# the bridge's MAC with destination 127.0.0.1 must still not reach a service that listens only on the host's
# loopback (here a UDP listener on 127.0.0.1, which records the first datagram it gets; the host then sends
# its own). A port published on 127.0.0.1 still works from the host.
#
# (A defence of the host's network setup: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against
# a launcher without it.)

BB=/bin/busybox
PORT_L=$((20000 + RANDOM % 12000))
PORT_P=$((PORT_L + 1))
cat > "$ROOT/lo.py" <<'EOF'
import socket, struct, sys, time

def csum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

# the gateway (the default route's) and its MAC: ctr0's, learnt by ARP
for line in open("/proc/net/route").readlines()[1:]:
    f = line.split()
    if f[1] == "00000000":
        gw = socket.inet_ntoa(struct.pack("<I", int(f[2], 16)))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.connect((gw, 9))
src = u.getsockname()[0]
gwmac = None
for _ in range(50):
    try:
        u.send(b"x")
    except OSError:
        pass
    time.sleep(0.1)
    for line in open("/proc/net/arp").readlines()[1:]:
        f = line.split()
        if f[0] == gw and f[3] != "00:00:00:00:00:00":
            gwmac = f[3]
    if gwmac:
        break
mac = bytes.fromhex(open("/sys/class/net/eth0/address").read().strip().replace(":", ""))
payload = b"from-the-container"
udp = struct.pack("!HHHH", 40000, int(sys.argv[1]), 8 + len(payload), 0) + payload
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, socket.inet_aton(src),
                 socket.inet_aton("127.0.0.1"))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
frame = bytes.fromhex(gwmac.replace(":", "")) + mac + b"\x08\x00" + ip + udp
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
p.bind(("eth0", 0))
for _ in range(3):
    p.send(frame)
print("sent to 127.0.0.1 through", gw, gwmac)
EOF

python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.settimeout(30)
print("listening", flush=True)
try:
    open(sys.argv[2], "w").write(s.recv(100).decode(errors="replace"))
except OSError:
    pass
' "$PORT_L" "$T/lo-first" > "$T/lo-listen.out" 2>&1 &
LISTENER=$!
wait_for listening "$T/lo-listen.out"

conf_host loattack "Network=bridge" "AddCapability=NET_RAW" "Exec=/usr/bin/python3 /x/lo.py $PORT_L"
launch loattack
sleep 1
python3 -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"host", ("127.0.0.1", int(sys.argv[1])))' "$PORT_L"
wait "$LISTENER"
check "a datagram crafted by a bridged container to 127.0.0.1 was sent" has "sent to 127.0.0.1 through"
check "the host's loopback-only UDP listener gets nothing from a bridged container" \
        eval '[ "$(cat "$T/lo-first")" = host ]'

conf_host lopublish "Network=bridge" "PublishPort=127.0.0.1:$PORT_P:8000" \
        "Exec=$BB sh -c 'echo page-from-the-container > /tmp/index.html; echo serving; exec $BB httpd -f -p 8000 -h /tmp'"
launch_bg lopublish
wait_for serving "$OUT"
PAGE=
for _ in $(seq 1 100); do
        PAGE=$(timeout 5 $BB wget -q -O - "http://127.0.0.1:$PORT_P/index.html" 2>/dev/null) && break
        sleep 0.05
done
check "a port published on 127.0.0.1 still answers the host" [ "$PAGE" = page-from-the-container ]
stop_bg
