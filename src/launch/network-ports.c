/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* PublishPort=: the published ports as the maps of "ip ctr" hold them, the host's sockets they would take
 * traffic from, adding a container's and deleting those that lead to given addresses. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "network-firewall.h"
#include "network-lease.h"
#include "network-ports.h"
#include "string-util.h"
#include "strv.h"

typedef struct Published {
        uint32_t host;          /* host byte order; 0: every host address (map "publish") */
        int protocol;
        unsigned port;
        uint32_t target;        /* the container's address */
} Published;

static int published_compare(const void *a, const void *b) {
        const Published *x = a, *y = b;

        if (x->protocol != y->protocol)
                return x->protocol < y->protocol ? -1 : 1;
        return x->port < y->port ? -1 : x->port > y->port;
}

static int published_append(Published **list, size_t *n, size_t *allocated, const Published *x) {
        if (*n == *allocated) {
                size_t k = MAX(*allocated * 2, (size_t) 64);
                Published *m = reallocarray(*list, k, sizeof(Published));

                if (!m)
                        return -ENOMEM;
                *list = m;
                *allocated = k;
        }
        (*list)[(*n)++] = *x;
        return 0;
}

/* Appends the elements of one map from nft's listing: "elements = { tcp . 22 : 10.121.0.5 . 22, … }" (with
 * the host address first in "publish_addr"). */
static int published_parse(const char *out, bool with_host, Published **list, size_t *n, size_t *allocated) {
        const char *p = out ? strstr(out, "elements = {") : NULL;

        if (!p)
                return 0;       /* an empty map */
        for (p += strlen("elements = {");; ) {
                size_t len = strcspn(p, ",}");
                _cleanup_free_ char *entry = strndup(p, len);
                char host[INET_ADDRSTRLEN] = "", proto[8], target[INET_ADDRSTRLEN];
                unsigned tport;
                Published x = {};
                bool ok;

                if (!entry)
                        return -ENOMEM;
                if (with_host)
                        ok = sscanf(entry, " %15s . %7s . %u : %15s . %u", host, proto, &x.port, target, &tport) == 5 &&
                             network_address_parse(host, &x.host);
                else
                        ok = sscanf(entry, " %7s . %u : %15s . %u", proto, &x.port, target, &tport) == 4;
                if (ok && network_address_parse(target, &x.target) && (streq(proto, "tcp") || streq(proto, "udp"))) {
                        x.protocol = streq(proto, "udp") ? IPPROTO_UDP : IPPROTO_TCP;
                        if (published_append(list, n, allocated, &x) < 0)
                                return -ENOMEM;
                }
                if (p[len] != ',')
                        return 0;
                p += len + 1;
        }
}

/* Every published port of every container, sorted by protocol and port: one listing of each map, so that the
 * cost grows with the number of ports, not with its square. */
static int published_list(struct nft_ctx *ctx, Published **ret, size_t *ret_n) {
        static const struct {
                const char *cmd;
                bool with_host;
        } maps[] = {
                { "list map ip ctr publish",      false },
                { "list map ip ctr publish_addr", true  },
        };
        _cleanup_free_ Published *list = NULL;
        size_t n = 0, allocated = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(maps); i++) {
                r = nft_run(ctx, maps[i].cmd, NULL);
                if (r < 0)
                        return r;
                r = published_parse(nft_ctx_get_output_buffer(ctx), maps[i].with_host, &list, &n, &allocated);
                if (r < 0)
                        return r;
        }
        if (n > 0)
                qsort(list, n, sizeof(Published), published_compare);
        *ret = TAKE_PTR(list);
        *ret_n = n;
        return 0;
}

/* The entry of |list| (sorted) for protocol/port whose address overlaps |host| (0: every address), or NULL.
 * The two maps overlap so: "18085:80" (every address) and "127.0.0.1:18085:80" (one) are different keys, and
 * the one-address map is looked up first, so a second container would take the first one's traffic to that
 * address; as for host listeners, a port on every address takes every address's traffic. */
static const Published *published_find(const Published *list, size_t n, uint32_t host, int protocol,
                                       unsigned port) {
        Published key = { .protocol = protocol, .port = port };
        const Published *p = n > 0 ? bsearch(&key, list, n, sizeof(Published), published_compare) : NULL;

        if (!p)
                return NULL;
        while (p > list && published_compare(p - 1, &key) == 0)
                p--;
        for (; p < list + n && published_compare(p, &key) == 0; p++)
                if (host == 0 || p->host == 0 || p->host == host)
                        return p;
        return NULL;
}

static int address_compare(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

        return x < y ? -1 : x > y;
}

/* One listing of the maps and one deletion, where an element at a time cost a listing each (5,000 ports took
 * 40 s under the lock). An address's lease is held while its elements exist, so what leads there is the
 * leaseholder's; a key that another container published since (after a firewall reload dropped ours) leads
 * elsewhere and stays. */
void elements_delete(struct nft_ctx *ctx, uint32_t *addresses, size_t n_addresses) {
        _cleanup_free_ Published *list = NULL;
        _cleanup_free_ char *cmd = NULL;
        _cleanup_fclose_ FILE *f = NULL;        /* after |cmd|: closed before that is freed */
        size_t n = 0, size = 0, deleted = 0;

        if (n_addresses == 0 || published_list(ctx, &list, &n) < 0)
                return;
        qsort(addresses, n_addresses, sizeof(uint32_t), address_compare);
        f = open_memstream(&cmd, &size);
        if (!f)
                return;
        for (size_t i = 0; i < n; i++) {
                const Published *p = list + i;
                const char *proto = p->protocol == IPPROTO_UDP ? "udp" : "tcp";
                char h[INET_ADDRSTRLEN];

                if (!bsearch(&p->target, addresses, n_addresses, sizeof(uint32_t), address_compare))
                        continue;
                if (p->host != 0)
                        fprintf(f, "delete element ip ctr publish_addr { %s . %s . %u }\n",
                                network_address_format(p->host, h), proto, p->port);
                else
                        fprintf(f, "delete element ip ctr publish { %s . %u }\n", proto, p->port);
                deleted++;
        }
        if (fclose(TAKE_PTR(f)) != 0 || deleted == 0)
                return;
        if (nft_run(ctx, cmd, NULL) < 0)
                log_debug("Failed to delete %zu published ports.", deleted);
}

/* One line of /proc/net/{tcp,udp}{,6} into |ret| (host = the local address, 0 for every one), false when it is
 * no socket that published traffic could be taken from: TCP only listening, UDP any bound socket; IPv6 only
 * "::" and "::ffff:a.b.c.d" (other IPv6 addresses never see the DNATed IPv4 traffic). */
static bool listener_parse(const char *line, bool ipv6, int protocol, Published *ret) {
        unsigned port, state;
        uint32_t w[4];

        if (ipv6) {
                if (sscanf(line, " %*u: %8x%8x%8x%8x:%4x %*x:%*x %2x", &w[0], &w[1], &w[2], &w[3], &port, &state) != 6)
                        return false;
                /* each word is the kernel's __be32 printed as a number */
                for (size_t i = 0; i < 4; i++)
                        w[i] = ntohl(w[i]);
                if (w[0] != 0 || w[1] != 0 || (w[2] != 0 && w[2] != 0xffffU) || (w[2] == 0 && w[3] != 0))
                        return false;
                ret->host = w[3];
        } else {
                if (sscanf(line, " %*u: %8x:%4x %*x:%*x %2x", &w[0], &port, &state) != 3)
                        return false;
                ret->host = ntohl(w[0]);
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

int ports_publish(const Container *c, struct nft_ctx *ctx, NetworkBridge *n, char **ret_error) {
        _cleanup_strv_free_ char **elements = NULL;    /* ours only once the transaction added them */
        _cleanup_strv_free_ char **restore = NULL;      /* the same with their data, for the lease */
        _cleanup_free_ char *cmd = NULL, *conflict = NULL;
        _cleanup_fclose_ FILE *f = NULL;                /* after |cmd|: closed before that is freed */
        _cleanup_free_ Published *published = NULL, *listeners = NULL;
        size_t n_published = 0, n_listeners = 0;
        bool conflicting = false;
        char a[INET_ADDRSTRLEN];
        size_t size = 0;
        int r;

        if (c->n_ports == 0)
                return 0;
        network_address_format(n->address, a);
        r = published_list(ctx, &published, &n_published);
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
                uint32_t host = 0;

                if (m->host_address && strchr(m->host_address, ':')) {
                        log_warning("Container '%s': PublishPort=[%s]:%u: the bridge has no IPv6, ignoring it.",
                                    c->name, m->host_address, m->host_port);
                        continue;
                }
                if (m->host_address && !network_address_parse(m->host_address, &host)) {
                        strprintf_replace(ret_error, "PublishPort=%s: not an IPv4 address", m->host_address);
                        return -EINVAL;
                }
                for (unsigned k = 0; k < m->count; k++) {
                        unsigned hp = m->host_port + k, cp = m->container_port + k;
                        _cleanup_free_ char *element = NULL, *owner = NULL;
                        const Published *p;
                        char l[INET_ADDRSTRLEN];

                        /* A program on the host holding the port would never see its traffic again (DNAT comes
                         * first): refused, as docker-proxy's bind would fail */
                        p = published_find(listeners, n_listeners, host, m->protocol, hp);
                        if (p) {
                                strprintf_replace(ret_error, "PublishPort=%s%s%u/%s: the port is in use by a "
                                                  "program on the host (on %s:%u)", strempty(m->host_address),
                                                  m->host_address ? ":" : "", hp, proto,
                                                  p->host ? network_address_format(p->host, l) : "*", hp);
                                return -EADDRINUSE;
                        }
                        /* reported after the whole loop: a port a host program holds is named first */
                        p = published_find(published, n_published, host, m->protocol, hp);
                        if (p && !conflicting) {
                                conflicting = true;
                                owner = lease_name(p->target);
                                conflict = strprintf("PublishPort=%s%s%u/%s: the port is already published by "
                                                     "another container ('%s')", strempty(m->host_address),
                                                     m->host_address ? ":" : "", hp, proto, strna(owner));
                        }
                        if (m->host_address)
                                element = strprintf("publish_addr { %s . %s . %u }", m->host_address, proto, hp);
                        else
                                element = strprintf("publish { %s . %u }", proto, hp);
                        if (!element || strv_extend(&elements, element) < 0)
                                return -ENOMEM;
                        free(element);
                        if (m->host_address)
                                element = strprintf("publish_addr { %s . %s . %u : %s . %u }", m->host_address,
                                                    proto, hp, a, cp);
                        else
                                element = strprintf("publish { %s . %u : %s . %u }", proto, hp, a, cp);
                        if (!element || strv_extend(&restore, element) < 0)
                                return -ENOMEM;
                        fprintf(f, "add element ip ctr %s\n", element);
                }
        }
        if (fclose(TAKE_PTR(f)) != 0)
                return -ENOMEM;
        if (conflicting) {
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
        /* Collecting the lease deletes them by its address, so a monitor killed at any point leaves nothing that
         * is not collected. Listed in it as well, for leases_restore() after a flush of the ruleset: a failure
         * to list them only costs that. */
        n->elements = TAKE_PTR(elements);
        r = lease_add_elements(n->lease_path, restore);
        if (r < 0)
                log_warning_errno(r, "Container '%s': failed to list its published ports in the lease %s, they "
                                  "will not be put back after a reload of the firewall: %m", c->name, n->lease_path);
        return 0;
}
