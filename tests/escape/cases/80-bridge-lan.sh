# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Bridged containers seen from the LAN. The host forwards (ip_forward=1, for the bridge), so a machine on its
# network that routes the bridge's network through it would reach every port of every container, published
# or not (Docker 28 closed the same). A network namespace plays that machine: a veth pair to the host and a
# route to ctr0's network through the host. A published port answers it (through the host's address), the
# container's own address does not, neither on an unpublished port nor on the container port of a publish.
#
# (A defence of the host's network setup: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against
# a launcher without it.)

BB=/bin/busybox
PORT_P=$((20000 + RANDOM % 12000))
LAN=ctrlan-$(token | head -c 8)
VH=clh$(token | head -c 8)
VP=clp$(token | head -c 8)
NET=$(ip -4 -o addr show dev ctr0 2>/dev/null | awk '{ print $4; exit }')

lan() { ip netns exec "$LAN" "$@"; }
from_lan() { lan timeout 5 $BB wget -q -O - "http://$1/index.html" 2>/dev/null; }

conf_host lanweb "Network=bridge" "PublishPort=$PORT_P:8000" \
        "Exec=$BB sh -c 'echo page > /tmp/index.html; $BB httpd -p 8001 -h /tmp; echo serving; exec $BB httpd -f -p 8000 -h /tmp'"
launch_bg lanweb
wait_for serving "$OUT"
IP=$(sed -n 's/^ADDRESS=//p' "$CTR_RUNTIME_DIR/lanweb/state" 2>/dev/null)
[ -n "$NET" ] || NET=$(ip -4 -o addr show dev ctr0 2>/dev/null | awk '{ print $4; exit }')

ip netns add "$LAN"
ip link add "$VH" type veth peer name "$VP" netns "$LAN"
ip addr add 198.18.213.1/30 dev "$VH"
ip link set "$VH" up
lan ip link set lo up
lan ip addr add 198.18.213.2/30 dev "$VP"
lan ip link set "$VP" up
lan ip route add "$(python3 -c 'import ipaddress, sys; print(ipaddress.ip_interface(sys.argv[1]).network)' "$NET")" \
        via 198.18.213.1

PAGE=
for _ in $(seq 1 100); do
        PAGE=$(from_lan "198.18.213.1:$PORT_P") && break
        sleep 0.05
done
check "from the LAN: a published port answers (through the host's address)" [ "$PAGE" = page ]
check "from the LAN: a container's unpublished port is not reached through its own address ($IP:8001)" \
        eval '[ -n "$IP" ] && ! from_lan "$IP:8001" > /dev/null'
check "from the LAN: a published container port is not reached through the container's own address" \
        eval '[ -n "$IP" ] && ! from_lan "$IP:8000" > /dev/null'
ip netns del "$LAN"
stop_bg
