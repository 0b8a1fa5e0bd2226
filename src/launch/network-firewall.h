/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge in nftables, through libnftables (nft's own library, atomic transactions; no "nft" binary is
 * run): the table "ip ctr" every bridged container shares (and "ip6 ctr" and "bridge ctr" for IPv6) — NAT to the outside, the two maps of published
 * ports and the chains that look them up, the guards on input and forward — and running commands against it.
 * What goes into the maps is network-ports.c's; whether the tables exist, and the IPv6 source check's elements,
 * are asked on every start over nfnetlink (network-nfnl.h). */

#include <stdbool.h>

#include "macro.h"
#include "network-libs.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct nft_ctx *, nft_ctx_free);

/* A context whose output and errors are buffered (read them with nft_ctx_get_*_buffer()); NULL when out of
 * memory. */
struct nft_ctx *nft_open(void);
/* |*ctx|, opened by nft_open() if it is NULL: for the commands of a start that are not made on every start. */
struct nft_ctx *nft_lazy(struct nft_ctx **ctx);
/* Runs |cmd| (one transaction): -EEXIST when nft says "File exists", else -EIO; on failure |ret_error| (may be
 * NULL) gets nft's first error line. */
int nft_run(struct nft_ctx *ctx, const char *cmd, char **ret_error);
/* Creates the table "ip ctr" when missing, and adds the chains a table made by an older launcher lacks; with
 * |ipv6| "ip6 ctr" and "bridge ctr" too. */
int nft_ensure_table(struct nft_ctx *ctx, bool ipv6, char **ret_error);
/* nft_ensure_table() when a table or chain is missing, which network-nfnl.c finds without libnftables (|ctx| is
 * opened then, nft_lazy()). */
int firewall_ensure(struct nft_ctx **ctx, bool ipv6, char **ret_error);
