/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The new mount API refused under ctr-default (seccomp-mount-api.h). */

#include <errno.h>
#include <linux/capability.h>

#include "apparmor.h"
#include "caps-util.h"
#include "macro.h"
#include "seccomp-mount-api.h"

static const char *const seccomp_mount_api_syscalls[] = {
        "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr",
};

bool seccomp_mount_api_wanted(const char *apparmor, uint64_t bounding) {
        return streq_ptr(apparmor, APPARMOR_DEFAULT_PROFILE) && (bounding & CAP_MASK(CAP_SYS_ADMIN)) != 0;
}

int seccomp_mount_api_program(SeccompProgram *ret) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        int r;

        /* no_new_privs is the loader's choice (seccomp_program_load()) */
        r = seccomp_filter_new(SCMP_ACT_ALLOW, false, &ctx);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(seccomp_mount_api_syscalls); i++) {
                int nr = seccomp_syscall_resolve_name(seccomp_mount_api_syscalls[i]);

                if (nr == __NR_SCMP_ERROR)
                        continue;       /* a libseccomp older than the call */
                /* -EDOM: no architecture of the filter has it */
                r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
                if (r < 0 && r != -EDOM)
                        return r;
        }
        return seccomp_program_from_filter(ctx, ret);
}
