/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "copy-tree.h"
#include "fd-util.h"
#include "fileio.h"

/* Owner first, mode after: chown() clears setuid and setgid. */
static int set_owner_mode(int dir_fd, const char *name, int fd, const struct stat *st, const CopyTreeOptions *o) {
        if (o->preserve_owner &&
            (fd >= 0 ? fchown(fd, st->st_uid, st->st_gid) : fchownat(dir_fd, name, st->st_uid, st->st_gid, 0)) < 0)
                return negative_errno();
        if ((fd >= 0 ? fchmod(fd, st->st_mode & 07777) : fchmodat(dir_fd, name, st->st_mode & 07777, 0)) < 0)
                return negative_errno();
        return 0;
}

int copy_file_fd(int from, const struct stat *st, int to_dir, const char *name, const CopyTreeOptions *o) {
        _cleanup_close_ int to = -EBADF;
        char buf[16384];
        uint64_t total = 0;
        ssize_t n;
        int r;

        (void) unlinkat(to_dir, name, 0);
        to = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st->st_mode & 0777);
        if (to < 0)
                return negative_errno();
        while ((n = read(from, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                total += (uint64_t) n;
                if (total > o->max_file_size)
                        return -EFBIG;
                r = loop_write(to, buf, (size_t) n);
                if (r < 0)
                        return r;
        }
        return set_owner_mode(to_dir, name, to, st, o);
}

static int copy_entry(int from_dir, const char *name, int to_dir, unsigned depth, unsigned *n_entries,
                      const CopyTreeOptions *o);

static int copy_dir(int from, int to_dir, unsigned depth, unsigned *n_entries, const CopyTreeOptions *o) {
        _cleanup_closedir_ DIR *d = NULL;
        struct dirent *de;
        int dfd;

        if (depth > o->max_depth)
                return -ELOOP;
        dfd = fcntl(from, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return negative_errno();
        d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return negative_errno();
        }
        while ((errno = 0, de = readdir(d))) {
                int r;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (++*n_entries > o->max_entries)
                        return -E2BIG;
                r = copy_entry(dirfd(d), de->d_name, to_dir, depth, n_entries, o);
                if (r < 0)
                        return r;
        }
        return errno != 0 ? negative_errno() : 0;
}

static int copy_entry(int from_dir, const char *name, int to_dir, unsigned depth, unsigned *n_entries,
                      const CopyTreeOptions *o) {
        struct stat st;
        int r;

        if (fstatat(from_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (S_ISLNK(st.st_mode)) {
                char link[PATH_MAX];
                ssize_t l = readlinkat(from_dir, name, link, sizeof(link) - 1);
                if (l < 0)
                        return negative_errno();
                link[l] = '\0';
                if (symlinkat(link, to_dir, name) < 0 && errno != EEXIST)
                        return negative_errno();
                if (o->preserve_owner && fchownat(to_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                        return negative_errno();
        } else if (S_ISREG(st.st_mode)) {
                /* O_NONBLOCK: a FIFO swapped in since the fstatat() must not block us; fstat() again */
                _cleanup_close_ int f = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
                                                               O_CLOEXEC);
                if (f < 0)
                        return negative_errno();
                if (fstat(f, &st) < 0)
                        return negative_errno();
                if (!S_ISREG(st.st_mode))
                        return 0;
                r = copy_file_fd(f, &st, to_dir, name, o);
                if (r < 0)
                        return r;
        } else if (S_ISDIR(st.st_mode)) {
                _cleanup_close_ int sub = -EBADF, subto = -EBADF;

                if (mkdirat(to_dir, name, st.st_mode & 0777) < 0 && errno != EEXIST)
                        return negative_errno();
                sub = openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                subto = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0 || subto < 0)
                        return negative_errno();
                r = copy_dir(sub, subto, depth + 1, n_entries, o);
                if (r < 0)
                        return r;
                r = set_owner_mode(-EBADF, NULL, subto, &st, o);
                if (r < 0)
                        return r;
        }
        return 0;
}

int copy_tree_fd(int from, int to_dir, const CopyTreeOptions *o) {
        unsigned n = 0;
        return copy_dir(from, to_dir, 0, &n, o);
}
