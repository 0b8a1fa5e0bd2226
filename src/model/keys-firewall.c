/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the scope's cgroup firewall: IPAddressAllow=, IPAddressDeny=, SocketBindAllow= and
 * SocketBindDeny=, read as systemd.resource-control(5) says (several words per line, lines accumulate, an
 * empty value resets) and given to the scope, whose BPF programs systemd attaches enforce them on every
 * process of the container. They guard isolation: a bad value rejects the file, since ignoring one word of a
 * deny list would let through what it named. */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ip-access.h"
#include "key-parser.h"
#include "string-util.h"

typedef struct WordList {
        size_t size;            /* of one entry */
        size_t max_per_word;    /* entries one word may stand for */
        int (*parse)(const char *word, void *ret); /* fills entries, returns how many, or -EINVAL */
        const char *expected;   /* for the message */
} WordList;

static int parse_ip_word(const char *word, void *ret) {
        return parse_ip_address_word(word, ret);
}

static int parse_bind_word(const char *word, void *ret) {
        int r = parse_socket_bind_rule(word, ret);
        return r < 0 ? r : 1;
}

static const WordList ip_words = {
        .size = sizeof(IPAddressPrefix),
        .max_per_word = IP_ADDRESS_WORD_MAX,
        .parse = parse_ip_word,
        .expected = "any, localhost, link-local, multicast or ADDRESS[/PREFIXLENGTH]",
};

static const WordList bind_words = {
        .size = sizeof(SocketBindRule),
        .max_per_word = 1,
        .parse = parse_bind_word,
        .expected = "[ipv4:|ipv6:][tcp:|udp:]PORT[-PORT] or any",
};

/* Every word of |v| parsed before any is added, so that a refused line adds nothing. */
static int key_words(KeyContext *k, const char *v, const WordList *l, void **list, size_t *n) {
        _cleanup_free_ uint8_t *add = NULL;
        size_t n_add = 0;
        uint8_t *t;
        int r;

        if (isempty(v)) {
                *list = mfree(*list);
                *n = 0;
                return 0;
        }

        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid %s= '%s'", k->key, v);
                if (r == 0)
                        break;

                if (key_check_list_size(k, *n + n_add) < 0)
                        return 0;
                t = reallocarray(add, n_add + l->max_per_word, l->size);
                if (!t)
                        return -ENOMEM;
                add = t;
                r = l->parse(w, add + n_add * l->size);
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid value '%s' for %s=, expected %s", w, k->key,
                                           l->expected);
                n_add += (size_t) r;
        }
        if (n_add == 0)
                return 0;

        t = reallocarray(*list, *n + n_add, l->size);
        if (!t)
                return -ENOMEM;
        memcpy(t + *n * l->size, add, n_add * l->size);
        *list = t;
        *n += n_add;
        return 0;
}

int key_ip_address_allow(KeyContext *k, const char *v) {
        return key_words(k, v, &ip_words, (void **) &k->lc->c->ip_address_allow, &k->lc->c->n_ip_address_allow);
}

int key_ip_address_deny(KeyContext *k, const char *v) {
        return key_words(k, v, &ip_words, (void **) &k->lc->c->ip_address_deny, &k->lc->c->n_ip_address_deny);
}

int key_socket_bind_allow(KeyContext *k, const char *v) {
        return key_words(k, v, &bind_words, (void **) &k->lc->c->socket_bind_allow,
                         &k->lc->c->n_socket_bind_allow);
}

int key_socket_bind_deny(KeyContext *k, const char *v) {
        return key_words(k, v, &bind_words, (void **) &k->lc->c->socket_bind_deny, &k->lc->c->n_socket_bind_deny);
}
