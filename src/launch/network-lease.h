/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge, the addresses: one per machine and shared by every bridged container, under one lock
 * (NETWORK_STATE_DIR/lock). A lease is the file NETWORK_STATE_DIR/leases/ADDRESS, first line "NAME PID
 * STARTTIME[ HOSTNAME]" of the monitor that holds it (HOSTNAME when it is not NAME, for the names list,
 * network-names.h); a lease whose monitor is gone is collected with what leads to its
 * address (the published ports, network-ports.c) and the host end of its veth pair (network-link.c). */

#include <stdbool.h>
#include <stdint.h>

#include "ctr-file.h"
#include "network-link.h"
#include "network.h"

struct nft_ctx;

#define LEASES_DIR NETWORK_STATE_DIR "/leases"
#define LOCK_PATH NETWORK_STATE_DIR "/lock"

/* Creates the state directory and its leases directory when missing, then takes the lock: returns the fd that
 * holds it. */
int network_lock(void);
/* Leases of monitors that are gone (SIGKILL, a crash): their addresses and the ports that lead there are freed.
 * Under the lock.
 * |ret_dead_veths|: the host ends of their veth pairs, to delete. */
/* |ret_hosts|: the names list's lines of the live leases (network-names.h), read on the way. */
/* |ret_live_veths| (may be NULL): the host ends of the live leases' pairs, what a start must never delete. */
/* |bn|: the bridge's networks (NULL: none), for the IPv6 addresses of the leases. |ctx| is opened (nft_lazy())
 * only when there is a lease to collect. */
void leases_collect(struct nft_ctx **ctx, const BridgeNet *bn, char ***ret_dead_veths, char ***ret_live_veths,
                    char ***ret_hosts);
/* A free address of |bn|'s network (not the gateway, nor the one whose IPv6 address is the bridge's) for |c|
 * (whose hostname is |hostname|), its lease written: n->lease_path, n->address. */
int lease_take(const BridgeNet *bn, const Container *c, const char *hostname, NetworkBridge *n, char **ret_error);
/* The container holding |address|'s lease, from its first word ("?" when unknown); NULL when out of memory. */
char *lease_name(uint32_t address);
/* Appends |elements| to the lease at |path|, one a line: its published ports as map elements with their data
 * ("publish { tcp . 8080 : 10.121.0.5 . 80 }", "ip6 publish { tcp . 8080 : fd00::5 . 80 }") and its element of
 * the IPv6 source check ("bridge sources6 { 17 . fd00::5 }"), what leases_restore() puts back. */
int lease_add_elements(const char *path, char *const *elements);
/* After "flush ruleset" (nftables.service's reload or restart): makes the table "ip ctr" (and with |ipv6| those
 * of IPv6) again when a live lease exists, and puts back the published ports of every live lease, one transaction per lease. Counts the
 * live leases and the elements put back; < 0 when the table or one lease's ports could not be (logged), the
 * other leases' are still put back. Under the lock, after leases_collect(). */
int leases_restore(struct nft_ctx *ctx, bool ipv6, unsigned *ret_leases, unsigned *ret_elements);
