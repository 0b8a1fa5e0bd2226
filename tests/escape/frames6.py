# SPDX-License-Identifier: LGPL-2.1-or-later
# Crafted IPv6 frames for the bridge cases (cases/81-bridge-ipv6-*.sh copy this next to their scripts, which
# run inside containers with NET_RAW): a UDP datagram in an Ethernet frame, any source, any destination.
import socket, struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def mac_of(dev):
    return bytes.fromhex(open("/sys/class/net/%s/address" % dev).read().strip().replace(":", ""))


def udp6_frame(dst_mac, src_mac, src, dst, port, payload):
    """src, dst: 16 bytes each; the UDP checksum over the IPv6 pseudo header"""
    udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
    pseudo = src + dst + struct.pack("!I3xB", len(udp), 17)
    udp = udp[:6] + struct.pack("!H", csum(pseudo + udp)) + udp[8:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(udp), 17, 64) + src + dst
    return dst_mac + src_mac + b"\x86\xdd" + ip6 + udp


def raw_eth0():
    p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    p.bind(("eth0", 0))
    return p
