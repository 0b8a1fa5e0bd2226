/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PublishPort= on [::1]: IPv6 has no route_localnet, and the kernel drops a packet from ::1 that leaves lo, so a
 * connection of the host to [::1]:PORT cannot be DNATed to a container as one to 127.0.0.1:PORT is. A relay
 * does it instead, as docker-proxy does: the monitor binds [::1]:PORT (IPV6_V6ONLY) itself, so a port taken is a
 * failed start, and forks a process ("ctr-relay") that holds those sockets and nothing else of the monitor's,
 * with no capabilities and no_new_privs, in the host's network namespace, and forwards each TCP connection and
 * each UDP peer's datagrams to the container's IPv6 address. It dies with the monitor (PR_SET_PDEATHSIG), is
 * killed and reaped when the container's network goes, and has nothing in nftables, so a flush of the ruleset
 * does not touch it. The container sees connections from the bridge's address. */

#include "network.h"

/* Binds [::1]:|port| (|protocol| IPPROTO_TCP or IPPROTO_UDP) for |container_port|: appended to n->relay_*. */
int proxy_bind(NetworkBridge *n, int protocol, unsigned port, unsigned container_port);
/* Forks the relay for n->relay_* to n->address6 (nothing without sockets): n->relay_pid; the monitor's copies
 * of the sockets are closed. */
int proxy_start(NetworkBridge *n);
/* Kills and reaps the relay, closes the sockets. */
void proxy_stop(NetworkBridge *n);
