/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the network: the namespace the container gets (Network=), the host ports forwarded
 * into it (PublishPort=) and, for a container that joins another's, which of its other namespaces it joins
 * too (JoinNamespaces=), and the sysctls of its own network and IPC namespaces (Sysctl=). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "port-mapping.h"
#include "string-util.h"
#include "strv.h"

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
                k->lc->ports_file = NULL;
                k->lc->ports_value = mfree(k->lc->ports_value);
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
        /* for container_keys_check(): ports are refused on a container that joins another's network */
        k->lc->ports_file = k->file;
        k->lc->ports_line = k->line;
        return free_and_strdup(&k->lc->ports_value, k->raw);
}

/* "ipc uts", either or both, in any order; empty: none (the default). The last assignment wins: the value is
 * the whole set, as for podman pod create --share. */
int key_join_namespaces(KeyContext *k, const char *v) {
        unsigned j = 0;
        int r;

        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid JoinNamespaces= '%s'", v);
                if (r == 0)
                        break;
                if (streq(w, "ipc"))
                        j |= JOIN_NAMESPACE_IPC;
                else if (streq(w, "uts"))
                        j |= JOIN_NAMESPACE_UTS;
                else
                        return key_invalid(k, EINVAL, "Invalid namespace '%s' in JoinNamespaces=, expected ipc or uts",
                                           w);
        }
        k->lc->c->join_namespaces = j;
        k->lc->join_file = j ? k->file : NULL;
        k->lc->join_line = k->line;
        return 0;
}

static int check_sysctl(KeyContext *k, const char *word, char **ret) {
        Container *c = k->lc->c;
        _cleanup_free_ char *name = NULL;
        const char *eq = strchr(word, '=');

        if (!eq || eq == word || eq[1] == '\0' || strlen(eq + 1) > 4096 || strchr(eq + 1, '\n'))
                return key_invalid(k, EINVAL, "Sysctl= takes NAME=VALUE, got '%s'", word);
        name = strndup(word, (size_t) (eq - word));
        if (!name)
                return -ENOMEM;
        if (sysctl_namespace(name) == 0)
                return key_invalid(k, EINVAL, "Sysctl=%s: not a sysctl of the container's own network or IPC "
                                   "namespace (net.*, kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*)", word);
        /* a later assignment of the same sysctl replaces the earlier one */
        for (char **s = c->sysctls; s && *s; s++)
                if (startswith(*s, name) && (*s)[strlen(name)] == '=') {
                        free(*s);
                        memmove(s, s + 1, (strv_length(s + 1) + 1) * sizeof(char *));
                        break;
                }
        *ret = strdup(word);
        return *ret ? 1 : -ENOMEM;
}

int key_sysctl(KeyContext *k, const char *v) {
        int r;

        r = key_parse_words(k, v, &k->lc->c->sysctls, CTR_LIST_MAX, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE,
                            check_sysctl);
        if (r >= 0 && !isempty(v)) {
                k->lc->sysctl_file = k->file;
                k->lc->sysctl_line = k->line;
        }
        return r;
}
