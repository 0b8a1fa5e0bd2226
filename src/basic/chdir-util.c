/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "chdir-util.h"
#include "macro.h"

int cwd_check_in_root(void) {
        char buf[PATH_MAX];

        /* glibc turns the kernel's "(unreachable)/…" into ENOENT; older ones return it as it is */
        if (!getcwd(buf, sizeof(buf)) || buf[0] != '/')
                return -EXDEV;
        return 0;
}

int chdir_in_root(const char *path) {
        struct open_how how = {
                .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        _cleanup_close_ int root = -EBADF, fd = -EBADF;

        root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return negative_errno();

        fd = (int) syscall(SYS_openat2, root, path, &how, sizeof(how));
        if (fd >= 0) {
                if (fchdir(fd) < 0)
                        return negative_errno();
        } else if (errno == ENOSYS || errno == EPERM) {
                if (chdir(path) < 0)
                        return negative_errno();
        } else
                return negative_errno();

        return cwd_check_in_root();
}
