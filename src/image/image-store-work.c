/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* An importer's work in the store: a temporary directory tmp/PID.RANDOM, flock()ed for its lifetime so a
 * free lock means its owner is gone, cleaned by the next import; the store's lock held shared meanwhile
 * (prune takes it exclusively). Kept apart from the layers (image-store-layer.c) so that writing a blob or
 * a reference does not pull the unpacker into a program. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "image-store-internal.h"
#include "rm-rf.h"
#include "string-util.h"

static int tmp_name(char **ret) {
        uint64_t rnd;

        if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
                return -EIO;
        *ret = strprintf("%i.%016" PRIx64, (int) getpid(), rnd);
        return *ret ? 0 : -ENOMEM;
}

int image_store_clean_tmp(ImageStore *s) {
        _cleanup_close_ int tmp_fd = -EBADF;
        const struct dirent64 *de;
        DirIter it;
        int r;

        tmp_fd = openat(s->fd, STORE_TMP, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (tmp_fd < 0)
                return errno == ENOENT ? 0 : negative_errno();
        r = dir_iter_open(tmp_fd, ".", &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                _cleanup_close_ int fd = -EBADF;

                fd = openat(tmp_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0)
                        continue;               /* alive: its importer holds the lock */
                /* gone (or not ours: anything but a directory is nobody's) */
                (void) rm_rf_at(tmp_fd, de->d_name);
        }
        dir_iter_close(&it);
        return r;
}

/* Makes tmp/NAME and takes its lock. Between the mkdir and the flock() another importer's cleaning can take
 * the new directory for a leftover: it then holds the lock (our flock() fails), or has removed the
 * directory (the openat() fails, or the name no longer leads to the directory we locked). The cleaner
 * removes it either way, so we try again under a new name; once we hold the lock and the name still leads
 * to our directory, no cleaner will take it. -EAGAIN after |attempts| such losses in a row. */
static int work_dir_make(int tmp_fd, unsigned attempts, char **ret_name, int *ret_fd) {
        for (unsigned i = 0; i < attempts; i++) {
                _cleanup_free_ char *name = NULL;
                _cleanup_close_ int fd = -EBADF;
                struct stat st_fd, st_name;
                int r;

                r = tmp_name(&name);
                if (r < 0)
                        return r;
                if (mkdirat(tmp_fd, name, 0700) < 0)
                        return negative_errno();
                fd = openat(tmp_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (fd < 0) {
                        if (errno == ENOENT)
                                continue;       /* a cleaner removed it */
                        r = negative_errno();
                        (void) rm_rf_at(tmp_fd, name);
                        return r;
                }
                if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                        if (errno == EWOULDBLOCK)
                                continue;       /* a cleaner holds it and removes it */
                        r = negative_errno();
                        (void) rm_rf_at(tmp_fd, name);
                        return r;
                }
                if (fstat(fd, &st_fd) < 0)
                        return negative_errno();
                if (fstatat(tmp_fd, name, &st_name, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue;       /* a cleaner locked, removed and let go of it first */
                        return negative_errno();
                }
                if (st_name.st_dev != st_fd.st_dev || st_name.st_ino != st_fd.st_ino)
                        continue;               /* not ours: never happens with 64 random bits, but then not ours */
                *ret_name = TAKE_PTR(name);
                *ret_fd = TAKE_FD(fd);
                return 0;
        }
        return -EAGAIN;
}

int image_store_work_begin(ImageStore *s, ImageStoreWork **ret) {
        _cleanup_close_ int lock_fd = -EBADF, tmp_fd = -EBADF, dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL;
        ImageStoreWork *w;
        int r;

        r = image_store_lock(s, LOCK_SH, &lock_fd);
        if (r < 0)
                return r;
        (void) image_store_clean_tmp(s);

        tmp_fd = openat(s->fd, STORE_TMP, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (tmp_fd < 0)
                return negative_errno();
        r = work_dir_make(tmp_fd, 64, &name, &dir_fd);
        if (r < 0)
                return r;

        w = calloc(1, sizeof(ImageStoreWork));
        if (!w)
                return -ENOMEM;
        *w = (ImageStoreWork) {
                .store = s,
                .lock_fd = TAKE_FD(lock_fd),
                .dir_fd = TAKE_FD(dir_fd),
                .name = TAKE_PTR(name),
        };
        *ret = w;
        return 0;
}

ImageStoreWork *image_store_work_end(ImageStoreWork *w) {
        _cleanup_close_ int tmp_fd = -EBADF;

        if (!w)
                return NULL;
        tmp_fd = openat(w->store->fd, STORE_TMP, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (tmp_fd >= 0)
                (void) rm_rf_at(tmp_fd, w->name);
        safe_close(w->dir_fd);
        safe_close(w->lock_fd);
        free(w->name);
        free(w);
        return NULL;
}

int image_store_work_fd(ImageStoreWork *w) {
        return w->dir_fd;
}
