/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The nftables tables "ip ctr", "ip6 ctr" and "bridge ctr": their rulesets, the guards added to "ip ctr" since,
 * and nft_run(). */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "network-firewall.h"
#include "network-libs.h"
#include "network-nfnl.h"
#include "network.h"
#include "string-util.h"

/* The table every bridged container shares; its rules name the bridge, not its network, so an operator's
 * own address on ctr0 needs no change here. Published ports are elements of two maps (all host addresses,
 * and one host address), so a container adds and removes its own without touching rules; "add element" of a
 * key another container holds fails with EEXIST, which is the conflict check. Locally generated connections
 * to a published port (from the host itself, 127.0.0.1 included) are DNATed in "output"; those from loopback
 * need route_localnet on the bridge and a masquerade, as podman does. */
static const char nft_ruleset[] =
        "table ip ctr {\n"
        "        map publish {\n"
        "                type inet_proto . inet_service : ipv4_addr . inet_service\n"
        "        }\n"
        "        map publish_addr {\n"
        "                type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service\n"
        "        }\n"
        "        chain publish {\n"
        "                dnat ip to ip daddr . meta l4proto . th dport map @publish_addr\n"
        "                dnat ip to meta l4proto . th dport map @publish\n"
        "        }\n"
        "        chain prerouting {\n"
        "                type nat hook prerouting priority dstnat; policy accept;\n"
        "                fib daddr type local jump publish\n"
        "        }\n"
        "        chain output {\n"
        "                type nat hook output priority -100; policy accept;\n"
        "                fib daddr type local jump publish\n"
        "        }\n"
        "        chain postrouting {\n"
        "                type nat hook postrouting priority srcnat; policy accept;\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" oifname != \"" NETWORK_BRIDGE_NAME "\" masquerade\n"
        "                ip saddr 127.0.0.0/8 oifname \"" NETWORK_BRIDGE_NAME "\" masquerade\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" oifname \"" NETWORK_BRIDGE_NAME "\" ct status dnat masquerade\n"
        "        }\n"
        "}\n";

/* "forward" (below), the same for both families */
#define NFT_CHAIN_FORWARD                                                                               \
        "        chain forward {\n"                                                                     \
        "                type filter hook forward priority filter - 10; policy accept;\n"                \
        "                oifname != \"" NETWORK_BRIDGE_NAME "\" accept\n"                                \
        "                ct state established,related accept\n"                                         \
        "                ct status dnat accept\n"                                                       \
        "                iifname \"" NETWORK_BRIDGE_NAME "\" accept\n"                                   \
        "                drop\n"                                                                         \
        "        }\n"

/* Chains added after the first release of the table: a table made by an older launcher (and kept while its
 * containers run) gets each one that it lacks, in a transaction of its own, so the rules are never doubled.
 *
 * "input": route_localnet on ctr0 lets 127.0.0.0/8 in from the bridge, which replies to the host's own
 * connections to ports published on 127.0.0.1 need (masqueraded to ctr0's address, de-NATed back to
 * 127.0.0.1 before input); anything else for loopback from a container would reach services that listen only
 * on the host's loopback (CVE-2020-8558, what kube-proxy and netavark guard the same way).
 *
 * "forward": the host forwards (for the bridge), so a machine on its network routing the bridge's network
 * through it would reach every port of every container. Into ctr0 pass only published ports' connections
 * (DNATed), replies, and container to container (hairpin included); from ctr0 out everything (masqueraded),
 * as Docker 28 does. */
static const struct {
        const char *what, *rules;
} nft_guards[] = {
        { "chain ip ctr input",
          "table ip ctr {\n"
          "        chain input {\n"
          "                type filter hook input priority filter - 10; policy accept;\n"
          "                iifname \"" NETWORK_BRIDGE_NAME "\" ip daddr 127.0.0.0/8 ct status & dnat == 0 drop\n"
          "        }\n"
          "}\n" },
        { "chain ip ctr forward",
          "table ip ctr {\n"
          NFT_CHAIN_FORWARD
          "}\n" },
};

/* IPv6, NAT66: the same as "ip ctr" for the bridge's IPv6 prefix, with two differences. The loopback: ::1 cannot
 * be DNATed out of the host (IPv6 has no route_localnet, the kernel drops a packet from ::1 that leaves lo), so
 * "output" leaves it alone and network-proxy.c relays ports published on [::1]; "input" drops what arrives on
 * ctr0 for ::1 or for a link-local address of the host (an operator's ctr0 has one) other than neighbour
 * discovery, so a container reaches the host over IPv6 only through ctr0's prefix address, as over IPv4 through
 * its IPv4 address. Masquerade: a ULA prefix (fc00::/7, ours) leaving ctr0 is masqueraded to the host's
 * address (NAT66, as Docker and podman do for ULA); an operator's global prefix is routed as it is, the
 * operator routes it to the host. */
static const char nft_ruleset6[] =
        "table ip6 ctr {\n"
        "        map publish {\n"
        "                type inet_proto . inet_service : ipv6_addr . inet_service\n"
        "        }\n"
        "        map publish_addr {\n"
        "                type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service\n"
        "        }\n"
        "        chain publish {\n"
        "                dnat ip6 to ip6 daddr . meta l4proto . th dport map @publish_addr\n"
        "                dnat ip6 to meta l4proto . th dport map @publish\n"
        "        }\n"
        "        chain prerouting {\n"
        "                type nat hook prerouting priority dstnat; policy accept;\n"
        "                fib daddr type local jump publish\n"
        "        }\n"
        "        chain output {\n"
        "                type nat hook output priority -100; policy accept;\n"
        "                ip6 daddr != ::1 fib daddr type local jump publish\n"
        "        }\n"
        "        chain postrouting {\n"
        "                type nat hook postrouting priority srcnat; policy accept;\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" oifname != \"" NETWORK_BRIDGE_NAME "\" ip6 saddr fc00::/7 masquerade\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" oifname \"" NETWORK_BRIDGE_NAME "\" ct status dnat masquerade\n"
        "        }\n"
        "        chain input {\n"
        "                type filter hook input priority filter - 10; policy accept;\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" ip6 daddr ::1 drop\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" ip6 daddr fe80::/10 icmpv6 type { nd-neighbor-solicit, "
                        "nd-neighbor-advert } accept\n"
        "                iifname \"" NETWORK_BRIDGE_NAME "\" ip6 daddr fe80::/10 drop\n"
        "        }\n"
        NFT_CHAIN_FORWARD
        "}\n";

/* What a container sends over IPv6, on the bridge's ports (the host ends of the veth pairs, "vc-…" and "vh-…",
 * network-link.c), before the bridge forwards it or hands it to the host: no router advertisements, redirects
 * or multicast listener queries (CVE-2020-13401: the host and the other containers accept none anyway, this
 * keeps them off the segment), no DHCPv6, and only its own address as the source ("sources6": its port's index
 * and its address, an element each container adds and deletes; "::" only for neighbour discovery and multicast
 * listener reports). Frames the bridge sends to a container are not filtered. */
static const char nft_ruleset_bridge[] =
        "table bridge ctr {\n"
        "        set sources6 {\n"
        "                type iface_index . ipv6_addr\n"
        "        }\n"
        "        chain prerouting {\n"
        "                type filter hook prerouting priority filter; policy accept;\n"
        "                ether type ip6 iifname \"vc-*\" jump port6\n"
        "                ether type ip6 iifname \"vh-*\" jump port6\n"
        "        }\n"
        "        chain port6 {\n"
        "                icmpv6 type { nd-router-advert, nd-redirect, mld-listener-query } drop\n"
        "                udp dport { 546, 547 } drop\n"
        "                ip6 saddr :: icmpv6 type { nd-neighbor-solicit, mld-listener-report, mld2-listener-report } "
                        "accept\n"
        "                iif . ip6 saddr != @sources6 drop\n"
        "        }\n"
        "}\n";

struct nft_ctx *nft_open(void) {
        _cleanup_(nft_ctx_freep) struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);

        if (!ctx)
                return NULL;
        if (nft_ctx_buffer_output(ctx) < 0 || nft_ctx_buffer_error(ctx) < 0)
                return NULL;
        /* listings with protocols and interfaces as numbers: a host without /etc/protocols lists "6", not "tcp",
         * and a deleted veth's index has no name (network-ports.c reads the maps back) */
        nft_ctx_output_set_flags(ctx, nft_ctx_output_get_flags(ctx) | NFT_CTX_OUTPUT_NUMERIC_PROTO |
                                 NFT_CTX_OUTPUT_NUMERIC_SYMBOL);
        return TAKE_PTR(ctx);
}

struct nft_ctx *nft_lazy(struct nft_ctx **ctx) {
        if (!*ctx)
                *ctx = nft_open();
        return *ctx;
}

int nft_run(struct nft_ctx *ctx, const char *cmd, char **ret_error) {
        const char *err, *nl;

        if (nft_run_cmd_from_buffer(ctx, cmd) == 0)
                return 0;
        /* read once: getting the buffer resets it */
        err = strempty(nft_ctx_get_error_buffer(ctx));
        if (ret_error) {
                const char *e = startswith(err, "Error: ") ?: err;

                nl = strchr(e, '\n');
                strprintf_replace(ret_error, "%.*s", (int) (nl ? nl - e : (ptrdiff_t) strlen(e)), e);
        }
        return strstr(err, "File exists") ? -EEXIST : -EIO;
}

/* Runs |ruleset| unless "list |what|" (a table, a chain) finds what it makes. */
static int nft_ensure(struct nft_ctx *ctx, const char *what, const char *ruleset, char **ret_error) {
        _cleanup_free_ char *cmd = strprintf("list %s", what);
        int r;

        if (!cmd)
                return -ENOMEM;
        if (nft_run(ctx, cmd, NULL) == 0)
                return 0;
        r = nft_run(ctx, ruleset, ret_error);
        if (r < 0)
                strprintf_replace(ret_error, "Failed to create the nftables %s: %s", what, strna(*ret_error));
        return r;
}

int nft_ensure_table(struct nft_ctx *ctx, bool ipv6, char **ret_error) {
        int r;

        r = nft_ensure(ctx, "table ip ctr", nft_ruleset, ret_error);
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(nft_guards); i++)
                r = nft_ensure(ctx, nft_guards[i].what, nft_guards[i].rules, ret_error);
        if (r >= 0 && ipv6)
                r = nft_ensure(ctx, "table ip6 ctr", nft_ruleset6, ret_error);
        if (r >= 0 && ipv6)
                r = nft_ensure(ctx, "table bridge ctr", nft_ruleset_bridge, ret_error);
        return r;
}

int firewall_ensure(struct nft_ctx **ctx, bool ipv6, char **ret_error) {
        /* the answer of every start but the first: no libnftables */
        if (nfnl_tables_exist(ipv6) >= 0)
                return 0;
        if (!nft_lazy(ctx)) {
                strprintf_replace(ret_error, "Failed to initialise libnftables");
                return -ENOMEM;
        }
        return nft_ensure_table(*ctx, ipv6, ret_error);
}
