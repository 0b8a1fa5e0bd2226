# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The host's IPv6 loopback from a bridged container. A service that listens only on [::1] must not be reached:
# a container with NET_RAW crafts Ethernet frames (AF_PACKET) to ctr0's MAC with the destination ::1 (and
# ::ffff:127.0.0.1), from its own address; a UDP listener on the host's [::1] records the first datagram it
# gets, then the host sends its own. The [::1] relay of PublishPort= serves only the host. And a port published
# on [::1] still answers the host.
#
# (A defence of the host's network setup: CTR_ESCAPE_PRIVILEGED changes nothing here. The kernel itself drops a
# packet for ::1 that arrives on another interface (RFC 4291), before the table "ip6 ctr"'s input chain, which
# drops it too: the case guards both, and the relay, which must listen on [::1] only.)

if [ ! -d /proc/sys/net/ipv6 ] || [ "$(cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" != 0 ]; then
        skip "the host's [::1] from a bridged container" "no IPv6 on this host"
        return 0
fi

BB=/bin/busybox
PORT_L=$((20000 + RANDOM % 12000))
PORT_P=$((PORT_L + 1))
cp "$HERE/frames6.py" "$ROOT/"
cat > "$ROOT/lo6.py" <<'PY'
import socket, sys
sys.path.insert(0, "/x")
from frames6 import mac_of, raw_eth0, udp6_frame

gwmac = bytes.fromhex(sys.argv[1].replace(":", ""))
port = int(sys.argv[2])
src = None
for f in (l.split() for l in open("/proc/net/if_inet6")):
    if f[5] == "eth0" and not f[0].startswith("fe80"):
        src = bytes.fromhex(f[0])
p = raw_eth0()
for target in ("::1", "::ffff:127.0.0.1"):
    frame = udp6_frame(gwmac, mac_of("eth0"), src, socket.inet_pton(socket.AF_INET6, target), port,
                       b"from-the-container")
    for _ in range(3):
        p.send(frame)
print("sent to ::1", flush=True)
PY

python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", int(sys.argv[1])))
s.settimeout(30)
print("listening", flush=True)
try:
    open(sys.argv[2], "w").write(s.recv(100).decode(errors="replace"))
except OSError:
    pass
' "$PORT_L" "$T/lo6-first" > "$T/lo6-listen.out" 2>&1 &
LISTENER=$!
wait_for listening "$T/lo6-listen.out"

conf_host lo6attack "Network=bridge" "AddCapability=NET_RAW" \
        "Exec=/usr/bin/python3 /x/lo6.py $(cat /sys/class/net/ctr0/address 2>/dev/null || echo 00:00:00:00:00:00) $PORT_L"
launch lo6attack
sleep 1
python3 -c 'import socket, sys; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b"host", ("::1", int(sys.argv[1])))' "$PORT_L"
wait "$LISTENER"
check "datagrams crafted by a bridged container to ::1 were sent" has "sent to ::1"
check "the host's [::1]-only UDP listener gets nothing from a bridged container" \
        eval '[ "$(cat "$T/lo6-first")" = host ]'

conf_host lo6publish "Network=bridge" "PublishPort=[::1]:$PORT_P:8000" \
        "Exec=$BB sh -c 'echo page-from-the-container > /tmp/index.html; echo serving; exec $BB httpd -f -p [::]:8000 -h /tmp'"
launch_bg lo6publish
wait_for serving "$OUT"
PAGE=
for _ in $(seq 1 100); do
        PAGE=$(timeout 5 $BB wget -q -O - "http://[::1]:$PORT_P/index.html" 2>/dev/null) && break
        sleep 0.05
done
check "a port published on [::1] answers the host" [ "$PAGE" = page-from-the-container ]
GW6=$(ip -6 -o addr show dev ctr0 scope global | awk '{ sub("/.*", "", $4); print $4; exit }')
conf_host lo6relay "Network=bridge" \
        "Exec=$BB sh -c '$BB wget -q -T 3 -O - http://[::1]:$PORT_P/index.html; $BB wget -q -T 3 -O - http://[$GW6]:$PORT_P/index.html; echo tried'"
launch lo6relay
check "… and not a bridged container (neither its own [::1] nor the bridge's address)" \
        eval 'has tried && lacks page-from-the-container'
stop_bg
