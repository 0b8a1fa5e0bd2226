/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

#include "macro.h"

/* The PATH= a process gets when nobody set one (systemd's default, and the container's). */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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

/* Whether normalized absolute |path| is |prefix| or below it ("/etc/hosts" is below "/etc" and "/", not below
 * "/et"). */
bool path_is_same_or_below(const char *path, const char *prefix) _pure_;

/* The last component ("/a/b.ctr" → "b.ctr"); a pointer into |p|. */
const char *path_basename(const char *p) _pure_;

/* Where execvpe() would find |name|: itself when it contains a '/', else the first "DIR/name" that access()
 * calls executable, for each DIR of |search| (a PATH= value; NULL: DEFAULT_PATH) in order, empty entries
 * skipped. No fallbacks of execvpe()'s (no current directory, no retry on EACCES). Looked up in the caller's
 * root, so a process inside a container's root finds the container's binaries. -ENOENT when none is. */
int find_executable(const char *name, const char *search, char **ret);
