/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nftables/libnftables.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "network-lease.h"
#include "proc-util.h"
#include "sha256.h"
#include "string-util.h"
#include "strv.h"


static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261U;       /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (uint8_t) *s) * 16777619U;
        return h;
}

/* ---- the monitor's identity in a lease: PID and start time, so a reused PID is not taken for it ---- */

static bool lease_owner_alive(const char *first_line) {
        unsigned long long start, now;
        int pid;

        if (sscanf(first_line, "%*s %d %llu", &pid, &start) != 2 || pid <= 0)
                return false;
        return pid_stat_field(pid, 22, &now) >= 0 && now == start;
}

/* ---- the published ports, as the maps hold them ---- */

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

static bool address_parse(const char *s, uint32_t *ret) {
        struct in_addr a;

        if (inet_pton(AF_INET, s, &a) != 1)
                return false;
        *ret = ntohl(a.s_addr);
        return true;
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
                             address_parse(host, &x.host);
                else
                        ok = sscanf(entry, " %7s . %u : %15s . %u", proto, &x.port, target, &tport) == 4;
                if (ok && address_parse(target, &x.target) && (streq(proto, "tcp") || streq(proto, "udp"))) {
                        x.protocol = streq(proto, "udp") ? IPPROTO_UDP : IPPROTO_TCP;
                        if (*n == *allocated) {
                                size_t k = MAX(*allocated * 2, (size_t) 64);
                                Published *m = reallocarray(*list, k, sizeof(Published));

                                if (!m)
                                        return -ENOMEM;
                                *list = m;
                                *allocated = k;
                        }
                        (*list)[(*n)++] = x;
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

/* A lease's first line, "NAME PID STARTTIME", whatever follows it (a lease of an older ctr-launch listed its map
 * elements after it, any number of them) */
static int lease_first_line(const char *path, char **ret) {
        _cleanup_close_ int fd = -EBADF;
        char buf[512];
        ssize_t k;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        k = read(fd, buf, sizeof(buf) - 1);
        if (k < 0)
                return negative_errno();
        buf[k] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

/* The container holding |address|'s lease, from its first word ("?" when unknown) */
static char *lease_name(uint32_t address) {
        _cleanup_free_ char *path = NULL, *buf = NULL;
        char a[INET_ADDRSTRLEN];

        path = strprintf("%s/%s", LEASES_DIR, network_address_format(address, a));
        if (!path || lease_first_line(path, &buf) < 0 || !buf[0])
                return strdup("?");
        buf[strcspn(buf, " ")] = '\0';
        return TAKE_PTR(buf);
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

/* ---- leases ---- */

/* Creates the state directory and its leases directory when missing, then takes the lock: returns the fd that
 * holds it. */
int network_lock(void) {
        static const struct {
                const char *path;
                mode_t mode;
        } dirs[] = {
                { CTR_RUNTIME_DIR,   0755 },
                { NETWORK_STATE_DIR, 0700 },
                { LEASES_DIR,        0700 },
        };
        int fd;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                if (mkdir(dirs[i].path, dirs[i].mode) < 0 && errno != EEXIST)
                        return negative_errno();

        fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        if (flock(fd, LOCK_EX) < 0) {
                int r = negative_errno();
                close(fd);
                return r;
        }
        return fd;
}

static int address_compare(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

        return x < y ? -1 : x > y;
}

/* Deletes every map element that leads to one of |addresses| (sorted), in one transaction: one listing of the
 * maps and one deletion, where an element at a time cost a listing each (5,000 ports took 40 s under the lock).
 * An address's lease is held while its elements exist, so what leads there is the leaseholder's; a key that
 * another container published since (after a firewall reload dropped ours) leads elsewhere and stays. */
void elements_delete(struct nft_ctx *ctx, const uint32_t *addresses, size_t n_addresses) {
        _cleanup_free_ Published *list = NULL;
        _cleanup_free_ char *cmd = NULL;
        size_t n = 0, size = 0, deleted = 0;
        FILE *f;

        if (n_addresses == 0 || published_list(ctx, &list, &n) < 0)
                return;
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
        if (fclose(f) != 0 || deleted == 0)
                return;
        if (nft_run(ctx, cmd, NULL) < 0)
                log_debug("Failed to delete %zu published ports.", deleted);
}

/* Leases of monitors that are gone (killed with SIGKILL, a crash): their addresses and ports are free again.
 * Only a lease's first line is read, whatever its size (one of an older ctr-launch listed its ports). The
 * host ends of their veth pairs go to |ret_dead_veths| for the caller to delete (their containers may still
 * run, holding an address that is free again), except a name a live lease's container has too. */
void leases_collect(struct nft_ctx *ctx, char ***ret_dead_veths) {
        _cleanup_strv_free_ char **live = NULL, **dead = NULL, **dead_paths = NULL;
        _cleanup_free_ uint32_t *dead_addresses = NULL;
        size_t n_dead = 0;
        DirIter it;
        const struct dirent64 *de;

        *ret_dead_veths = NULL;
        if (dir_iter_open(AT_FDCWD, LEASES_DIR, &it) < 0)
                return;
        while (dir_iter_next(&it, &de) > 0) {
                _cleanup_free_ char *path = strprintf("%s/%s", LEASES_DIR, de->d_name), *line = NULL;
                char veth[IFNAMSIZ] = "";
                uint32_t address;
                bool alive;

                if (!path || lease_first_line(path, &line) < 0)
                        continue;
                alive = lease_owner_alive(line);
                if (line[0]) {
                        line[strcspn(line, " ")] = '\0';
                        veth_name(line, veth);
                        (void) strv_extend(alive ? &live : &dead, veth);
                }
                if (alive)
                        continue;
                log_debug("Collecting the stale network lease %s (%s).", de->d_name, line);
                if (address_parse(de->d_name, &address)) {
                        if (n_dead % 64 == 0) {
                                uint32_t *m = reallocarray(dead_addresses, n_dead + 64, sizeof(uint32_t));

                                if (!m)
                                        continue;
                                dead_addresses = m;
                        }
                        dead_addresses[n_dead++] = address;
                }
                (void) strv_extend(&dead_paths, path);
        }
        dir_iter_close(&it);

        /* the ports first: a lease left by a kill right here is collected again */
        if (n_dead > 0) {
                qsort(dead_addresses, n_dead, sizeof(uint32_t), address_compare);
                elements_delete(ctx, dead_addresses, n_dead);
        }
        STRV_FOREACH(p, dead_paths)
                (void) unlink(*p);
        STRV_FOREACH(v, dead)
                if (!strv_contains(live, *v))
                        (void) strv_extend(ret_dead_veths, *v);
}

int lease_take(uint32_t network, unsigned prefixlen, uint32_t gateway, const Container *c, NetworkBridge *n,
               char **ret_error) {
        uint32_t n_hosts = (1U << (32 - prefixlen)) - 2U;  /* without the network and broadcast addresses */
        uint32_t first = name_hash(c->name) % n_hosts;
        unsigned long long start;
        char net[INET_ADDRSTRLEN];
        int r;

        r = pid_stat_field(getpid(), 22, &start);
        if (r < 0)
                return strprintf_replace(ret_error, "Failed to read our own start time"), r;

        for (uint32_t i = 0; i < n_hosts; i++) {
                uint32_t address = network + 1 + (first + i) % n_hosts;
                char a[INET_ADDRSTRLEN];
                _cleanup_free_ char *path = NULL;
                FILE *f;
                int fd;

                if (address == gateway)
                        continue;
                path = strprintf("%s/%s", LEASES_DIR, network_address_format(address, a));
                if (!path)
                        return -ENOMEM;
                fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0 && errno == EEXIST)
                        continue;
                if (fd < 0)
                        return strprintf_replace(ret_error, "Failed to create the lease %s", path), negative_errno();
                f = fdopen(fd, "w");
                if (!f) {
                        close(fd);
                        (void) unlink(path);
                        return -ENOMEM;
                }
                fprintf(f, "%s %d %llu\n", c->name, (int) getpid(), start);
                if (fclose(f) != 0) {
                        (void) unlink(path);
                        return strprintf_replace(ret_error, "Failed to write the lease %s", path), -EIO;
                }
                n->lease_path = TAKE_PTR(path);
                n->address = address;
                return 0;
        }
        return strprintf_replace(ret_error, "No free address left in %s/%u", network_address_format(network, net),
                         prefixlen), -EADDRNOTAVAIL;
}

/* ---- PublishPort= ---- */

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
                        if (n == allocated) {
                                size_t k = MAX(allocated * 2, (size_t) 64);
                                Published *m = reallocarray(list, k, sizeof(Published));

                                if (!m)
                                        return -ENOMEM;
                                list = m;
                                allocated = k;
                        }
                        list[n++] = x;
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
        _cleanup_free_ char *cmd = NULL, *conflict = NULL;
        _cleanup_free_ Published *published = NULL, *listeners = NULL;
        size_t n_published = 0, n_listeners = 0;
        bool conflicting = false;
        char a[INET_ADDRSTRLEN];
        size_t size = 0;
        FILE *f;
        int r;

        if (c->n_ports == 0)
                return 0;
        network_address_format(n->address, a);
        r = published_list(ctx, &published, &n_published);
        if (r < 0)
                return strprintf_replace(ret_error, "PublishPort=: failed to list the published ports"), r;
        r = host_listeners(&listeners, &n_listeners);
        if (r < 0)
                return strprintf_replace(ret_error, "PublishPort=: failed to read the host's sockets"), r;

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
                if (m->host_address && !address_parse(m->host_address, &host)) {
                        fclose(f);
                        return strprintf_replace(ret_error, "PublishPort=%s: not an IPv4 address", m->host_address),
                               -EINVAL;
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
                                fclose(f);
                                return strprintf_replace(ret_error, "PublishPort=%s%s%u/%s: the port is in use by a "
                                                         "program on the host (on %s:%u)", strempty(m->host_address),
                                                         m->host_address ? ":" : "", hp, proto,
                                                         p->host ? network_address_format(p->host, l) : "*", hp),
                                       -EADDRINUSE;
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
                        if (!element || strv_extend(&elements, element) < 0) {
                                fclose(f);
                                return -ENOMEM;
                        }
                        if (m->host_address)
                                fprintf(f, "add element ip ctr publish_addr { %s . %s . %u : %s . %u }\n",
                                        m->host_address, proto, hp, a, cp);
                        else
                                fprintf(f, "add element ip ctr publish { %s . %u : %s . %u }\n", proto, hp, a, cp);
                }
        }
        if (fclose(f) != 0)
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
                        strprintf_replace(ret_error, "PublishPort=: a port is already published by another container (%s)",
                                  strna(*ret_error));
                else
                        strprintf_replace(ret_error, "PublishPort=: %s", strna(*ret_error));
                return r;
        }
        /* Not listed in the lease: it was written before they existed, and its address is what collecting
         * it deletes them by, so a monitor killed at any point leaves nothing that is not collected. */
        n->elements = TAKE_PTR(elements);
        return 0;
}

/* ---- interface names ---- */

/* "vc-web" for a name of at most 12 characters without ':' (which the kernel refuses in interface names); for
 * any other "vh-" and 12 hex digits of the name's SHA-256. A short name can never take the hash form, and
 * two names share a hash form once in 2^48; then the second start fails (veth_create() never deletes a link
 * a running container holds). */
void veth_name(const char *name, char buf[static IFNAMSIZ]) {
        uint8_t digest[SHA256_DIGEST_SIZE];
        Sha256 sha;

        if (strlen(name) <= IFNAMSIZ - 1 - 3 && !strchr(name, ':')) {
                snprintf(buf, IFNAMSIZ, "vc-%s", name);
                return;
        }
        sha256_init(&sha);
        sha256_update(&sha, name, strlen(name));
        sha256_final(&sha, digest);
        snprintf(buf, IFNAMSIZ, "vh-%02x%02x%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3],
                 digest[4], digest[5]);
}
