/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PublishPort= values, in Docker's syntax. */

#include <stdint.h>

typedef struct PortMapping {
        char *host_address;     /* NULL = all addresses; else a literal IPv4/IPv6 address */
        uint16_t host_port;
        uint16_t container_port;
        uint16_t count;         /* >= 1: a range "8080-8081:80-81" has count 2 */
        int protocol;           /* IPPROTO_TCP (default) or IPPROTO_UDP */
} PortMapping;

/* "80" or "80-81" → the first port and how many (ports 1-65535, the range not backwards): PublishPort= and
 * SocketBindAllow=. */
int parse_port_range(const char *s, uint16_t *ret_port, unsigned *ret_count);

/* "8080:80", "127.0.0.1:8080:80", "[::1]:8080:80", "8080:80/udp", "8000-8001:80-81". */
int parse_port_mapping(const char *s, PortMapping *ret);
