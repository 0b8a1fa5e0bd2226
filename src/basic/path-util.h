/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "macro.h"

static inline bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}

/* Normalises an absolute path: collapses "//", drops "." components and a trailing "/". Returns -EINVAL
 * for a relative or empty path, a ".." component (no escaping upwards, ever), or one longer than PATH_MAX. */
int path_normalize_absolute(const char *p, char **ret);
/* True for an absolute path already in the form path_normalize_absolute() produces. */
bool path_is_normalized_absolute(const char *p) _pure_;

/* "a" + "/" + "b", without doubling the slash. */
int path_join(const char *a, const char *b, char **ret);

/* The last component ("/a/b.ctr" → "b.ctr"); a pointer into |p|. */
const char *path_basename(const char *p) _pure_;
