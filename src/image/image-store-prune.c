/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Prune: what no reference and no container needs goes. Under the store's .lock held exclusive, so no
 * import is between its first layer and its reference (imports hold it shared), and nothing is tagged
 * meanwhile. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fileio.h"
#include "image-store-internal.h"
#include "oci-json.h"
#include "rm-rf.h"
#include "string-util.h"
#include "strv.h"

typedef struct Live {
        char **blobs;           /* hex */
        char **layers;          /* hex */
} Live;

static void live_done(Live *l) {
        strv_free(l->blobs);
        strv_free(l->layers);
}

static int live_add_image(ImageStore *s, const char *manifest_digest, Live *live) {
        _cleanup_free_ char *manifest_json = NULL, *config_json = NULL;
        _cleanup_(oci_manifest_done) OciManifest m = {};
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig config = {};
        size_t size;
        int r;

        if (strv_extend(&live->blobs, digest_hex(manifest_digest)) < 0)
                return -ENOMEM;
        /* an image that does not read is kept as far as it can be read, never a reason to stop */
        if (image_store_get_blob(s, manifest_digest, &manifest_json, &size, NULL) < 0 ||
            oci_manifest_parse(manifest_json, size, NULL, &m, NULL) < 0)
                return 0;
        if (strv_extend(&live->blobs, digest_hex(m.config.digest)) < 0)
                return -ENOMEM;
        if (image_store_get_blob(s, m.config.digest, &config_json, &size, NULL) < 0)
                return 0;
        r = oci_config_parse(config_json, size, &config, &diff_ids, NULL);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        image_config_done(&config);
        STRV_FOREACH(d, diff_ids)
                if (strv_extend(&live->layers, digest_hex(*d)) < 0)
                        return -ENOMEM;
        return 0;
}

typedef bool (*DeadFunction)(ImageStore *s, const char *name, const Live *live);

static bool blob_dead(_unused_ ImageStore *s, const char *name, const Live *live) {
        return !strv_contains(live->blobs, name);
}

/* HEX (the layer), HEX.size, HEX.lock */
static bool layer_dead(_unused_ ImageStore *s, const char *name, const Live *live) {
        _cleanup_free_ char *hex = strndup(name, strcspn(name, "."));

        return hex && !strv_contains(live->layers, hex);
}

/* a compressed/sha256/HEX record whose layer is gone */
static bool record_dead(ImageStore *s, const char *name, _unused_ const Live *live) {
        char digest[DIGEST_STRING_MAX], diff_id[DIGEST_STRING_MAX];

        if (strlen(name) != DIGEST_HEX_LENGTH)
                return true;
        memcpy(digest, DIGEST_PREFIX, strlen(DIGEST_PREFIX));
        memcpy(digest + strlen(DIGEST_PREFIX), name, DIGEST_HEX_LENGTH + 1);
        return image_store_lookup_compressed(s, digest, diff_id) == -ENOENT;
}

/* Removes what |dead| says of the entries of |dir|, counting what they took. Listed first, removed after:
 * no directory is changed while it is read. */
static int prune_dir(ImageStore *s, const char *dir, DeadFunction dead, const Live *live, unsigned *counter,
                     ImagePruneStats *stats) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_strv_free_ char **names = NULL;
        const struct dirent64 *de;
        DirIter it;
        int r;

        fd = openat(s->fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        r = dir_iter_open(fd, ".", &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0)
                if (dead(s, de->d_name, live) && strv_extend(&names, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
        dir_iter_close(&it);
        if (r < 0)
                return r;
        STRV_FOREACH(d, names) {
                uint64_t bytes = image_store_disk_usage(fd, *d);

                if (rm_rf_at(fd, *d) < 0)
                        continue;
                stats->bytes += bytes;
                /* a layer's .size and .lock go with it, uncounted */
                if (counter && !strchr(*d, '.'))
                        (*counter)++;
        }
        return 0;
}

int image_store_prune(ImageStore *s, char *const *keep, ImagePruneStats *ret) {
        _cleanup_close_ int lock_fd = -EBADF;
        _cleanup_(live_done) Live live = {};
        ImagePruneStats stats = {};
        ImageRef *refs = NULL;
        size_t n = 0;
        int r;

        r = image_store_lock(s, LOCK_EX, &lock_fd);
        if (r < 0)
                return r;
        r = image_store_clean_tmp(s);
        if (r < 0)
                return r;

        r = image_store_list_refs(s, &refs, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++)
                r = live_add_image(s, refs[i].manifest_digest, &live);
        image_refs_free(refs, n);
        STRV_FOREACH(k, keep)
                if (r >= 0 && digest_is_valid(*k))
                        r = live_add_image(s, *k, &live);
        if (r < 0)
                return r;

        r = prune_dir(s, STORE_BLOBS, blob_dead, &live, &stats.blobs, &stats);
        if (r >= 0)
                r = prune_dir(s, STORE_LAYERS, layer_dead, &live, &stats.layers, &stats);
        if (r >= 0)
                r = prune_dir(s, STORE_COMPRESSED, record_dead, &live, NULL, &stats);
        if (r < 0)
                return r;
        if (ret)
                *ret = stats;
        return 0;
}
