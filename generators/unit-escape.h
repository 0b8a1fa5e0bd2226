/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Escaping values into a unit file. systemd reads every value we write through its own parsers, so each
 * value is escaped for the parser of its key. Values systemd only expands specifiers in (SourcePath=,
 * Description=, …) get "%" doubled; words of lists systemd splits with quoting (RequiresMountsFor=) are
 * quoted when needed; words of lists it also C-unescapes (Environment=, LogExtraFields=) are C-escaped.
 *
 * Library code: returns negative errno, never logs. */

#include "buffer.h"

typedef enum UnitWordFlags {
        UNIT_WORD_CUNESCAPE = 1 << 0,   /* the key's parser C-unescapes (Environment=, LogExtraFields=) */
} UnitWordFlags;

/* A value of a key that systemd only expands specifiers in: '%' becomes "%%". Returns -EINVAL for a value
 * that cannot be written on one line (a newline or other control character, a trailing backslash). */
int unit_escape_value(const char *s, char **ret);

/* One word of a list systemd splits at whitespace with quoting: written bare when that reads back the
 * same, else double-quoted with '"' and '\' escaped; '%' doubled. With UNIT_WORD_CUNESCAPE control
 * characters become \xNN; without it they are written as they are inside the quotes, except a line break,
 * which cannot be expressed (-EINVAL). An empty word is "". */
int unit_escape_word(const char *s, UnitWordFlags flags, char **ret);

/* The same, appended to |b| (the generator renders each drop-in into one buffer). On -EINVAL part of the
 * value may have been appended: the caller cuts |b| back. */
int buffer_put_unit_value(Buffer *b, const char *s);
int buffer_put_unit_word(Buffer *b, const char *s, UnitWordFlags flags);
