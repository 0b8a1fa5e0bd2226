/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* IPAddressAllow=/IPAddressDeny= and SocketBindAllow=/SocketBindDeny= words, read as systemd reads them
 * (src/core/ip-address-access.c and src/shared/parse-helpers.c there), into the D-Bus forms ctr-launch gives
 * the scope. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ip-access.h"
#include "macro.h"
#include "parse-util.h"
#include "port-mapping.h"
#include "string-util.h"

/* The words that stand for an IPv4 and an IPv6 prefix both. */
static const struct {
        const char *word;
        const char *v4, *v6;
} ip_address_words[] = {
        { "any",        "0.0.0.0/0",      "::/0"     },
        { "localhost",  "127.0.0.0/8",    "::1/128"  },
        { "link-local", "169.254.0.0/16", "fe80::/64" },
        { "multicast",  "224.0.0.0/4",    "ff00::/8" },
};

static size_t family_size(int family) {
        return family == AF_INET6 ? 16 : 4;
}

static int parse_prefix(const char *s, IPAddressPrefix *ret) {
        IPAddressPrefix p = {};
        char address[INET6_ADDRSTRLEN];
        const char *slash = strchr(s, '/');
        size_t n = slash ? (size_t) (slash - s) : strlen(s);
        unsigned len;

        if (n == 0 || n >= sizeof(address))
                return -EINVAL;
        memcpy(address, s, n);
        address[n] = '\0';

        p.family = strchr(address, ':') ? AF_INET6 : AF_INET;
        if (inet_pton(p.family, address, p.address) != 1)
                return -EINVAL;

        len = (unsigned) family_size(p.family) * 8;
        if (slash) {
                unsigned l;

                if (safe_atou(slash + 1, &l) < 0 || l > len)
                        return -EINVAL;
                len = l;
        }
        p.prefixlen = (uint8_t) len;

        /* what systemd does with 10.1.2.3/8 too: the prefix is 10.0.0.0/8 */
        for (size_t i = 0; i < family_size(p.family); i++) {
                unsigned bits = len > i * 8 ? len - (unsigned) i * 8 : 0;

                if (bits < 8)
                        p.address[i] &= (uint8_t) (0xff00U >> bits);
        }

        *ret = p;
        return 0;
}

int parse_ip_address_word(const char *word, IPAddressPrefix ret[static IP_ADDRESS_WORD_MAX]) {
        int r;

        if (isempty(word))
                return -EINVAL;

        for (size_t i = 0; i < ELEMENTSOF(ip_address_words); i++) {
                if (!streq(word, ip_address_words[i].word))
                        continue;
                r = parse_prefix(ip_address_words[i].v4, &ret[0]);
                if (r >= 0)
                        r = parse_prefix(ip_address_words[i].v6, &ret[1]);
                return r < 0 ? r : 2;
        }

        r = parse_prefix(word, &ret[0]);
        return r < 0 ? r : 1;
}

int parse_socket_bind_rule(const char *word, SocketBindRule *ret) {
        SocketBindRule b = { .family = AF_UNSPEC };
        const char *p = word;
        const char *colon;

        if (isempty(word))
                return -EINVAL;

        /* the parts in their order, each optional but the last: family, protocol, ports */
        colon = strchr(p, ':');
        if (colon && (strneq(p, "ipv4:", 5) || strneq(p, "ipv6:", 5))) {
                b.family = p[3] == '4' ? AF_INET : AF_INET6;
                p = colon + 1;
                colon = strchr(p, ':');
        }
        if (colon && (strneq(p, "tcp:", 4) || strneq(p, "udp:", 4))) {
                b.protocol = p[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
                p = colon + 1;
        }

        if (!streq(p, "any")) {
                unsigned count;

                if (strchr(p, ':') || parse_port_range(p, &b.port_min, &count) < 0)
                        return -EINVAL;
                b.nr_ports = (uint16_t) count;
        }

        *ret = b;
        return 0;
}

const char *ip_address_prefix_to_string(const IPAddressPrefix *p, char *buf, size_t size) {
        char a[INET6_ADDRSTRLEN];

        if (!inet_ntop(p->family, p->address, a, sizeof(a)))
                a[0] = '\0';
        (void) snprintf(buf, size, "%s/%u", a, (unsigned) p->prefixlen);
        return buf;
}

const char *socket_bind_rule_to_string(const SocketBindRule *r, char *buf, size_t size) {
        const char *family = r->family == AF_INET ? "ipv4:" : r->family == AF_INET6 ? "ipv6:" : "";
        const char *protocol = r->protocol == IPPROTO_TCP ? "tcp:" : r->protocol == IPPROTO_UDP ? "udp:" : "";

        if (r->nr_ports == 0)
                (void) snprintf(buf, size, "%s%sany", family, protocol);
        else if (r->nr_ports == 1)
                (void) snprintf(buf, size, "%s%s%u", family, protocol, (unsigned) r->port_min);
        else
                (void) snprintf(buf, size, "%s%s%u-%u", family, protocol, (unsigned) r->port_min,
                                (unsigned) r->port_min + r->nr_ports - 1);
        return buf;
}
