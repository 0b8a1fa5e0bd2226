/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Writing what the generator hands systemd: the drop-in for ctr@NAME.service and the [Install] symlinks.
 *
 * Escaping: systemd reads every value we write through its own parsers, so each value is escaped for the
 * parser of its key. Values systemd only expands specifiers in (SourcePath=, Description=, …) get "%"
 * doubled; words of lists systemd splits with quoting (RequiresMountsFor=) are quoted when needed; words of
 * lists it also C-unescapes (Environment=, LogExtraFields=) are C-escaped. Pass-through keys of a .ctr's
 * [Unit] and [Service] are already written in systemd's syntax and are copied as they are.
 *
 * Output is deterministic: the same Container always gives the same bytes (no time stamps, file order).
 * Library code: returns negative errno, never logs; what the user should hear goes into Diagnostics. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "diagnostics.h"

/* The drop-in's name below ctr@NAME.service.d/. */
#define CTR_DROPIN_NAME "50-ctr.conf"

/* The template the [Install] symlinks point to, when the caller has no better idea. */
#define CTR_TEMPLATE_NAME "ctr@.service"

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

/* The drop-in text for ctr@NAME.service: [Unit] SourcePath=, Description=, RequiresMountsFor=, the
 * pass-through [Unit] keys; [Service] SyslogIdentifier=, LogExtraFields=, Environment=CTR_CONFIG_HASH=,
 * Slice=, the pass-through [Service] keys. A pass-through key that cannot be written is skipped with a
 * warning in |diag|. */
int unit_dropin_from_container(const Container *c, Diagnostics *diag, char **ret, size_t *ret_size);

/* The [Install] section as symlinks relative to the output directory, e.g.
 * "multi-user.target.wants/ctr@web.service", sorted and without duplicates. WantedBy=, RequiredBy=,
 * UpheldBy= (specifiers expanded, an empty assignment resets); other [Install] keys are warned about. */
int unit_install_symlinks(const Container *c, Diagnostics *diag, char ***ret);

/* Where generated files go: a directory, or (dry run) a stream that gets "# PATH" headers and contents.
 *
 * Replacing a file is always atomic (a temporary file renamed over it, a symlink renamed over the old one),
 * so a reader never sees half a file. With UNIT_OUTPUT_PRIVATE the caller promises that nobody reads the
 * directory before it is done, as systemd does not read a generator's output before the generator exits:
 * files that do not exist yet are then created in place, which saves a rename per file (the generator
 * writes thousands). Existing files are still replaced atomically. */
typedef enum UnitOutputFlags {
        UNIT_OUTPUT_PRIVATE = 1 << 0,
} UnitOutputFlags;

typedef struct UnitOutput {
        int dir_fd;             /* -EBADF in a dry run */
        FILE *dry_run;          /* non-NULL in a dry run */
        UnitOutputFlags flags;
        char **link_dirs;       /* symlink directories known to exist (few: multi-user.target.wants …) */
        pid_t pid;
        unsigned long tmp_counter;
} UnitOutput;

/* Opens (creating it when missing, one level) |path| for writing; with |dry_run| non-NULL nothing is
 * touched and |path| may be NULL. */
int unit_output_open(UnitOutput *o, const char *path, FILE *dry_run, UnitOutputFlags flags);
void unit_output_close(UnitOutput *o);

/* Writes |path| (relative, "DIR/FILE", exactly one directory deep); the directory is created when missing. */
int unit_output_write_file(UnitOutput *o, const char *path, const char *contents, size_t size);

/* Creates the symlink |path| (relative, like above) pointing to |target|, replacing any old one. */
int unit_output_symlink(UnitOutput *o, const char *path, const char *target);
