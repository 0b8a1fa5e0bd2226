/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* systemd-style %-specifiers in [Container] values: %n (ctr@NAME.service), %N (ctr@NAME), %i (NAME),
 * %H (host name), %% (a percent sign). */

#include "buffer.h"

typedef struct SpecifierContext {
        const char *name;       /* container name */
        const char *hostname;   /* NULL: gethostname() on first use */
} SpecifierContext;

/* Expands |s|. Returns -EBADMSG for an unknown specifier or a lone '%' at the end, with *ret_bad (if
 * non-NULL) set to the offending character ('\0' for the lone '%'). */
int specifier_expand(const char *s, const SpecifierContext *ctx, char **ret, char *ret_bad);

/* Appends |s| to |b| with '%' escaped as "%%", for writing a value into a unit file that systemd will
 * expand. */
int specifier_escape_append(Buffer *b, const char *s);
