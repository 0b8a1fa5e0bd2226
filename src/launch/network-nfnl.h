/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The nftables requests every bridged start and stop makes, as nfnetlink messages (built by libnftnl, sent
 * with libmnl): whether the tables and chains of network-firewall.c exist, and adding or deleting a container's element of "bridge ctr"'s set
 * sources6. libnftables (network-firewall.c) does the same in a few hundred microseconds once warm, but a
 * launcher runs each command cold: its parser and its cache (four hash tables of 128 KiB for each table it
 * reads, each a fresh mmap) cost a fresh process 3–4 ms a command. These are a few netlink messages each.
 * Everything else (making the tables, published ports, collecting leases, --restore-network) stays with
 * libnftables. */

#include <netinet/in.h>
#include <stdbool.h>

/* 0 when the tables "ip ctr" (with its chains "input" and "forward", which older launchers did not make) and,
 * with |ipv6|, "ip6 ctr" and "bridge ctr" all exist; -ENOENT when one is missing; another -errno when the
 * kernel could not be asked (the caller then asks libnftables). */
int nfnl_tables_exist(bool ipv6);

/* Adds (|add|) or deletes the element "IFINDEX . ADDRESS" of the set "bridge ctr" sources6, in a transaction of
 * its own: what "add element bridge ctr sources6 { IFINDEX . ADDRESS }" does. Deleting one that is not there
 * is -ENOENT. */
int nfnl_sources6(bool add, int ifindex, const struct in6_addr *address);
