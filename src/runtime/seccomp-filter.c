/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fileio.h"
#include "seccomp-filter.h"

/* 0-terminated lists. x86-32 is kept apart from the other compat architectures because libseccomp mirrors
 * its socket rules onto socketcall. */
#if defined(__x86_64__)
static const uint32_t arches_compat[] = { SCMP_ARCH_X32, 0 };
static const uint32_t arches_multiplexed[] = { SCMP_ARCH_X86, 0 };
#elif defined(__aarch64__)
static const uint32_t arches_compat[] = { SCMP_ARCH_ARM, 0 };
static const uint32_t arches_multiplexed[] = { 0 };
#else
static const uint32_t arches_compat[] = { 0 };
static const uint32_t arches_multiplexed[] = { 0 };
#endif

bool seccomp_arches_have_multiplexed(void) {
        return arches_multiplexed[0] != 0;
}

static int add_arches(scmp_filter_ctx ctx, const uint32_t *arches) {
        for (size_t i = 0; arches[i] != 0; i++) {
                int r = seccomp_arch_add(ctx, arches[i]);

                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return 0;
}

int seccomp_filter_new_arches(uint32_t default_action, bool set_no_new_privs, SeccompArches arches,
                              scmp_filter_ctx *ret) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        int r;

        ctx = seccomp_init(default_action);
        if (!ctx)
                return -ENOMEM;

        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, set_no_new_privs ? 1 : 0);
        if (r < 0)
                return r;

        /* No rollback copy of the whole filter before each of its ~1000 rules (a failed rule fails the
         * filter anyway): a third of the build time. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1);
        if (r < 0)
                return r;

        /* A binary tree over syscall numbers instead of a list: every syscall of the workload, and the kernel
         * building its per-syscall action cache at load time, walk a few comparisons instead of ~400. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                return r;

        /* Rules are added per architecture, so all of them must be there first. seccomp_init() put the
         * native one in. */
        if (arches != SECCOMP_ARCHES_MULTIPLEXED) {
                r = add_arches(ctx, arches_compat);
                if (r < 0)
                        return r;
        }
        if (arches != SECCOMP_ARCHES_DIRECT) {
                r = add_arches(ctx, arches_multiplexed);
                if (r < 0)
                        return r;
        }
        if (arches == SECCOMP_ARCHES_MULTIPLEXED) {
                r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_filter_new(uint32_t default_action, bool set_no_new_privs, scmp_filter_ctx *ret) {
        return seccomp_filter_new_arches(default_action, set_no_new_privs, SECCOMP_ARCHES_ALL, ret);
}

void seccomp_program_done(SeccompProgram *p) {
        if (!p)
                return;
        p->insns = mfree(p->insns);
        p->n_insns = 0;
}

int seccomp_program_from_fd(int fd, SeccompProgram *ret) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t size;
        int r;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if (st.st_size <= 0 || st.st_size % (off_t) sizeof(struct sock_filter) != 0 ||
            st.st_size > (off_t) (BPF_MAXINSNS * sizeof(struct sock_filter)))
                return -EBADMSG;

        if (lseek(fd, 0, SEEK_SET) < 0)
                return negative_errno();
        r = read_full_fd(fd, &st, (size_t) st.st_size, &buf, &size);
        if (r == -EFBIG)
                return -EBADMSG;        /* it grew since fstat() */
        if (r < 0)
                return r;
        if (size != (size_t) st.st_size)
                return -EBADMSG;

        /* malloc()'s alignment suits any type */
        ret->insns = (struct sock_filter *) TAKE_PTR(buf);
        ret->n_insns = size / sizeof(struct sock_filter);
        return 0;
}

int seccomp_program_from_filter(scmp_filter_ctx ctx, SeccompProgram *ret) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        /* libseccomp 2.5 exports only to an fd */
        fd = memfd_create("ctr-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return r;

        return seccomp_program_from_fd(fd, ret);
}
