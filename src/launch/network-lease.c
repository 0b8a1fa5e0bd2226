/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The leases of the bridge's addresses, the lock they are kept under, and collecting those of monitors that
 * are gone. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "fd-util.h"
#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "mkdir-util.h"
#include "network-firewall.h"
#include "network-lease.h"
#include "network-link.h"
#include "network-link6.h"
#include "network-names.h"
#include "network-ports.h"
#include "proc-util.h"
#include "string-util.h"
#include "strv.h"

/* Where a container's search for a free address starts: the same address for the same name, as long as it is
 * free. */
static uint32_t name_hash(const char *s) {
        uint32_t h = 2166136261U;       /* FNV-1a */

        for (; *s; s++)
                h = (h ^ (uint8_t) *s) * 16777619U;
        return h;
}

/* The monitor's identity in a lease: PID and start time, so a reused PID is not taken for it. */
static bool lease_owner_alive(const char *first_line) {
        unsigned long long start, now;
        int pid;

        if (sscanf(first_line, "%*s %d %llu", &pid, &start) != 2 || pid <= 0)
                return false;
        return pid_stat_field(pid, 22, &now) >= 0 && now == start;
}

/* A lease's first line, "NAME PID STARTTIME", whatever follows it (the map elements its ports were published
 * as, any number of them, lease_add_elements()) */
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

char *lease_name(uint32_t address) {
        _cleanup_free_ char *path = NULL, *buf = NULL;
        char a[INET_ADDRSTRLEN];

        path = strprintf("%s/%s", LEASES_DIR, network_address_format(address, a));
        if (!path || lease_first_line(path, &buf) < 0 || !buf[0])
                return strdup("?");
        buf[strcspn(buf, " ")] = '\0';
        return TAKE_PTR(buf);
}

int network_lock(void) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = mkdir_p(NETWORK_STATE_DIR, 0755, 0700);     /* CTR_RUNTIME_DIR 0755 on the way */
        if (r >= 0)
                r = mkdir_p(LEASES_DIR, 0755, 0700);
        if (r < 0)
                return r;

        fd = open(LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        if (flock(fd, LOCK_EX) < 0)
                return negative_errno();
        return TAKE_FD(fd);
}

/* A live lease's line of the names list (network-names.h), from its first line "NAME PID STARTTIME[ HOSTNAME]". */
static void lease_hosts_line(const char *first_line, uint32_t address, char ***hosts) {
        _cleanup_strv_free_ char **words = NULL;
        char *l;

        if (strv_split(first_line, " ", &words) < 0 || strv_length(words) < 3)
                return;
        l = hosts_list_line(address, words[0], words[3]);
        if (l)
                (void) strv_consume(hosts, l);
}

/* Only a lease's first line is read, whatever its size (the rest lists its ports). The host
 * ends of their veth pairs go to |ret_dead_veths| for the caller to delete (their containers may still run,
 * holding an address that is free again), except a name a live lease's container has too. */
/* What leads to the addresses of the collected leases, their IPv6 ones included. */
static void collected_delete(struct nft_ctx **ctx, const BridgeNet *bn, uint32_t *dead, size_t n_dead) {
        _cleanup_free_ struct in6_addr *dead6 = NULL;
        size_t n6 = 0;

        if (n_dead == 0 || !nft_lazy(ctx))
                return;

        if (bn && bn->ipv6 && n_dead > 0) {
                dead6 = calloc(n_dead, sizeof(struct in6_addr));
                if (dead6)
                        for (; n6 < n_dead; n6++)
                                bridge_address6(bn, dead[n6], dead6 + n6);
        }
        elements_delete(*ctx, dead, n_dead, dead6, n6);
}

void leases_collect(struct nft_ctx **ctx, const BridgeNet *bn, char ***ret_dead_veths, char ***ret_live_veths,
                    char ***ret_hosts) {
        _cleanup_strv_free_ char **live = NULL, **dead = NULL, **dead_paths = NULL, **hosts = NULL;
        _cleanup_free_ uint32_t *dead_addresses = NULL;
        size_t n_dead = 0;
        DirIter it;
        const struct dirent64 *de;

        *ret_dead_veths = NULL;
        *ret_hosts = NULL;
        if (ret_live_veths)
                *ret_live_veths = NULL;
        if (dir_iter_open(AT_FDCWD, LEASES_DIR, &it) < 0)
                return;
        while (dir_iter_next(&it, &de) > 0) {
                _cleanup_free_ char *path = strprintf("%s/%s", LEASES_DIR, de->d_name), *line = NULL;
                char veth[IFNAMSIZ] = "";
                uint32_t address;
                bool alive, have_address;

                if (!path || lease_first_line(path, &line) < 0)
                        continue;
                have_address = network_address_parse(de->d_name, &address);
                alive = lease_owner_alive(line);
                if (alive && have_address)
                        lease_hosts_line(line, address, &hosts);
                if (line[0] && have_address) {
                        line[strcspn(line, " ")] = '\0';
                        veth_name(line, address, veth);
                        (void) strv_extend(alive ? &live : &dead, veth);
                }
                if (alive)
                        continue;
                log_debug("Collecting the stale network lease %s (%s).", de->d_name, line);
                if (have_address) {
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
        collected_delete(ctx, bn, dead_addresses, n_dead);
        STRV_FOREACH(p, dead_paths)
                (void) unlink(*p);
        STRV_FOREACH(v, dead)
                if (!strv_contains(live, *v))
                        (void) strv_extend(ret_dead_veths, *v);
        *ret_hosts = TAKE_PTR(hosts);
        if (ret_live_veths)
                *ret_live_veths = TAKE_PTR(live);
}

/* O_EXCL decides between two launchers: the one whose open() created the file holds the address. */
int lease_take(const BridgeNet *bn, const Container *c, const char *hostname, NetworkBridge *n, char **ret_error) {
        uint32_t network = bn->network, gateway = bn->gateway;
        unsigned prefixlen = bn->prefixlen;
        uint32_t n_hosts = (1U << (32 - prefixlen)) - 2U;  /* without the network and broadcast addresses */
        uint32_t first = name_hash(c->name) % n_hosts;
        _cleanup_free_ char *line = NULL;
        unsigned long long start;
        char net[INET_ADDRSTRLEN];
        int r;

        r = pid_stat_field(getpid(), 22, &start);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to read our own start time");
                return r;
        }
        /* the hostname for the names list, when it differs from the name and can be a word there */
        bool with_hostname = hosts_word_ok(hostname) && !streq(hostname, c->name);
        line = strprintf("%s %d %llu%s%s\n", c->name, (int) getpid(), start, with_hostname ? " " : "",
                         with_hostname ? hostname : "");
        if (!line)
                return -ENOMEM;

        for (uint32_t i = 0; i < n_hosts; i++) {
                uint32_t address = network + 1 + (first + i) % n_hosts;
                char a[INET_ADDRSTRLEN];
                _cleanup_free_ char *path = NULL;
                _cleanup_close_ int fd = -EBADF;

                if (address == gateway)
                        continue;
                /* nor the one whose IPv6 address would be the bridge's (an operator's PREFIX::1 with the IPv4
                 * gateway elsewhere) */
                if (bn->ipv6) {
                        struct in6_addr a6;

                        bridge_address6(bn, address, &a6);
                        if (IN6_ARE_ADDR_EQUAL(&a6, &bn->gateway6))
                                continue;
                }
                path = strprintf("%s/%s", LEASES_DIR, network_address_format(address, a));
                if (!path)
                        return -ENOMEM;
                fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd < 0) {
                        r = negative_errno();
                        if (r == -EEXIST)
                                continue;
                        strprintf_replace(ret_error, "Failed to create the lease %s", path);
                        return r;
                }
                r = loop_write(fd, line, strlen(line));
                if (r >= 0 && close(TAKE_FD(fd)) < 0)
                        r = negative_errno();
                if (r < 0) {
                        (void) unlink(path);
                        strprintf_replace(ret_error, "Failed to write the lease %s", path);
                        return r;
                }
                n->lease_path = TAKE_PTR(path);
                n->address = address;
                return 0;
        }
        strprintf_replace(ret_error, "No free address left in %s/%u", network_address_format(network, net),
                          prefixlen);
        return -EADDRNOTAVAIL;
}

int lease_add_elements(const char *path, char *const *elements) {
        _cleanup_buffer_ Buffer text = {};
        _cleanup_close_ int fd = -EBADF;
        int r = 0;

        if (strv_isempty(elements))
                return 0;
        STRV_FOREACH(e, elements)
                if (r >= 0 && (r = buffer_puts(&text, *e)) >= 0)
                        r = buffer_putc(&text, '\n');
        if (r < 0)
                return r;
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, text.data, text.size);
        if (r >= 0 && close(TAKE_FD(fd)) < 0)
                r = negative_errno();
        return r;
}

/* A line lease_add_elements() wrote: "publish { tcp . 8080 : 10.121.0.5 . 80 }" or "publish_addr { … : … }"
 * (of "ip ctr"), the same after "ip6 " (of "ip6 ctr"), or "bridge sources6 { 17 . fd00::5 }" (of "bridge
 * ctr"): one element (with its data, in a map), nothing that nft would read as a second command. Returns the
 * table and the element in |ret_element|, or NULL. (The leases of an older ctr-launch listed keys without
 * data: those are not put back.) */
static const char *lease_element_table(const char *line, const char **ret_element) {
        const char *table = "ip", *e = line, *rest;

        if ((rest = startswith(line, "ip6 ")))
                table = "ip6", e = rest;
        else if ((rest = startswith(line, "bridge ")))
                table = "bridge", e = rest;
        if (!endswith(e, " }") || strpbrk(e, ";#\\\""))
                return NULL;
        if (streq(table, "bridge") ? !startswith(e, "sources6 { ") :
            !((startswith(e, "publish { ") || startswith(e, "publish_addr { ")) && strstr(e, " : ")))
                return NULL;
        *ret_element = e;
        return table;
}

int leases_restore(struct nft_ctx *ctx, bool ipv6, unsigned *ret_leases, unsigned *ret_elements) {
        unsigned n_leases = 0, n_elements = 0;
        int ret = 0;
        DirIter it;
        const struct dirent64 *de;

        if (dir_iter_open(AT_FDCWD, LEASES_DIR, &it) < 0) {
                *ret_leases = *ret_elements = 0;
                return 0;
        }
        while (dir_iter_next(&it, &de) > 0) {
                _cleanup_free_ char *path = strprintf("%s/%s", LEASES_DIR, de->d_name), *buf = NULL;
                _cleanup_buffer_ Buffer cmd = {};
                _cleanup_free_ char *error = NULL;
                unsigned n = 0, n_lines = 0;    /* published ports; with the source check's element */
                char *line, *next;
                int r;

                if (!path)
                        return -ENOMEM;
                r = read_full_file_at(AT_FDCWD, path, 16U << 20, &buf, NULL);
                if (r < 0 || !lease_owner_alive(buf))
                        continue;       /* gone meanwhile, or its monitor is: leases_collect()'s */
                /* the table once there is a container on the bridge: its NAT to the outside too */
                if (n_leases++ == 0) {
                        r = nft_ensure_table(ctx, ipv6, &error);
                        if (r < 0) {
                                log_warning("%s", strna(error));
                                dir_iter_close(&it);
                                return r;
                        }
                }
                line = strchr(buf, '\n');
                for (line = line ? line + 1 : NULL; line && *line; line = next) {
                        next = strchr(line, '\n');
                        if (next)
                                *next++ = '\0';
                        const char *element, *table = lease_element_table(line, &element);

                        /* an IPv6 element of a bridge whose IPv6 is gone meanwhile has no table to go to */
                        if (!table || (!ipv6 && !streq(table, "ip")))
                                continue;
                        if (buffer_puts(&cmd, "add element ") < 0 || buffer_puts(&cmd, table) < 0 ||
                            buffer_puts(&cmd, " ctr ") < 0 || buffer_puts(&cmd, element) < 0 ||
                            buffer_putc(&cmd, '\n') < 0)
                                return -ENOMEM;
                        n_lines++;
                        if (!streq(table, "bridge"))
                                n++;
                }
                if (n_lines == 0)
                        continue;
                /* one transaction per container: a key another container published since stays its own */
                if (buffer_putc(&cmd, '\0') < 0)
                        return -ENOMEM;
                r = nft_run(ctx, cmd.data, &error);
                if (r < 0) {
                        buf[strcspn(buf, " \n")] = '\0';
                        log_warning("Failed to put back the %u published ports of container '%s' (lease %s): %s",
                                    n, buf, de->d_name, strna(error));
                        ret = r;
                        continue;
                }
                n_elements += n;
        }
        dir_iter_close(&it);
        *ret_leases = n_leases;
        *ret_elements = n_elements;
        return ret;
}
