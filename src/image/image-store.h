/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The image store under STATE/images (STATE = state_dir(), /var/lib/ctr): verified blobs, layers unpacked
 * once by diff_id and shared, references name:tag → manifest digest. Layout, locks and atomicity:
 * docs/images.md. Readers take no lock: everything they can see under its final name is complete. Logs
 * nothing above debug; errors are -errno plus, where the functions say so, a sentence for the user. */

#include <stdbool.h>
#include <stddef.h>

#include "image-ref.h"
#include "image.h"
#include "layer-unpack.h"

typedef struct ImageStore ImageStore;

/* Opens STATE/images (|state| NULL: state_dir()); |create| makes it (0700) when missing, otherwise -ENOENT
 * when there is no store yet. */
int image_store_open(const char *state, bool create, ImageStore **ret);
ImageStore *image_store_free(ImageStore *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(ImageStore *, image_store_free);
#define _cleanup_image_store_free_ _cleanup_(image_store_freep)


/* Resolves |reference| (anything image_reference_normalize() takes, or a bare manifest digest
 * "sha256:…", or a unique prefix of at least 12 hex digits of one) to the image it names, with its
 * config read and every layer present. -ENOENT: no such image in the store; -EBADMSG: a blob of it
 * fails verification or does not parse (*ret_error says which); -ENOLINK: a layer it needs is missing. */
int image_store_resolve(ImageStore *s, const char *reference, Image **ret, char **ret_error);

/* The absolute path of layer |diff_id|'s directory (whether or not it exists). */
int image_store_layer_path(ImageStore *s, const char *diff_id, char **ret);

/* ---- Additions for ctrctl's image verbs and the importers (image-import.h). ---- */

/* STATE/images */
const char *image_store_path(ImageStore *s);

/* One reference of the store: refs/NAME/:TAG → manifest digest. */
typedef struct ImageRef {
        char *name;                             /* "docker.io/library/nginx" */
        char *tag;                              /* "latest" */
        char manifest_digest[DIGEST_STRING_MAX];
} ImageRef;

void image_refs_free(ImageRef *refs, size_t n);
/* Every reference, sorted by name and tag. A ref file that does not hold a digest is skipped. */
int image_store_list_refs(ImageStore *s, ImageRef **ret, size_t *ret_n);

/* Points NAME:TAG (|reference|, normalised, not pinned by digest: -EINVAL) at the image |source| resolves
 * to (anything image_store_resolve() takes). Written with a temporary name + rename, fsynced. */
int image_store_tag(ImageStore *s, const char *source, const char *reference, char **ret_error);
/* Removes reference NAME:TAG; for "NAME@sha256:…" or a digest, every reference to that manifest. -ENOENT
 * when there was none. Blobs and layers stay until image_store_prune(). *ret_removed (may be NULL): how
 * many references went. */
int image_store_untag(ImageStore *s, const char *reference, unsigned *ret_removed);

/* Removes blobs, layers and records that no reference and none of |keep| (manifest digests of images
 * containers use, whether or not a reference still names them) needs, and the leftovers of dead
 * importers in tmp/. Waits for imports that are running. *ret_bytes: the disk space freed (blocks). */
typedef struct ImagePruneStats {
        uint64_t bytes;
        unsigned blobs, layers;
} ImagePruneStats;
int image_store_prune(ImageStore *s, char *const *keep, ImagePruneStats *ret);

/* The bytes the unpacked layer |diff_id| takes on disk, as recorded when it was unpacked (0 unknown). */
uint64_t image_store_layer_size(ImageStore *s, const char *diff_id);

/* ---- For the importers: a private temporary directory (tmp/PID.RANDOM, flock()ed while alive) in which
 * everything of one import is made before it is renamed into place. Beginning one removes the leftovers
 * of importers that are gone, and holds the store's .lock shared until the end, so that prune never sees
 * an import's layers before its reference exists. ---- */
typedef struct ImageStoreWork ImageStoreWork;

int image_store_work_begin(ImageStore *s, ImageStoreWork **ret);
/* Removes the temporary directory and everything still in it. */
ImageStoreWork *image_store_work_end(ImageStoreWork *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(ImageStoreWork *, image_store_work_end);
#define _cleanup_image_store_work_ _cleanup_(image_store_work_endp)
/* The temporary directory's fd, for the importer's own files (an archive's members). */
int image_store_work_fd(ImageStoreWork *w);

/* Stores a JSON blob (manifest, config) under its digest: written to the temporary directory, fsynced,
 * renamed when its SHA-256 equals |expected| (NULL: whatever it is; -EBADMSG otherwise). |ret_digest| may
 * be NULL. A blob already present is kept. */
int image_store_put_blob(ImageStoreWork *w, const void *data, size_t size, const char *expected,
                         char ret_digest[DIGEST_STRING_MAX]);

/* Reads blob |digest| from the store, verified (-EBADMSG and a sentence when it is not what its name says,
 * -ENOENT when absent). */
int image_store_get_blob(ImageStore *s, const char *digest, char **ret, size_t *ret_size, char **ret_error);

/* Whether layer |diff_id| is present (its directory under its final name). */
bool image_store_has_layer(ImageStore *s, const char *diff_id);
/* The diff_id compressed blob |digest| was unpacked to, if recorded and that layer is present; -ENOENT. */
int image_store_lookup_compressed(ImageStore *s, const char *digest, char ret_diff_id[DIGEST_STRING_MAX]);

/* Makes layer |diff_id| present from the blob read from |blob_fd| (from offset 0; any compression):
 *  - |blob_digest| (may be NULL) and |blob_size| (UINT64_MAX: unchecked) are verified on the blob first,
 *    with pread() (the fd's offset stays where it is for a progress display);
 *  - |diff_id| NULL: whatever the tar's digest is (a root filesystem tarball); returned in |ret_diff_id|;
 *  - unpacked once: under the layer's flock; a layer present (or made meanwhile by another import) is
 *    reused, *ret_unpacked = false.
 * Errors: -EBADMSG with the digest named (corrupt blob, diff_id mismatch), the unpacker's others. */
int image_store_put_layer(ImageStoreWork *w, int blob_fd, const char *blob_digest, uint64_t blob_size,
                          const char *diff_id, const LayerLimits *limits, char ret_diff_id[DIGEST_STRING_MAX],
                          bool *ret_unpacked, char **ret_error);

/* Makes everything written so far durable (syncfs) and points NAME:TAG at |manifest_digest|, written last:
 * temporary name, fsync, rename, fsync of the directory. */
int image_store_commit_ref(ImageStoreWork *w, const char *name, const char *tag, const char *manifest_digest);
