/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The store's layers. A layer is unpacked into the importer's temporary directory (image-store-work.c) and
 * renamed to layers/sha256/HEX once complete, verified and on disk (syncfs), under layers/sha256/HEX.lock's
 * flock(): a second import of the same layer waits for the first and finds it present. The only part of the
 * store that unpacks (libarchive): ctr-launch, which only resolves images, does not link it. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "image-store-internal.h"
#include "rm-rf.h"
#include "string-util.h"

#define VERIFY_BUFFER_SIZE (256U * 1024U)
/* tree depth of a layer's disk usage walk: layer_unpack() bounds paths at 4095 bytes, so ~2048 levels */
#define DISK_USAGE_DEPTH_MAX 4096U

static uint64_t disk_usage_fd(int fd, unsigned depth) {
        const struct dirent64 *de;
        uint64_t total = 0;
        DirIter it;

        if (depth > DISK_USAGE_DEPTH_MAX || dir_iter_open(fd, ".", &it) < 0)
                return 0;
        while (dir_iter_next(&it, &de) > 0) {
                struct stat st;

                if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                total += (uint64_t) st.st_blocks * 512;
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(fd, de->d_name,
                                                         O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                        if (sub >= 0)
                                total += disk_usage_fd(sub, depth + 1);
                }
        }
        dir_iter_close(&it);
        return total;
}

uint64_t image_store_disk_usage(int dir_fd, const char *name) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return 0;
        if (!S_ISDIR(st.st_mode))
                return (uint64_t) st.st_blocks * 512;
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return 0;
        return (uint64_t) st.st_blocks * 512 + disk_usage_fd(fd, 0);
}

int image_store_lookup_compressed(ImageStore *s, const char *digest, char ret_diff_id[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *p = NULL, *text = NULL;
        const char *hex = digest_hex(digest);
        int r;

        if (!hex)
                return -EINVAL;
        p = strprintf(STORE_COMPRESSED "/%s", hex);
        if (!p)
                return -ENOMEM;
        r = read_full_file_at(s->fd, p, 256, &text, NULL);
        if (r < 0)
                return r;
        text[strcspn(text, "\n")] = '\0';
        if (!digest_is_valid(text) || !image_store_has_layer(s, text))
                return -ENOENT;
        strcpy(ret_diff_id, text);
        return 0;
}

/* The blob's digest and size, read with pread() so that its offset stays at 0. */
static int blob_verify(int fd, const char *digest, uint64_t size, char **ret_error) {
        _cleanup_free_ uint8_t *buf = NULL;
        char got[DIGEST_STRING_MAX];
        DigestCheck check;
        uint64_t offset = 0;
        int r;

        r = digest_check_init(&check, digest);
        if (r < 0)
                return r;
        buf = malloc(VERIFY_BUFFER_SIZE);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = pread(fd, buf, VERIFY_BUFFER_SIZE, (off_t) offset);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        break;
                digest_check_update(&check, buf, (size_t) n);
                offset += (uint64_t) n;
                if (size != UINT64_MAX && offset > size)
                        break;
        }
        if (size != UINT64_MAX && offset != size) {
                (void) strprintf_replace(ret_error, "Blob %s is corrupt: %s bytes where its descriptor says "
                                         "%" PRIu64 ".", digest, offset > size ? "more" : "fewer", size);
                return -EBADMSG;
        }
        if (digest_check_finish(&check, got) < 0) {
                (void) strprintf_replace(ret_error, "Blob %s is corrupt: its content has digest %s.", digest,
                                         got);
                return -EBADMSG;
        }
        return 0;
}

static int layer_record(ImageStoreWork *w, const char *blob_digest, const char *diff_id, uint64_t size) {
        _cleanup_free_ char *p = NULL, *text = NULL;
        int r;

        if (size > 0) {
                p = strprintf(STORE_LAYERS "/%s.size", digest_hex(diff_id));
                text = strprintf("%" PRIu64 "\n", size);
                if (!p || !text)
                        return -ENOMEM;
                r = image_store_write_file(w, w->store->fd, p, text, strlen(text), false);
                if (r < 0)
                        return r;
        }
        if (!blob_digest || streq(blob_digest, diff_id))
                return 0;
        free(p);
        free(text);
        p = strprintf(STORE_COMPRESSED "/%s", digest_hex(blob_digest));
        text = strprintf("%s\n", diff_id);
        if (!p || !text)
                return -ENOMEM;
        return image_store_write_file(w, w->store->fd, p, text, strlen(text), false);
}

/* Moves the unpacked tree |tmp| (in w's directory) to layers/sha256/HEX under the layer's lock, unless the
 * layer is there already (the caller synced the tree first). 1 moved, 0 present. */
static int layer_install(ImageStoreWork *w, const char *tmp, const char *diff_id) {
        _cleanup_free_ char *final = strprintf(STORE_LAYERS "/%s", digest_hex(diff_id));

        if (!final)
                return -ENOMEM;
        if (image_store_has_layer(w->store, diff_id))
                return 0;
        if (renameat(w->dir_fd, tmp, w->store->fd, final) < 0) {
                /* another import won the race (rootfs tarballs: unpacked before their diff_id is known) */
                if ((errno == ENOTEMPTY || errno == EEXIST) && image_store_has_layer(w->store, diff_id))
                        return 0;
                return negative_errno();
        }
        return 1;
}

static int layer_lock(ImageStore *s, const char *diff_id, int *ret_fd) {
        _cleanup_free_ char *p = strprintf(STORE_LAYERS "/%s.lock", digest_hex(diff_id));

        if (!p)
                return -ENOMEM;
        return lock_file_at(s->fd, p, LOCK_EX, ret_fd);
}

int image_store_put_layer(ImageStoreWork *w, int blob_fd, const char *blob_digest, uint64_t blob_size,
                          const char *diff_id, const LayerLimits *limits, char ret_diff_id[DIGEST_STRING_MAX],
                          bool *ret_unpacked, char **ret_error) {
        _cleanup_close_ int lock_fd = -EBADF, dest_fd = -EBADF;
        _cleanup_free_ char *tmp = NULL, *error = NULL;
        char got[DIGEST_STRING_MAX];
        uint64_t usage;
        int r;

        if (diff_id && image_store_has_layer(w->store, diff_id))
                goto present;
        /* an uncompressed blob is its own diff_id: the unpacker's check covers the same bytes */
        if (blob_digest && !(diff_id && streq(blob_digest, diff_id))) {
                r = blob_verify(blob_fd, blob_digest, blob_size, ret_error);
                if (r < 0)
                        return r;
        }
        if (diff_id) {
                r = layer_lock(w->store, diff_id, &lock_fd);
                if (r < 0)
                        return r;
                if (image_store_has_layer(w->store, diff_id))
                        goto present;           /* another import made it while we waited */
        }

        tmp = strprintf("layer.%u", w->counter++);
        if (!tmp)
                return -ENOMEM;
        if (mkdirat(w->dir_fd, tmp, 0755) < 0)
                return negative_errno();
        dest_fd = openat(w->dir_fd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dest_fd < 0)
                return negative_errno();
        r = layer_unpack(blob_fd, dest_fd, limits, diff_id, got, &error);
        if (r < 0) {
                /* both digests: the user has the blob's from the manifest, the diff_id from the config */
                (void) strprintf_replace(ret_error, "Layer %s (blob %s) refused: %s", strna(diff_id),
                                         strna(blob_digest), strna(error));
                (void) rm_rf_at(w->dir_fd, tmp);
                return r;
        }
        dest_fd = safe_close(dest_fd);
        usage = image_store_disk_usage(w->dir_fd, tmp);
        if (!diff_id) {
                r = layer_lock(w->store, got, &lock_fd);
                if (r < 0)
                        return r;
        }
        /* its size record and the tree on disk before the tree is renamed into place: a layer in the store
         * is never unpacked (nor measured) again, and after a power cut a rename the filesystem's journal
         * committed before the files' data were written out (ext4 commits every few seconds and on anyone's
         * fsync) would leave one of empty files, or an empty HEX.size */
        if (!image_store_has_layer(w->store, got))
                (void) layer_record(w, NULL, got, usage);
        if (syncfs(w->dir_fd) < 0)
                return negative_errno();
        r = layer_install(w, tmp, got);
        if (r < 0)
                return r;
        if (r == 0)
                (void) rm_rf_at(w->dir_fd, tmp);
        else
                (void) layer_record(w, blob_digest, got, 0);
        if (ret_diff_id)
                strcpy(ret_diff_id, got);
        if (ret_unpacked)
                *ret_unpacked = r > 0;
        return 0;

present:
        if (blob_digest)
                (void) layer_record(w, blob_digest, diff_id, 0);
        if (ret_diff_id)
                strcpy(ret_diff_id, diff_id);
        if (ret_unpacked)
                *ret_unpacked = false;
        return 0;
}
