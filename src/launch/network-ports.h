/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PublishPort= for Network=bridge: a container's published ports are elements of the maps of the nftables
 * tables "ip ctr" and "ip6 ctr" (network-firewall.c) that lead to its addresses, and for [::1] sockets of the
 * relay (network-proxy.h). Publishing checks them against every other container's and against the host's own
 * sockets, and adds them in one transaction; deleting removes, in one transaction, what leads to given
 * addresses. Under the network lock (network-lease.h).
 *
 * Which families a PublishPort= takes: no address, both (IPv6 when the bridge has it: every IPv6 address by
 * DNAT, and [::1] by the relay); an IPv4 address, IPv4 (0.0.0.0: every one); "::", every IPv6 address and
 * [::1]; "::1", [::1] only; another IPv6 address, that one. A port on [::1] is an element of "ip6 ctr"'s map
 * publish_addr as well, which no packet ever matches: it names the container that holds the port, and is
 * collected with the rest. */

#include <stddef.h>
#include <stdint.h>

#include "ctr-file.h"
#include "network-link.h"
#include "network.h"

struct nft_ctx;

/* |c|'s PublishPort= as map elements leading to n->address (and n->address6), in one transaction: n->elements
 * (and their lines in the lease); the [::1] sockets bound: n->relay_*. |bn| is the bridge's network. Without
 * PublishPort= nothing, and libnftables is not even opened (|ctx| is opened on first use, nft_lazy()). */
int ports_publish(const Container *c, const BridgeNet *bn, struct nft_ctx **ctx, NetworkBridge *n,
                  char **ret_error);
/* Deletes, in one transaction, the map elements that lead to one of |addresses| (sorted here, in place) or
 * one of |addresses6| (the same). */
void published_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses, struct in6_addr *addresses6,
                      size_t n_addresses6);
/* published_delete(), and the elements of the set "sources6" (network-firewall.c) of |addresses6| in a
 * transaction of their own: what leads to the addresses of leases whose monitor is gone. */
void elements_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses, struct in6_addr *addresses6,
                     size_t n_addresses6);
