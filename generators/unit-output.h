/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The generator's output directory (or a dry run's stream): atomic file writes and symlinks.
 *
 * Library code: returns negative errno, never logs. */

#include <stdio.h>
#include <sys/types.h>

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
