/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "rm-rf.h"

/* Empties the directory |fd| (which is |st|'s). Recursive: the depth is bounded by the path length a tree
 * can have (PATH_MAX / 2 levels), and each level keeps its 16 KiB DirIter on the heap, not the stack. */
static int rm_rf_children(int fd, const struct stat *st) {
        _cleanup_free_ DirIter *itp = NULL;
        int r, ret = 0;

        itp = malloc(sizeof(DirIter));
        if (!itp)
                return -ENOMEM;
        DirIter *it = itp;
        /* "." below an fd we opened with O_NOFOLLOW: the directory itself, never a symlink's target */
        r = dir_iter_open(fd, ".", it);
        if (r < 0)
                return r;

        for (;;) {
                const struct dirent64 *de;
                struct stat cst;

                r = dir_iter_next(it, &de);
                if (r < 0) {
                        ret = ret ?: r;
                        break;
                }
                if (r == 0)
                        break;

                if (fstatat(fd, de->d_name, &cst, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno != ENOENT)
                                ret = ret ?: -errno;
                        continue;
                }
                if (S_ISDIR(cst.st_mode)) {
                        _cleanup_close_ int cfd = -EBADF;

                        if (cst.st_dev != st->st_dev) {
                                ret = ret ?: -EXDEV;
                                continue;
                        }
                        cfd = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (cfd < 0) {
                                ret = ret ?: -errno;
                                continue;
                        }
                        r = rm_rf_children(cfd, &cst);
                        if (r < 0) {
                                ret = ret ?: r;
                                continue;
                        }
                        if (unlinkat(fd, de->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                                ret = ret ?: -errno;
                } else if (unlinkat(fd, de->d_name, 0) < 0 && errno != ENOENT)
                        ret = ret ?: -errno;
        }
        dir_iter_close(it);
        return ret;
}

int rm_rf_at(int dir_fd, const char *name) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : -errno;
        if (!S_ISDIR(st.st_mode))
                return unlinkat(dir_fd, name, 0) < 0 && errno != ENOENT ? -errno : 0;

        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        r = rm_rf_children(fd, &st);
        if (r < 0)
                return r;
        if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return -errno;
        return 0;
}
