/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Environment blocks ("K=V" string arrays) and EnvironmentFile= parsing. Library code: returns -errno,
 * never logs. */

#include <stdbool.h>
#include <stddef.h>

#include "parse-util.h"

#define ENV_FILE_SIZE_MAX (4U * 1024U * 1024U)
#define ENV_ENTRIES_MAX 16384U
#define ENV_ASSIGNMENT_MAX (128U * 1024U)     /* MAX_ARG_STRLEN of Linux */

/* Names and assignments are validated with env_name_is_valid() and env_assignment_is_valid() of
 * parse-util.h (the same rules as Environment= in a .ctr file), plus the ENV_ASSIGNMENT_MAX limit here. */

/* Sets "K=V" in |*env| (NULL-terminated, NULL = empty): replaces an entry with the same name in place,
 * else appends a copy. -EINVAL for an invalid assignment, -E2BIG beyond ENV_ENTRIES_MAX. */
int env_set(char ***env, const char *assignment);
/* The value of |name| in |env|, or NULL. */
const char *env_get(char *const *env, const char *name);
char **env_free(char **env);

/* Parses the contents of an environment file with systemd's EnvironmentFile= syntax:
 *   - "KEY=VALUE" per line; whitespace around KEY and before VALUE is dropped;
 *   - lines starting with '#' or ';' (after whitespace) are comments, a comment ending in '\' continues;
 *   - unquoted values: trailing whitespace dropped, '\' quotes the next character, '\' at line end joins
 *     the next line;
 *   - '…' is literal; "…" honours \" \\ \` \$ and '\' + newline; quotes may span lines; quoted and unquoted
 *     parts concatenate;
 *   - lines without '=', with an invalid name (so also "export KEY=V", as in systemd) or with a value that
 *     env_assignment_is_valid() refuses (not UTF-8, control characters other than tab and newline) are
 *     skipped, as systemd skips them (with a log message we cannot give: library code).
 * Later assignments of the same name override earlier ones. */
int env_file_parse(const char *contents, char ***ret);

/* Reads and parses |path| (on the host, following symlinks as systemd does), at most ENV_FILE_SIZE_MAX. */
int env_file_load(const char *path, char ***ret);
