/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge over IPv6: ctr0's prefix, the host's IPv6 forwarding, and the container's IPv6 settings.
 *
 * The prefix: the first IPv6 address of global scope on ctr0 (an operator's, e.g. systemd-networkd's
 * Address=fd00:1:2::1/64; a ULA or a global prefix) is the gateway and its prefix the containers'. A ctr0
 * without one gets a ULA /64 (RFC 4193) whose 40-bit global ID is derived from the machine ID (stable across
 * reboots, different per host), with ::1 as the gateway. A container's address is the prefix with the host
 * number of its IPv4 address (10.121.3.7 in 10.121.0.0/16: PREFIX::307), so its IPv4 lease covers both.
 *
 * No router advertisements anywhere: ctr0 accepts none and sends none (the host is no radvd), a container gets
 * its address and default route statically and accepts none either (accept_ra=0, no SLAAC, no link-local
 * address of ours: addr_gen_mode=none on ctr0 we make and on eth0). What a container sends is filtered in the
 * table "bridge ctr" (network-firewall.c). A kernel or a host without IPv6 (net.ipv6.conf.all.disable_ipv6=1)
 * keeps the bridge IPv4-only, IPv6 off on ctr0 and in the containers, as before. */

#include <stdbool.h>
#include <stdint.h>

#include "network-libs.h"
#include "network-link.h"

/* Whether the host has IPv6: the kernel's, and not turned off for all interfaces. */
bool ipv6_host_enabled(void);
/* ctr0's IPv6 as it is: bn->ipv6 and the prefix when ctr0 has IPv6 on and an address of global scope. */
int bridge_read6(struct nl_sock *sk, BridgeNet *bn);
/* IPv6 on ctr0 (|created| now, or found), called before the link goes up: its sysctls, its prefix (its own,
 * or the ULA added), and the host's IPv6 forwarding. Sets bn->ipv6 and the prefix, or leaves IPv6 off. */
int bridge_ensure6(struct nl_sock *sk, bool created, BridgeNet *bn, char **ret_error);
/* The IPv6 address of the container holding the IPv4 lease of |address|. */
void bridge_address6(const BridgeNet *bn, uint32_t address, struct in6_addr *ret);
/* Inside the container's namespace, before eth0 is up: IPv6 on without router advertisements or a link-local
 * address when |ipv6|, else IPv6 off. */
int container_sysctls6(bool ipv6, char **ret_error);
