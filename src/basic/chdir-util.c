/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "chase.h"
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
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        int r;

        root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return negative_errno();
        r = chase_open(root, path, O_PATH | O_DIRECTORY, &fd);
        if (r < 0)
                return r;
        if (fchdir(fd) < 0)
                return negative_errno();
        return cwd_check_in_root();
}
