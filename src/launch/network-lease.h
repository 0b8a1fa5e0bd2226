/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge, what is one per machine and shared by every bridged container: the lock, the leases of
 * addresses (NETWORK_STATE_DIR/leases/ADDRESS, first line "NAME PID STARTTIME" of the monitor), the published
 * ports (elements of the nftables maps of "ip ctr"), and the names of the host ends of the veth pairs.
 * network.c sets up the links and the ruleset around them. */

#include <net/if.h>
#include <stdint.h>

#include "ctr-file.h"
#include "network.h"

struct nft_ctx;

#define LEASES_DIR NETWORK_STATE_DIR "/leases"
#define LOCK_PATH NETWORK_STATE_DIR "/lock"

/* network.c's: runs |cmd| (one transaction); on failure |ret_error| gets nft's first error line. */
int nft_run(struct nft_ctx *ctx, const char *cmd, char **ret_error);

/* Creates the state directory and its leases directory when missing, then takes the lock: returns the fd that
 * holds it. */
int network_lock(void);
/* Leases of monitors that are gone (SIGKILL, a crash): their addresses and the ports that lead there are freed.
 * Under the lock.
 * |ret_dead_veths|: the host ends of their veth pairs, to delete. */
void leases_collect(struct nft_ctx *ctx, char ***ret_dead_veths);
/* A free address of network/prefixlen (not the gateway) for |c|, its lease written: n->lease_path, n->address. */
int lease_take(uint32_t network, unsigned prefixlen, uint32_t gateway, const Container *c, NetworkBridge *n,
               char **ret_error);
/* |c|'s PublishPort= as map elements leading to n->address, in one transaction: n->elements. */
int ports_publish(const Container *c, struct nft_ctx *ctx, NetworkBridge *n, char **ret_error);
/* Deletes, in one transaction, the map elements that lead to one of |addresses| (sorted). */
void elements_delete(struct nft_ctx *ctx, const uint32_t *addresses, size_t n_addresses);

/* The host end of |name|'s veth pair. */
void veth_name(const char *name, char buf[static IFNAMSIZ]);
