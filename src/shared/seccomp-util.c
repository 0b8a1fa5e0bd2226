/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <sched.h>
#include <string.h>

#include "caps-util.h"
#include "macro.h"
#include "seccomp-util.h"

/* Capabilities that lift a block (see the header); 0 = never. */
#define GATE(c) CAP_MASK(c)

typedef struct SyscallBlock {
        const char *name;
        uint64_t unless_caps;
} SyscallBlock;

static const SyscallBlock blocked_syscalls[] = {
        /* kernel modules */
        { "init_module",                GATE(CAP_SYS_MODULE) },
        { "finit_module",               GATE(CAP_SYS_MODULE) },
        { "delete_module",              GATE(CAP_SYS_MODULE) },
        { "create_module",              GATE(CAP_SYS_MODULE) },
        { "get_kernel_syms",            GATE(CAP_SYS_MODULE) },
        { "query_module",               GATE(CAP_SYS_MODULE) },
        /* boot */
        { "reboot",                     GATE(CAP_SYS_BOOT) },
        { "kexec_load",                 GATE(CAP_SYS_BOOT) },
        { "kexec_file_load",            GATE(CAP_SYS_BOOT) },
        /* clock */
        { "settimeofday",               GATE(CAP_SYS_TIME) },
        { "stime",                      GATE(CAP_SYS_TIME) },
        { "clock_settime",              GATE(CAP_SYS_TIME) },
        { "clock_settime64",            GATE(CAP_SYS_TIME) },
        { "clock_adjtime",              GATE(CAP_SYS_TIME) },
        { "clock_adjtime64",            GATE(CAP_SYS_TIME) },
        { "adjtimex",                   GATE(CAP_SYS_TIME) },
        /* keyring: not namespaced */
        { "add_key",                    0 },
        { "request_key",                0 },
        { "keyctl",                     0 },
        /* kernel attack surface */
        { "bpf",                        GATE(CAP_SYS_ADMIN) | GATE(CAP_BPF) },
        { "perf_event_open",            GATE(CAP_SYS_ADMIN) | GATE(CAP_PERFMON) },
        { "userfaultfd",                0 },
        { "io_uring_setup",             0 },
        { "io_uring_enter",             0 },
        { "io_uring_register",          0 },
        /* file handles bypass path-based confinement */
        { "open_by_handle_at",          GATE(CAP_DAC_READ_SEARCH) },
        { "name_to_handle_at",          GATE(CAP_SYS_ADMIN) },
        /* mounts */
        { "mount",                      GATE(CAP_SYS_ADMIN) },
        { "umount",                     GATE(CAP_SYS_ADMIN) },
        { "umount2",                    GATE(CAP_SYS_ADMIN) },
        { "pivot_root",                 GATE(CAP_SYS_ADMIN) },
        { "move_mount",                 GATE(CAP_SYS_ADMIN) },
        { "open_tree",                  GATE(CAP_SYS_ADMIN) },
        { "fsopen",                     GATE(CAP_SYS_ADMIN) },
        { "fsmount",                    GATE(CAP_SYS_ADMIN) },
        { "fsconfig",                   GATE(CAP_SYS_ADMIN) },
        { "fspick",                     GATE(CAP_SYS_ADMIN) },
        { "mount_setattr",              GATE(CAP_SYS_ADMIN) },
        /* namespaces (clone, clone3 and unshare are handled below) */
        { "setns",                      GATE(CAP_SYS_ADMIN) },
        /* administration */
        { "swapon",                     GATE(CAP_SYS_ADMIN) },
        { "swapoff",                    GATE(CAP_SYS_ADMIN) },
        { "acct",                       GATE(CAP_SYS_PACCT) },
        { "quotactl",                   GATE(CAP_SYS_ADMIN) },
        { "quotactl_fd",                GATE(CAP_SYS_ADMIN) },
        { "lookup_dcookie",             GATE(CAP_SYS_ADMIN) },
        { "fanotify_init",              GATE(CAP_SYS_ADMIN) },
        { "nfsservctl",                 GATE(CAP_SYS_ADMIN) },
        { "syslog",                     GATE(CAP_SYSLOG) },
        { "vhangup",                    GATE(CAP_SYS_TTY_CONFIG) },
        { "iopl",                       GATE(CAP_SYS_RAWIO) },
        { "ioperm",                     GATE(CAP_SYS_RAWIO) },
        /* obsolete */
        { "uselib",                     0 },
        { "ustat",                      0 },
        { "sysfs",                      0 },
        { "_sysctl",                    0 },
        { "vm86",                       0 },
        { "vm86old",                    0 },
        /* other processes' memory */
        { "process_vm_readv",           GATE(CAP_SYS_PTRACE) },
        { "process_vm_writev",          GATE(CAP_SYS_PTRACE) },
        { "kcmp",                       GATE(CAP_SYS_PTRACE) },
        { "pidfd_getfd",                GATE(CAP_SYS_PTRACE) },
        { "process_madvise",            GATE(CAP_SYS_PTRACE) },
        /* NUMA policy affects other tenants */
        { "mbind",                      GATE(CAP_SYS_NICE) },
        { "set_mempolicy",              GATE(CAP_SYS_NICE) },
        { "move_pages",                 GATE(CAP_SYS_NICE) },
        { "set_mempolicy_home_node",    GATE(CAP_SYS_NICE) },
};

static int add_compat_architectures(scmp_filter_ctx ctx) {
        static const uint32_t arches[] = {
#if defined(__x86_64__)
                SCMP_ARCH_X86,
                SCMP_ARCH_X32,
#elif defined(__aarch64__)
                SCMP_ARCH_ARM,
#endif
                0,
        };

        for (size_t i = 0; arches[i] != 0; i++) {
                int r = seccomp_arch_add(ctx, arches[i]);
                if (r < 0 && r != -EEXIST)
                        return r;
        }
        return 0;
}

static int block_syscall(scmp_filter_ctx ctx, const char *name, int error, unsigned n_args,
                         const struct scmp_arg_cmp *args) {
        int nr, r;

        nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
                return 0;       /* unknown to this libseccomp: nothing to block */

        r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(error), nr, n_args, args);
        /* -EDOM etc.: the syscall does not exist on any of the filter's architectures. */
        if (r < 0 && r != -EDOM)
                return r;
        return 0;
}

static int block_personality(scmp_filter_ctx ctx) {
        /* Allowed: 0, PER_LINUX32, UNAME26, PER_LINUX32|UNAME26 and the query 0xffffffff. libseccomp cannot
         * compare one argument twice in a rule, so "not in that set" is expressed with rules of one masked
         * comparison each, ORed: bit 31 clear and any bit other than 3 and 17 set; or bit 31 set and any
         * other bit clear. */
        for (unsigned k = 0; k < 31; k++) {
                struct scmp_arg_cmp a;
                int r;

                if (k == 3 || k == 17)
                        continue;
                a = SCMP_A0_32(SCMP_CMP_MASKED_EQ, (UINT32_C(1) << k) | (UINT32_C(1) << 31), UINT32_C(1) << k);
                r = block_syscall(ctx, "personality", EPERM, 1, &a);
                if (r < 0)
                        return r;
        }
        for (unsigned m = 0; m < 31; m++) {
                struct scmp_arg_cmp a;
                int r;

                a = SCMP_A0_32(SCMP_CMP_MASKED_EQ, (UINT32_C(1) << m) | (UINT32_C(1) << 31), UINT32_C(1) << 31);
                r = block_syscall(ctx, "personality", EPERM, 1, &a);
                if (r < 0)
                        return r;
        }
        return 0;
}

int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (!ctx)
                return -ENOMEM;

        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, set_no_new_privs ? 1 : 0);
        if (r < 0)
                goto fail;

        /* Rules are added per architecture, so all of them must be there first. */
        r = add_compat_architectures(ctx);
        if (r < 0)
                goto fail;

        for (size_t i = 0; i < ELEMENTSOF(blocked_syscalls); i++) {
                if (capabilities & blocked_syscalls[i].unless_caps)
                        continue;
                r = block_syscall(ctx, blocked_syscalls[i].name, EPERM, 0, NULL);
                if (r < 0)
                        goto fail;
        }

        if (!(capabilities & CAP_MASK(CAP_SYS_ADMIN))) {
                struct scmp_arg_cmp newuser = SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);

                r = block_syscall(ctx, "unshare", EPERM, 1, &newuser);
                if (r < 0)
                        goto fail;
                /* clone's first argument is the flags on x86 and arm (s390 swaps the first two, but we do not
                 * build a filter for it). */
                r = block_syscall(ctx, "clone", EPERM, 1, &newuser);
                if (r < 0)
                        goto fail;
                /* clone3 passes its flags in memory a filter cannot read: pretend it does not exist, libc then
                 * falls back to clone. */
                r = block_syscall(ctx, "clone3", ENOSYS, 0, NULL);
                if (r < 0)
                        goto fail;
        }

        r = block_personality(ctx);
        if (r < 0)
                goto fail;

        *ret = ctx;
        return 0;

fail:
        seccomp_release(ctx);
        return r;
}

bool seccomp_profile_is_unconfined(const char *profile) {
        return profile && streq(profile, "unconfined");
}

int seccomp_apply_profile(const char *profile, uint64_t capabilities, bool set_no_new_privs) {
        scmp_filter_ctx ctx;
        int r;

        if (seccomp_profile_is_unconfined(profile))
                return 0;
        if (profile && !streq(profile, "default"))
                return -EOPNOTSUPP;

        r = seccomp_default_filter_new(capabilities, set_no_new_privs, &ctx);
        if (r < 0)
                return r;

        r = seccomp_load(ctx);
        seccomp_release(ctx);
        return r;
}
