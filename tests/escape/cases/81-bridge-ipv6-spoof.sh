# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# IPv6 source spoofing on the bridge. A bridged container given NET_RAW (as a packet tool has) crafts Ethernet
# frames (AF_PACKET, so its own stack decides nothing) to ctr0's MAC: UDP to a host listener on ctr0's IPv6
# address, with another running container's IPv6 address as the source, then with "::" and with a link-local
# source; and sends one datagram the ordinary way from its own address. The listener (the canary) must get the
# ordinary one, from the attacker's address, and none of the forged ones: the table "bridge ctr" lets a
# container's port carry only that container's address. (A forged source would let a container impersonate
# another to the host, or make the host answer the other one.)
#
# (A defence of the host's network setup: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against
# a launcher without it.)

if [ ! -d /proc/sys/net/ipv6 ] || [ "$(cat /proc/sys/net/ipv6/conf/all/disable_ipv6)" != 0 ]; then
        skip "IPv6 source spoofing from a bridged container" "no IPv6 on this host"
        return 0
fi

PORT6=$((20000 + RANDOM % 12000))
cp "$HERE/frames6.py" "$ROOT/"
cat > "$ROOT/spoof6.py" <<'PY'
import socket, sys
sys.path.insert(0, "/x")
from frames6 import mac_of, raw_eth0, udp6_frame

gwmac = bytes.fromhex(sys.argv[1].replace(":", ""))
gw, victim, port = sys.argv[2], sys.argv[3], int(sys.argv[4])
dst = socket.inet_pton(socket.AF_INET6, gw)

# the ordinary datagram first, so that the host has ctr0's neighbour entry for the attacker too
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
u.sendto(b"genuine", (gw, port))
p = raw_eth0()
for src in (victim, "::", "fe80::1"):
    frame = udp6_frame(gwmac, mac_of("eth0"), socket.inet_pton(socket.AF_INET6, src), dst, port,
                       b"spoofed-" + src.encode())
    for _ in range(3):
        p.send(frame)
print("sent forged datagrams", flush=True)
PY

GW6=$(ip -6 -o addr show dev ctr0 scope global 2>/dev/null | awk '{ sub("/.*", "", $4); print $4; exit }')
python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.settimeout(8)
print("listening", flush=True)
out = open(sys.argv[2], "w")
try:
    while True:
        d, a = s.recvfrom(200)
        out.write("%s %s\n" % (a[0], d.decode(errors="replace")))
        out.flush()
except OSError:
    pass
' "$PORT6" "$T/spoof6-got" > "$T/spoof6-listen.out" 2>&1 &
LISTENER=$!
wait_for listening "$T/spoof6-listen.out"

conf_host sp6victim "Network=bridge" "Exec=/bin/busybox sh -c '/bin/busybox ip -6 addr show dev eth0; echo victim-up; exec /bin/busybox sleep 60'"
launch_bg sp6victim
wait_for victim-up "$OUT"
VICTIM6=$(sed -n 's|.*inet6 \([0-9a-f:]*\)/.*scope global.*|\1|p' "$OUT" | head -n 1)
[ -n "$GW6" ] || GW6=$(ip -6 -o addr show dev ctr0 scope global | awk '{ sub("/.*", "", $4); print $4; exit }')

conf_host sp6attack "Network=bridge" "AddCapability=NET_RAW" \
        "Exec=/usr/bin/python3 /x/spoof6.py $(cat /sys/class/net/ctr0/address) $GW6 $VICTIM6 $PORT6"
launch sp6attack
wait "$LISTENER"
check "forged IPv6 datagrams from a bridged container were sent" \
        eval '[ -n "$VICTIM6" ] && has "sent forged datagrams"'
check "the host gets the attacker's ordinary datagram, from its own address" \
        eval 'grep -q " genuine$" "$T/spoof6-got" && ! grep -q "^$VICTIM6 genuine" "$T/spoof6-got"'
check "the host gets no datagram with another container's (or a link-local, or the unspecified) source" \
        eval '! grep -q spoofed "$T/spoof6-got"'
stop_bg
