/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PublishPort= for Network=bridge: a container's published ports are elements of the maps of the nftables
 * table "ip ctr" (network-firewall.c) that lead to its address. Publishing checks them against every other
 * container's and against the host's own sockets, and adds them in one transaction; deleting removes, in one
 * transaction, what leads to given addresses. Under the network lock (network-lease.h). */

#include <stddef.h>
#include <stdint.h>

#include "ctr-file.h"
#include "network.h"

struct nft_ctx;

/* |c|'s PublishPort= as map elements leading to n->address, in one transaction: n->elements. */
int ports_publish(const Container *c, struct nft_ctx *ctx, NetworkBridge *n, char **ret_error);
/* Deletes, in one transaction, the map elements that lead to one of |addresses| (sorted here, in place). */
void elements_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses);
