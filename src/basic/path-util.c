/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "path-util.h"

int path_normalize_absolute(const char *p, char **ret) {
        _cleanup_free_ char *n = NULL;
        size_t len = 0;

        if (!path_is_absolute(p))
                return -EINVAL;
        if (strlen(p) >= PATH_MAX)
                return -EINVAL;

        n = malloc(strlen(p) + 1);
        if (!n)
                return -ENOMEM;

        for (const char *s = p;;) {
                size_t k;

                s += strspn(s, "/");
                if (*s == '\0')
                        break;
                k = strcspn(s, "/");

                if (k == 1 && s[0] == '.') {
                        s += k;
                        continue;
                }
                /* Never resolve "..": on a host path it may cross a symlink, inside the container it may
                 * climb out of what the user meant. Reject instead of guessing. */
                if (k == 2 && s[0] == '.' && s[1] == '.')
                        return -EINVAL;

                n[len++] = '/';
                memcpy(n + len, s, k);
                len += k;
                s += k;
        }

        if (len == 0)
                n[len++] = '/';
        n[len] = '\0';

        *ret = TAKE_PTR(n);
        return 0;
}

bool path_is_normalized_absolute(const char *p) {
        _cleanup_free_ char *n = NULL;

        if (path_normalize_absolute(p, &n) < 0)
                return false;
        return streq(n, p);
}

int path_join(const char *a, const char *b, char **ret) {
        size_t la = strlen(a);
        char *s;

        while (la > 0 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;

        s = malloc(la + 1 + strlen(b) + 1);
        if (!s)
                return -ENOMEM;
        memcpy(s, a, la);
        s[la] = '/';
        strcpy(s + la + 1, b);
        *ret = s;
        return 0;
}

const char *path_basename(const char *p) {
        const char *s = strrchr(p, '/');

        return s ? s + 1 : p;
}

int find_executable(const char *name, const char *search, char **ret) {
        char *p;

        if (strchr(name, '/')) {
                p = strdup(name);
                if (!p)
                        return -ENOMEM;
                *ret = p;
                return 0;
        }

        for (const char *d = search ?: DEFAULT_PATH;;) {
                size_t k;

                d += strspn(d, ":");
                if (*d == '\0')
                        return -ENOENT;
                k = strcspn(d, ":");
                if (asprintf(&p, "%.*s/%s", (int) k, d, name) < 0)
                        return -ENOMEM;
                if (access(p, X_OK) == 0) {
                        *ret = p;
                        return 0;
                }
                free(p);
                d += k;
        }
}

bool path_is_same_or_below(const char *path, const char *prefix) {
        size_t n = strlen(prefix);

        if (streq(prefix, "/"))
                return true;
        return strneq(path, prefix, n) && (path[n] == '\0' || path[n] == '/');
}
