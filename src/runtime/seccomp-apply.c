/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Loading a filter into the calling process (seccomp-apply.h). */

#include <errno.h>
#include <linux/seccomp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "macro.h"
#include "seccomp-apply.h"
#include "seccomp-default.h"

bool seccomp_profile_is_unconfined(const char *profile) {
        return profile && streq(profile, "unconfined");
}

int seccomp_apply_profile(const char *profile, uint64_t capabilities, bool set_no_new_privs) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        int r;

        if (seccomp_profile_is_unconfined(profile))
                return 0;
        if (profile && !streq(profile, "default"))
                return -EOPNOTSUPP;

        r = seccomp_default_filter_new(capabilities, set_no_new_privs, &ctx);
        if (r < 0)
                return r;

        return seccomp_load(ctx);
}

int seccomp_program_load(const SeccompProgram *p, bool set_no_new_privs) {
        struct sock_fprog prog;

        if (!p || !p->insns || p->n_insns == 0 || p->n_insns > BPF_MAXINSNS)
                return -EINVAL;

        prog = (struct sock_fprog) {
                .len = (unsigned short) p->n_insns,
                .filter = p->insns,
        };

        if (set_no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return negative_errno();

        /* seccomp(2) where it exists; prctl() for kernels before 3.17 and valgrind, which lack it */
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
                if (errno != ENOSYS)
                        return negative_errno();
                if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
                        return negative_errno();
        }

        return 0;
}
