/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Generic INI parser in systemd's unit-file syntax:
 *  - "#" and ";" start a comment only as the first non-blank character of a line,
 *  - "[Section]" headers, "Key=Value" with whitespace around key and value trimmed,
 *  - a line ending in an odd number of backslashes continues on the next line: the backslash becomes a
 *    space and the next line is appended as is; comment lines inside a continuation are skipped,
 *  - a UTF-8 byte order mark at the start is skipped.
 * The callback sees each assignment with the line it started on. Syntax problems go to |diag|. */

#include <stddef.h>

#include "diagnostics.h"

typedef enum ConfParseFlags {
        CONF_PARSE_NONE = 0,
} ConfParseFlags;

/* Called for every "[Section]" (key and value NULL) and every assignment. Return < 0 to abort the parse
 * (it is returned as is), >= 0 to go on. */
typedef int (*ConfItemCallback)(const char *file, unsigned line, const char *section, const char *key,
                                const char *value, void *userdata);

/* Parses |data| (|size| bytes, any content) as file |file| (for messages). Lines longer than
 * |line_max| are an error. An invalid section header, a NUL byte or an overlong line are errors
 * (DIAGNOSTIC_ERROR, returns -EBADMSG after the parse); a line without '=' or an assignment before the
 * first section are warnings. */
int conf_parse_buffer(const char *file, const char *data, size_t size, size_t line_max,
                      ConfItemCallback callback, void *userdata, Diagnostics *diag);
