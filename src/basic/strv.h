/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* NULL-terminated string arrays ("strv"), as in systemd. A NULL strv is the empty list everywhere. */

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l);
bool strv_isempty(char *const *l);
bool strv_contains(char *const *l, const char *s);
bool strv_equal(char *const *a, char *const *b);

/* Appends a copy of |value|. */
int strv_extend(char ***l, const char *value);
/* Appends |value| itself; on failure the caller still owns it. */
int strv_push(char ***l, char *value);
/* Appends |value| itself; on failure it is freed. */
int strv_consume(char ***l, char *value);
/* Appends copies of every entry of |b|. */
int strv_extend_strv(char ***a, char *const *b);
/* Removes every entry equal to |s| (freeing it). */
void strv_remove(char **l, const char *s);

int strv_copy(char *const *l, char ***ret);
/* Splits at any of |separators|, dropping empty fields. An empty |s| gives an empty (non-NULL) list. */
int strv_split(const char *s, const char *separators, char ***ret);
int strv_join(char *const *l, const char *separator, char **ret);
void strv_sort(char **l);

/* A literal list: STR_IN_SET(key, "Type", "KillMode"), FOREACH_STRING(p, "/tmp", "/run") { … }. */
#define STRV_MAKE(...) ((char *const[]) { __VA_ARGS__, NULL })
#define STR_IN_SET(s, ...) strv_contains(STRV_MAKE(__VA_ARGS__), (s))
#define FOREACH_STRING(x, ...) \
        for (const char *x, *const *x##_i = (const char *const *) STRV_MAKE(__VA_ARGS__); (x = *x##_i); x##_i++)

#define STRV_FOREACH(s, l) for (char *const *s = (l); (s) && *(s); (s)++)
