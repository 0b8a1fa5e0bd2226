/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The values of IPAddressAllow=/IPAddressDeny= and SocketBindAllow=/SocketBindDeny=, one word at a time, as
 * systemd.resource-control(5) reads them: ctr passes them to the container's scope, and systemd's own cgroup
 * BPF programs enforce them on the workload. Parsed here so that a bad value is refused in the .ctr, with its
 * file and line, rather than by systemd at start. Pure: no process, no log. */

#include <stddef.h>
#include <stdint.h>

/* One address prefix, in the D-Bus form of IPAddressAllow= (a(iayu)): family, address, prefix length. */
typedef struct IPAddressPrefix {
        int family;             /* AF_INET or AF_INET6 */
        uint8_t address[16];    /* network byte order, host bits cleared; AF_INET uses the first 4 bytes */
        uint8_t prefixlen;
} IPAddressPrefix;

/* One SocketBindAllow=/SocketBindDeny= rule, in the D-Bus form (a(iiqq)). */
typedef struct SocketBindRule {
        int family;             /* AF_UNSPEC (both), AF_INET, AF_INET6 */
        int protocol;           /* 0 (both), IPPROTO_TCP, IPPROTO_UDP */
        uint16_t nr_ports;      /* how many from port_min; 0 (with port_min 0): any port */
        uint16_t port_min;
} SocketBindRule;

/* "IPv4 and IPv6" words expand to two prefixes at most. */
#define IP_ADDRESS_WORD_MAX 2U

/* One word of IPAddressAllow=/IPAddressDeny=: any (0.0.0.0/0 ::/0), localhost (127.0.0.0/8 ::1/128),
 * link-local (169.254.0.0/16 fe80::/64), multicast (224.0.0.0/4 ff00::/8), or ADDRESS[/PREFIXLEN] (without
 * a length: the address alone). Fills |ret| with 1 or 2 prefixes and returns how many; -EINVAL for anything
 * else. */
int parse_ip_address_word(const char *word, IPAddressPrefix ret[static IP_ADDRESS_WORD_MAX]);

/* One word of SocketBindAllow=/SocketBindDeny=: [ipv4:|ipv6:][tcp:|udp:]PORT[-PORT], or the same prefixes
 * before "any". -EINVAL for anything else (port 0, a range backwards, an unknown part). */
int parse_socket_bind_rule(const char *word, SocketBindRule *ret);

/* The forms systemd prints: "10.0.0.0/8", "::1/128"; "ipv4:tcp:8080-8081", "udp:53", "any". |size| at least
 * IP_ACCESS_STRING_MAX. */
#define IP_ACCESS_STRING_MAX 64U
const char *ip_address_prefix_to_string(const IPAddressPrefix *p, char *buf, size_t size);
const char *socket_bind_rule_to_string(const SocketBindRule *r, char *buf, size_t size);
