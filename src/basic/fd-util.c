/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"

int close_all_fds_except(const int *keep, size_t n_keep) {
        unsigned from = 3;

        for (;;) {
                unsigned next = UINT_MAX;

                /* the smallest kept fd at or above |from|: few enough to search each time */
                for (size_t i = 0; i < n_keep; i++)
                        if (keep[i] >= 0 && (unsigned) keep[i] >= from && (unsigned) keep[i] < next)
                                next = (unsigned) keep[i];
                if (next == UINT_MAX)
                        return close_range(from, ~0U, 0) < 0 ? negative_errno() : 0;
                if (next > from && close_range(from, next - 1, 0) < 0)
                        return negative_errno();
                from = next + 1;
        }
}

int stdio_fd_classify(int fd) {
        struct stat st;
        int flags;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0)
                return errno == EBADF ? 0 : negative_errno();
        if (flags & O_PATH)
                return -EISDIR;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
                return 0;
        if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3))
                return 0;       /* /dev/null */
        return 1;
}

int loop_write(int fd, const void *buf, size_t n) {
        const char *p = buf;

        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return -EIO;
                p += k;
                n -= (size_t) k;
        }
        return 0;
}
