/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge over rtnetlink (libnl-route; no "ip" binary is run): the host bridge ctr0 (its address, its
 * fixed MAC, its sysctls, and the check that its network takes over none of the host's routes), the veth pairs
 * and the names of their host ends, and the container's side (lo and eth0 up, eth0's address, the default
 * route, the namespace's sysctls). It knows nothing of leases or nftables; network.c puts them together. */

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "macro.h"
#include "network-libs.h"
#include "network.h"

/* ctr0's IPv4 network: the gateway is ctr0's address, containers get the others; and its IPv6 prefix, where a
 * container's address has the host number of its IPv4 address (network-link6.h) */
typedef struct BridgeNet {
        int ifindex;
        uint32_t network, gateway;      /* host byte order */
        unsigned prefixlen;             /* 8…30 */
        bool ipv6;                      /* false: a kernel or a host without IPv6, the rest unset */
        struct in6_addr prefix6, gateway6;
        unsigned prefixlen6;
        bool created;                   /* bridge_ensure() made ctr0 (the first bridged start since boot) */
} BridgeNet;

DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_sock *, nl_socket_free);

typedef struct Sysctl {
        const char *path, *value;
} Sysctl;

/* Writes |n| sysctls in order; a missing file (a kernel without IPv6) is skipped. |where| ends the message. */
int sysctls_write(const Sysctl *list, size_t n, const char *where, char **ret_error);
/* libnl's error codes (negative NLE_*) as -errno; >= 0 passed through */
int nl_errno(int r);
int link_up(struct nl_sock *sk, struct rtnl_link *link);
/* |address| (4 or 16 bytes, network order, of |family|) on |ifindex|, with IFA_* |flags| (IFA_F_NODAD) */
int address_add(struct nl_sock *sk, int ifindex, int family, const void *address, int prefixlen, unsigned flags);
/* The default route of |family| through |gateway| (network order) on |ifindex|. */
int default_route_add(struct nl_sock *sk, int ifindex, int family, const void *gateway);

/* An rtnetlink socket of the caller's network namespace. */
int link_open(struct nl_sock **ret);

/* ctr0 (created when missing) up with an address (its own, or 10.121.0.1/16 on a bridge we created),
 * forwarding on, route_localnet for ports published on 127.0.0.1, IPv6 as network-link6.h says: |ret| says
 * its networks. */
int bridge_ensure(struct nl_sock *sk, BridgeNet *ret, char **ret_error);
/* ctr0's networks as they are, nothing changed (--restore-network): -ENODEV without ctr0. */
int bridge_read(struct nl_sock *sk, BridgeNet *ret);

/* The host end of the veth pair of container |name| holding the lease of |address|. */
void veth_name(const char *name, uint32_t address, char buf[static IFNAMSIZ]);
/* The pair whose host end is |name| (veth_name()): the host end (n->veth, set as soon as it exists, so a
 * failure later deletes it; n->veth_ifindex) a port of the bridge |bridge_ifindex| and up, "eth0" in the network
 * namespace of |pid|, in one request. -EEXIST when a link |name| exists. */
int veth_create(struct nl_sock *sk, const char *name, pid_t pid, int bridge_ifindex, NetworkBridge *n,
                char **ret_error);
/* Deletes the link |name| if it exists (its peer goes with it). */
void veth_delete(struct nl_sock *sk, const char *name);
/* At a stop: the pair goes with the container's network namespace, which the kernel frees some time after its
 * last process exited (deleting it here took a stop 10–30 ms: the kernel's unregistering of both ends, waiting for
 * RCU). If the host end |name| is still there with |ifindex|, it is only set down: a namespace not freed yet, or
 * one a process still holds (a container that joined it with Network=container:), must not speak for an address
 * that is free again. */
void veth_release(const char *name, int ifindex);
/* A link |name| that no running container has (one veth_release() left, its namespace not freed yet): down and
 * renamed "vh-.INDEX", out of the way of the pair that takes its name, until the kernel removes it (deleted if
 * that fails); 0 too when it is gone meanwhile, at any step. -EEXIST, nothing done, when |name| is no veth that
 * is a port of the bridge |bridge_ifindex|. */
int veth_set_aside(struct nl_sock *sk, const char *name, int bridge_ifindex);

/* Inside the network namespace of |pid|: lo and eth0 up, |address| on eth0 in |bn|'s network, the default
 * route through |bn|'s gateway, no forwarding; with IPv6 on the bridge |address6| and the IPv6 default route,
 * without router advertisements (network-link6.h), else no IPv6. The caller stays in its own namespace. */
int container_link_setup(pid_t pid, const BridgeNet *bn, uint32_t address, const struct in6_addr *address6,
                         char **ret_error);
