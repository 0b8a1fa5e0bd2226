/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The canonical form of the effective configuration (the rule is in config-canonical.h): the files of
 * Container.config parsed again with the loader's parser, every assignment that counts collected, then
 * sorted and written out in one defined order. */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "buffer.h"
#include "conf-parser.h"
#include "config-canonical.h"
#include "ctr-file.h"
#include "parse-util.h"
#include "string-util.h"

typedef struct Assignment {
        unsigned section;       /* index in sections[] */
        char *key;
        char *value;
        size_t seq;             /* file order, across the files in the order applied */
} Assignment;

typedef struct Collector {
        Assignment *items;
        size_t n, allocated;
        int section;            /* of the current "[Section]", -1 when it does not count */
        SpecifierContext spec;
} Collector;

static const char *const sections[] = { "Container", "Unit", "Service", "Install" };

static void collector_done(Collector *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->items[i].key);
                free(c->items[i].value);
        }
        free(c->items);
}

static int collect(const char *file _unused_, unsigned line _unused_, const char *section, const char *key,
                   const char *value, void *userdata) {
        _cleanup_free_ char *k = NULL, *v = NULL;
        Collector *c = userdata;

        if (!key) {
                c->section = -1;
                for (size_t i = 0; i < ELEMENTSOF(sections); i++)
                        if (streq(section, sections[i]))
                                c->section = (int) i;
                return 0;
        }
        if (c->section < 0 || startswith(key, "X-"))
                return 0;
        /* a loaded container has no unknown key (it would have been rejected) */
        if (c->section == 0 && !container_key_is_known(key))
                return 0;

        /* A value with a bad specifier was refused by the loader: as written, it still says something. */
        if (c->section == 0 && container_key_takes_specifiers(key) && strchr(value, '%')) {
                int r = specifier_expand(value, &c->spec, &v, NULL);
                if (r == -ENOMEM)
                        return r;
        }
        if (!v)
                v = strdup(value);
        k = strdup(key);
        if (!k || !v)
                return -ENOMEM;

        if (ARRAY_RESERVE(c->items, c->allocated, c->n + 1) < 0)
                return -ENOMEM;
        c->items[c->n] = (Assignment) {
                .section = (unsigned) c->section,
                .key = TAKE_PTR(k),
                .value = TAKE_PTR(v),
                .seq = c->n,
        };
        c->n++;
        return 0;
}

static int assignment_compare(const void *a, const void *b) {
        const Assignment *x = a, *y = b;
        int r;

        if (x->section != y->section)
                return x->section < y->section ? -1 : 1;
        r = strcmp(x->key, y->key);
        if (r != 0)
                return r;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Reads one "LINE\n" at *p, advancing it; NULL when there is no newline before |end|. */
static const char *next_line(const char **p, const char *end, size_t *ret_len) {
        const char *s = *p, *nl = memchr(s, '\n', (size_t) (end - s));

        if (!nl)
                return NULL;
        *ret_len = (size_t) (nl - s);
        *p = nl + 1;
        return s;
}

/* Splits Container.config into its files and parses each into |c|. */
static int parse_config(const char *config, size_t size, Collector *c, char **ret_name) {
        const char *p = config, *end = config + size, *l;
        size_t n;
        int r;

        l = next_line(&p, end, &n);
        if (!l || n != strlen("ctr-config-v1") || memcmp(l, "ctr-config-v1", n) != 0)
                return -EBADMSG;
        l = next_line(&p, end, &n);
        if (!l || n == 0)
                return -EBADMSG;
        *ret_name = strndup(l, n);
        if (!*ret_name)
                return -ENOMEM;

        while (p < end) {
                _cleanup_free_ char *path = NULL, *size_text = NULL;
                Diagnostics diag = {};
                uint64_t file_size;

                l = next_line(&p, end, &n);
                if (!l || !(path = strndup(l, n)))
                        return l ? -ENOMEM : -EBADMSG;
                l = next_line(&p, end, &n);
                if (!l || !(size_text = strndup(l, n)))
                        return l ? -ENOMEM : -EBADMSG;
                if (safe_atou64(size_text, &file_size) < 0 || file_size >= (uint64_t) (end - p) ||
                    p[file_size] != '\n')
                        return -EBADMSG;

                c->section = -1;
                c->spec.name = *ret_name;
                r = conf_parse_buffer(path, p, (size_t) file_size, CTR_LINE_MAX, collect, c, &diag);
                diagnostics_clear(&diag);
                if (r == -ENOMEM)
                        return r;
                p += file_size + 1;
        }
        return 0;
}

static int write_assignment(Buffer *b, unsigned *section, const Assignment *a) {
        if (*section != a->section) {
                *section = a->section;
                if (buffer_putc(b, '[') < 0 || buffer_puts(b, sections[a->section]) < 0 ||
                    buffer_puts(b, "]\n") < 0)
                        return -ENOMEM;
        }
        if (buffer_puts(b, a->key) < 0 || buffer_putc(b, '=') < 0 || buffer_puts(b, a->value) < 0 ||
            buffer_putc(b, '\n') < 0)
                return -ENOMEM;
        return 0;
}

int config_canonical(const char *config, size_t size, const char *hostname, char **ret, size_t *ret_size) {
        _cleanup_(collector_done) Collector c = { .spec.hostname = hostname };
        _cleanup_(buffer_done) Buffer b = {};
        _cleanup_free_ char *name = NULL;
        unsigned section = UINT_MAX;
        int r;

        if (!config)
                return -EBADMSG;
        r = parse_config(config, size, &c, &name);
        if (r < 0)
                return r;
        if (c.n > 1)
                qsort(c.items, c.n, sizeof(Assignment), assignment_compare);

        if (buffer_puts(&b, "ctr-effective-v1\n") < 0 || buffer_puts(&b, name) < 0 || buffer_putc(&b, '\n') < 0)
                return -ENOMEM;

        for (size_t i = 0; i < c.n;) {
                size_t j = i, first;

                /* the run of one key: [i, j) */
                while (j < c.n && c.items[j].section == c.items[i].section && streq(c.items[j].key, c.items[i].key))
                        j++;

                if (c.items[i].section != 0)
                        first = i;              /* pass-through: every assignment, in order */
                else if (!container_key_is_list(c.items[i].key))
                        first = j - 1;          /* the last one wins */
                else {
                        first = i;              /* a list: what follows its last reset */
                        for (size_t k = i; k < j; k++)
                                if (isempty(c.items[k].value))
                                        first = k + 1;
                }

                for (size_t k = first; k < j; k++) {
                        r = write_assignment(&b, &section, &c.items[k]);
                        if (r < 0)
                                return r;
                }
                i = j;
        }

        *ret_size = b.size;
        *ret = buffer_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
