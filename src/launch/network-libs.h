/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The network libraries of Network=bridge (libnl-route, libnl, libnftables, libnftnl, libmnl), loaded with
 * dlopen() by their sonames when a container is bridged, not linked: a launcher that runs no bridged
 * container (and its monitor, which lives as long as the container) never maps them. Loading them (and
 * libnftables' own libxtables, libjansson, libgmp) costs every start ~0.2 ms of the dynamic loader, and
 * their relocated data and text ~1 MiB of each monitor's memory that no other process shares
 * (bench/README.md "systemd-start").
 *
 * Every network-*.c file includes this header after the libraries' own (it includes them all first, so a
 * later #include of one is a no-op): a call such as nl_socket_alloc() then goes through the pointer loaded
 * here. network_libs_load() must have run first: network_bridge_setup() and network_restore(), the ways
 * into the network code, call it. */

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/bridge.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/route.h>
#include <nftables/libnftables.h>

#define NETWORK_LIBS_NL_ROUTE(X) \
        X(rtnl_addr_add) \
        X(rtnl_addr_alloc) \
        X(rtnl_addr_alloc_cache) \
        X(rtnl_addr_get_family) \
        X(rtnl_addr_get_ifindex) \
        X(rtnl_addr_get_local) \
        X(rtnl_addr_get_prefixlen) \
        X(rtnl_addr_get_scope) \
        X(rtnl_addr_put) \
        X(rtnl_addr_set_flags) \
        X(rtnl_addr_set_ifindex) \
        X(rtnl_addr_set_local) \
        X(rtnl_link_add) \
        X(rtnl_link_alloc) \
        X(rtnl_link_bridge_add) \
        X(rtnl_link_change) \
        X(rtnl_link_delete) \
        X(rtnl_link_get_addr) \
        X(rtnl_link_get_flags) \
        X(rtnl_link_get_ifindex) \
        X(rtnl_link_get_kernel) \
        X(rtnl_link_get_master) \
        X(rtnl_link_get_type) \
        X(rtnl_link_put) \
        X(rtnl_link_set_addr) \
        X(rtnl_link_set_flags) \
        X(rtnl_link_set_ifindex) \
        X(rtnl_link_set_master) \
        X(rtnl_link_set_name) \
        X(rtnl_link_set_ns_pid) \
        X(rtnl_link_unset_flags) \
        X(rtnl_link_veth_alloc) \
        X(rtnl_link_veth_get_peer) \
        X(rtnl_route_add) \
        X(rtnl_route_add_nexthop) \
        X(rtnl_route_alloc) \
        X(rtnl_route_alloc_cache) \
        X(rtnl_route_get_dst) \
        X(rtnl_route_get_nnexthops) \
        X(rtnl_route_get_table) \
        X(rtnl_route_nexthop_n) \
        X(rtnl_route_nh_alloc) \
        X(rtnl_route_nh_free) \
        X(rtnl_route_nh_get_ifindex) \
        X(rtnl_route_nh_set_gateway) \
        X(rtnl_route_nh_set_ifindex) \
        X(rtnl_route_put) \
        X(rtnl_route_set_dst) \
        X(rtnl_route_set_family) \
        X(rtnl_route_set_protocol) \
        X(rtnl_route_set_scope) \
        X(rtnl_route_set_table) \
        X(rtnl_route_set_type)

#define NETWORK_LIBS_NL(X) \
        X(nl_addr_build) \
        X(nl_addr_get_binary_addr) \
        X(nl_addr_get_len) \
        X(nl_addr_get_prefixlen) \
        X(nl_addr_put) \
        X(nl_addr_set_prefixlen) \
        X(nl_cache_free) \
        X(nl_cache_get_first) \
        X(nl_cache_get_next) \
        X(nl_connect) \
        X(nl_geterror) \
        X(nl_socket_alloc) \
        X(nl_socket_free)

#define NETWORK_LIBS_NFTABLES(X) \
        X(nft_ctx_buffer_error) \
        X(nft_ctx_buffer_output) \
        X(nft_ctx_free) \
        X(nft_ctx_get_error_buffer) \
        X(nft_ctx_get_output_buffer) \
        X(nft_ctx_new) \
        X(nft_ctx_output_get_flags) \
        X(nft_ctx_output_set_flags) \
        X(nft_run_cmd_from_buffer)

#define NETWORK_LIBS_NFTNL(X) \
        X(nftnl_batch_begin) \
        X(nftnl_batch_end) \
        X(nftnl_chain_alloc) \
        X(nftnl_chain_free) \
        X(nftnl_chain_nlmsg_build_payload) \
        X(nftnl_chain_set_str) \
        X(nftnl_nlmsg_build_hdr) \
        X(nftnl_set_alloc) \
        X(nftnl_set_elem_add) \
        X(nftnl_set_elem_alloc) \
        X(nftnl_set_elem_free) \
        X(nftnl_set_elem_set) \
        X(nftnl_set_elems_nlmsg_build_payload) \
        X(nftnl_set_free) \
        X(nftnl_set_set_str) \
        X(nftnl_table_alloc) \
        X(nftnl_table_free) \
        X(nftnl_table_nlmsg_build_payload) \
        X(nftnl_table_set_str)

#define NETWORK_LIBS_MNL(X) \
        X(mnl_cb_run) \
        X(mnl_nlmsg_batch_current) \
        X(mnl_nlmsg_batch_head) \
        X(mnl_nlmsg_batch_next) \
        X(mnl_nlmsg_batch_size) \
        X(mnl_nlmsg_batch_start) \
        X(mnl_nlmsg_batch_stop) \
        X(mnl_socket_bind) \
        X(mnl_socket_close) \
        X(mnl_socket_get_portid) \
        X(mnl_socket_open2) \
        X(mnl_socket_recvfrom) \
        X(mnl_socket_sendto)

/* Every library: its soname (meson.build, from the library pkg-config names) and its symbols. */
#define NETWORK_LIBS(L) \
        L(LIBNL_ROUTE_SONAME, NETWORK_LIBS_NL_ROUTE) \
        L(LIBNL_SONAME, NETWORK_LIBS_NL) \
        L(LIBNFTABLES_SONAME, NETWORK_LIBS_NFTABLES) \
        L(LIBNFTNL_SONAME, NETWORK_LIBS_NFTNL) \
        L(LIBMNL_SONAME, NETWORK_LIBS_MNL)

#define NETWORK_LIBS_FIELD(name) typeof(&name) name;
typedef struct NetworkLibs {
        NETWORK_LIBS_NL_ROUTE(NETWORK_LIBS_FIELD)
        NETWORK_LIBS_NL(NETWORK_LIBS_FIELD)
        NETWORK_LIBS_NFTABLES(NETWORK_LIBS_FIELD)
        NETWORK_LIBS_NFTNL(NETWORK_LIBS_FIELD)
        NETWORK_LIBS_MNL(NETWORK_LIBS_FIELD)
} NetworkLibs;
#undef NETWORK_LIBS_FIELD

extern NetworkLibs network_libs;

/* Loads them all, once (later calls return at once). A launcher built against them that cannot load one
 * is broken as an installation, as when the dynamic loader cannot find a linked library: it says so as the
 * loader does and exits as it does (127). */
void network_libs_load(void);

#ifndef NETWORK_LIBS_NO_REDIRECT
#define rtnl_addr_add (network_libs.rtnl_addr_add)
#define rtnl_addr_alloc (network_libs.rtnl_addr_alloc)
#define rtnl_addr_alloc_cache (network_libs.rtnl_addr_alloc_cache)
#define rtnl_addr_get_family (network_libs.rtnl_addr_get_family)
#define rtnl_addr_get_ifindex (network_libs.rtnl_addr_get_ifindex)
#define rtnl_addr_get_local (network_libs.rtnl_addr_get_local)
#define rtnl_addr_get_prefixlen (network_libs.rtnl_addr_get_prefixlen)
#define rtnl_addr_get_scope (network_libs.rtnl_addr_get_scope)
#define rtnl_addr_put (network_libs.rtnl_addr_put)
#define rtnl_addr_set_flags (network_libs.rtnl_addr_set_flags)
#define rtnl_addr_set_ifindex (network_libs.rtnl_addr_set_ifindex)
#define rtnl_addr_set_local (network_libs.rtnl_addr_set_local)
#define rtnl_link_add (network_libs.rtnl_link_add)
#define rtnl_link_alloc (network_libs.rtnl_link_alloc)
#define rtnl_link_bridge_add (network_libs.rtnl_link_bridge_add)
#define rtnl_link_change (network_libs.rtnl_link_change)
#define rtnl_link_delete (network_libs.rtnl_link_delete)
#define rtnl_link_get_addr (network_libs.rtnl_link_get_addr)
#define rtnl_link_get_flags (network_libs.rtnl_link_get_flags)
#define rtnl_link_get_ifindex (network_libs.rtnl_link_get_ifindex)
#define rtnl_link_get_kernel (network_libs.rtnl_link_get_kernel)
#define rtnl_link_get_master (network_libs.rtnl_link_get_master)
#define rtnl_link_get_type (network_libs.rtnl_link_get_type)
#define rtnl_link_put (network_libs.rtnl_link_put)
#define rtnl_link_set_addr (network_libs.rtnl_link_set_addr)
#define rtnl_link_set_flags (network_libs.rtnl_link_set_flags)
#define rtnl_link_set_ifindex (network_libs.rtnl_link_set_ifindex)
#define rtnl_link_set_master (network_libs.rtnl_link_set_master)
#define rtnl_link_set_name (network_libs.rtnl_link_set_name)
#define rtnl_link_set_ns_pid (network_libs.rtnl_link_set_ns_pid)
#define rtnl_link_unset_flags (network_libs.rtnl_link_unset_flags)
#define rtnl_link_veth_alloc (network_libs.rtnl_link_veth_alloc)
#define rtnl_link_veth_get_peer (network_libs.rtnl_link_veth_get_peer)
#define rtnl_route_add (network_libs.rtnl_route_add)
#define rtnl_route_add_nexthop (network_libs.rtnl_route_add_nexthop)
#define rtnl_route_alloc (network_libs.rtnl_route_alloc)
#define rtnl_route_alloc_cache (network_libs.rtnl_route_alloc_cache)
#define rtnl_route_get_dst (network_libs.rtnl_route_get_dst)
#define rtnl_route_get_nnexthops (network_libs.rtnl_route_get_nnexthops)
#define rtnl_route_get_table (network_libs.rtnl_route_get_table)
#define rtnl_route_nexthop_n (network_libs.rtnl_route_nexthop_n)
#define rtnl_route_nh_alloc (network_libs.rtnl_route_nh_alloc)
#define rtnl_route_nh_free (network_libs.rtnl_route_nh_free)
#define rtnl_route_nh_get_ifindex (network_libs.rtnl_route_nh_get_ifindex)
#define rtnl_route_nh_set_gateway (network_libs.rtnl_route_nh_set_gateway)
#define rtnl_route_nh_set_ifindex (network_libs.rtnl_route_nh_set_ifindex)
#define rtnl_route_put (network_libs.rtnl_route_put)
#define rtnl_route_set_dst (network_libs.rtnl_route_set_dst)
#define rtnl_route_set_family (network_libs.rtnl_route_set_family)
#define rtnl_route_set_protocol (network_libs.rtnl_route_set_protocol)
#define rtnl_route_set_scope (network_libs.rtnl_route_set_scope)
#define rtnl_route_set_table (network_libs.rtnl_route_set_table)
#define rtnl_route_set_type (network_libs.rtnl_route_set_type)
#define nl_addr_build (network_libs.nl_addr_build)
#define nl_addr_get_binary_addr (network_libs.nl_addr_get_binary_addr)
#define nl_addr_get_len (network_libs.nl_addr_get_len)
#define nl_addr_get_prefixlen (network_libs.nl_addr_get_prefixlen)
#define nl_addr_put (network_libs.nl_addr_put)
#define nl_addr_set_prefixlen (network_libs.nl_addr_set_prefixlen)
#define nl_cache_free (network_libs.nl_cache_free)
#define nl_cache_get_first (network_libs.nl_cache_get_first)
#define nl_cache_get_next (network_libs.nl_cache_get_next)
#define nl_connect (network_libs.nl_connect)
#define nl_geterror (network_libs.nl_geterror)
#define nl_socket_alloc (network_libs.nl_socket_alloc)
#define nl_socket_free (network_libs.nl_socket_free)
#define nft_ctx_buffer_error (network_libs.nft_ctx_buffer_error)
#define nft_ctx_buffer_output (network_libs.nft_ctx_buffer_output)
#define nft_ctx_free (network_libs.nft_ctx_free)
#define nft_ctx_get_error_buffer (network_libs.nft_ctx_get_error_buffer)
#define nft_ctx_get_output_buffer (network_libs.nft_ctx_get_output_buffer)
#define nft_ctx_new (network_libs.nft_ctx_new)
#define nft_ctx_output_get_flags (network_libs.nft_ctx_output_get_flags)
#define nft_ctx_output_set_flags (network_libs.nft_ctx_output_set_flags)
#define nft_run_cmd_from_buffer (network_libs.nft_run_cmd_from_buffer)
#define nftnl_batch_begin (network_libs.nftnl_batch_begin)
#define nftnl_batch_end (network_libs.nftnl_batch_end)
#define nftnl_chain_alloc (network_libs.nftnl_chain_alloc)
#define nftnl_chain_free (network_libs.nftnl_chain_free)
#define nftnl_chain_nlmsg_build_payload (network_libs.nftnl_chain_nlmsg_build_payload)
#define nftnl_chain_set_str (network_libs.nftnl_chain_set_str)
#define nftnl_nlmsg_build_hdr (network_libs.nftnl_nlmsg_build_hdr)
#define nftnl_set_alloc (network_libs.nftnl_set_alloc)
#define nftnl_set_elem_add (network_libs.nftnl_set_elem_add)
#define nftnl_set_elem_alloc (network_libs.nftnl_set_elem_alloc)
#define nftnl_set_elem_free (network_libs.nftnl_set_elem_free)
#define nftnl_set_elem_set (network_libs.nftnl_set_elem_set)
#define nftnl_set_elems_nlmsg_build_payload (network_libs.nftnl_set_elems_nlmsg_build_payload)
#define nftnl_set_free (network_libs.nftnl_set_free)
#define nftnl_set_set_str (network_libs.nftnl_set_set_str)
#define nftnl_table_alloc (network_libs.nftnl_table_alloc)
#define nftnl_table_free (network_libs.nftnl_table_free)
#define nftnl_table_nlmsg_build_payload (network_libs.nftnl_table_nlmsg_build_payload)
#define nftnl_table_set_str (network_libs.nftnl_table_set_str)
#define mnl_cb_run (network_libs.mnl_cb_run)
#define mnl_nlmsg_batch_current (network_libs.mnl_nlmsg_batch_current)
#define mnl_nlmsg_batch_head (network_libs.mnl_nlmsg_batch_head)
#define mnl_nlmsg_batch_next (network_libs.mnl_nlmsg_batch_next)
#define mnl_nlmsg_batch_size (network_libs.mnl_nlmsg_batch_size)
#define mnl_nlmsg_batch_start (network_libs.mnl_nlmsg_batch_start)
#define mnl_nlmsg_batch_stop (network_libs.mnl_nlmsg_batch_stop)
#define mnl_socket_bind (network_libs.mnl_socket_bind)
#define mnl_socket_close (network_libs.mnl_socket_close)
#define mnl_socket_get_portid (network_libs.mnl_socket_get_portid)
#define mnl_socket_open2 (network_libs.mnl_socket_open2)
#define mnl_socket_recvfrom (network_libs.mnl_socket_recvfrom)
#define mnl_socket_sendto (network_libs.mnl_socket_sendto)
#endif
