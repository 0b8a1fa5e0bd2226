/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "macro.h"

#define WHITESPACE " \t\n\r"
#define DIGITS "0123456789"
#define LOWERCASE_LETTERS "abcdefghijklmnopqrstuvwxyz"
#define UPPERCASE_LETTERS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LETTERS LOWERCASE_LETTERS UPPERCASE_LETTERS
#define ALPHANUMERICAL LETTERS DIGITS

/* Returns a pointer just after |prefix| in |s|, or NULL. */
char *startswith(const char *s, const char *prefix) _pure_;
/* The strings up to the first NULL, joined into a new one; NULL when out of memory. Where a name is built for
 * each container, this is a tenth of what asprintf() costs. */
char *strjoin_internal(const char *first, ...) __attribute__((sentinel));
#define strjoin(...) strjoin_internal(__VA_ARGS__, NULL)
/* asprintf() that returns the string, NULL when out of memory. */
char *strprintf(const char *fmt, ...) _printf_(1, 2);
/* Formats into *|p|, freeing what it held (an error text built up step by step). |p| NULL: nothing to do.
 * -ENOMEM leaves the old text. */
int strprintf_replace(char **p, const char *fmt, ...) _printf_(2, 3);
char *startswith_no_case(const char *s, const char *prefix) _pure_;
/* Returns a pointer to |suffix| inside |s|, or NULL. */
char *endswith(const char *s, const char *suffix) _pure_;

/* Strips leading and trailing whitespace in place; returns the first non-whitespace character. */
char *strstrip(char *s);
char *ascii_strlower(char *s);
bool in_charset(const char *s, const char *charset) _pure_;
/* in_charset(s, ALPHANUMERICAL |extra|) without building a table of 62 and more characters on each call (the
 * names and keys checked for every line of every file) */
bool alnum_or(const char *s, const char *extra) _pure_;
int free_and_strdup(char **p, const char *s);
int free_and_strndup(char **p, const char *s, size_t n);

bool utf8_is_valid(const char *s) _pure_;
/* Untrusted text (a container's log lines, command lines) made safe to show on a terminal: C0 control
 * characters but tab, DEL, C1 control characters (U+0080..U+009F) and bytes that are not valid UTF-8 become
 * \a \b \f \n \r \v or \xNN, byte by byte; everything else, multibyte characters included, stays as it is.
 * Backslashes are not doubled: the result is for reading, not for unescaping. |len| bytes of |s|, NUL bytes
 * included; SIZE_MAX = up to the first NUL. */
int escape_non_printable(const char *s, size_t len, char **ret);
/* UTF-8 encodes |c| into |out| (at least 4 bytes); returns the length, 0 for an invalid code point. */
size_t utf8_encode(unsigned c, char *out);

typedef enum ExtractFlags {
        EXTRACT_UNQUOTE   = 1 << 0,     /* "…" and '…' group words and are removed */
        EXTRACT_CUNESCAPE = 1 << 1,     /* \n \t \\ \" \' \xNN \NNN \uNNNN \UNNNNNNNN are decoded */
} ExtractFlags;

/* Splits off the first word of *p, as systemd splits Exec= and Environment= (separators NULL = whitespace).
 * Returns 1 and the word, 0 when there are no more words, -EINVAL on an unterminated quote, a bad escape
 * or an escape that would produce a NUL byte. *p is advanced past the word. */
int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags);

/* C-escapes |s| so that extract_first_word(EXTRACT_CUNESCAPE) gives it back: backslash, quotes and
 * non-printable bytes. */
int cescape(const char *s, char **ret);

/* The optimal string alignment distance (Damerau-Levenshtein without moving a letter twice) of |a| and |b|,
 * ignoring ASCII case, capped: anything at or above |max| is |max|. For short words (names, keys): strings
 * over 32 characters are never close. */
unsigned strcase_distance(const char *a, const char *b, unsigned max);
