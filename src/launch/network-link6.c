/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Network=bridge's IPv6: ctr0's prefix and settings, the host's forwarding, the container's settings. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/route/addr.h>
#include <systemd/sd-id128.h>

#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "network-libs.h"
#include "network-link6.h"
#include "string-util.h"

#define IPV6_CONF "/proc/sys/net/ipv6/conf/"

/* the ULA's global ID: sd_id128_get_machine_app_specific() of this ID, so the machine ID is not derivable */
#define BRIDGE_ULA_APP_ID SD_ID128_MAKE(5e,0d,62,a4,1c,d7,4f,0e,9b,35,70,c8,21,93,4e,aa)
/* without a machine ID (a bare chroot, a first boot): fd63:7472:0::/64, "ctr" */
static const uint8_t fallback_global_id[5] = { 0x63, 0x74, 0x72, 0x00, 0x00 };

DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_cache *, nl_cache_free);

static bool sysctl_is(const char *path, const char *value) {
        _cleanup_free_ char *buf = NULL;

        if (read_full_file_at(AT_FDCWD, path, 64, &buf, NULL) < 0)
                return false;
        buf[strcspn(buf, "\n")] = '\0';
        return streq(buf, value);
}

bool ipv6_host_enabled(void) {
        return sysctl_is(IPV6_CONF "all/disable_ipv6", "0");
}

static void prefix_mask6(struct in6_addr *a, unsigned prefixlen) {
        for (unsigned i = 0; i < 16; i++) {
                unsigned bits = prefixlen > i * 8 ? MIN(prefixlen - i * 8, 8U) : 0;

                a->s6_addr[i] &= (uint8_t) (0xff00U >> bits);
        }
}

int bridge_read6(struct nl_sock *sk, BridgeNet *bn) {
        _cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
        int r;

        bn->ipv6 = false;
        if (!sysctl_is(IPV6_CONF NETWORK_BRIDGE_NAME "/disable_ipv6", "0"))
                return 0;
        r = rtnl_addr_alloc_cache(sk, &cache);
        if (r < 0)
                return nl_errno(r);
        for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
                struct rtnl_addr *a = (struct rtnl_addr *) o;
                struct nl_addr *local = rtnl_addr_get_local(a);

                if (rtnl_addr_get_ifindex(a) != bn->ifindex || rtnl_addr_get_family(a) != AF_INET6 || !local ||
                    nl_addr_get_len(local) != 16 || rtnl_addr_get_scope(a) != RT_SCOPE_UNIVERSE)
                        continue;
                memcpy(&bn->gateway6, nl_addr_get_binary_addr(local), 16);
                bn->prefixlen6 = (unsigned) rtnl_addr_get_prefixlen(a);
                bn->prefix6 = bn->gateway6;
                prefix_mask6(&bn->prefix6, bn->prefixlen6);
                bn->ipv6 = true;
                return 1;
        }
        return 0;
}

void bridge_address6(const BridgeNet *bn, uint32_t address, struct in6_addr *ret) {
        uint32_t host = address & ~(bn->prefixlen == 0 ? 0 : ~0U << (32 - bn->prefixlen));

        *ret = bn->prefix6;
        for (unsigned i = 0; i < 4; i++)
                ret->s6_addr[15 - i] |= (uint8_t) (host >> (8 * i));
}

static void bridge_ula(struct in6_addr *ret_gateway) {
        sd_id128_t id;

        *ret_gateway = (struct in6_addr) {};
        ret_gateway->s6_addr[0] = 0xfd;
        if (sd_id128_get_machine_app_specific(BRIDGE_ULA_APP_ID, &id) >= 0)
                memcpy(ret_gateway->s6_addr + 1, id.bytes, 5);
        else
                memcpy(ret_gateway->s6_addr + 1, fallback_global_id, 5);
        ret_gateway->s6_addr[15] = 1;
}

/* IPv6 forwarding is one switch for the host (net.ipv6.conf.all.forwarding, which sets every interface's and
 * "default"'s too), and an interface that forwards ignores router advertisements unless accept_ra=2: a host that
 * takes its own default route from them (kernel SLAAC, e.g. ifupdown's "inet6 auto") would lose it when that
 * expires. So before turning it on, each interface (and "default", for those made later) that accepts them
 * (accept_ra=1) gets accept_ra=2, which keeps that, as Docker's documentation tells its users to do by hand.
 * systemd-networkd and NetworkManager handle router advertisements themselves (accept_ra=0): nothing changes
 * there. Once forwarding is on, nothing is done. */
static int host_forwarding6(char **ret_error) {
        DirIter it;
        const struct dirent64 *de;
        int r;

        if (sysctl_is(IPV6_CONF "all/forwarding", "1"))
                return 0;
        r = dir_iter_open(AT_FDCWD, IPV6_CONF, &it);
        if (r >= 0) {
                while (dir_iter_next(&it, &de) > 0) {
                        _cleanup_free_ char *path = NULL;

                        if (streq(de->d_name, "all") || streq(de->d_name, "lo") || streq(de->d_name, NETWORK_BRIDGE_NAME))
                                continue;
                        path = strprintf(IPV6_CONF "%s/accept_ra", de->d_name);
                        if (!path || !sysctl_is(path, "1"))
                                continue;
                        if (write_string_file(path, "2") >= 0)
                                log_info("IPv6 forwarding for %s: %s keeps accepting router advertisements "
                                         "(accept_ra=2).", NETWORK_BRIDGE_NAME, de->d_name);
                }
                dir_iter_close(&it);
        }
        r = write_string_file(IPV6_CONF "all/forwarding", "1");
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to enable IPv6 forwarding: %s", strerror(-r));
                return r;
        }
        return 0;
}

int bridge_ensure6(struct nl_sock *sk, bool created, BridgeNet *bn, char **ret_error) {
        static const Sysctl off[] = {
                { IPV6_CONF NETWORK_BRIDGE_NAME "/accept_ra",    "0" },
                { IPV6_CONF NETWORK_BRIDGE_NAME "/autoconf",     "0" },
                { IPV6_CONF NETWORK_BRIDGE_NAME "/disable_ipv6", "1" },
        };
        /* a ctr0 whose IPv6 was off (ours, made by an older launcher) or that is new gets no link-local
         * address: nothing on the host answers a container on fe80:: */
        static const Sysctl no_link_local[] = {
                { IPV6_CONF NETWORK_BRIDGE_NAME "/addr_gen_mode", "1" },
        };
        /* no router advertisements, redirects or SLAAC from a container, on an operator's ctr0 too */
        static const Sysctl on[] = {
                { IPV6_CONF NETWORK_BRIDGE_NAME "/accept_ra",        "0" },
                { IPV6_CONF NETWORK_BRIDGE_NAME "/autoconf",         "0" },
                { IPV6_CONF NETWORK_BRIDGE_NAME "/accept_redirects", "0" },
                { IPV6_CONF NETWORK_BRIDGE_NAME "/disable_ipv6",     "0" },
        };
        char a[INET6_ADDRSTRLEN];
        int r;

        bn->ipv6 = false;
        if (!ipv6_host_enabled())
                return sysctls_write(off, ELEMENTSOF(off), "", ret_error);

        if (created || sysctl_is(IPV6_CONF NETWORK_BRIDGE_NAME "/disable_ipv6", "1")) {
                r = sysctls_write(no_link_local, ELEMENTSOF(no_link_local), "", ret_error);
                if (r < 0)
                        return r;
        }
        r = sysctls_write(on, ELEMENTSOF(on), "", ret_error);
        if (r < 0)
                return r;

        r = bridge_read6(sk, bn);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to read the IPv6 addresses of %s: %s", NETWORK_BRIDGE_NAME,
                                  strerror(-r));
                return r;
        }
        if (r == 0) {
                bridge_ula(&bn->gateway6);
                bn->prefixlen6 = 64;
                bn->prefix6 = bn->gateway6;
                prefix_mask6(&bn->prefix6, bn->prefixlen6);
                r = address_add(sk, bn->ifindex, AF_INET6, &bn->gateway6, (int) bn->prefixlen6, IFA_F_NODAD);
                if (r < 0) {
                        strprintf_replace(ret_error, "Failed to add %s/64 to %s: %s",
                                          inet_ntop(AF_INET6, &bn->gateway6, a, sizeof(a)), NETWORK_BRIDGE_NAME,
                                          strerror(-r));
                        return r;
                }
                bn->ipv6 = true;
        }
        /* the IPv4 host number must fit the prefix's host part */
        if (bn->prefixlen6 < 16 || 128 - bn->prefixlen6 < 32 - bn->prefixlen) {
                strprintf_replace(ret_error, "%s has the IPv6 address %s/%u, too long a prefix for the host "
                                  "numbers of its IPv4 network /%u (at most /%u)", NETWORK_BRIDGE_NAME,
                                  inet_ntop(AF_INET6, &bn->gateway6, a, sizeof(a)), bn->prefixlen6, bn->prefixlen,
                                  96 + bn->prefixlen);
                return -EINVAL;
        }
        return host_forwarding6(ret_error);
}

int container_sysctls6(bool ipv6, char **ret_error) {
        /* "default" before the device, so nothing created later in the namespace differs */
        static const Sysctl off[] = {
                { IPV6_CONF "default/disable_ipv6", "1" },
                { IPV6_CONF "all/disable_ipv6",     "1" },
                { IPV6_CONF "eth0/disable_ipv6",    "1" },
        };
        static const Sysctl on[] = {
                { IPV6_CONF "default/accept_ra",        "0" },
                { IPV6_CONF "all/accept_ra",            "0" },
                { IPV6_CONF "eth0/accept_ra",           "0" },
                { IPV6_CONF "default/autoconf",         "0" },
                { IPV6_CONF "eth0/autoconf",            "0" },
                { IPV6_CONF "default/accept_redirects", "0" },
                { IPV6_CONF "all/accept_redirects",     "0" },
                { IPV6_CONF "eth0/accept_redirects",    "0" },
                { IPV6_CONF "default/addr_gen_mode",    "1" },
                { IPV6_CONF "eth0/addr_gen_mode",       "1" },
                { IPV6_CONF "all/forwarding",           "0" },
                { IPV6_CONF "eth0/disable_ipv6",        "0" },
        };

        if (ipv6)
                return sysctls_write(on, ELEMENTSOF(on), " in the container", ret_error);
        return sysctls_write(off, ELEMENTSOF(off), " in the container", ret_error);
}
