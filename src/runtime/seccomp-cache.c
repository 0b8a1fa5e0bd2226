/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The compiled default filter and its cache directory (seccomp-cache.h). */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fd-util.h"
#include "macro.h"
#include "seccomp-cache.h"
#include "seccomp-default.h"

static int program_build(uint64_t capabilities, SeccompProgram *ret) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        int r;

        r = seccomp_default_filter_new(capabilities, true, &ctx);
        if (r < 0)
                return r;

        return seccomp_program_from_filter(ctx, ret);
}

static int cache_read(const char *path, SeccompProgram *ret) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        /* only a file we wrote ourselves */
        if (st.st_uid != geteuid() || (st.st_mode & 0022) != 0)
                return -EPERM;

        return seccomp_program_from_fd(fd, ret);
}

static int cache_write(const char *dir, const char *path, const SeccompProgram *p) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *tmp = NULL;
        int r;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return negative_errno();

        if (asprintf(&tmp, "%s/.tmp-%d", dir, (int) getpid()) < 0)
                return -ENOMEM;

        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();

        /* written whole, then renamed over the entry: a reader sees the old program or the new one */
        r = loop_write(fd, p->insns, p->n_insns * sizeof(struct sock_filter));
        if (r >= 0 && rename(tmp, path) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

int seccomp_default_program(uint64_t capabilities, const char *cache_dir, SeccompProgram *ret) {
        _cleanup_free_ char *path = NULL;
        SeccompProgram p = {};
        int r;

        if (cache_dir) {
                if (asprintf(&path, "%s/default-%016" PRIx64 ".bpf", cache_dir,
                             seccomp_default_filter_key(capabilities)) < 0)
                        return -ENOMEM;
                if (cache_read(path, &p) >= 0) {
                        *ret = p;
                        return 1;
                }
        }

        r = program_build(capabilities, &p);
        if (r < 0)
                return r;

        if (cache_dir)
                (void) cache_write(cache_dir, path, &p);       /* best effort */

        *ret = p;
        return 0;
}
