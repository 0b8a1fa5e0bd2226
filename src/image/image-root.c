/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* An image-based container's mstack directory (image-root.h): the layer@N symlinks, the writable layer rw/,
 * and .ctr-image, the digest rw/ was made on, so that a container whose image changed never mixes its old
 * writable layer into the new image's tree. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "image-root.h"
#include "mkdir-util.h"
#include "parse-util.h"
#include "string-util.h"

#define CTR_IMAGE_FILE ".ctr-image"
#define CTR_IMAGE_FILE_MAX (256U * 1024U)

int image_root_path(const char *state, const char *name, char **ret) {
        char *p = strprintf("%s/containers/%s.mstack", state, name);
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

int image_root_volumes_path(const char *state, const char *name, char **ret) {
        char *p = strprintf("%s/containers/%s.volumes", state, name);
        if (!p)
                return -ENOMEM;
        *ret = p;
        return 0;
}

void image_root_layer_name(size_t i, char buf[IMAGE_ROOT_LAYER_NAME_MAX]) {
        snprintf(buf, IMAGE_ROOT_LAYER_NAME_MAX, "layer@%zu", i);
}

/* What layer@N says: relative to the mstack directory (STATE/containers/NAME.mstack) when the layer is below
 * STATE, so the tree can move as a whole; otherwise the absolute path. */
static char *layer_link_text(const char *state, const char *layer) {
        const char *rest = startswith(layer, state);

        if (rest && rest[0] == '/' && rest[1] != '\0')
                return strprintf("../..%s", rest);
        return strdup(layer);
}

static int link_layer(int dir_fd, size_t i, const char *text) {
        char name[IMAGE_ROOT_LAYER_NAME_MAX], tmp[IMAGE_ROOT_LAYER_NAME_MAX + 4], buf[4096];
        ssize_t n;

        image_root_layer_name(i, name);
        n = readlinkat(dir_fd, name, buf, sizeof(buf) - 1);
        if (n >= 0) {
                buf[n] = '\0';
                if (streq(buf, text))
                        return 0;
        }
        /* replaced in one rename: a reader (nspawn --mstack=) never sees the name missing */
        snprintf(tmp, sizeof(tmp), "%s.new", name);
        (void) unlinkat(dir_fd, tmp, 0);
        if (symlinkat(text, dir_fd, tmp) < 0 || renameat(dir_fd, tmp, dir_fd, name) < 0)
                return negative_errno();
        return 0;
}

/* layer@K for K >= n (an image with fewer layers than the last one), and anything else named layer@… */
static int unlink_stale_layers(int dir_fd, size_t n) {
        DirIter it;
        const struct dirent64 *de;
        char **stale = NULL;
        size_t n_stale = 0;
        int r;

        r = dir_iter_open(dir_fd, ".", &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                const char *num = startswith(de->d_name, "layer@");
                char canonical[IMAGE_ROOT_LAYER_NAME_MAX];
                uint64_t k;
                char **l;

                if (!num)
                        continue;
                /* kept: exactly the names image_root_layer_name() gives 0…n-1 ("layer@01" is not one) */
                if (safe_atou64(num, &k) >= 0 && k < n) {
                        image_root_layer_name((size_t) k, canonical);
                        if (streq(canonical, de->d_name))
                                continue;
                }
                l = reallocarray(stale, n_stale + 1, sizeof(char *));
                if (!l || !(l[n_stale] = strdup(de->d_name))) {
                        stale = l ?: stale;
                        r = -ENOMEM;
                        break;
                }
                stale = l;
                n_stale++;
        }
        dir_iter_close(&it);
        for (size_t i = 0; i < n_stale; i++) {
                if (r >= 0 && unlinkat(dir_fd, stale[i], 0) < 0 && errno != ENOENT)
                        r = negative_errno();
                free(stale[i]);
        }
        free(stale);
        return r < 0 ? r : 0;
}

static int read_digest_at(int dir_fd, char ret[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(dir_fd, CTR_IMAGE_FILE, CTR_IMAGE_FILE_MAX, &text, NULL);
        if (r < 0)
                return r;
        for (char *line = text, *next; line && *line; line = next) {
                const char *v;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                v = startswith(line, "manifest=");
                if (v && digest_is_valid(v)) {
                        snprintf(ret, DIGEST_STRING_MAX, "%s", v);
                        return 0;
                }
        }
        return -EBADMSG;
}

int image_root_read_digest(const char *mstack, char ret[DIGEST_STRING_MAX]) {
        _cleanup_close_ int fd = open(mstack, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        return read_digest_at(fd, ret);
}

static int write_digest_at(int dir_fd, const Image *image) {
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        text = strprintf("manifest=%s\nconfig=%s\nname=%s\n", image->manifest_digest, image->config_digest,
                         strempty(image->name));
        if (!text)
                return -ENOMEM;
        for (size_t i = 0; i < image->n_layers; i++)
                if (strprintf_replace(&text, "%sdiff_id=%s\n", text, image->diff_ids[i]) < 0)
                        return -ENOMEM;

        (void) unlinkat(dir_fd, CTR_IMAGE_FILE ".new", 0);
        fd = openat(dir_fd, CTR_IMAGE_FILE ".new", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, text, strlen(text));
        if (r >= 0 && fsync(fd) < 0)
                r = negative_errno();
        if (r >= 0 && renameat(dir_fd, CTR_IMAGE_FILE ".new", dir_fd, CTR_IMAGE_FILE) < 0)
                r = negative_errno();
        return r;
}

/* rw/ made on image |old| goes to rw.was-sha256-<12 hex>-<UTC time>, never over an existing name. */
static int move_rw_aside(int dir_fd, const char *old, char **ret_moved) {
        char date[32];
        struct tm tm;
        time_t t = time(NULL);

        if (!gmtime_r(&t, &tm) || strftime(date, sizeof(date), "%Y%m%dT%H%M%SZ", &tm) == 0)
                return -EINVAL;
        for (unsigned i = 1; i < 100; i++) {
                _cleanup_free_ char *name = i == 1 ?
                        strprintf("rw.was-sha256-%.12s-%s", digest_hex(old), date) :
                        strprintf("rw.was-sha256-%.12s-%s-%u", digest_hex(old), date, i);
                if (!name)
                        return -ENOMEM;
                if (renameat2(dir_fd, "rw", dir_fd, name, RENAME_NOREPLACE) >= 0) {
                        if (ret_moved)
                                *ret_moved = TAKE_PTR(name);
                        return 1;
                }
                if (errno == ENOENT)
                        return 0;
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

int image_root_prepare(const char *state, const char *name, const Image *image, char *const *layer_paths,
                       bool writable, char **ret_moved) {
        _cleanup_free_ char *dir = NULL, *moved = NULL;
        _cleanup_close_ int fd = -EBADF;
        char old[DIGEST_STRING_MAX];
        int r;

        if (!state || !name || !image || (image->n_layers > 0 && !layer_paths))
                return -EINVAL;
        r = image_root_path(state, name, &dir);
        if (r < 0)
                return r;
        /* 0700 on the way: the state directory holds other containers' layers, with their setuid files */
        r = mkdir_p(dir, 0700, 0700);
        if (r < 0)
                return r;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();

        for (size_t i = 0; i < image->n_layers; i++) {
                _cleanup_free_ char *text = layer_link_text(state, layer_paths[i]);
                if (!text)
                        return -ENOMEM;
                r = link_layer(fd, i, text);
                if (r < 0)
                        return r;
        }
        r = unlink_stale_layers(fd, image->n_layers);
        if (r < 0)
                return r;

        if (writable) {
                r = read_digest_at(fd, old);
                if (r >= 0 && !streq(old, image->manifest_digest)) {
                        r = move_rw_aside(fd, old, &moved);
                        if (r < 0)
                                return r;
                } else if (r < 0 && r != -ENOENT && r != -EBADMSG)
                        return r;
                if ((mkdirat(fd, "rw", 0755) < 0 && errno != EEXIST) ||
                    (mkdirat(fd, "rw/data", 0755) < 0 && errno != EEXIST) ||
                    (mkdirat(fd, "rw/work", 0755) < 0 && errno != EEXIST))
                        return negative_errno();
                r = write_digest_at(fd, image);
                if (r < 0)
                        return r;
        }
        if (ret_moved)
                *ret_moved = TAKE_PTR(moved);
        return 0;
}
