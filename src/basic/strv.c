/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strv.h"

char **strv_free(char **l) {
        if (!l)
                return NULL;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;

        if (!l)
                return 0;
        while (l[n])
                n++;
        return n;
}

bool strv_isempty(char *const *l) {
        return !l || !l[0];
}

bool strv_contains(char *const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

bool strv_equal(char *const *a, char *const *b) {
        size_t n = strv_length(a);

        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

int strv_push(char ***l, char *value) {
        size_t n = strv_length(*l);
        char **c;

        if (!value)
                return 0;
        if (n > SIZE_MAX / sizeof(char *) - 2)
                return -ENOMEM;

        c = reallocarray(*l, n + 2, sizeof(char *));
        if (!c)
                return -ENOMEM;
        c[n] = value;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_consume(char ***l, char *value) {
        int r;

        r = strv_push(l, value);
        if (r < 0)
                free(value);
        return r;
}

int strv_extend(char ***l, const char *value) {
        char *v;

        if (!value)
                return 0;
        v = strdup(value);
        if (!v)
                return -ENOMEM;
        return strv_consume(l, v);
}

int strv_extend_strv(char ***a, char *const *b) {
        int r;

        STRV_FOREACH(i, b) {
                r = strv_extend(a, *i);
                if (r < 0)
                        return r;
        }
        return 0;
}

void strv_remove(char **l, const char *s) {
        char **f, **t;

        if (!l)
                return;
        for (f = t = l; *f; f++)
                if (streq(*f, s))
                        free(*f);
                else
                        *(t++) = *f;
        *t = NULL;
}

int strv_copy(char *const *l, char ***ret) {
        _cleanup_strv_free_ char **c = NULL;
        size_t n = strv_length(l);

        c = calloc(n + 1, sizeof(char *));
        if (!c)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i])
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(c);
        return 0;
}

int strv_split(const char *s, const char *separators, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        l = calloc(1, sizeof(char *));
        if (!l)
                return -ENOMEM;

        for (const char *p = s;;) {
                size_t n;
                char *w;

                p += strspn(p, separators);
                if (*p == '\0')
                        break;
                n = strcspn(p, separators);
                w = strndup(p, n);
                if (!w)
                        return -ENOMEM;
                r = strv_consume(&l, w);
                if (r < 0)
                        return r;
                p += n;
        }

        *ret = TAKE_PTR(l);
        return 0;
}

int strv_join(char *const *l, const char *separator, char **ret) {
        size_t n = 0, k = strlen(separator);
        char *s, *e;

        STRV_FOREACH(i, l)
                n += strlen(*i) + k;

        s = malloc(n + 1);
        if (!s)
                return -ENOMEM;
        e = s;
        STRV_FOREACH(i, l) {
                if (i != l)
                        e = stpcpy(e, separator);
                e = stpcpy(e, *i);
        }
        *e = '\0';
        *ret = s;
        return 0;
}

static int str_compare(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

void strv_sort(char **l) {
        size_t n = strv_length(l);

        if (n > 1)
                qsort(l, n, sizeof(char *), str_compare);
}
