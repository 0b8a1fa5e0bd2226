/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* nftables over nfnetlink, for the few requests of every bridged start and stop (network-nfnl.h says why). */

#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "fd-util.h"
#include "macro.h"
#include "network-nfnl.h"

#define NFNL_TABLE "ctr"

/* One request: a few messages in one buffer, sent at once (a batch must be one datagram). */
typedef struct Request {
        uint8_t data[1024] __attribute__((aligned(NLMSG_ALIGNTO)));
        size_t size;
        bool overflow;
        uint32_t seq;
} Request;

static void *request_put(Request *q, size_t len) {
        size_t aligned = NLMSG_ALIGN(len);
        void *p;

        if (q->overflow || aligned > sizeof(q->data) - q->size) {
                q->overflow = true;
                return NULL;
        }
        p = q->data + q->size;
        memset(p, 0, aligned);
        q->size += aligned;
        return p;
}

/* A message with its nfgenmsg header; returns its offset, for message_end(). */
static size_t message_begin(Request *q, uint16_t type, uint16_t flags, uint8_t family, uint16_t res_id) {
        size_t offset = q->size;
        struct nlmsghdr *h = request_put(q, NLMSG_HDRLEN);
        struct nfgenmsg *g = request_put(q, sizeof(struct nfgenmsg));

        if (h && g) {
                h->nlmsg_type = type;
                h->nlmsg_flags = NLM_F_REQUEST | flags;
                h->nlmsg_seq = ++q->seq;
                *g = (struct nfgenmsg) { .nfgen_family = family, .version = NFNETLINK_V0, .res_id = htobe16(res_id) };
        }
        return offset;
}

/* Sets the length of the message, or the nested attribute, that began at |offset|. */
static void message_end(Request *q, size_t offset) {
        if (!q->overflow)
                ((struct nlmsghdr *) (q->data + offset))->nlmsg_len = (uint32_t) (q->size - offset);
}

static void attribute_put(Request *q, uint16_t type, const void *value, size_t len) {
        struct nlattr *a = request_put(q, NLA_HDRLEN + len);

        if (!a)
                return;
        a->nla_type = type;
        a->nla_len = (uint16_t) (NLA_HDRLEN + len);
        memcpy((uint8_t *) a + NLA_HDRLEN, value, len);
}

static size_t nest_begin(Request *q, uint16_t type) {
        size_t offset = q->size;
        struct nlattr *a = request_put(q, NLA_HDRLEN);

        if (a)
                a->nla_type = NLA_F_NESTED | type;
        return offset;
}

static void nest_end(Request *q, size_t offset) {
        if (!q->overflow)
                ((struct nlattr *) (q->data + offset))->nla_len = (uint16_t) (q->size - offset);
}

static void request_get(Request *q, uint8_t family, uint16_t type, uint16_t name_attribute, const char *table,
                        const char *name) {
        size_t m = message_begin(q, (NFNL_SUBSYS_NFTABLES << 8) | type, NLM_F_ACK, family, 0);

        if (name)
                attribute_put(q, NFTA_CHAIN_TABLE, table, strlen(table) + 1);
        attribute_put(q, name_attribute, name ?: table, strlen(name ?: table) + 1);
        message_end(q, m);
}

/* Sends |q| and reads the answers to its first |n| acknowledged messages (sequence numbers 1…n, or |first|…):
 * the error of each (0: acknowledged) into |ret|. */
static int request_send(const Request *q, uint32_t first, size_t n, int ret[]) {
        _cleanup_close_ int fd = -EBADF;
        struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
        size_t answered = 0;
        union {
                uint8_t bytes[8192];
                struct nlmsghdr align;
        } buf;

        if (q->overflow)
                return -ENOBUFS;
        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
        if (fd < 0)
                return negative_errno();
        if (sendto(fd, q->data, q->size, 0, (struct sockaddr *) &kernel, sizeof(kernel)) < 0)
                return negative_errno();
        for (size_t i = 0; i < n; i++)
                ret[i] = 1;     /* not answered yet */
        while (answered < n) {
                ssize_t k = recv(fd, buf.bytes, sizeof(buf.bytes), 0);

                if (k < 0)
                        return negative_errno();
                if (k == 0)
                        return -EPIPE;
                for (struct nlmsghdr *h = &buf.align; NLMSG_OK(h, (size_t) k); h = NLMSG_NEXT(h, k)) {
                        const struct nlmsgerr *e = NLMSG_DATA(h);

                        if (h->nlmsg_type != NLMSG_ERROR)
                                continue;       /* the table or chain asked for: an acknowledgement follows */
                        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
                                return -EBADMSG;
                        if (h->nlmsg_seq < first || h->nlmsg_seq >= first + n) {
                                if (e->error < 0)
                                        return e->error;        /* the batch itself was refused */
                                continue;
                        }
                        if (ret[h->nlmsg_seq - first] == 1)
                                answered++;
                        ret[h->nlmsg_seq - first] = e->error;
                }
        }
        return 0;
}

int nfnl_tables_exist(bool ipv6) {
        static const struct {
                uint8_t family;
                const char *chain;      /* NULL: the table */
                bool ipv6;
        } wanted[] = {
                { NFPROTO_IPV4,   NULL,      false },
                { NFPROTO_IPV4,   "input",   false },
                { NFPROTO_IPV4,   "forward", false },
                { NFPROTO_IPV6,   NULL,      true  },
                { NFPROTO_BRIDGE, NULL,      true  },
        };
        Request q = {};
        int errors[ELEMENTSOF(wanted)];
        size_t n = 0;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(wanted); i++)
                if (ipv6 || !wanted[i].ipv6) {
                        if (wanted[i].chain)
                                request_get(&q, wanted[i].family, NFT_MSG_GETCHAIN, NFTA_CHAIN_NAME, NFNL_TABLE,
                                            wanted[i].chain);
                        else
                                request_get(&q, wanted[i].family, NFT_MSG_GETTABLE, NFTA_TABLE_NAME, NFNL_TABLE,
                                            NULL);
                        n++;
                }
        r = request_send(&q, 1, n, errors);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (errors[i] < 0)
                        return errors[i];
        return 0;
}

int nfnl_sources6(bool add, int ifindex, const struct in6_addr *address) {
        /* the key "iface_index . ipv6_addr": the index in host byte order, then the address */
        uint8_t key[sizeof(uint32_t) + sizeof(struct in6_addr)];
        uint32_t index = (uint32_t) ifindex;
        Request q = {};
        size_t m, elements, element, k;
        int error, r;

        memcpy(key, &index, sizeof(index));
        memcpy(key + sizeof(index), address, sizeof(struct in6_addr));

        m = message_begin(&q, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        message_end(&q, m);
        m = message_begin(&q, (NFNL_SUBSYS_NFTABLES << 8) | (add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM),
                          NLM_F_ACK | (add ? NLM_F_CREATE : 0), NFPROTO_BRIDGE, 0);
        attribute_put(&q, NFTA_SET_ELEM_LIST_TABLE, NFNL_TABLE, strlen(NFNL_TABLE) + 1);
        attribute_put(&q, NFTA_SET_ELEM_LIST_SET, "sources6", strlen("sources6") + 1);
        elements = nest_begin(&q, NFTA_SET_ELEM_LIST_ELEMENTS);
        element = nest_begin(&q, NFTA_LIST_ELEM);
        k = nest_begin(&q, NFTA_SET_ELEM_KEY);
        attribute_put(&q, NFTA_DATA_VALUE, key, sizeof(key));
        nest_end(&q, k);
        nest_end(&q, element);
        nest_end(&q, elements);
        message_end(&q, m);
        m = message_begin(&q, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
        message_end(&q, m);

        r = request_send(&q, 2, 1, &error);
        return r < 0 ? r : error;
}
