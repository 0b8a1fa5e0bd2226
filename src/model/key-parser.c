/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What every [Container] key parser shares: reporting a bad value (a warning, or an error for a key that
 * guards isolation), the bound on list keys, and the value shapes many keys take (a boolean, an absolute
 * path, a list of words). The parsers themselves are in keys-*.c. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "key-parser.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

int key_invalid(KeyContext *k, int error, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&m, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        if (k->level == DIAGNOSTIC_ERROR)
                k->lc->failed = true;
        r = diagnostics_add(k->lc->diag, k->level, error ?: EINVAL, k->file, k->line, "Container", k->key,
                            k->raw, "%s%s", m, k->level == DIAGNOSTIC_ERROR ? "." : ", ignoring.");
        return r < 0 ? r : 0;
}

int key_check_list_size(KeyContext *k, size_t n) {
        if (n < CTR_LIST_MAX)
                return 0;
        /* Too many entries is never silently truncated. */
        k->level = DIAGNOSTIC_ERROR;
        (void) key_invalid(k, E2BIG, "Too many entries for %s= (at most %u)", k->key, CTR_LIST_MAX);
        return -E2BIG;
}

int key_parse_bool(KeyContext *k, const char *v, bool *field, bool def) {
        int b;

        if (isempty(v)) {
                *field = def;
                return 0;
        }
        b = parse_boolean(v);
        if (b < 0)
                return key_invalid(k, EINVAL, "Invalid boolean '%s' for %s=", v, k->key);
        *field = b;
        return 0;
}

int key_parse_abs_path(KeyContext *k, const char *v, char **field) {
        char *p;

        if (isempty(v)) {
                *field = mfree(*field);
                return 0;
        }
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL, "%s= must be an absolute path without '..', got '%s'", k->key, v);
        free(*field);
        *field = p;
        return 0;
}

int key_parse_words(KeyContext *k, const char *v, char ***list, size_t max, ExtractFlags flags,
                    int (*check)(KeyContext *k, const char *word, char **ret)) {
        _cleanup_strv_free_ char **words = NULL;
        const char *p = v;
        int r;

        if (isempty(v)) {
                *list = strv_free(*list);
                return 0;
        }
        for (;;) {
                _cleanup_free_ char *word = NULL;
                char *entry = NULL;

                r = extract_first_word(&p, &word, NULL, flags);
                if (r < 0)
                        return key_invalid(k, EINVAL, "%s= has unbalanced quotes or a bad escape in '%s'", k->key, v);
                if (r == 0)
                        break;
                r = check(k, word, &entry);
                if (r <= 0)
                        return r;
                if (!entry)
                        continue;
                r = strv_consume(&words, entry);
                if (r < 0)
                        return r;
        }
        if (strv_length(*list) + strv_length(words) > max) {
                if (max < CTR_LIST_MAX)
                        return key_invalid(k, E2BIG, "%s= takes at most %zu entries", k->key, max);
                (void) key_check_list_size(k, max);     /* an error, never a truncated list */
                return 0;
        }
        return strv_extend_strv(list, words);
}
