/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Where an import reads its files: a directory (oci:DIR) or the members of an archive (oci-archive:,
 * docker-archive:), looked up by the names the layout gives (index.json, blobs/sha256/HEX, manifest.json,
 * <id>/layer.tar). An archive is read once, front to back, its regular members copied into the import's
 * temporary directory under numbered names (m.0, m.1, …) and its symlinks and hardlinks kept as a table:
 * nothing is ever created under a name the archive chose, and a member's links are followed inside that
 * table only (podman's <id>/layer.tar -> ../<diffid>.tar), never on the file system. Copying out first,
 * rather than streaming, because the layouts need random access: docker save writes manifest.json last and
 * an OCI index may list blobs in any order; the copy lives on the store's file system and goes with the
 * import's temporary directory. */

#include <stddef.h>
#include <stdint.h>

#include "image-import.h"

typedef struct ArchiveMember ArchiveMember;

typedef struct ImportSource {
        int dir_fd;                     /* oci:DIR, or the import's temporary directory for an archive */
        ArchiveMember *members;         /* NULL for a directory */
        size_t n_members;
} ImportSource;

void import_source_done(ImportSource *s);

int import_source_open_dir(const char *path, ImportSource *ret, char **ret_error);
/* Copies the archive |path|'s members into |w|'s directory. */
int import_source_open_archive(ImageStoreWork *w, const char *path, const ImageImportOptions *o,
                               ImportSource *ret, char **ret_error);

/* Opens member or file |name| ("./" and doubled slashes ignored) for reading: -ENOENT when absent. */
int import_source_open(ImportSource *s, const char *name, int *ret_fd);
/* Reads it whole, at most |max| bytes (-EFBIG). */
int import_source_read(ImportSource *s, const char *name, size_t max, char **ret, size_t *ret_size);

/* Makes |alias| another name of member |target| (docker-archive's members under the blobs/sha256/HEX names
 * a manifest gives them). */
int import_source_alias(ImportSource *s, const char *alias, const char *target);
