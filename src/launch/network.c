/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Network=bridge as the launcher sees it: setting a container up and tearing it down, in order, under the
 * network lock. What each step does is elsewhere, one concern a file:
 *   network-lease.c     the lock, the addresses' leases, collecting those of dead monitors
 *   network-firewall.c  the nftables tables "ip ctr", "ip6 ctr", "bridge ctr" (NAT, the maps' lookups, the guards)
 *   network-firewalld.c whether firewalld, if it runs, has ctr0 in ctr's zone (asked when ctr0 is made)
 *   network-nfnl.c      what every start asks nftables (the tables there? the IPv6 source check), over nfnetlink
 *   network-ports.c     PublishPort= as elements of those maps
 *   network-proxy.c     PublishPort= on [::1], relayed
 *   network-link.c      the bridge ctr0, the veth pairs and the container's side, over rtnetlink
 *   network-link6.c     their IPv6: the prefix, forwarding, no router advertisements
 *   network-names.c     the names list, and each container's /etc/hosts made from it */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "network-firewall.h"
#include "network-firewalld.h"
#include "network-lease.h"
#include "network-libs.h"
#include "network-link.h"
#include "network-link6.h"
#include "network-names.h"
#include "network-nfnl.h"
#include "network-ports.h"
#include "network-proxy.h"
#include "network.h"
#include "string-util.h"
#include "strv.h"

const char *network_address_format(uint32_t address, char *buf) {
        struct in_addr a = { .s_addr = htonl(address) };

        return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

const char *network_address6_format(const struct in6_addr *address, char *buf) {
        return inet_ntop(AF_INET6, address, buf, INET6_ADDRSTRLEN);
}

bool network_address_parse(const char *s, uint32_t *ret) {
        struct in_addr a;

        if (inet_pton(AF_INET, s, &a) != 1)
                return false;
        *ret = ntohl(a.s_addr);
        return true;
}

/* The elements that lead to the container's addresses: its IPv6 source check's, by its key (the port's index is
 * ours while the port exists, and no port gets it again soon: the kernel hands out indexes in a cycle), and its
 * published ports' (|ctx| opened then). One that a reload of the firewall dropped is not there to delete. */
static void bridge_elements_delete(struct nft_ctx **ctx, NetworkBridge *n) {
        uint32_t address = n->address;
        struct in6_addr address6 = n->address6;
        int r;

        if (n->has_source6) {
                r = nfnl_sources6(false, n->veth_ifindex, &n->address6);
                if (r < 0 && r != -ENOENT && nft_lazy(ctx))
                        elements_delete(*ctx, NULL, 0, &address6, 1);   /* by its address, as nft lists it */
                n->has_source6 = false;
        }
        if (!strv_isempty(n->elements) && nft_lazy(ctx))
                published_delete(*ctx, &address, 1, &address6, n->has_address6 ? 1 : 0);
}

/* Undoes what a failed setup did, in the reverse order: the relay, the ports, the link, the lease. */
static void bridge_undo(struct nl_sock *sk, struct nft_ctx **ctx, NetworkBridge *n) {
        proxy_stop(n);
        bridge_elements_delete(ctx, n);
        if (sk && n->veth[0])
                veth_delete(sk, n->veth);
        if (n->lease_path)
                (void) unlink(n->lease_path);
        free(n->lease_path);
        strv_free(n->elements);
}

/* The pair, under the lease's name for it. A veth on ctr0 of that name that no live lease has is a stopped
 * container's whose network namespace the kernel has not freed yet (network-link.h, veth_release()): set aside,
 * and the pair made again. */
static int bridge_veth_create(struct nl_sock *sk, const Container *c, pid_t pid, const BridgeNet *bn,
                              char * const *live_veths, NetworkBridge *n, char **ret_error) {
        char name[IFNAMSIZ];
        int r;

        veth_name(c->name, n->address, name);
        r = veth_create(sk, name, pid, bn->ifindex, n, ret_error);
        if (r != -EEXIST || strv_contains(live_veths, name))
                return r;
        log_debug("Container '%s': %s is left by a container that stopped, setting it aside.", c->name, name);
        if (veth_set_aside(sk, name, bn->ifindex) < 0)
                return r;       /* not ours: refused as it was */
        return veth_create(sk, name, pid, bn->ifindex, n, ret_error);
}

/* The source check on the bridge's ports: this container's IPv6 address from its own port only. Listed in the
 * lease, for leases_restore() after a flush of the ruleset. */
static int bridge_source6_add(const Container *c, NetworkBridge *n, char **ret_error) {
        _cleanup_free_ char *line = NULL;
        char a6[INET6_ADDRSTRLEN];
        int r;

        r = nfnl_sources6(true, n->veth_ifindex, &n->address6);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to add the IPv6 source check of %s: %s", n->veth, strerror(-r));
                return r;
        }
        n->has_source6 = true;
        line = strprintf("bridge sources6 { %d . %s }", n->veth_ifindex, network_address6_format(&n->address6, a6));
        if (!line)
                return -ENOMEM;
        r = lease_add_elements(n->lease_path, STRV_MAKE(line));
        if (r < 0)
                log_warning_errno(r, "Container '%s': failed to list its IPv6 source check in the lease %s, it "
                                  "will not be put back after a reload of the firewall: %m", c->name, n->lease_path);
        return 0;
}

int network_bridge_setup(const Container *c, const char *hostname, pid_t pid, NetworkBridge *ret,
                         char **ret_error) {
        _cleanup_strv_free_ char **dead_veths = NULL, **live_veths = NULL, **hosts = NULL;
        _cleanup_close_ int lock = -EBADF;
        _cleanup_(nft_ctx_freep) struct nft_ctx *ctx = NULL;      /* only when needed, nft_lazy() */
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
        NetworkBridge n = {};
        BridgeNet bn = {};
        int r;

        network_libs_load();
        lock = network_lock();
        if (lock < 0) {
                strprintf_replace(ret_error, "Failed to create or lock %s", LOCK_PATH);
                return lock;
        }

        r = link_open(&sk);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to open rtnetlink: %s", strerror(-r));
                return r;
        }
        /* the bridge first: its IPv6 prefix says what the leases of dead monitors led to */
        r = bridge_ensure(sk, &bn, ret_error);
        if (r < 0)
                return r;
        if (bn.created)
                firewalld_check_bridge_zone();
        r = firewall_ensure(&ctx, bn.ipv6, ret_error);
        if (r < 0)
                return r;
        leases_collect(&ctx, &bn, &dead_veths, &live_veths, &hosts);
        STRV_FOREACH(v, dead_veths)
                veth_delete(sk, *v);

        /* from here on, each step leaves something in |n| that a failure undoes */
        r = lease_take(&bn, c, hostname, &n, ret_error);
        if (r >= 0 && bn.ipv6) {
                bridge_address6(&bn, n.address, &n.address6);
                n.has_address6 = true;
        }
        if (r >= 0)
                r = bridge_veth_create(sk, c, pid, &bn, live_veths, &n, ret_error);
        if (r >= 0 && n.has_address6)
                r = bridge_source6_add(c, &n, ret_error);
        if (r >= 0)
                r = ports_publish(c, &bn, &ctx, &n, ret_error);
        if (r >= 0)
                r = container_link_setup(pid, &bn, n.address, n.has_address6 ? &n.address6 : NULL, ret_error);
        if (r >= 0) {
                r = proxy_start(&n);
                if (r < 0)
                        strprintf_replace(ret_error, "Failed to start the relay of the ports published on [::1]: %s",
                                          strerror(-r));
        }
        if (r < 0) {
                bridge_undo(sk, &ctx, &n);
                return r;
        }

        /* the names list: the live leases just read, and ours; without it, no container finds another by name,
         * but each still runs */
        char *line = hosts_list_line(n.address, c->name, hostname);
        if (line)
                (void) strv_consume(&hosts, line);
        r = hosts_list_write(hosts);
        if (r < 0)
                log_warning_errno(r, "Failed to write %s, containers do not find each other by name: %m",
                                  HOSTS_LIST_PATH);

        *ret = n;
        return 0;
}

void network_bridge_done(NetworkBridge *n) {
        _cleanup_(nft_ctx_freep) struct nft_ctx *ctx = NULL;
        _cleanup_close_ int lock = -EBADF;
        int r;

        if (!n || !n->lease_path)
                return;
        proxy_stop(n);
        lock = network_lock();
        bridge_elements_delete(&ctx, n);
        if (n->veth[0]) {
                veth_release(n->veth, n->veth_ifindex);
                n->veth[0] = '\0';
        }
        (void) unlink(n->lease_path);
        r = hosts_list_remove(n->address);
        if (r < 0)
                log_warning_errno(r, "Failed to remove '%s' from %s: %m", n->lease_path, HOSTS_LIST_PATH);
        n->lease_path = mfree(n->lease_path);
        n->elements = strv_free(n->elements);
        n->address = 0;
        n->has_address6 = false;
}

int network_restore(unsigned *ret_leases, unsigned *ret_elements) {
        _cleanup_strv_free_ char **dead_veths = NULL, **hosts = NULL;
        _cleanup_close_ int lock = -EBADF;
        _cleanup_(nft_ctx_freep) struct nft_ctx *ctx = NULL;
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
        BridgeNet bn = {};
        bool have_bridge;

        *ret_leases = *ret_elements = 0;
        network_libs_load();
        lock = network_lock();
        if (lock < 0)
                return log_error_errno(lock, "Failed to create or lock %s: %m", LOCK_PATH);
        ctx = nft_open();
        if (!ctx)
                return log_oom();
        /* ctr0 as it is: with IPv6, the tables of IPv6 too (without ctr0, no container runs on it) */
        have_bridge = link_open(&sk) >= 0 && bridge_read(sk, &bn) >= 0;

        /* the leases of monitors that are gone are not put back, their veths go as at a start, and they leave
         * the names list */
        leases_collect(&ctx, have_bridge ? &bn : NULL, &dead_veths, NULL, &hosts);
        if (!strv_isempty(dead_veths)) {
                if (sk)
                        STRV_FOREACH(v, dead_veths)
                                veth_delete(sk, *v);
                (void) hosts_list_write(hosts);
        }
        return leases_restore(ctx, have_bridge && bn.ipv6, ret_leases, ret_elements);
}

const char *network_resolv_conf_source(void) {
        _cleanup_free_ char *buf = NULL;
        bool loopback_only = true, any = false;

        if (read_full_file_at(AT_FDCWD, "/etc/resolv.conf", 65536, &buf, NULL) < 0)
                return "/etc/resolv.conf";
        for (const char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                const char *v = startswith(line, "nameserver");

                if (!v || (*v != ' ' && *v != '\t'))
                        continue;
                v += strspn(v, " \t");
                any = true;
                if (!startswith(v, "127.") && !startswith(v, "::1"))
                        loopback_only = false;
        }
        if (any && loopback_only && access("/run/systemd/resolve/resolv.conf", F_OK) >= 0)
                return "/run/systemd/resolve/resolv.conf";
        return "/etc/resolv.conf";
}
