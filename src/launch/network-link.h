/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge over rtnetlink (libnl-route; no "ip" binary is run): the host bridge ctr0 (its address, its
 * fixed MAC, its sysctls, and the check that its network takes over none of the host's routes), the veth pairs
 * and the names of their host ends, and the container's side (lo and eth0 up, eth0's address, the default
 * route, the namespace's sysctls). It knows nothing of leases or nftables; network.c puts them together. */

#include <net/if.h>
#include <stdint.h>
#include <sys/types.h>

#include <netlink/netlink.h>

#include "ctr-file.h"
#include "macro.h"
#include "network.h"

/* ctr0's IPv4 network: the gateway is ctr0's address, containers get the others */
typedef struct BridgeNet {
        int ifindex;
        uint32_t network, gateway;      /* host byte order */
        unsigned prefixlen;             /* 8…30 */
} BridgeNet;

DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_sock *, nl_socket_free);

/* An rtnetlink socket of the caller's network namespace. */
int link_open(struct nl_sock **ret);

/* ctr0 (created when missing) up with an address (its own, or 10.121.0.1/16 on a bridge we created),
 * forwarding on, route_localnet for ports published on 127.0.0.1, IPv6 off: |ret| says its network. */
int bridge_ensure(struct nl_sock *sk, BridgeNet *ret, char **ret_error);

/* The host end of the veth pair of container |name| holding the lease of |address|. */
void veth_name(const char *name, uint32_t address, char buf[static IFNAMSIZ]);
/* The pair for |c|: the host end (n->veth, set as soon as it exists, so a failure later deletes it) a port of
 * the bridge |bridge_ifindex| and up, "eth0" in the network namespace of |pid|. */
int veth_create(struct nl_sock *sk, const Container *c, pid_t pid, int bridge_ifindex, NetworkBridge *n,
                char **ret_error);
/* Deletes the link |name| if it exists (its peer goes with it). */
void veth_delete(struct nl_sock *sk, const char *name);

/* Inside the network namespace of |pid|: lo and eth0 up, |address| on eth0 in |bn|'s network, the default
 * route through |bn|'s gateway, no IPv6 and no forwarding. The caller stays in its own namespace. */
int container_link_setup(pid_t pid, const BridgeNet *bn, uint32_t address, char **ret_error);
