/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the network: the namespace the container gets (Network=) and the host ports
 * forwarded into it (PublishPort=). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "port-mapping.h"
#include "string-util.h"

int key_network(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        const char *other;

        if (isempty(v) || streq(v, "none")) {
                c->network = NETWORK_NONE;
                c->network_container = mfree(c->network_container);
                return 0;
        }
        if (streq(v, "host") || streq(v, "bridge")) {
                c->network = streq(v, "host") ? NETWORK_HOST : NETWORK_BRIDGE;
                c->network_container = mfree(c->network_container);
                return 0;
        }
        other = startswith(v, "container:");
        if (!other)
                return key_invalid(k, EINVAL,
                                   "Invalid Network= '%s', expected none, host, bridge or container:NAME", v);
        if (!container_name_is_valid(other))
                return key_invalid(k, EINVAL, "Invalid container name '%s' in Network=", other);
        if (c->name && streq(other, c->name))
                return key_invalid(k, EINVAL, "Network= cannot name the container itself ('%s')", other);
        c->network = NETWORK_CONTAINER;
        return free_and_strdup(&c->network_container, other);
}

int key_publish_port(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                port_mapping_free_many(c->ports, c->n_ports);
                c->ports = NULL;
                c->n_ports = 0;
                return 0;
        }

        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;
                PortMapping m, *n;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid PublishPort= '%s'", v);
                if (r == 0)
                        break;

                r = parse_port_mapping(w, &m);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL,
                                           "Invalid port mapping '%s' for PublishPort=, "
                                           "expected [ADDRESS:]HOSTPORT:CONTAINERPORT[/tcp|/udp]",
                                           w);
                if (key_check_list_size(k, c->n_ports) < 0) {
                        free(m.host_address);
                        return 0;
                }
                n = reallocarray(c->ports, c->n_ports + 1, sizeof(PortMapping));
                if (!n) {
                        free(m.host_address);
                        return -ENOMEM;
                }
                c->ports = n;
                c->ports[c->n_ports++] = m;
        }
        return 0;
}
