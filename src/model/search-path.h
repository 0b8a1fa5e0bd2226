/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The search path of .ctr files: its directories, which files and drop-ins win for each name, masking, and
 * the enumeration of every name. Directory listings only: loading what is found is ctr-file.h's.
 *
 * Library code: returns negative errno, never logs. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "container.h"
#include "diagnostics.h"

/* The search path: CTR_CONFIG_PATH (colon list) if set, else /etc/ctr /run/ctr /usr/local/lib/ctr /usr/lib/ctr. */
int ctr_search_path(char ***ret);

/* One entry per container name on the search path, sorted by name; a masked one has masked = true. */
typedef struct ContainerSource {
        char *name;
        char *path;             /* the winning NAME.ctr, NULL when the name has only drop-ins */
        char **dropins;         /* the effective drop-ins in application order */
        bool masked;
} ContainerSource;

/* Scans every directory of the search path once (the generator calls this with 10,000 files). Masked names
 * are included with masked = true so callers can say so. */
int container_enumerate(char *const *search_path, ContainerSource **ret, size_t *ret_n);
/* The same, and a warning in |diag| for every NAME.ctr or NAME.ctr.d whose NAME is not a valid container name
 * (such entries are skipped either way). */
int container_enumerate_full(char *const *search_path, Diagnostics *diag, ContainerSource **ret, size_t *ret_n);
/* Only |name| (a valid container name): no directory is listed, its files are looked up directly. *ret_n is
 * 0 when the name has neither a file nor a drop-in anywhere (search_path NULL = ctr_search_path()). */
int container_enumerate_one(char *const *search_path, const char *name, ContainerSource **ret, size_t *ret_n);
void container_source_free_many(ContainerSource *s, size_t n);

/* The drop-ins |dropins| (in file-name order) with DIR/ *.conf added as the highest priority: a same-named
 * file there replaces one in |dropins|, a link to /dev/null there removes it. A missing |dir| adds nothing. For
 * "ctrctl validate FILE" and "ctrctl hash FILE", whose drop-ins lie beside FILE or in --dropin-dir. */
int container_dropins_add_dir(char *const *dropins, const char *dir, char ***ret);

/* Editors' and configuration managers' temporary files that could pass for a NAME.ctr or a drop-in, which the
 * search path and drop-in directories ignore without a warning (ctr.ctr(5), "Temporary files"): names
 * starting with "." or "#". (Those ending in "~", ".tmp", ".dpkg-new"… are never read: not *.ctr, *.conf.) */
bool ctr_file_name_is_temporary(const char *name);

/* Masked: resolves to the /dev/null character device, as systemd's "null_or_empty" check for links. */
bool stat_is_masked(const struct stat *st);
