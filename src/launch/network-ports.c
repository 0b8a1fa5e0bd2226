/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* PublishPort=: the published ports as the maps of "ip ctr" and "ip6 ctr" hold them, the host's sockets they
 * would take traffic from, adding a container's and deleting those that lead to given addresses. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "network-firewall.h"
#include "network-lease.h"
#include "network-libs.h"
#include "network-ports.h"
#include "network-proxy.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

/* Addresses of both families as IPv6 ones: IPv4 as ::ffff:a.b.c.d; every address (0.0.0.0, ::) all zero. */
typedef struct Published {
        int family;             /* AF_INET or AF_INET6; a host socket on [::] is AF_UNSPEC: it takes both */
        struct in6_addr host;
        int protocol;
        unsigned port;
        struct in6_addr target; /* the container's address */
} Published;

static const struct in6_addr loopback6 = IN6ADDR_LOOPBACK_INIT;

static void address_from4(uint32_t address, struct in6_addr *ret) {
        *ret = (struct in6_addr) {};
        if (address == 0)
                return;
        ret->s6_addr[10] = ret->s6_addr[11] = 0xff;
        ret->s6_addr32[3] = htonl(address);
}

static bool address_any(const struct in6_addr *a) {
        return IN6_IS_ADDR_UNSPECIFIED(a);
}

/* "10.121.0.5" or "fd00::5" */
static int address_parse(int family, const char *s, struct in6_addr *ret) {
        uint32_t a;

        if (family == AF_INET6)
                return inet_pton(AF_INET6, s, ret) == 1 ? 0 : -EINVAL;
        if (!network_address_parse(s, &a))
                return -EINVAL;
        address_from4(a, ret);
        return 0;
}

static const char *address_format(int family, const struct in6_addr *a, char buf[static INET6_ADDRSTRLEN]) {
        if (family == AF_INET6)
                return network_address6_format(a, buf);
        return network_address_format(ntohl(a->s6_addr32[3]), buf);
}

static int published_compare(const void *a, const void *b) {
        const Published *x = a, *y = b;

        if (x->protocol != y->protocol)
                return x->protocol < y->protocol ? -1 : 1;
        return x->port < y->port ? -1 : x->port > y->port;
}

static int published_append(Published **list, size_t *n, size_t *allocated, const Published *x) {
        if (ARRAY_RESERVE(*list, *allocated, *n + 1) < 0)
                return -ENOMEM;
        (*list)[(*n)++] = *x;
        return 0;
}

/* "6", "17" (nft_open() lists protocols by number, as nft does anyway without /etc/protocols), or a name */
static int protocol_parse(const char *s) {
        if (streq(s, "6") || streq(s, "tcp"))
                return IPPROTO_TCP;
        if (streq(s, "17") || streq(s, "udp"))
                return IPPROTO_UDP;
        return -EINVAL;
}

/* Appends the elements of one map from nft's listing: "elements = { 6 . 22 : 10.121.0.5 . 22, … }" (with the
 * host address first in "publish_addr"). */
static int published_parse(const char *out, int family, bool with_host, Published **list, size_t *n,
                           size_t *allocated) {
        const char *p = out ? strstr(out, "elements = {") : NULL;

        if (!p)
                return 0;       /* an empty map */
        for (p += strlen("elements = {");; ) {
                size_t len = strcspn(p, ",}");
                _cleanup_free_ char *entry = strndup(p, len);
                char host[INET6_ADDRSTRLEN] = "", proto[8], target[INET6_ADDRSTRLEN];
                unsigned tport;
                Published x = { .family = family };
                bool ok;

                if (!entry)
                        return -ENOMEM;
                if (with_host)
                        ok = sscanf(entry, " %45s . %7s . %u : %45s . %u", host, proto, &x.port, target, &tport) == 5 &&
                             address_parse(family, host, &x.host) >= 0;
                else
                        ok = sscanf(entry, " %7s . %u : %45s . %u", proto, &x.port, target, &tport) == 4;
                if (ok && address_parse(family, target, &x.target) >= 0 && (x.protocol = protocol_parse(proto)) > 0)
                        if (published_append(list, n, allocated, &x) < 0)
                                return -ENOMEM;
                if (p[len] != ',')
                        return 0;
                p += len + 1;
        }
}

/* Every published port of every container, sorted by protocol and port: one listing of each map, so that the
 * cost grows with the number of ports, not with its square. The maps of "ip6 ctr" only when |ipv6| (and
 * when the table exists: a bridge that had no IPv6 before). */
static int published_list(struct nft_ctx *ctx, bool ipv6, Published **ret, size_t *ret_n) {
        static const struct {
                const char *cmd;
                int family;
                bool with_host;
        } maps[] = {
                { "list map ip ctr publish",       AF_INET,  false },
                { "list map ip ctr publish_addr",  AF_INET,  true  },
                { "list map ip6 ctr publish",      AF_INET6, false },
                { "list map ip6 ctr publish_addr", AF_INET6, true  },
        };
        _cleanup_free_ Published *list = NULL;
        size_t n = 0, allocated = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(maps); i++) {
                if (maps[i].family == AF_INET6 && !ipv6)
                        continue;
                r = nft_run(ctx, maps[i].cmd, NULL);
                if (r < 0 && maps[i].family == AF_INET6)
                        continue;
                if (r < 0)
                        return r;
                r = published_parse(nft_ctx_get_output_buffer(ctx), maps[i].family, maps[i].with_host, &list, &n,
                                    &allocated);
                if (r < 0)
                        return r;
        }
        if (n > 0)
                qsort(list, n, sizeof(Published), published_compare);
        *ret = TAKE_PTR(list);
        *ret_n = n;
        return 0;
}

/* The entry of |list| (sorted) for protocol/port of a family that meets |family| (AF_UNSPEC meets both) whose
 * address overlaps |host| (all zero: every address), or NULL. The maps overlap so: "18085:80" (every address)
 * and "127.0.0.1:18085:80" (one) are different keys, and the one-address map is looked up first, so a second
 * container would take the first one's traffic to that address; as for host listeners, a port on every address
 * takes every address's traffic. */
static const Published *published_find(const Published *list, size_t n, int family, const struct in6_addr *host,
                                       int protocol, unsigned port) {
        Published key = { .protocol = protocol, .port = port };
        const Published *p = n > 0 ? bsearch(&key, list, n, sizeof(Published), published_compare) : NULL;

        if (!p)
                return NULL;
        while (p > list && published_compare(p - 1, &key) == 0)
                p--;
        for (; p < list + n && published_compare(p, &key) == 0; p++) {
                if (p->family != family && p->family != AF_UNSPEC && family != AF_UNSPEC)
                        continue;
                if (address_any(host) || address_any(&p->host) || IN6_ARE_ADDR_EQUAL(&p->host, host))
                        return p;
        }
        return NULL;
}

static int address_compare(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

        return x < y ? -1 : x > y;
}

static int address6_compare(const void *a, const void *b) {
        return memcmp(a, b, sizeof(struct in6_addr));
}

/* The elements of "bridge ctr"'s set sources6 whose address is one of |addresses6| (sorted), deleted in a
 * transaction of their own (a failure there leaves the ports' deletion alone). nft lists a port that exists by
 * its name in quotes (no output flag makes that a number) and one that is gone by its index ("elements = {
 * "vc-web" . fd00::5, 17 . fd00::6 }"); a name becomes its index here, under the network lock, so no new port
 * has that name yet. A port that went between the listing and that (its namespace freed meanwhile) is listed
 * again, by its index now. */
static void sources6_delete(struct nft_ctx *ctx, const struct in6_addr *addresses6, size_t n) {
        for (unsigned attempt = 0; n > 0 && attempt < 2; attempt++) {
                _cleanup_free_ char *cmd = NULL, *error = NULL;
                _cleanup_fclose_ FILE *f = NULL;        /* after |cmd|: closed before that is freed */
                size_t size = 0, deleted = 0;
                bool vanished = false;
                const char *p, *next;

                if (nft_run(ctx, "list set bridge ctr sources6", NULL) < 0)
                        return;
                p = strstr(strempty(nft_ctx_get_output_buffer(ctx)), "elements = {");
                if (!p)
                        return;
                f = open_memstream(&cmd, &size);
                if (!f)
                        return;
                for (p += strlen("elements = {"); p; p = next) {
                        size_t len = strcspn(p, ",}");
                        _cleanup_free_ char *entry = strndup(p, len);
                        char a[INET6_ADDRSTRLEN], port[IFNAMSIZ + 3];
                        struct in6_addr address;
                        unsigned ifindex;

                        next = p[len] == ',' ? p + len + 1 : NULL;
                        if (!entry || sscanf(entry, " %18s . %45s", port, a) != 2 ||
                            inet_pton(AF_INET6, a, &address) != 1 ||
                            !bsearch(&address, addresses6, n, sizeof(struct in6_addr), address6_compare))
                                continue;
                        if (port[0] == '"') {
                                port[1 + strcspn(port + 1, "\"")] = '\0';
                                ifindex = if_nametoindex(port + 1);
                                if (ifindex == 0) {
                                        vanished = true;
                                        continue;
                                }
                        } else if (safe_atou(port, &ifindex) < 0)
                                continue;
                        fprintf(f, "delete element bridge ctr sources6 { %u . %s }\n", ifindex, a);
                        deleted++;
                }
                if (fclose(TAKE_PTR(f)) != 0)
                        return;
                if (deleted > 0 && nft_run(ctx, cmd, &error) < 0)
                        log_debug("Failed to delete %zu IPv6 source checks: %s", deleted, strna(error));
                if (!vanished)
                        return;
        }
}

/* One listing of the maps and one deletion, where an element at a time cost a listing each (5,000 ports took
 * 40 s under the lock). An address's lease is held while its elements exist, so what leads there is the
 * leaseholder's; a key that another container published since (after a firewall reload dropped ours) leads
 * elsewhere and stays. Keys are deleted as listed (protocols by number), never by a name. */
void published_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses, struct in6_addr *addresses6,
                      size_t n_addresses6) {
        _cleanup_free_ Published *list = NULL;
        _cleanup_free_ char *cmd = NULL;
        _cleanup_fclose_ FILE *f = NULL;        /* after |cmd|: closed before that is freed */
        size_t n = 0, size = 0, deleted = 0;

        if (n_addresses == 0 && n_addresses6 == 0)
                return;
        if (published_list(ctx, n_addresses6 > 0, &list, &n) < 0)
                return;
        if (n_addresses > 0)
                qsort(addresses, n_addresses, sizeof(uint32_t), address_compare);
        if (n_addresses6 > 0)
                qsort(addresses6, n_addresses6, sizeof(struct in6_addr), address6_compare);
        f = open_memstream(&cmd, &size);
        if (!f)
                return;
        for (size_t i = 0; i < n; i++) {
                const Published *p = list + i;
                const char *table = p->family == AF_INET6 ? "ip6" : "ip";
                char h[INET6_ADDRSTRLEN];
                uint32_t target = ntohl(p->target.s6_addr32[3]);

                if (p->family == AF_INET6 ?
                    !bsearch(&p->target, addresses6, n_addresses6, sizeof(struct in6_addr), address6_compare) :
                    !bsearch(&target, addresses, n_addresses, sizeof(uint32_t), address_compare))
                        continue;
                if (!address_any(&p->host))
                        fprintf(f, "delete element %s ctr publish_addr { %s . %d . %u }\n", table,
                                address_format(p->family, &p->host, h), p->protocol, p->port);
                else
                        fprintf(f, "delete element %s ctr publish { %d . %u }\n", table, p->protocol, p->port);
                deleted++;
        }
        if (fclose(TAKE_PTR(f)) != 0 || deleted == 0)
                return;
        _cleanup_free_ char *error = NULL;
        if (nft_run(ctx, cmd, &error) < 0)
                log_debug("Failed to delete %zu published ports: %s", deleted, strna(error));
}

void elements_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses, struct in6_addr *addresses6,
                     size_t n_addresses6) {
        published_delete(ctx, addresses, n_addresses, addresses6, n_addresses6);
        if (n_addresses6 == 0)
                return;
        qsort(addresses6, n_addresses6, sizeof(struct in6_addr), address6_compare);
        sources6_delete(ctx, addresses6, n_addresses6);
}

/* One line of /proc/net/{tcp,udp}{,6} into |ret| (host = the local address, all zero for every one), false
 * when it is no socket that published traffic could be taken from: TCP only listening, UDP any bound socket.
 * An IPv6 socket on "::" takes IPv4 too (unless IPV6_V6ONLY, which /proc does not show), one on
 * "::ffff:a.b.c.d" IPv4 only. */
static bool listener_parse(const char *line, bool ipv6, int protocol, Published *ret) {
        unsigned port, state;
        uint32_t w[4];

        if (ipv6) {
                if (sscanf(line, " %*u: %8x%8x%8x%8x:%4x %*x:%*x %2x", &w[0], &w[1], &w[2], &w[3], &port, &state) != 6)
                        return false;
                /* each word is the kernel's __be32 printed as a number: its bytes in memory are the address's */
                memcpy(ret->host.s6_addr, w, sizeof(w));
                if (address_any(&ret->host))
                        ret->family = AF_UNSPEC;
                else if (IN6_IS_ADDR_V4MAPPED(&ret->host)) {
                        ret->family = AF_INET;
                        address_from4(ntohl(ret->host.s6_addr32[3]), &ret->host);
                } else
                        ret->family = AF_INET6;
        } else {
                if (sscanf(line, " %*u: %8x:%4x %*x:%*x %2x", &w[0], &port, &state) != 3)
                        return false;
                ret->family = AF_INET;
                address_from4(ntohl(w[0]), &ret->host);
        }
        if (protocol == IPPROTO_TCP && state != 0x0a)   /* TCP_LISTEN */
                return false;
        ret->protocol = protocol;
        ret->port = port;
        return true;
}

/* Every socket on the host a published port would take traffic from, sorted. From /proc/net of our own
 * namespace, the host's: a bind() probe saw a port free that a program holds with SO_REUSEADDR (a UDP DNS stub
 * on 127.0.0.53) or SO_REUSEPORT. */
static int host_listeners(Published **ret, size_t *ret_n) {
        static const struct {
                const char *path;
                bool ipv6;
                int protocol;
        } tables[] = {
                { "/proc/net/tcp",  false, IPPROTO_TCP },
                { "/proc/net/tcp6", true,  IPPROTO_TCP },
                { "/proc/net/udp",  false, IPPROTO_UDP },
                { "/proc/net/udp6", true,  IPPROTO_UDP },
        };
        _cleanup_free_ Published *list = NULL;
        size_t n = 0, allocated = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                _cleanup_free_ char *buf = NULL;

                r = read_full_file_at(AT_FDCWD, tables[i].path, 256U << 20, &buf, NULL);
                if (r == -ENOENT && tables[i].ipv6)
                        continue;       /* a kernel without IPv6 */
                if (r < 0)
                        return r;
                for (const char *line = strchr(buf, '\n'); line; line = strchr(line + 1, '\n')) {
                        Published x = {};

                        if (!listener_parse(line + 1, tables[i].ipv6, tables[i].protocol, &x))
                                continue;
                        r = published_append(&list, &n, &allocated, &x);
                        if (r < 0)
                                return r;
                }
        }
        if (n > 0)
                qsort(list, n, sizeof(Published), published_compare);
        *ret = TAKE_PTR(list);
        *ret_n = n;
        return 0;
}

/* Where one PublishPort= goes: up to three places (IPv4, IPv6, the [::1] relay). */
typedef struct Target {
        int family;                     /* of the map */
        struct in6_addr host;           /* all zero: every address */
        bool relay;                     /* [::1], through the relay */
} Target;

static int mapping_targets(const Container *c, const PortMapping *m, bool ipv6, Target ret[static 3], size_t *ret_n,
                           char **ret_error) {
        const char *a = m->host_address;
        size_t n = 0;

        if (!a || !strchr(a, ':')) {
                ret[n] = (Target) { .family = AF_INET };
                if (a && address_parse(AF_INET, a, &ret[n].host) < 0) {
                        strprintf_replace(ret_error, "PublishPort=%s: not an IPv4 address", a);
                        return -EINVAL;
                }
                n++;
        }
        if (a && strchr(a, ':') && !ipv6) {
                log_warning("Container '%s': PublishPort=[%s]:%u: this host has no IPv6, ignoring it.", c->name, a,
                            m->host_port);
                *ret_n = n;
                return 0;
        }
        if (ipv6 && (!a || strchr(a, ':'))) {
                struct in6_addr h = {};

                if (a && inet_pton(AF_INET6, a, &h) != 1) {
                        strprintf_replace(ret_error, "PublishPort=[%s]: not an IPv6 address", a);
                        return -EINVAL;
                }
                /* "::1" alone is an element that names the container (ports.h), and the relay */
                ret[n++] = (Target) { .family = AF_INET6, .host = h };
                if (address_any(&h) || IN6_ARE_ADDR_EQUAL(&h, &loopback6))
                        ret[n++] = (Target) { .family = AF_INET6, .host = loopback6, .relay = true };
        }
        *ret_n = n;
        return 0;
}

/* "[::1]:8080/tcp" and the like, for messages */
static char *mapping_format(const PortMapping *m, unsigned port) {
        const char *a = m->host_address;
        const char *proto = m->protocol == IPPROTO_UDP ? "udp" : "tcp";

        if (!a)
                return strprintf("%u/%s", port, proto);
        return strprintf("%s%s%s:%u/%s", strchr(a, ':') ? "[" : "", a, strchr(a, ':') ? "]" : "", port, proto);
}

/* The checks of one port at one target: a program on the host holding it would never see its traffic again
 * (DNAT comes first), refused as docker-proxy's bind would fail; another container's, reported after the whole
 * loop so that a port a host program holds is named first. A socket on [::1] where a container publishes the
 * port is that container's relay, not a program's. */
static int port_check(const BridgeNet *bn, const PortMapping *m, unsigned hp, const Target *t,
                      const Published *listeners,
                      size_t n_listeners, const Published *published, size_t n_published, char **conflict,
                      char **ret_error) {
        const Published *p;
        char l[INET6_ADDRSTRLEN];

        p = published_find(listeners, n_listeners, t->family, &t->host, m->protocol, hp);
        if (p && p->family == AF_INET6 && IN6_ARE_ADDR_EQUAL(&p->host, &loopback6) &&
            published_find(published, n_published, AF_INET6, &loopback6, m->protocol, hp))
                p = NULL;
        if (p) {
                _cleanup_free_ char *what = mapping_format(m, hp);

                strprintf_replace(ret_error, "PublishPort=%s: the port is in use by a program on the host (on "
                                  "%s%s%s:%u)", strna(what), p->family == AF_INET6 ? "[" : "",
                                  address_any(&p->host) ? "*" : address_format(p->family, &p->host, l),
                                  p->family == AF_INET6 ? "]" : "", hp);
                return -EADDRINUSE;
        }
        p = published_find(published, n_published, t->family, &t->host, m->protocol, hp);
        if (p && !*conflict) {
                _cleanup_free_ char *owner = NULL, *what = mapping_format(m, hp);
                uint32_t target = ntohl(p->target.s6_addr32[3]);

                /* the lease is named by the IPv4 address, whose host number the IPv6 one has */
                if (p->family == AF_INET6)
                        target = bn->network | (target & ~(~0U << (32 - bn->prefixlen)));
                owner = lease_name(target);
                *conflict = strprintf("PublishPort=%s: the port is already published by another container ('%s')",
                                      strna(what), strna(owner));
                if (!*conflict)
                        return -ENOMEM;
        }
        return 0;
}

int ports_publish(const Container *c, const BridgeNet *bn, struct nft_ctx **ctxp, NetworkBridge *n,
                  char **ret_error) {
        _cleanup_strv_free_ char **elements = NULL;    /* ours only once the transaction added them */
        _cleanup_strv_free_ char **restore = NULL;      /* the same with their data, for the lease */
        _cleanup_free_ char *cmd = NULL, *conflict = NULL;
        _cleanup_fclose_ FILE *f = NULL;                /* after |cmd|: closed before that is freed */
        _cleanup_free_ Published *published = NULL, *listeners = NULL;
        size_t n_published = 0, n_listeners = 0;
        char a[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];
        struct nft_ctx *ctx;
        size_t size = 0;
        int r;

        if (c->n_ports == 0)
                return 0;
        ctx = nft_lazy(ctxp);
        if (!ctx) {
                strprintf_replace(ret_error, "Failed to initialise libnftables");
                return -ENOMEM;
        }
        network_address_format(n->address, a);
        if (n->has_address6)
                network_address6_format(&n->address6, a6);
        r = published_list(ctx, n->has_address6, &published, &n_published);
        if (r < 0) {
                strprintf_replace(ret_error, "PublishPort=: failed to list the published ports");
                return r;
        }
        r = host_listeners(&listeners, &n_listeners);
        if (r < 0) {
                strprintf_replace(ret_error, "PublishPort=: failed to read the host's sockets");
                return r;
        }

        f = open_memstream(&cmd, &size);
        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < c->n_ports; i++) {
                const PortMapping *m = c->ports + i;
                const char *proto = m->protocol == IPPROTO_UDP ? "udp" : "tcp";
                Target targets[3];
                size_t n_targets;

                r = mapping_targets(c, m, n->has_address6, targets, &n_targets, ret_error);
                if (r < 0)
                        return r;
                for (size_t t = 0; t < n_targets; t++)
                        for (unsigned k = 0; k < m->count; k++) {
                                const Target *x = targets + t;
                                unsigned hp = m->host_port + k, cp = m->container_port + k;
                                const char *table = x->family == AF_INET6 ? "ip6" : "ip";
                                const char *to = x->family == AF_INET6 ? a6 : a;
                                char h[INET6_ADDRSTRLEN];
                                _cleanup_free_ char *element = NULL;

                                r = port_check(bn, m, hp, x, listeners, n_listeners, published, n_published, &conflict,
                                               ret_error);
                                if (r < 0)
                                        return r;
                                if (x->relay) {
                                        if (conflict)
                                                continue;       /* reported below, naming the container */
                                        r = proxy_bind(n, m->protocol, hp, cp);
                                        if (r < 0) {
                                                _cleanup_free_ char *what = mapping_format(m, hp);

                                                strprintf_replace(ret_error, "PublishPort=%s: failed to listen on "
                                                                  "[::1]:%u: %s", strna(what), hp, strerror(-r));
                                                return r;
                                        }
                                        continue;
                                }
                                if (address_any(&x->host))
                                        element = strprintf("publish { %s . %u : %s . %u }", proto, hp, to, cp);
                                else
                                        element = strprintf("publish_addr { %s . %s . %u : %s . %u }",
                                                            address_format(x->family, &x->host, h), proto, hp, to, cp);
                                if (!element || strv_consume(&elements, strprintf("%s ctr %s", table, element)) < 0)
                                        return -ENOMEM;
                                /* "publish …" for IPv4 as leases always had it, "ip6 publish …" for IPv6 */
                                r = x->family == AF_INET6 ? strv_consume(&restore, strprintf("ip6 %s", element)) :
                                                            strv_extend(&restore, element);
                                if (r < 0)
                                        return -ENOMEM;
                                fprintf(f, "add element %s ctr %s\n", table, element);
                        }
        }
        if (fclose(TAKE_PTR(f)) != 0)
                return -ENOMEM;
        if (conflict) {
                free(*ret_error);
                *ret_error = TAKE_PTR(conflict);
                return -EADDRINUSE;
        }
        if (strv_isempty(elements))
                return 0;

        r = nft_run(ctx, cmd, ret_error);
        if (r < 0) {
                /* one transaction: nothing was added (and a key that exists is another container's) */
                if (r == -EEXIST)
                        strprintf_replace(ret_error, "PublishPort=: a port is already published by another "
                                          "container (%s)", strna(*ret_error));
                else
                        strprintf_replace(ret_error, "PublishPort=: %s", strna(*ret_error));
                return r;
        }
        /* Collecting the lease deletes them by its addresses, so a monitor killed at any point leaves nothing that
         * is not collected. Listed in it as well, for leases_restore() after a flush of the ruleset: a failure
         * to list them only costs that. */
        n->elements = TAKE_PTR(elements);
        r = lease_add_elements(n->lease_path, restore);
        if (r < 0)
                log_warning_errno(r, "Container '%s': failed to list its published ports in the lease %s, they "
                                  "will not be put back after a reload of the firewall: %m", c->name, n->lease_path);
        return 0;
}
