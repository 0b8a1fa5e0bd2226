/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "macro.h"
#include "string-util.h"
#include "strv.h"

int read_full_file_at(int dir_fd, const char *path, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        return read_full_fd(fd, NULL, max_size, ret, ret_size);
}

int read_text_fd(int fd, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t size;
        int r;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        /* The size may change under us: read_full_fd() reads until EOF, bounded. */
        r = read_full_fd(fd, &st, max_size, &buf, &size);
        if (r < 0)
                return r;
        if (memchr(buf, '\0', size))
                return -EBADMSG;

        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

int read_text_file(const char *path, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;

        /* O_NONBLOCK: a FIFO put where a file belongs must not hang us before the type check */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        return read_text_fd(fd, max_size, ret, ret_size);
}

int read_full_fd(int fd, const struct stat *known, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, allocated;
        struct stat st;

        if (known)
                st = *known;
        else if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (S_ISREG(st.st_mode) && (uint64_t) st.st_size > max_size)
                return -EFBIG;

        /* Regular files: one read of the right size in the common case. Others grow as needed. */
        allocated = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t) st.st_size + 1 : 4096;
        if (allocated > max_size + 1)
                allocated = max_size + 1;
        buf = malloc(allocated + 1);
        if (!buf)
                return -ENOMEM;

        for (;;) {
                ssize_t k;
                size_t wanted;

                if (size == allocated) {
                        size_t n;
                        char *b;

                        if (allocated > max_size)
                                return -EFBIG;
                        n = MIN(allocated * 2, max_size + 1);
                        b = realloc(buf, n + 1);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                        allocated = n;
                }

                wanted = allocated - size;
                k = read(fd, buf + size, wanted);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                size += (size_t) k;
                if (size > max_size)
                        return -EFBIG;
                /* A short read of a regular file is its end: saves one read() per file. */
                if (S_ISREG(st.st_mode) && (size_t) k < wanted)
                        break;
        }

        buf[size] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

int dir_iter_open(int dir_fd, const char *path, DirIter *it) {
        int fd;

        fd = openat(dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        it->fd = fd;
        it->pos = it->end = 0;
        return 0;
}

int dir_iter_next(DirIter *it, const struct dirent64 **ret) {
        for (;;) {
                const struct dirent64 *de;

                if (it->pos >= it->end) {
                        ssize_t n = getdents64(it->fd, it->buffer, sizeof(it->buffer));
                        if (n < 0)
                                return negative_errno();
                        if (n == 0)
                                return 0;
                        it->pos = 0;
                        it->end = (size_t) n;
                }

                de = (const struct dirent64 *) (it->buffer + it->pos);
                it->pos += de->d_reclen;
                if (de->d_name[0] == '.' &&
                    (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
                        continue;
                *ret = de;
                return 1;
        }
}

void dir_iter_close(DirIter *it) {
        it->fd = safe_close(it->fd);
}

int dir_list_names(int dir_fd, const char *path, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        const struct dirent64 *de;
        DirIter it;
        int r;

        r = dir_iter_open(dir_fd, path, &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0)
                if (strv_extend(&names, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
        dir_iter_close(&it);
        if (r < 0)
                return r;
        strv_sort(names);
        *ret = TAKE_PTR(names);
        return 0;
}

int write_string_file(const char *path, const char *value) {
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(value);
        ssize_t k;

        fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        k = write(fd, value, n);
        if (k < 0)
                return negative_errno();
        return (size_t) k == n ? 0 : -EIO;
}

int write_file_atomic_at(int dir_fd, const char *name, const void *data, size_t size, mode_t mode) {
        return write_file_atomic_at_full(dir_fd, name, data, size, mode, true);
}

int write_file_atomic_at_full(int dir_fd, const char *name, const void *data, size_t size, mode_t mode,
                              bool sync_dir) {
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r = 0;

        if (dir_fd < 0)
                return -EBADF;
        if (strchr(name, '/'))
                return -EINVAL;
        /* a random suffix: two writers of the same name never share a temporary file */
        for (unsigned attempt = 0; attempt < 100; attempt++) {
                uint64_t x;

                if (getrandom(&x, sizeof(x), 0) != (ssize_t) sizeof(x))
                        return negative_errno();
                free(tmp);
                tmp = strprintf(".%s.%06" PRIx64, name, x & 0xffffffU);
                if (!tmp)
                        return -ENOMEM;
                fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
                if (fd >= 0 || errno != EEXIST)
                        break;
        }
        if (fd < 0)
                return negative_errno();

        r = loop_write(fd, data, size);
        /* the umask must not decide the mode of a configuration file */
        if (r >= 0 && fchmod(fd, mode) < 0)
                r = negative_errno();
        if (r >= 0 && fsync(fd) < 0)
                r = negative_errno();
        if (r >= 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
                r = negative_errno();
        if (r < 0) {
                (void) unlinkat(dir_fd, tmp, 0);
                return r;
        }
        return sync_dir && fsync(dir_fd) < 0 ? negative_errno() : 0;
}

const char *atomic_temporary_target(const char *file, size_t *ret_len) {
        size_t n = strlen(file);

        if (n < 9 || file[0] != '.' || file[n - 7] != '.' || !in_charset(file + n - 6, "0123456789abcdef"))
                return NULL;
        *ret_len = n - 8;
        return file + 1;
}

int lock_file_at(int dir_fd, const char *path, int operation, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;

        fd = openat(dir_fd, path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0)
                return negative_errno();
        while (flock(fd, operation) < 0)
                if (errno != EINTR)
                        return negative_errno();
        *ret_fd = TAKE_FD(fd);
        return 0;
}
