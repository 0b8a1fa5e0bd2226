/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Network=bridge's links and addresses over rtnetlink: the bridge ctr0 on the host, the veth pairs, and the
 * container's side of its pair. */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <systemd/sd-id128.h>

#include "fileio.h"
#include "macro.h"
#include "network-libs.h"
#include "network-link.h"
#include "network-link6.h"
#include "parse-util.h"
#include "string-util.h"

/* The network of a bridge ctr-launch creates itself; one that exists already brings its own address. */
#define DEFAULT_NETWORK   0x0a790000U   /* 10.121.0.0 */
#define DEFAULT_PREFIXLEN 16
#define DEFAULT_GATEWAY   (DEFAULT_NETWORK | 1U)
#define LOOPBACK_IFINDEX  1             /* the kernel's, for the loopback of every namespace */

static uint32_t prefix_mask(unsigned prefixlen) {
        return prefixlen == 0 ? 0 : ~0U << (32 - prefixlen);
}

/* The one place libnl's error codes (its own NLE_* numbers, negative) become -errno values; the few that
 * matter keep their meaning, the rest are -EIO. A result >= 0 is passed through. */
int nl_errno(int r) {
        if (r >= 0)
                return r;
        switch (-r) {
        case NLE_EXIST:
                return -EEXIST;
        case NLE_NOMEM:
                return -ENOMEM;
        case NLE_PERM:
        case NLE_NOACCESS:
                return -EPERM;
        case NLE_NODEV:
        case NLE_OBJ_NOTFOUND:
                return -ENODEV;
        case NLE_OPNOTSUPP:
                return -EOPNOTSUPP;
        default:
                return -EIO;
        }
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct rtnl_link *, rtnl_link_put);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct rtnl_addr *, rtnl_addr_put);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct rtnl_route *, rtnl_route_put);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_addr *, nl_addr_put);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nl_cache *, nl_cache_free);

int link_open(struct nl_sock **ret) {
        _cleanup_(nl_socket_freep) struct nl_sock *sk = nl_socket_alloc();
        int r;

        if (!sk)
                return -ENOMEM;
        r = nl_connect(sk, NETLINK_ROUTE);
        if (r < 0)
                return nl_errno(r);
        *ret = TAKE_PTR(sk);
        return 0;
}

int link_up(struct nl_sock *sk, struct rtnl_link *link) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *change = rtnl_link_alloc();

        if (!change)
                return -ENOMEM;
        rtnl_link_set_flags(change, IFF_UP);
        return nl_errno(rtnl_link_change(sk, link, change, 0));
}

int address_add(struct nl_sock *sk, int ifindex, int family, const void *address, int prefixlen, unsigned flags) {
        _cleanup_(rtnl_addr_putp) struct rtnl_addr *a = rtnl_addr_alloc();
        _cleanup_(nl_addr_putp) struct nl_addr *local = NULL;
        int r;

        if (!a)
                return -ENOMEM;
        local = nl_addr_build(family, address, family == AF_INET6 ? 16 : 4);
        if (!local)
                return -ENOMEM;
        nl_addr_set_prefixlen(local, prefixlen);
        rtnl_addr_set_ifindex(a, ifindex);
        if (flags != 0)
                rtnl_addr_set_flags(a, flags);
        r = rtnl_addr_set_local(a, local);
        if (r < 0)
                return nl_errno(r);
        r = rtnl_addr_add(sk, a, 0);
        return r == -NLE_EXIST ? 0 : nl_errno(r);
}

/* ---- the bridge ---- */

/* The bridge's network must not take over addresses the host already reaches another way: the route to
 * 10.121.0.0/16 on ctr0 would win over (or tie with) the host's own, and cut it off from them. Any route of
 * the main table that overlaps, other than through ctr0 itself (a blackhole or unreachable route included),
 * refuses the start and names it. */
static int subnet_check(struct nl_sock *sk, const BridgeNet *bn, char **ret_error) {
        _cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
        int r;

        r = rtnl_route_alloc_cache(sk, AF_INET, 0, &cache);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to read the host's routes: %s", nl_geterror(r));
                return nl_errno(r);
        }

        for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
                struct rtnl_route *route = (struct rtnl_route *) o;
                struct nl_addr *dst = rtnl_route_get_dst(route);
                struct rtnl_nexthop *nh;
                unsigned prefixlen, p;
                uint32_t network, mask;
                char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], dev[IF_NAMESIZE] = "";

                if (rtnl_route_get_table(route) != RT_TABLE_MAIN || !dst || nl_addr_get_len(dst) != 4)
                        continue;
                prefixlen = nl_addr_get_prefixlen(dst);
                if (prefixlen == 0)
                        continue;       /* the default route: overlapping it is what every network does */
                memcpy(&network, nl_addr_get_binary_addr(dst), sizeof(network));
                network = ntohl(network);
                p = MIN(prefixlen, bn->prefixlen);
                mask = prefix_mask(p);
                if ((network & mask) != (bn->network & mask))
                        continue;
                nh = rtnl_route_get_nnexthops(route) > 0 ? rtnl_route_nexthop_n(route, 0) : NULL;
                if (nh && rtnl_route_nh_get_ifindex(nh) == bn->ifindex)
                        continue;
                if (nh && rtnl_route_nh_get_ifindex(nh) > 0)
                        (void) if_indextoname((unsigned) rtnl_route_nh_get_ifindex(nh), dev);
                strprintf_replace(ret_error, "the bridge network %s/%u overlaps the host's route to %s/%u%s%s; "
                          "containers would cut the host off from it", network_address_format(bn->network, b),
                          bn->prefixlen, network_address_format(network, a), prefixlen, dev[0] ? " on " : "", dev);
                return -EADDRINUSE;
        }
        return 0;
}

/* ctr0's first IPv4 address, if it has one (an operator's, e.g. from a systemd-networkd .network file) */
static int bridge_address(struct nl_sock *sk, BridgeNet *bn) {
        _cleanup_(nl_cache_freep) struct nl_cache *cache = NULL;
        int r;

        r = rtnl_addr_alloc_cache(sk, &cache);
        if (r < 0)
                return nl_errno(r);
        for (struct nl_object *o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
                struct rtnl_addr *a = (struct rtnl_addr *) o;
                struct nl_addr *local = rtnl_addr_get_local(a);
                uint32_t address;

                if (rtnl_addr_get_ifindex(a) != bn->ifindex || rtnl_addr_get_family(a) != AF_INET || !local ||
                    nl_addr_get_len(local) != 4)
                        continue;
                memcpy(&address, nl_addr_get_binary_addr(local), sizeof(address));
                bn->gateway = ntohl(address);
                bn->prefixlen = (unsigned) rtnl_addr_get_prefixlen(a);
                bn->network = bn->gateway & prefix_mask(bn->prefixlen);
                return 1;
        }
        return 0;
}

/* A file that is missing is a kernel without IPv6 (the IPv4 ones always exist): nothing to turn off. */
int sysctls_write(const Sysctl *list, size_t n, const char *where, char **ret_error) {
        for (size_t i = 0; i < n; i++) {
                int r = write_string_file(list[i].path, list[i].value);

                if (r < 0 && r != -ENOENT) {
                        strprintf_replace(ret_error, "Failed to write %s%s: %s", list[i].path, where, strerror(-r));
                        return r;
                }
        }
        return 0;
}

/* /sys/class/net/NAME/ATTR, its newline cut. */
static int sysfs_link_attr(const char *name, const char *attr, char **ret) {
        _cleanup_free_ char *path = strprintf("/sys/class/net/%s/%s", name, attr);
        int r;

        if (!path)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 4096, ret, NULL);
        if (r < 0)
                return r;
        (*ret)[strcspn(*ret, "\n")] = '\0';
        return 0;
}

/* Whether /sys/class/net/NAME is |link|. sysfs shows the network namespace of whoever mounted it, which need not
 * be ours (ctr-launch run in a network namespace of its own without a sysfs of it, as the tests and benchmarks
 * run it): the same name there can be another namespace's link, or none. Its index and its address must both
 * be this link's. */
static bool sysfs_shows_link(const char *name, struct rtnl_link *link) {
        _cleanup_free_ char *index = NULL, *address = NULL;
        struct nl_addr *a = rtnl_link_get_addr(link);
        char mac[64];
        unsigned i;

        if (sysfs_link_attr(name, "ifindex", &index) < 0 || safe_atou(index, &i) < 0 ||
            (int) i != rtnl_link_get_ifindex(link) || !a)
                return false;
        if (sysfs_link_attr(name, "address", &address) < 0)
                return false;
        const uint8_t *b = nl_addr_get_binary_addr(a);
        if (nl_addr_get_len(a) != 6)
                return false;
        snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
        return strcasecmp(address, mac) == 0;
}

/* ctr0's MAC: sd_id128_get_machine_app_specific() of this ID, which keeps the machine ID itself from being
 * derivable from the MAC (an HMAC-SHA256 keyed by it, computed by libsystemd: no hashing library loaded). */
#define BRIDGE_MAC_APP_ID SD_ID128_MAKE(bb,aa,e3,c5,33,31,49,b5,b8,21,c6,85,5f,4d,b6,15)

/* A bridge without a MAC of its own takes its lowest port's, so ctr0's changed whenever the container with
 * the lowest one stopped, and the others lost their gateway until their ARP entries expired. Like systemd for
 * the bridges it creates: derived from the machine ID, locally administered, unicast — the same across stops
 * and reboots. A MAC set on ctr0 already (by an operator, by systemd-networkd, by us) is kept. */
static int bridge_mac_fix(struct nl_sock *sk, struct rtnl_link *bridge) {
        _cleanup_free_ char *assign = NULL;
        _cleanup_(rtnl_link_putp) struct rtnl_link *change = NULL;
        _cleanup_(nl_addr_putp) struct nl_addr *mac = NULL;
        unsigned assign_type;
        sd_id128_t id;
        int r;

        /* whether its MAC was set on purpose is in sysfs only (no rtnetlink attribute has it): where sysfs is
         * another namespace's, it is left as it is */
        if (!sysfs_shows_link(NETWORK_BRIDGE_NAME, bridge))
                return 0;
        r = sysfs_link_attr(NETWORK_BRIDGE_NAME, "addr_assign_type", &assign);
        if (r < 0)
                return r;
        if (safe_atou(assign, &assign_type) >= 0 && assign_type == 3)   /* NET_ADDR_SET */
                return 0;
        r = sd_id128_get_machine_app_specific(BRIDGE_MAC_APP_ID, &id);
        if (r == -ENOENT || r == -ENOMEDIUM || r == -ENOPKG)
                return 0;       /* no machine ID (a bare chroot, a first boot): the kernel's choice */
        if (r < 0)
                return r;
        id.bytes[0] = (id.bytes[0] & 0xfe) | 0x02;      /* unicast, locally administered */

        mac = nl_addr_build(AF_LLC, id.bytes, 6);
        change = rtnl_link_alloc();
        if (!mac || !change)
                return -ENOMEM;
        rtnl_link_set_addr(change, mac);
        return nl_errno(rtnl_link_change(sk, bridge, change, 0));
}

int bridge_read(struct nl_sock *sk, BridgeNet *ret) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *bridge = NULL;
        BridgeNet bn = {};
        int r;

        r = rtnl_link_get_kernel(sk, 0, NETWORK_BRIDGE_NAME, &bridge);
        if (r < 0)
                return nl_errno(r);
        bn.ifindex = rtnl_link_get_ifindex(bridge);
        r = bridge_address(sk, &bn);
        if (r < 0)
                return r;
        if (r == 0)
                return -EADDRNOTAVAIL;
        r = bridge_read6(sk, &bn);
        if (r < 0)
                return r;
        *ret = bn;
        return 0;
}

int bridge_ensure(struct nl_sock *sk, BridgeNet *ret, char **ret_error) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *bridge = NULL;
        char a[INET_ADDRSTRLEN];
        BridgeNet bn;
        bool created, have_address;
        int r;

        /* looked up first: it exists at every start but the first */
        r = rtnl_link_get_kernel(sk, 0, NETWORK_BRIDGE_NAME, &bridge);
        created = nl_errno(r) == -ENODEV;
        if (created) {
                r = rtnl_link_bridge_add(sk, NETWORK_BRIDGE_NAME);
                if (r < 0 && r != -NLE_EXIST) {
                        strprintf_replace(ret_error, "Failed to create the bridge %s: %s", NETWORK_BRIDGE_NAME,
                                          nl_geterror(r));
                        return nl_errno(r);
                }
                created = r >= 0;
                r = rtnl_link_get_kernel(sk, 0, NETWORK_BRIDGE_NAME, &bridge);
        }
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to look up the bridge %s: %s", NETWORK_BRIDGE_NAME,
                                  nl_geterror(r));
                return nl_errno(r);
        }
        if (!streq(strempty(rtnl_link_get_type(bridge)), "bridge")) {
                strprintf_replace(ret_error, "%s exists and is not a bridge", NETWORK_BRIDGE_NAME);
                return -ENOTTY;
        }
        bn = (BridgeNet) { .ifindex = rtnl_link_get_ifindex(bridge) };

        r = bridge_address(sk, &bn);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to read the addresses of %s: %s", NETWORK_BRIDGE_NAME,
                                  strerror(-r));
                return r;
        }
        if (r > 0 && (bn.prefixlen < 8 || bn.prefixlen > 30)) {
                strprintf_replace(ret_error, "%s has the address %s/%u; its network must be /8 to /30",
                                  NETWORK_BRIDGE_NAME, network_address_format(bn.gateway, a), bn.prefixlen);
                return -EINVAL;
        }
        have_address = r > 0;
        if (r == 0) {
                bn.network = DEFAULT_NETWORK;
                bn.gateway = DEFAULT_GATEWAY;
                bn.prefixlen = DEFAULT_PREFIXLEN;
        }

        r = subnet_check(sk, &bn, ret_error);
        if (r < 0)
                return r;

        r = bridge_mac_fix(sk, bridge);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to give %s its fixed MAC address: %s", NETWORK_BRIDGE_NAME,
                                  strerror(-r));
                return r;
        }

        uint32_t gateway = htonl(bn.gateway);
        r = have_address ? 0 : address_add(sk, bn.ifindex, AF_INET, &gateway, (int) bn.prefixlen, 0);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to configure the bridge %s: %s", NETWORK_BRIDGE_NAME,
                                  strerror(-r));
                return r;
        }
        /* before the link is up: a bridge of ours gets no link-local address */
        r = bridge_ensure6(sk, created, &bn, ret_error);
        if (r < 0)
                return r;
        r = rtnl_link_get_flags(bridge) & IFF_UP ? 0 : link_up(sk, bridge);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to configure the bridge %s: %s", NETWORK_BRIDGE_NAME,
                                  strerror(-r));
                return r;
        }

        r = write_string_file("/proc/sys/net/ipv4/ip_forward", "1");
        if (r >= 0)
                r = write_string_file("/proc/sys/net/ipv4/conf/" NETWORK_BRIDGE_NAME "/route_localnet", "1");
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to enable IPv4 forwarding: %s", strerror(-r));
                return r;
        }
        bn.created = created;
        *ret = bn;
        return 0;
}

/* ---- the veth pairs ---- */

/* "vc-web" for a name of at most 12 characters without ':' (which the kernel refuses in interface names); for
 * any other "vh-" and the container's address in 8 hex digits. A short name can never take the address form;
 * an address has one lease, so no two running containers share a name, and the lease's collection deletes
 * the link of a dead one before its address can be taken again. */
void veth_name(const char *name, uint32_t address, char buf[static IFNAMSIZ]) {
        if (strlen(name) <= IFNAMSIZ - 1 - 3 && !strchr(name, ':'))
                snprintf(buf, IFNAMSIZ, "vc-%s", name);
        else
                snprintf(buf, IFNAMSIZ, "vh-%08x", address);
}

void veth_delete(struct nl_sock *sk, const char *name) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL;

        if (rtnl_link_get_kernel(sk, 0, name, &link) >= 0)
                (void) rtnl_link_delete(sk, link);
}

/* IFF_UP off on the link |ifindex|: a bridge port that is down forwards nothing, and its peer has no carrier. */
static int link_down(struct nl_sock *sk, int ifindex) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *link = rtnl_link_alloc(), *change = rtnl_link_alloc();

        if (!link || !change)
                return -ENOMEM;
        rtnl_link_set_ifindex(link, ifindex);
        rtnl_link_unset_flags(change, IFF_UP);
        return nl_errno(rtnl_link_change(sk, link, change, 0));
}

void veth_release(const char *name, int ifindex) {
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;

        /* an ioctl, not rtnetlink: gone already, or still ours */
        if (ifindex <= 0 || if_nametoindex(name) != (unsigned) ifindex)
                return;
        if (link_open(&sk) >= 0)
                (void) link_down(sk, ifindex);
}

int veth_set_aside(struct nl_sock *sk, const char *name, int bridge_ifindex) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *link = NULL, *change = rtnl_link_alloc();
        char aside[IFNAMSIZ];
        int ifindex, r;

        if (!change)
                return -ENOMEM;
        r = rtnl_link_get_kernel(sk, 0, name, &link);
        if (nl_errno(r) == -ENODEV)
                return 0;       /* gone meanwhile */
        if (r < 0)
                return nl_errno(r);
        /* only a pair's host end on ctr0 is one of ours: a link an administrator named so is left alone */
        if (!streq(strempty(rtnl_link_get_type(link)), "veth") || rtnl_link_get_master(link) != bridge_ifindex)
                return -EEXIST;
        ifindex = rtnl_link_get_ifindex(link);
        /* the kernel renames only a link that is down; veth_release() left it so, unless the monitor died */
        r = link_down(sk, ifindex);
        if (r >= 0) {
                snprintf(aside, sizeof(aside), "vh-.%d", ifindex);
                rtnl_link_set_name(change, aside);
                r = nl_errno(rtnl_link_change(sk, link, change, 0));
        }
        if (r < 0 && r != -ENODEV)
                r = nl_errno(rtnl_link_delete(sk, link));
        /* The kernel frees the stopped container's namespace, and the pair with it, in a worker of its own: between
         * the lookup above and any of these requests the link can be gone, which is what we wanted (6 of 9,000 starts of
         * one name back to back failed with "exists" before). */
        return r == -ENODEV ? 0 : r;
}

int veth_create(struct nl_sock *sk, const char *name, pid_t pid, int bridge_ifindex, NetworkBridge *n,
                char **ret_error) {
        _cleanup_(rtnl_link_putp) struct rtnl_link *host = rtnl_link_veth_alloc();
        struct rtnl_link *peer;
        unsigned ifindex;
        int r;

        if (!host)
                return -ENOMEM;
        /* one message: the host end a port of the bridge and up, "eth0" in the container's namespace (down until
         * container_link_setup() has set it up) */
        rtnl_link_set_name(host, name);
        rtnl_link_set_master(host, bridge_ifindex);
        rtnl_link_set_flags(host, IFF_UP);
        peer = rtnl_link_veth_get_peer(host);
        rtnl_link_set_name(peer, "eth0");
        rtnl_link_set_ns_pid(peer, pid);
        rtnl_link_put(peer);
        r = rtnl_link_add(sk, host, NLM_F_CREATE | NLM_F_EXCL);
        if (r == -NLE_EXIST) {
                strprintf_replace(ret_error, "Failed to create the veth pair %s/eth0: %s exists, another "
                                  "running container's", name, name);
                return -EEXIST;
        }
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to create the veth pair %s/eth0 on %s: %s", name,
                                  NETWORK_BRIDGE_NAME, nl_geterror(r));
                return nl_errno(r);
        }
        memcpy(n->veth, name, sizeof(n->veth));
        ifindex = if_nametoindex(name);
        if (ifindex == 0) {
                r = negative_errno();
                strprintf_replace(ret_error, "Failed to find %s: %s", name, strerror(-r));
                return r;
        }
        n->veth_ifindex = (int) ifindex;
        return 0;
}

/* ---- the container's side ---- */

int default_route_add(struct nl_sock *sk, int ifindex, int family, const void *gateway) {
        _cleanup_(rtnl_route_putp) struct rtnl_route *route = rtnl_route_alloc();
        _cleanup_(nl_addr_putp) struct nl_addr *dst = NULL, *gw = NULL;
        struct rtnl_nexthop *nh;
        static const uint8_t any[16] = {};
        size_t len = family == AF_INET6 ? 16 : 4;
        int r;

        if (!route)
                return -ENOMEM;
        dst = nl_addr_build(family, any, len);
        gw = nl_addr_build(family, gateway, len);
        nh = rtnl_route_nh_alloc();
        if (!dst || !gw || !nh) {
                if (nh)
                        rtnl_route_nh_free(nh);
                return -ENOMEM;
        }
        nl_addr_set_prefixlen(dst, 0);
        rtnl_route_set_family(route, (uint8_t) family);
        rtnl_route_set_table(route, RT_TABLE_MAIN);
        rtnl_route_set_scope(route, RT_SCOPE_UNIVERSE);
        rtnl_route_set_protocol(route, RTPROT_STATIC);
        rtnl_route_set_type(route, RTN_UNICAST);
        r = rtnl_route_set_dst(route, dst);
        if (r < 0) {
                rtnl_route_nh_free(nh);
                return nl_errno(r);
        }
        rtnl_route_nh_set_gateway(nh, gw);
        rtnl_route_nh_set_ifindex(nh, ifindex);
        rtnl_route_add_nexthop(route, nh);      /* the route owns it now */
        return nl_errno(rtnl_route_add(sk, route, 0));
}

/* Called inside the container's network namespace (/proc/sys/net is the opener's namespace's). A new
 * namespace copies the host's settings, so without this a container would route between its interfaces like
 * the host. IPv6 as network-link6.h says. */
static int container_sysctls(bool ipv6, char **ret_error) {
        static const Sysctl knobs[] = {
                { "/proc/sys/net/ipv4/conf/all/forwarding",       "0" },
                { "/proc/sys/net/ipv4/ip_forward",                "0" },
        };
        int r;

        r = sysctls_write(knobs, ELEMENTSOF(knobs), " in the container", ret_error);
        if (r < 0)
                return r;
        return container_sysctls6(ipv6, ret_error);
}

/* The socket is opened inside the container's namespace (a socket stays in the namespace it was created in);
 * we go back right after. */
int container_link_setup(pid_t pid, const BridgeNet *bn, uint32_t address, const struct in6_addr *address6,
                         char **ret_error) {
        _cleanup_close_ int self = -EBADF, target = -EBADF;
        _cleanup_(rtnl_link_putp) struct rtnl_link *eth0 = NULL, *lo = NULL;
        _cleanup_(nl_socket_freep) struct nl_sock *sk = NULL;
        char path[64];
        int ifindex = 0, r;

        snprintf(path, sizeof(path), "/proc/%d/ns/net", (int) pid);
        self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        if (self >= 0)
                target = open(path, O_RDONLY | O_CLOEXEC);
        if (self < 0 || target < 0) {
                r = negative_errno();
                strprintf_replace(ret_error, "Failed to open the network namespaces: %s", strerror(-r));
                return r;
        }
        if (setns(target, CLONE_NEWNET) < 0) {
                r = negative_errno();
                strprintf_replace(ret_error, "Failed to enter the container's network namespace: %s", strerror(-r));
                return r;
        }
        r = link_open(&sk);
        if (r < 0)
                strprintf_replace(ret_error, "Failed to open rtnetlink in the container: %s", strerror(-r));
        else
                r = container_sysctls(bn->ipv6 && address6, ret_error);
        /* an ioctl on a socket of the container's namespace, not a request over rtnetlink */
        if (r >= 0) {
                ifindex = (int) if_nametoindex("eth0");
                if (ifindex == 0) {
                        r = negative_errno();
                        strprintf_replace(ret_error, "Failed to find eth0 in the container: %s", strerror(-r));
                }
        }
        if (setns(self, CLONE_NEWNET) < 0) {
                /* we cannot stay in the container's namespace: the monitor's own traffic (journal is a unix
                 * socket, fine; sd-bus too) would be confined there — give up */
                r = negative_errno();
                strprintf_replace(ret_error, "Failed to return to the host's network namespace: %s", strerror(-r));
                return r;
        }
        if (r < 0)
                return r;

        eth0 = rtnl_link_alloc();
        lo = rtnl_link_alloc();
        if (!eth0 || !lo)
                return -ENOMEM;
        rtnl_link_set_ifindex(eth0, ifindex);
        rtnl_link_set_ifindex(lo, LOOPBACK_IFINDEX);    /* always in a new namespace */
        uint32_t be = htonl(address), gateway = htonl(bn->gateway);
        r = link_up(sk, lo);
        if (r >= 0)
                r = address_add(sk, ifindex, AF_INET, &be, (int) bn->prefixlen, 0);
        /* no duplicate address detection: the lease makes it unique, and a tentative address would keep the
         * workload from binding it for a second */
        if (r >= 0 && bn->ipv6 && address6)
                r = address_add(sk, ifindex, AF_INET6, address6, (int) bn->prefixlen6, IFA_F_NODAD);
        if (r >= 0)
                r = link_up(sk, eth0);
        if (r >= 0)
                r = default_route_add(sk, ifindex, AF_INET, &gateway);
        if (r >= 0 && bn->ipv6 && address6)
                r = default_route_add(sk, ifindex, AF_INET6, &bn->gateway6);
        if (r < 0) {
                strprintf_replace(ret_error, "Failed to configure eth0 in the container: %s", strerror(-r));
                return r;
        }
        return 0;
}
