/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftables over nfnetlink, for the few requests of every bridged start and stop (network-nfnl.h says why):
 * the messages built by libnftnl, the netfilter project's own message library (libnftables is built on it
 * and loads it anyway), sent and answered through libmnl. */

#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "macro.h"
#include "network-libs.h"
#include "network-nfnl.h"

#define NFNL_TABLE "ctr"
/* One request's buffer: the largest, the batch of one element, is a few hundred bytes. Zeroed where declared
 * (= {}): the attributes' padding is sent too. */
typedef union Request {
        char bytes[1024];
        struct nlmsghdr align;
} Request;

static void mnl_socket_closep(struct mnl_socket **p) {
        if (*p)
                (void) mnl_socket_close(*p);
}
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nftnl_table *, nftnl_table_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nftnl_chain *, nftnl_chain_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct nftnl_set *, nftnl_set_free);

static int socket_open(struct mnl_socket **ret) {
        _cleanup_(mnl_socket_closep) struct mnl_socket *nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);

        if (!nl)
                return negative_errno();
        if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
                return negative_errno();
        *ret = TAKE_PTR(nl);
        return 0;
}

/* Sends |len| bytes of |buf| and reads the kernel's answers until the one to message |seq|, the only message
 * of |buf| that asks for an acknowledgement: 0 when acknowledged (a GET's object comes first), its error
 * otherwise. */
static int talk(struct mnl_socket *nl, const void *buf, size_t len, uint32_t seq) {
        unsigned portid = mnl_socket_get_portid(nl);
        union {
                char bytes[MNL_SOCKET_BUFFER_SIZE];
                struct nlmsghdr align;
        } answer;

        if (mnl_socket_sendto(nl, buf, len) < 0)
                return negative_errno();
        for (;;) {
                ssize_t k = mnl_socket_recvfrom(nl, answer.bytes, sizeof(answer.bytes));
                int r;

                if (k < 0)
                        return negative_errno();
                if (k == 0)
                        return -EPIPE;
                /* an error of another message (the batch itself refused) fails the sequence check: EPROTO */
                r = mnl_cb_run(answer.bytes, (size_t) k, seq, portid, NULL, NULL);
                if (r < 0)
                        return negative_errno();
                if (r == MNL_CB_STOP)
                        return 0;
        }
}

static int table_get(struct mnl_socket *nl, uint16_t family, uint32_t seq) {
        _cleanup_(nftnl_table_freep) struct nftnl_table *t = nftnl_table_alloc();
        Request buf = {};
        struct nlmsghdr *h;

        if (!t || nftnl_table_set_str(t, NFTNL_TABLE_NAME, NFNL_TABLE) < 0)
                return -ENOMEM;
        h = nftnl_nlmsg_build_hdr(buf.bytes, NFT_MSG_GETTABLE, family, NLM_F_ACK, seq);
        nftnl_table_nlmsg_build_payload(h, t);
        return talk(nl, h, h->nlmsg_len, seq);
}

static int chain_get(struct mnl_socket *nl, uint16_t family, const char *name, uint32_t seq) {
        _cleanup_(nftnl_chain_freep) struct nftnl_chain *c = nftnl_chain_alloc();
        Request buf = {};
        struct nlmsghdr *h;

        if (!c || nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFNL_TABLE) < 0 ||
            nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name) < 0)
                return -ENOMEM;
        h = nftnl_nlmsg_build_hdr(buf.bytes, NFT_MSG_GETCHAIN, family, NLM_F_ACK, seq);
        nftnl_chain_nlmsg_build_payload(h, c);
        return talk(nl, h, h->nlmsg_len, seq);
}

int nfnl_tables_exist(bool ipv6) {
        static const struct {
                uint16_t family;
                const char *chain;      /* NULL: the table */
                bool ipv6;
        } wanted[] = {
                { NFPROTO_IPV4,   NULL,      false },
                { NFPROTO_IPV4,   "input",   false },
                { NFPROTO_IPV4,   "forward", false },
                { NFPROTO_IPV6,   NULL,      true  },
                { NFPROTO_BRIDGE, NULL,      true  },
        };
        _cleanup_(mnl_socket_closep) struct mnl_socket *nl = NULL;
        uint32_t seq = 0;
        int r;

        r = socket_open(&nl);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(wanted); i++) {
                if (wanted[i].ipv6 && !ipv6)
                        continue;
                r = wanted[i].chain ? chain_get(nl, wanted[i].family, wanted[i].chain, ++seq) :
                                      table_get(nl, wanted[i].family, ++seq);
                if (r < 0)
                        return r;
        }
        return 0;
}

int nfnl_sources6(bool add, int ifindex, const struct in6_addr *address) {
        _cleanup_(mnl_socket_closep) struct mnl_socket *nl = NULL;
        _cleanup_(nftnl_set_freep) struct nftnl_set *s = nftnl_set_alloc();
        struct nftnl_set_elem *e = nftnl_set_elem_alloc();
        /* the key "iface_index . ipv6_addr": the index in host byte order, then the address */
        uint8_t key[sizeof(uint32_t) + sizeof(struct in6_addr)];
        uint32_t index = (uint32_t) ifindex;
        Request buf = {};
        struct mnl_nlmsg_batch *batch;
        struct nlmsghdr *h;
        int r;

        if (!s || !e) {
                nftnl_set_elem_free(e);
                return -ENOMEM;
        }
        memcpy(key, &index, sizeof(index));
        memcpy(key + sizeof(index), address, sizeof(struct in6_addr));
        if (nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, sizeof(key)) < 0) {
                nftnl_set_elem_free(e);
                return -ENOMEM;
        }
        nftnl_set_elem_add(s, e);       /* |s| owns it now */
        if (nftnl_set_set_str(s, NFTNL_SET_TABLE, NFNL_TABLE) < 0 || nftnl_set_set_str(s, NFTNL_SET_NAME, "sources6") < 0)
                return -ENOMEM;

        r = socket_open(&nl);
        if (r < 0)
                return r;

        /* one transaction: begin, the element (acknowledged: sequence 2), end */
        batch = mnl_nlmsg_batch_start(buf.bytes, sizeof(buf.bytes));
        if (!batch)
                return -ENOMEM;
        nftnl_batch_begin(mnl_nlmsg_batch_current(batch), 1);
        mnl_nlmsg_batch_next(batch);
        h = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(batch), add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM,
                                  NFPROTO_BRIDGE, NLM_F_ACK | (add ? NLM_F_CREATE : 0), 2);
        nftnl_set_elems_nlmsg_build_payload(h, s);
        mnl_nlmsg_batch_next(batch);
        nftnl_batch_end(mnl_nlmsg_batch_current(batch), 3);
        mnl_nlmsg_batch_next(batch);
        r = talk(nl, mnl_nlmsg_batch_head(batch), mnl_nlmsg_batch_size(batch), 2);
        mnl_nlmsg_batch_stop(batch);
        return r;
}
