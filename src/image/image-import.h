/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Importing an image into the store from a local source:
 *   oci:DIR[:TAG]               an OCI image layout; TAG picks the index entry whose
 *                               org.opencontainers.image.ref.name is TAG
 *   oci-archive:FILE[:TAG]      the same in a tar (any compression libarchive reads)
 *   docker-archive:FILE[:N]     docker save / podman save output, manifest.json authoritative; N is the
 *                               image's index in manifest.json (from 0) or one of its RepoTags
 *   FILE                        a root filesystem tarball (gzip, zstd, xz or none), as `docker import`:
 *                               a one-layer image with a minimal config (os, architecture, created)
 * An index picks this machine's platform. The image gets |name| (NAME[:TAG]), else the name the source
 * records (an index entry's io.containerd.image.name or a full reference in its ref.name annotation, the
 * archive's RepoTags); with neither it is refused. Logs nothing; a failure comes with a sentence. */

#include <stdbool.h>
#include <stdint.h>

#include "image-store.h"

typedef enum ImportPhase {
        IMPORT_PHASE_READ_ARCHIVE,      /* an archive's members copied out (fd: the archive) */
        IMPORT_PHASE_READ_ARCHIVE_DONE,
        IMPORT_PHASE_LAYER,             /* a layer verified and unpacked (fd: its blob) */
        IMPORT_PHASE_LAYER_DONE,        /* … finished (unpacked or found present) */
} ImportPhase;

typedef struct ImportProgress {
        ImportPhase phase;
        unsigned layer, n_layers;       /* from 1; 0 for an archive */
        const char *digest;             /* the layer's blob digest, NULL when not known */
        int fd;                         /* read from offset 0 to the end; valid until the next call */
        uint64_t size;                  /* bytes behind fd, UINT64_MAX unknown */
        bool unpacked;                  /* LAYER_DONE: false when the layer was present already */
} ImportProgress;

typedef void (*ImportProgressFunction)(const ImportProgress *p, void *userdata);

typedef struct ImageImportOptions {
        const char *name;                       /* NAME[:TAG], NULL: the source's */
        const LayerLimits *limits;              /* NULL: LAYER_LIMITS_DEFAULT */
        ImportProgressFunction progress;        /* may be NULL */
        void *userdata;
} ImageImportOptions;

/* Imports |source| and returns the image as image_store_resolve() would (|ret| may be NULL). Errors:
 * -EINVAL a source or name that does not parse (or no name), -ENOENT a missing file or tag, -ENOTUNIQ a
 * source with several images and none named, -EBADMSG a corrupt blob or document (named), -ENOTSUP a
 * platform or media type this store does not take; the unpacker's (layer-unpack.h). */
int image_import(ImageStore *s, const char *source, const ImageImportOptions *options, Image **ret,
                 char **ret_error);
