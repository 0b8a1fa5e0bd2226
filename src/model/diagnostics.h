/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the parser has to say about a file. Library code collects; binaries print. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"

typedef enum DiagnosticLevel {
        DIAGNOSTIC_WARNING,     /* the assignment is ignored, the file is still used */
        DIAGNOSTIC_ERROR,       /* the whole file is rejected */
} DiagnosticLevel;

typedef struct Diagnostic {
        DiagnosticLevel level;
        char *file;             /* may be NULL for errors about no file in particular */
        unsigned line;          /* 0 = no line */
        char *section;          /* may be NULL */
        char *key;              /* may be NULL */
        char *value;            /* may be NULL */
        char *message;          /* a sentence, no trailing newline, no file:line prefix */
        int error;              /* positive errno */
} Diagnostic;

typedef struct Diagnostics {
        Diagnostic *items;
        size_t n, n_allocated;
} Diagnostics;

int diagnostics_add(Diagnostics *d, DiagnosticLevel level, int error, const char *file, unsigned line,
                    const char *section, const char *key, const char *value, const char *format, ...)
        _printf_(9, 10);
bool diagnostics_has_errors(const Diagnostics *d);
void diagnostics_clear(Diagnostics *d);

/* "FILE:LINE: MESSAGE" ("FILE: MESSAGE" without a line, "MESSAGE" without a file). */
int diagnostic_format(const Diagnostic *d, char **ret);

typedef enum DiagnosticsLogFlags {
        DIAGNOSTICS_ERRORS_ONLY = 1 << 0,       /* leave the warnings out */
        /* "FILE:LINE: warning: MESSAGE" / "…: error: MESSAGE" straight on stderr, as a compiler says it
         * (ctrctl); without it each is logged (log.h: its target, its "PROGRAM: " prefix) in
         * diagnostic_format()'s form, at LOG_WARNING or LOG_ERR (the generator, ctr-launch) */
        DIAGNOSTICS_PLAIN = 1 << 1,
} DiagnosticsLogFlags;

/* The one way a binary prints what the parser said; library code collects and never calls it. Every
 * diagnostic is printed even when one cannot be formatted (that one is logged as out of memory and -ENOMEM
 * returned). */
int diagnostics_log(const Diagnostics *d, DiagnosticsLogFlags flags);
