/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Container model: one .ctr file, its drop-ins and specifiers, parsed into one struct. Every binary
 * (generator, launcher, ctrctl) goes through this, so they can never disagree about what a file means.
 *
 * This header is the loader's (ctr-file.c) and the one the binaries include: it brings the whole model
 * with it, layered one way underneath the loader:
 *   container.h    the Container struct, its lifecycle, container_name_is_valid()
 *   ctr-keys.h     the [Container] key table: what each key means (container_key_*())
 *   search-path.h  which files make up a container: the search path, drop-ins, masking, enumeration
 *
 * Library code: returns negative errno, never logs. Everything the user should see about a file goes into
 * a Diagnostics list, each entry with file, line, section, key and value; the binary prints it. */

#include "container.h"
#include "ctr-keys.h"
#include "diagnostics.h"
#include "search-path.h"

/* Size limits on what a user controls; exceeding one is an error with file:line. */
#define CTR_FILE_SIZE_MAX (4U * 1024U * 1024U)
#define CTR_LINE_MAX (64U * 1024U)
#define CTR_ASSIGNMENTS_MAX 16384U
#define CTR_DROPINS_MAX 1024U

/* Loads NAME from the search path (NULL = ctr_search_path()): the highest-priority NAME.ctr, all
 * NAME.ctr.d/ *.conf drop-ins in file-name order (a same-named drop-in higher up replacing one below).
 * Returns -ENOENT when there is neither a file nor a drop-in, -ERFKILL when masked (a link to /dev/null),
 * -EBADMSG when the file is rejected (diagnostics hold the errors), 0 on success, possibly with warnings. */
int container_load(const char *name, char *const *search_path, Diagnostics *diag, Container **ret);

/* Loads one file as container |name| (NULL: its basename without ".ctr"), with drop-ins from the
 * search path for that name (search_path NULL = none). Used by "ctrctl validate" on any path. */
int container_load_file(const char *path, const char *name, char *const *search_path, Diagnostics *diag,
                        Container **ret);
/* The same, with the drop-ins of |dropin_dir| (NULL: none) on top of the search path's, as the highest
 * priority (container_dropins_add_dir()). */
int container_load_file_full(const char *path, const char *name, char *const *search_path, const char *dropin_dir,
                             Diagnostics *diag, Container **ret);

/* Loads a container from an enumerated source (no further directory scans). */
int container_load_source(const ContainerSource *s, Diagnostics *diag, Container **ret);

/* One file's text, already read: |path| is what diagnostics and the config hash name. */
typedef struct ConfigText {
        const char *path;
        const char *data;
        size_t size;
} ConfigText;

/* Loads container |name| from texts in memory, applied in order: |main| (NULL: drop-ins only), then
 * |dropins| (n_dropins of them), as if read from those paths; nothing is opened. The results are those of the
 * same files on disk, except config_stamp, which has no inodes or times to record (zeros). For the fuzzers. */
int container_load_texts(const char *name, const ConfigText *main, const ConfigText *dropins, size_t n_dropins,
                         Diagnostics *diag, Container **ret);
