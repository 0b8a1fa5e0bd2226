/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "parse-util.h"
#include "port-mapping.h"
#include "string-util.h"

int parse_port_range(const char *s, uint16_t *ret_port, unsigned *ret_count) {
        const char *dash = strchr(s, '-');
        unsigned a, b;

        if (dash) {
                char *x = strndupa(s, (size_t) (dash - s));
                if (safe_atou(x, &a) < 0 || safe_atou(dash + 1, &b) < 0)
                        return -EINVAL;
        } else {
                if (safe_atou(s, &a) < 0)
                        return -EINVAL;
                b = a;
        }
        if (a == 0 || a > 65535 || b == 0 || b > 65535 || a > b)
                return -ERANGE;
        *ret_port = (uint16_t) a;
        *ret_count = b - a + 1;
        return 0;
}

int parse_port_mapping(const char *s, PortMapping *ret) {
        _cleanup_free_ char *copy = NULL, *address = NULL;
        const char *hostports, *cports;
        unsigned hcount, ccount;
        PortMapping m = { .protocol = IPPROTO_TCP };
        char *p, *colon, *slash;
        int r;

        if (!s || *s == '\0')
                return -EINVAL;
        copy = strdup(s);
        if (!copy)
                return -ENOMEM;

        slash = strrchr(copy, '/');
        if (slash) {
                *slash = '\0';
                if (streq(slash + 1, "tcp"))
                        m.protocol = IPPROTO_TCP;
                else if (streq(slash + 1, "udp"))
                        m.protocol = IPPROTO_UDP;
                else
                        return -EINVAL;
        }

        p = copy;
        if (*p == '[') {
                char *end = strchr(p, ']');
                struct in6_addr a6;
                char buf[INET6_ADDRSTRLEN];

                if (!end || end[1] != ':')
                        return -EINVAL;
                *end = '\0';
                if (inet_pton(AF_INET6, p + 1, &a6) != 1)
                        return -EINVAL;
                if (!inet_ntop(AF_INET6, &a6, buf, sizeof(buf)))
                        return -EINVAL;
                address = strdup(buf);
                if (!address)
                        return -ENOMEM;
                p = end + 2;
        } else {
                /* Two colons: the first part is an IPv4 address. */
                colon = strchr(p, ':');
                if (colon && strchr(colon + 1, ':')) {
                        struct in_addr a4;
                        char buf[INET_ADDRSTRLEN];

                        *colon = '\0';
                        if (inet_pton(AF_INET, p, &a4) != 1)
                                return -EINVAL;
                        if (!inet_ntop(AF_INET, &a4, buf, sizeof(buf)))
                                return -EINVAL;
                        address = strdup(buf);
                        if (!address)
                                return -ENOMEM;
                        p = colon + 1;
                }
        }

        colon = strchr(p, ':');
        if (!colon || strchr(colon + 1, ':'))
                return -EINVAL;
        *colon = '\0';
        hostports = p;
        cports = colon + 1;

        r = parse_port_range(hostports, &m.host_port, &hcount);
        if (r < 0)
                return r;
        r = parse_port_range(cports, &m.container_port, &ccount);
        if (r < 0)
                return r;
        if (hcount != ccount)
                return -EINVAL;
        m.count = (uint16_t) hcount;
        m.host_address = TAKE_PTR(address);

        *ret = m;
        return 0;
}
