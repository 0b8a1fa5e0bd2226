/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge: the container's network namespace gets "eth0", one end of a veth pair whose other end is a
 * port of the host bridge ctr0 (created on first use with 10.121.0.1/16 and a ULA /64 derived from the machine
 * ID; one an operator made, e.g. with systemd-networkd, brings its own addresses); an address of the bridge's
 * network from a lease, the IPv6 address with the same host number in the bridge's IPv6 prefix, default routes
 * through the bridge's addresses; NAT to the outside and PublishPort= through the nftables tables "ip ctr" and
 * "ip6 ctr", the IPv6 guards on the bridge's ports in "bridge ctr", and PublishPort= on [::1] through a relay
 * process (network-proxy.h), since IPv6 has no route_localnet to DNAT the loopback with.
 *
 * Links and addresses through libnl-route (rtnetlink), the firewall through libnftables (nft's own library,
 * atomic transactions) but for the few requests of every start and stop, which go as nfnetlink messages (libnftnl)
 * (network-nfnl.h): no "ip" or "nft" binaries are run. All of it under one lock
 * (NETWORK_STATE_DIR/lock): leases and published ports of containers whose monitor died are collected there.
 * The bridge, the table and so the leases are one per machine: the directory is /run/ctr/.network whatever
 * CTR_RUNTIME_DIR says (tests set that for their containers, not for the machine's network).
 *
 * This header is the launcher's interface; network.c puts together the pieces in network-lease.c (leases and
 * the lock), network-firewall.c (the table), network-ports.c (PublishPort=) and network-link.c (rtnetlink). */

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "paths.h"

#define NETWORK_BRIDGE_NAME "ctr0"

typedef struct NetworkBridge {
        char *lease_path;       /* NETWORK_STATE_DIR/leases/ADDRESS, ours while the container runs */
        uint32_t address;       /* the container's IPv4 address, host byte order; 0 = none */
        bool has_address6;      /* the bridge has IPv6: |address6| is the container's */
        struct in6_addr address6;
        char **elements;        /* the nftables elements we added ("ip ctr publish { tcp . 8080 }"), to delete */
        char veth[16];          /* the host end, "vc-NAME"; empty until created */
        int veth_ifindex;
        bool has_source6;       /* its element of "bridge ctr"'s sources6 (network-firewall.c) exists */
        int *relay_fds;         /* the [::1] sockets of PublishPort=, bound; the relay's once it runs */
        unsigned *relay_ports;  /* the container port each leads to */
        int *relay_protocols;
        size_t n_relay;
        pid_t relay_pid;        /* the relay process (network-proxy.h); 0 = none */
} NetworkBridge;

/* Sets up Network=bridge for the container whose init is |pid| (stopped on the sync socket, in its own
 * network namespace) and whose hostname is |hostname| (for the names list, network-names.h). On failure
 * everything done so far is undone and |ret_error| says what failed (free it). */
int network_bridge_setup(const Container *c, const char *hostname, pid_t pid, NetworkBridge *ret,
                         char **ret_error);
/* Releases the lease (and its line of the names list), the published ports and the IPv6 source check. The veth
 * pair goes with the container's network namespace, which the kernel frees some time after the last process
 * exited; a host end still there is set down (network-link.h, veth_release()), and set aside by the next start
 * that needs its name. */
void network_bridge_done(NetworkBridge *n);

/* ctr-launch --restore-network, for ctr-network-restore.service after nftables.service reloaded or restarted
 * (its "flush ruleset" drops the table "ip ctr"): the table again, and the published ports of every running
 * bridged container from its lease. Nothing when no container is on the bridge. Logs; returns < 0 when
 * something could not be put back. */
int network_restore(unsigned *ret_leases, unsigned *ret_elements);

/* "fd12:3456:789a:0::5" into |buf| (at least INET6_ADDRSTRLEN bytes). */
const char *network_address6_format(const struct in6_addr *address, char *buf);

/* "10.121.0.5" into |buf| (at least 16 bytes). */
const char *network_address_format(uint32_t address, char *buf);
/* "10.121.0.5" into |ret| (host byte order); false when |s| is no IPv4 address in dotted quad form. */
bool network_address_parse(const char *s, uint32_t *ret);

/* The resolv.conf to copy into a bridged container: the host's, unless it only names a resolver on the
 * host's loopback (systemd-resolved's stub 127.0.0.53), which a bridged container cannot reach; then
 * systemd-resolved's list of the real upstream servers, when it exists. */
const char *network_resolv_conf_source(void);
