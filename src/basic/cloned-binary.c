/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cloned-binary.h"
#include "fileio.h"
#include "macro.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

/* What /proc/self/cmdline may hold: the kernel's limit for the arguments of one execve() */
#define CMDLINE_MAX (32U * 1024U * 1024U)

extern char **environ;

int cloned_binary_fd_is_sealed(int fd) {
        int seals = fcntl(fd, F_GET_SEALS);

        if (seals < 0)
                return errno == EINVAL ? 0 : negative_errno();
        return (seals & CLONED_BINARY_SEALS) == CLONED_BINARY_SEALS;
}

int cloned_binary_is_running(void) {
        _cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);

        if (fd < 0)
                return negative_errno();
        return cloned_binary_fd_is_sealed(fd);
}

int cloned_binary_create(const char *name, int *ret_fd) {
        _cleanup_close_ int src = -EBADF, fd = -EBADF;
        struct stat st;
        off_t left;

        src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        if (src < 0)
                return negative_errno();
        if (fstat(src, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (fd < 0)
                return negative_errno();

        /* sendfile() rather than copy_file_range(): since 5.19 the latter refuses to copy between different
         * file systems, and the copy goes from the binary's file system to tmpfs */
        for (left = st.st_size; left > 0;) {
                ssize_t n = sendfile(fd, src, NULL, (size_t) MIN(left, (off_t) 0x7ffff000));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return -EIO;    /* the file shrank under us */
                left -= n;
        }

        if (fcntl(fd, F_ADD_SEALS, CLONED_BINARY_SEALS) < 0)
                return negative_errno();

        *ret_fd = TAKE_FD(fd);
        return 0;
}

int cloned_binary_reexec(const char *name) {
        _cleanup_free_ char *cmdline = NULL;
        _cleanup_free_ char **argv = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t size, n = 0;
        int r;

        if (RUNNING_ON_VALGRIND)
                return 0;
        r = cloned_binary_is_running();
        if (r != 0)
                return r < 0 ? r : 0;

        r = read_full_file_at(AT_FDCWD, "/proc/self/cmdline", CMDLINE_MAX, &cmdline, &size);
        if (r < 0)
                return r;
        if (size == 0 || cmdline[size - 1] != '\0')
                return -EBADMSG;        /* the arguments were rewritten in place (setproctitle()) */

        for (size_t i = 0; i < size; i++)
                n += cmdline[i] == '\0';
        argv = calloc(n + 1, sizeof(char *));
        if (!argv)
                return -ENOMEM;
        for (size_t i = 0, k = 0; k < n; i += strlen(cmdline + i) + 1)
                argv[k++] = cmdline + i;

        r = cloned_binary_create(name, &fd);
        if (r < 0)
                return r;

        fexecve(fd, argv, environ);
        return negative_errno();
}
