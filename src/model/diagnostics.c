/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "diagnostics.h"
#include "log.h"

static char *strdup_or_null(const char *s, bool *oom) {
        char *p;

        if (!s)
                return NULL;
        p = strdup(s);
        if (!p)
                *oom = true;
        return p;
}

int diagnostics_add(Diagnostics *d, DiagnosticLevel level, int error, const char *file, unsigned line,
                    const char *section, const char *key, const char *value, const char *format, ...) {
        Diagnostic *n;
        bool oom = false;
        va_list ap;
        int r;

        if (!d)
                return 0;

        if (ARRAY_RESERVE(d->items, d->n_allocated, d->n + 1) < 0)
                return -ENOMEM;

        n = &d->items[d->n];
        *n = (Diagnostic) {
                .level = level,
                .error = error < 0 ? -error : error,
                .line = line,
                .file = strdup_or_null(file, &oom),
                .section = strdup_or_null(section, &oom),
                .key = strdup_or_null(key, &oom),
                .value = strdup_or_null(value, &oom),
        };

        va_start(ap, format);
        r = vasprintf(&n->message, format, ap);
        va_end(ap);
        if (r < 0) {
                n->message = NULL;
                oom = true;
        }

        if (oom) {
                free(n->file);
                free(n->section);
                free(n->key);
                free(n->value);
                free(n->message);
                return -ENOMEM;
        }

        d->n++;
        return 0;
}

bool diagnostics_has_errors(const Diagnostics *d) {
        if (!d)
                return false;
        for (size_t i = 0; i < d->n; i++)
                if (d->items[i].level == DIAGNOSTIC_ERROR)
                        return true;
        return false;
}

void diagnostics_clear(Diagnostics *d) {
        if (!d)
                return;
        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].section);
                free(d->items[i].key);
                free(d->items[i].value);
                free(d->items[i].message);
        }
        d->items = mfree(d->items);
        d->n = d->n_allocated = 0;
}

/* |with_level|: "warning: " or "error: " after the location, as compilers print it. */
static int format_full(const Diagnostic *d, bool with_level, char **ret) {
        const char *level = !with_level ? "" : d->level == DIAGNOSTIC_ERROR ? "error: " : "warning: ";
        char *s;
        int r;

        if (d->file && d->line > 0)
                r = asprintf(&s, "%s:%u: %s%s", d->file, d->line, level, d->message);
        else if (d->file)
                r = asprintf(&s, "%s: %s%s", d->file, level, d->message);
        else
                r = asprintf(&s, "%s%s", level, d->message);
        if (r < 0)
                return -ENOMEM;

        *ret = s;
        return 0;
}

int diagnostic_format(const Diagnostic *d, char **ret) {
        return format_full(d, false, ret);
}

int diagnostics_log(const Diagnostics *d, DiagnosticsLogFlags flags) {
        int ret = 0;

        for (size_t i = 0; d && i < d->n; i++) {
                const Diagnostic *item = d->items + i;
                _cleanup_free_ char *s = NULL;

                if ((flags & DIAGNOSTICS_ERRORS_ONLY) && item->level != DIAGNOSTIC_ERROR)
                        continue;
                if (format_full(item, flags & DIAGNOSTICS_PLAIN, &s) < 0) {
                        ret = log_oom();
                        continue;
                }
                if (flags & DIAGNOSTICS_PLAIN)
                        fprintf(stderr, "%s\n", s);
                else
                        log_full(item->level == DIAGNOSTIC_ERROR ? LOG_ERR : LOG_WARNING, "%s", s);
        }
        return ret;
}
