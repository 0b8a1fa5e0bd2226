/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "caps-util.h"
#include "macro.h"
#include "seccomp-default.h"

/* The default filter's table; seccomp-util.h says what is allowed and why. */

#define ALWAYS UINT64_MAX       /* allowed whatever the capabilities, even none */
#define NEVER 0                 /* EPERM whatever the capabilities */
#define GATE(c) CAP_MASK(c)     /* allowed when the bounding set holds c, else EPERM */

typedef struct SyscallRule {
        const char *name;
        uint64_t allow_caps;
} SyscallRule;

static const SyscallRule syscall_rules[] = {
        /* Docker's unconditional allow list (moby profiles/seccomp/default.json), less adjtimex and
         * clock_adjtime (gated below, as ctr always did), name_to_handle_at (gated), io_uring (never, as
         * Docker since 25.0) and the unimplemented epoll_ctl_old/epoll_wait_old. Names an architecture lacks
         * are skipped there. */
        { "accept",                     ALWAYS },
        { "accept4",                    ALWAYS },
        { "access",                     ALWAYS },
        { "alarm",                      ALWAYS },
        { "bind",                       ALWAYS },
        { "brk",                        ALWAYS },
        { "capget",                     ALWAYS },
        { "capset",                     ALWAYS },
        { "chdir",                      ALWAYS },
        { "chmod",                      ALWAYS },
        { "chown",                      ALWAYS },
        { "chown32",                    ALWAYS },
        { "clock_getres",               ALWAYS },
        { "clock_getres_time64",        ALWAYS },
        { "clock_gettime",              ALWAYS },
        { "clock_gettime64",            ALWAYS },
        { "clock_nanosleep",            ALWAYS },
        { "clock_nanosleep_time64",     ALWAYS },
        { "close",                      ALWAYS },
        { "close_range",                ALWAYS },
        { "connect",                    ALWAYS },
        { "copy_file_range",            ALWAYS },
        { "creat",                      ALWAYS },
        { "dup",                        ALWAYS },
        { "dup2",                       ALWAYS },
        { "dup3",                       ALWAYS },
        { "epoll_create",               ALWAYS },
        { "epoll_create1",              ALWAYS },
        { "epoll_ctl",                  ALWAYS },
        { "epoll_pwait",                ALWAYS },
        { "epoll_pwait2",               ALWAYS },
        { "epoll_wait",                 ALWAYS },
        { "eventfd",                    ALWAYS },
        { "eventfd2",                   ALWAYS },
        { "execve",                     ALWAYS },
        { "execveat",                   ALWAYS },
        { "exit",                       ALWAYS },
        { "exit_group",                 ALWAYS },
        { "faccessat",                  ALWAYS },
        { "faccessat2",                 ALWAYS },
        { "fadvise64",                  ALWAYS },
        { "fadvise64_64",               ALWAYS },
        { "fallocate",                  ALWAYS },
        { "fanotify_mark",              ALWAYS },
        { "fchdir",                     ALWAYS },
        { "fchmod",                     ALWAYS },
        { "fchmodat",                   ALWAYS },
        { "fchown",                     ALWAYS },
        { "fchown32",                   ALWAYS },
        { "fchownat",                   ALWAYS },
        { "fcntl",                      ALWAYS },
        { "fcntl64",                    ALWAYS },
        { "fdatasync",                  ALWAYS },
        { "fgetxattr",                  ALWAYS },
        { "flistxattr",                 ALWAYS },
        { "flock",                      ALWAYS },
        { "fork",                       ALWAYS },
        { "fremovexattr",               ALWAYS },
        { "fsetxattr",                  ALWAYS },
        { "fstat",                      ALWAYS },
        { "fstat64",                    ALWAYS },
        { "fstatat64",                  ALWAYS },
        { "fstatfs",                    ALWAYS },
        { "fstatfs64",                  ALWAYS },
        { "fsync",                      ALWAYS },
        { "ftruncate",                  ALWAYS },
        { "ftruncate64",                ALWAYS },
        { "futex",                      ALWAYS },
        { "futex_time64",               ALWAYS },
        { "futex_waitv",                ALWAYS },
        { "futimesat",                  ALWAYS },
        { "getcpu",                     ALWAYS },
        { "getcwd",                     ALWAYS },
        { "getdents",                   ALWAYS },
        { "getdents64",                 ALWAYS },
        { "getegid",                    ALWAYS },
        { "getegid32",                  ALWAYS },
        { "geteuid",                    ALWAYS },
        { "geteuid32",                  ALWAYS },
        { "getgid",                     ALWAYS },
        { "getgid32",                   ALWAYS },
        { "getgroups",                  ALWAYS },
        { "getgroups32",                ALWAYS },
        { "getitimer",                  ALWAYS },
        { "getpeername",                ALWAYS },
        { "getpgid",                    ALWAYS },
        { "getpgrp",                    ALWAYS },
        { "getpid",                     ALWAYS },
        { "getppid",                    ALWAYS },
        { "getpriority",                ALWAYS },
        { "getrandom",                  ALWAYS },
        { "getresgid",                  ALWAYS },
        { "getresgid32",                ALWAYS },
        { "getresuid",                  ALWAYS },
        { "getresuid32",                ALWAYS },
        { "getrlimit",                  ALWAYS },
        { "get_robust_list",            ALWAYS },
        { "getrusage",                  ALWAYS },
        { "getsid",                     ALWAYS },
        { "getsockname",                ALWAYS },
        { "getsockopt",                 ALWAYS },
        { "get_thread_area",            ALWAYS },
        { "gettid",                     ALWAYS },
        { "gettimeofday",               ALWAYS },
        { "getuid",                     ALWAYS },
        { "getuid32",                   ALWAYS },
        { "getxattr",                   ALWAYS },
        { "inotify_add_watch",          ALWAYS },
        { "inotify_init",               ALWAYS },
        { "inotify_init1",              ALWAYS },
        { "inotify_rm_watch",           ALWAYS },
        { "io_cancel",                  ALWAYS },
        { "io_destroy",                 ALWAYS },
        { "io_getevents",               ALWAYS },
        { "io_pgetevents",              ALWAYS },
        { "io_pgetevents_time64",       ALWAYS },
        { "ioprio_get",                 ALWAYS },
        { "ioprio_set",                 ALWAYS },
        { "io_setup",                   ALWAYS },
        { "io_submit",                  ALWAYS },
        { "ipc",                        ALWAYS },       /* x86-32's SysV IPC multiplexer */
        { "kill",                       ALWAYS },
        { "landlock_add_rule",          ALWAYS },
        { "landlock_create_ruleset",    ALWAYS },
        { "landlock_restrict_self",     ALWAYS },
        { "lchown",                     ALWAYS },
        { "lchown32",                   ALWAYS },
        { "lgetxattr",                  ALWAYS },
        { "link",                       ALWAYS },
        { "linkat",                     ALWAYS },
        { "listen",                     ALWAYS },
        { "listxattr",                  ALWAYS },
        { "llistxattr",                 ALWAYS },
        { "_llseek",                    ALWAYS },
        { "lremovexattr",               ALWAYS },
        { "lseek",                      ALWAYS },
        { "lsetxattr",                  ALWAYS },
        { "lstat",                      ALWAYS },
        { "lstat64",                    ALWAYS },
        { "madvise",                    ALWAYS },
        { "membarrier",                 ALWAYS },
        { "memfd_create",               ALWAYS },
        { "memfd_secret",               ALWAYS },       /* mlock-like, memcg-accounted; off unless booted on */
        { "mincore",                    ALWAYS },
        { "mkdir",                      ALWAYS },
        { "mkdirat",                    ALWAYS },
        { "mknod",                      ALWAYS },       /* CAP_MKNOD and the device policy decide */
        { "mknodat",                    ALWAYS },
        { "mlock",                      ALWAYS },
        { "mlock2",                     ALWAYS },
        { "mlockall",                   ALWAYS },
        { "mmap",                       ALWAYS },
        { "mmap2",                      ALWAYS },
        { "mprotect",                   ALWAYS },
        { "mq_getsetattr",              ALWAYS },
        { "mq_notify",                  ALWAYS },
        { "mq_open",                    ALWAYS },
        { "mq_timedreceive",            ALWAYS },
        { "mq_timedreceive_time64",     ALWAYS },
        { "mq_timedsend",               ALWAYS },
        { "mq_timedsend_time64",        ALWAYS },
        { "mq_unlink",                  ALWAYS },
        { "mremap",                     ALWAYS },
        { "msgctl",                     ALWAYS },
        { "msgget",                     ALWAYS },
        { "msgrcv",                     ALWAYS },
        { "msgsnd",                     ALWAYS },
        { "msync",                      ALWAYS },
        { "munlock",                    ALWAYS },
        { "munlockall",                 ALWAYS },
        { "munmap",                     ALWAYS },
        { "nanosleep",                  ALWAYS },
        { "newfstatat",                 ALWAYS },
        { "_newselect",                 ALWAYS },
        { "open",                       ALWAYS },
        { "openat",                     ALWAYS },
        { "openat2",                    ALWAYS },
        { "pause",                      ALWAYS },
        { "pidfd_open",                 ALWAYS },
        { "pidfd_send_signal",          ALWAYS },
        { "pipe",                       ALWAYS },
        { "pipe2",                      ALWAYS },
        { "pkey_alloc",                 ALWAYS },
        { "pkey_free",                  ALWAYS },
        { "pkey_mprotect",              ALWAYS },
        { "poll",                       ALWAYS },
        { "ppoll",                      ALWAYS },
        { "ppoll_time64",               ALWAYS },
        { "prctl",                      ALWAYS },
        { "pread64",                    ALWAYS },
        { "preadv",                     ALWAYS },
        { "preadv2",                    ALWAYS },
        { "prlimit64",                  ALWAYS },
        { "process_mrelease",           ALWAYS },       /* only a dying process, through a pidfd */
        { "pselect6",                   ALWAYS },
        { "pselect6_time64",            ALWAYS },
        { "pwrite64",                   ALWAYS },
        { "pwritev",                    ALWAYS },
        { "pwritev2",                   ALWAYS },
        { "read",                       ALWAYS },
        { "readahead",                  ALWAYS },
        { "readlink",                   ALWAYS },
        { "readlinkat",                 ALWAYS },
        { "readv",                      ALWAYS },
        { "recv",                       ALWAYS },
        { "recvfrom",                   ALWAYS },
        { "recvmmsg",                   ALWAYS },
        { "recvmmsg_time64",            ALWAYS },
        { "recvmsg",                    ALWAYS },
        { "remap_file_pages",           ALWAYS },
        { "removexattr",                ALWAYS },
        { "rename",                     ALWAYS },
        { "renameat",                   ALWAYS },
        { "renameat2",                  ALWAYS },
        { "restart_syscall",            ALWAYS },
        { "rmdir",                      ALWAYS },
        { "rseq",                       ALWAYS },
        { "rt_sigaction",               ALWAYS },
        { "rt_sigpending",              ALWAYS },
        { "rt_sigprocmask",             ALWAYS },
        { "rt_sigqueueinfo",            ALWAYS },
        { "rt_sigreturn",               ALWAYS },
        { "rt_sigsuspend",              ALWAYS },
        { "rt_sigtimedwait",            ALWAYS },
        { "rt_sigtimedwait_time64",     ALWAYS },
        { "rt_tgsigqueueinfo",          ALWAYS },
        { "sched_getaffinity",          ALWAYS },
        { "sched_getattr",              ALWAYS },
        { "sched_getparam",             ALWAYS },
        { "sched_get_priority_max",     ALWAYS },
        { "sched_get_priority_min",     ALWAYS },
        { "sched_getscheduler",         ALWAYS },
        { "sched_rr_get_interval",      ALWAYS },
        { "sched_rr_get_interval_time64", ALWAYS },
        { "sched_setaffinity",          ALWAYS },
        { "sched_setattr",              ALWAYS },
        { "sched_setparam",             ALWAYS },
        { "sched_setscheduler",         ALWAYS },
        { "sched_yield",                ALWAYS },
        { "seccomp",                    ALWAYS },       /* a filter can only narrow what this one allows */
        { "select",                     ALWAYS },
        { "semctl",                     ALWAYS },
        { "semget",                     ALWAYS },
        { "semop",                      ALWAYS },
        { "semtimedop",                 ALWAYS },
        { "semtimedop_time64",          ALWAYS },
        { "send",                       ALWAYS },
        { "sendfile",                   ALWAYS },
        { "sendfile64",                 ALWAYS },
        { "sendmmsg",                   ALWAYS },
        { "sendmsg",                    ALWAYS },
        { "sendto",                     ALWAYS },
        { "setfsgid",                   ALWAYS },
        { "setfsgid32",                 ALWAYS },
        { "setfsuid",                   ALWAYS },
        { "setfsuid32",                 ALWAYS },
        { "setgid",                     ALWAYS },
        { "setgid32",                   ALWAYS },
        { "setgroups",                  ALWAYS },
        { "setgroups32",                ALWAYS },
        { "setitimer",                  ALWAYS },
        { "setpgid",                    ALWAYS },
        { "setpriority",                ALWAYS },
        { "setregid",                   ALWAYS },
        { "setregid32",                 ALWAYS },
        { "setresgid",                  ALWAYS },
        { "setresgid32",                ALWAYS },
        { "setresuid",                  ALWAYS },
        { "setresuid32",                ALWAYS },
        { "setreuid",                   ALWAYS },
        { "setreuid32",                 ALWAYS },
        { "setrlimit",                  ALWAYS },
        { "set_robust_list",            ALWAYS },
        { "setsid",                     ALWAYS },
        { "setsockopt",                 ALWAYS },
        { "set_thread_area",            ALWAYS },
        { "set_tid_address",            ALWAYS },
        { "setuid",                     ALWAYS },
        { "setuid32",                   ALWAYS },
        { "setxattr",                   ALWAYS },
        { "shmat",                      ALWAYS },
        { "shmctl",                     ALWAYS },
        { "shmdt",                      ALWAYS },
        { "shmget",                     ALWAYS },
        { "shutdown",                   ALWAYS },
        { "sigaltstack",                ALWAYS },
        { "signalfd",                   ALWAYS },
        { "signalfd4",                  ALWAYS },
        { "sigprocmask",                ALWAYS },
        { "sigreturn",                  ALWAYS },
        /* x86-32's socket multiplexer: its arguments are in memory, out of a filter's reach, so on that
         * entry socket(AF_VSOCK) through it is not caught (libseccomp ties socketcall(SYS_SOCKET) to the
         * socket rules below); 32-bit glibc creates every socket through it */
        { "socketcall",                 ALWAYS },
        { "socketpair",                 ALWAYS },
        { "splice",                     ALWAYS },
        { "stat",                       ALWAYS },
        { "stat64",                     ALWAYS },
        { "statfs",                     ALWAYS },
        { "statfs64",                   ALWAYS },
        { "statx",                      ALWAYS },
        { "symlink",                    ALWAYS },
        { "symlinkat",                  ALWAYS },
        { "sync",                       ALWAYS },
        { "sync_file_range",            ALWAYS },
        { "syncfs",                     ALWAYS },
        { "sysinfo",                    ALWAYS },
        { "tee",                        ALWAYS },
        { "tgkill",                     ALWAYS },
        { "time",                       ALWAYS },
        { "timer_create",               ALWAYS },
        { "timer_delete",               ALWAYS },
        { "timer_getoverrun",           ALWAYS },
        { "timer_gettime",              ALWAYS },
        { "timer_gettime64",            ALWAYS },
        { "timer_settime",              ALWAYS },
        { "timer_settime64",            ALWAYS },
        { "timerfd_create",             ALWAYS },
        { "timerfd_gettime",            ALWAYS },
        { "timerfd_gettime64",          ALWAYS },
        { "timerfd_settime",            ALWAYS },
        { "timerfd_settime64",          ALWAYS },
        { "times",                      ALWAYS },
        { "tkill",                      ALWAYS },
        { "truncate",                   ALWAYS },
        { "truncate64",                 ALWAYS },
        { "ugetrlimit",                 ALWAYS },
        { "umask",                      ALWAYS },
        { "uname",                      ALWAYS },
        { "unlink",                     ALWAYS },
        { "unlinkat",                   ALWAYS },
        { "utime",                      ALWAYS },
        { "utimensat",                  ALWAYS },
        { "utimensat_time64",           ALWAYS },
        { "utimes",                     ALWAYS },
        { "vfork",                      ALWAYS },
        { "vmsplice",                   ALWAYS },
        { "wait4",                      ALWAYS },
        { "waitid",                     ALWAYS },
        { "waitpid",                    ALWAYS },
        { "write",                      ALWAYS },
        { "writev",                     ALWAYS },
        /* architecture-specific, as in Docker's profile */
        { "arch_prctl",                 ALWAYS },
        { "modify_ldt",                 ALWAYS },
        { "arm_fadvise64_64",           ALWAYS },
        { "arm_sync_file_range",        ALWAYS },
        { "sync_file_range2",           ALWAYS },
        { "breakpoint",                 ALWAYS },
        { "cacheflush",                 ALWAYS },
        { "set_tls",                    ALWAYS },
        /* allowed by ctr where Docker gates or lacks them: ptrace is confined by the PID namespace and
         * no_new_privs (safe since Linux 4.8, Docker allows it there too); sethostname/setdomainname are
         * checked by the kernel against the container's UTS namespace; get_mempolicy only reads */
        { "ptrace",                     ALWAYS },
        { "sethostname",                ALWAYS },
        { "setdomainname",              ALWAYS },
        { "get_mempolicy",              ALWAYS },
        /* newer than Docker's list, known to libseccomp 2.5.4, as harmless as their older forms:
         * fchmodat2 (glibc 2.39's lchmod), cachestat (mincore for files), map_shadow_stack (glibc's CET
         * threads), the futex2 calls */
        { "fchmodat2",                  ALWAYS },
        { "cachestat",                  ALWAYS },
        { "map_shadow_stack",           ALWAYS },
        { "futex_wake",                 ALWAYS },
        { "futex_wait",                 ALWAYS },
        { "futex_requeue",              ALWAYS },

        /* Known and refused with EPERM unless the capability is in the bounding set */
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
        { "add_key",                    NEVER },
        { "request_key",                NEVER },
        { "keyctl",                     NEVER },
        /* kernel attack surface */
        { "bpf",                        GATE(CAP_SYS_ADMIN) | GATE(CAP_BPF) },
        { "perf_event_open",            GATE(CAP_SYS_ADMIN) | GATE(CAP_PERFMON) },
        { "userfaultfd",                NEVER },
        { "io_uring_setup",             NEVER },
        { "io_uring_enter",             NEVER },
        { "io_uring_register",          NEVER },
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
        { "chroot",                     GATE(CAP_SYS_CHROOT) },
        /* namespaces (clone, clone3 and unshare have rules of their own) */
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
        { "uselib",                     NEVER },
        { "ustat",                      NEVER },
        { "sysfs",                      NEVER },
        { "_sysctl",                    NEVER },
        { "vm86",                       NEVER },
        { "vm86old",                    NEVER },
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
        { "migrate_pages",              GATE(CAP_SYS_NICE) },
        { "set_mempolicy_home_node",    GATE(CAP_SYS_NICE) },
};

/* The syscalls with argument rules below; a profile cannot name them (see seccomp_default_inspects()). */
static const char *const argument_rule_syscalls[] = {
        "ioctl", "socket", "personality", "clone", "clone3", "unshare",
};

static bool rule_allows(const SyscallRule *rule, uint64_t capabilities) {
        return rule->allow_caps == ALWAYS || (capabilities & rule->allow_caps) != 0;
}

static int resolve(const char *name) {
        return seccomp_syscall_resolve_name(name);
}

static bool in_list(int nr, const int *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (list[i] == nr)
                        return true;
        return false;
}

/* One rule. A rule with the filter's default action is left out (libseccomp refuses it, and it would change
 * nothing); a name this libseccomp does not know, or no architecture of the filter has, is skipped. */
static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n_args, const struct scmp_arg_cmp *args) {
        uint32_t default_action;
        int r;

        if (nr == __NR_SCMP_ERROR)
                return 0;
        r = seccomp_attr_get(ctx, SCMP_FLTATR_ACT_DEFAULT, &default_action);
        if (r < 0)
                return r;
        if (action == default_action)
                return 0;

        r = seccomp_rule_add_array(ctx, action, nr, n_args, args);
        if (r < 0 && r != -EDOM)
                return r;
        return 0;
}

/* A masked comparison of the low 32 bits of argument |arg|: the high half of the register is ignored, as the
 * kernel ignores it for an int argument (ioctl's cmd, socket's domain, personality's persona). */
static struct scmp_arg_cmp arg_masked_eq32(unsigned arg, uint32_t mask, uint32_t value) {
        return (struct scmp_arg_cmp) {
                .arg = arg,
                .op = SCMP_CMP_MASKED_EQ,
                .datum_a = mask,
                .datum_b = value & mask,
        };
}

/* |action_out| for every 32-bit value whose top |bits| bits are |prefix|, but |values| (sorted, all under
 * that prefix). A filter cannot say "none of these" in one rule, and an unconditional rule would shadow the
 * conditional ones for the same syscall (libseccomp keeps only the unconditional one), so the complement is
 * covered by aligned blocks: every prefix no value shares becomes one masked comparison — about 32 rules per
 * value, fewer where values share a prefix. */
static int add_complement(scmp_filter_ctx ctx, int nr, unsigned arg, const uint32_t *values, size_t n,
                          uint32_t prefix, unsigned bits, uint32_t action_out) {
        uint32_t mask = bits == 0 ? 0 : UINT32_MAX << (32 - bits), bit;
        size_t split;
        int r;

        if (n == 0) {
                struct scmp_arg_cmp a = arg_masked_eq32(arg, mask, prefix);

                return add_rule(ctx, action_out, nr, 1, &a);
        }
        if (bits == 32)
                return 0;       /* the value itself */

        bit = UINT32_C(1) << (31 - bits);
        for (split = 0; split < n && !(values[split] & bit); split++)
                ;
        r = add_complement(ctx, nr, arg, values, split, prefix, bits + 1, action_out);
        if (r < 0)
                return r;
        return add_complement(ctx, nr, arg, values + split, n - split, prefix | bit, bits + 1, action_out);
}

/* |action_in| when the low 32 bits of argument |arg| are one of |values| (sorted, distinct), |action_out|
 * otherwise. */
static int add_value_rules(scmp_filter_ctx ctx, const char *name, unsigned arg, const uint32_t *values,
                           size_t n, uint32_t action_in, uint32_t action_out) {
        int nr = resolve(name), r;

        for (size_t i = 0; i < n; i++) {
                struct scmp_arg_cmp a = arg_masked_eq32(arg, UINT32_MAX, values[i]);

                r = add_rule(ctx, action_in, nr, 1, &a);
                if (r < 0)
                        return r;
        }
        return add_complement(ctx, nr, arg, values, n, 0, 0, action_out);
}

/* Argument 0 holding |flag|: |action_set|; without it: allowed. */
static int add_flag_rules(scmp_filter_ctx ctx, const char *name, uint64_t flag, uint32_t action_set) {
        struct scmp_arg_cmp clear = SCMP_A0_64(SCMP_CMP_MASKED_EQ, flag, 0),
                            set = SCMP_A0_64(SCMP_CMP_MASKED_EQ, flag, flag);
        int nr = resolve(name), r;

        r = add_rule(ctx, SCMP_ACT_ALLOW, nr, 1, &clear);
        if (r < 0)
                return r;
        return add_rule(ctx, action_set, nr, 1, &set);
}

static int add_argument_rules(scmp_filter_ctx ctx, uint64_t capabilities, bool socket_multiplexed) {
        /* Terminal injection: TIOCSTI pushes input into the terminal's queue, which the caller's shell reads
         * once the container exits; TIOCLINUX's selection paste does the same on a virtual console. */
        static const uint32_t tty_injection[] = { TIOCSTI, TIOCLINUX };
        /* 0, PER_LINUX32, UNAME26, PER_LINUX32|UNAME26 and the query 0xffffffff, as in Docker's profile */
        static const uint32_t personas[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };
        static const uint32_t vsock[] = { AF_VSOCK };
        int r;

        _Static_assert(TIOCSTI < TIOCLINUX, "values must be sorted");
        r = add_value_rules(ctx, "ioctl", 1, tty_injection, ELEMENTSOF(tty_injection), SCMP_ACT_ERRNO(EPERM),
                            SCMP_ACT_ALLOW);
        if (r < 0)
                return r;

        r = add_value_rules(ctx, "personality", 0, personas, ELEMENTSOF(personas), SCMP_ACT_ALLOW,
                            SCMP_ACT_ERRNO(EPERM));
        if (r < 0)
                return r;

        /* AF_VSOCK reaches the hypervisor's and the host's vsock services, and is not network-namespaced.
         * Where libseccomp mirrors socket rules onto socketcall(SYS_SOCKET) (x86-32), it cannot compare the
         * domain there and an EAFNOSUPPORT rule would clash with the allowing one: that filter only leaves
         * AF_VSOCK out of the allowed domains (the default errno for the direct call). */
        if (socket_multiplexed)
                r = add_complement(ctx, resolve("socket"), 0, vsock, ELEMENTSOF(vsock), 0, 0, SCMP_ACT_ALLOW);
        else
                r = add_value_rules(ctx, "socket", 0, vsock, ELEMENTSOF(vsock), SCMP_ACT_ERRNO(EAFNOSUPPORT),
                                    SCMP_ACT_ALLOW);
        if (r < 0)
                return r;

        if (capabilities & CAP_MASK(CAP_SYS_ADMIN)) {
                r = add_rule(ctx, SCMP_ACT_ALLOW, resolve("clone"), 0, NULL);
                if (r >= 0)
                        r = add_rule(ctx, SCMP_ACT_ALLOW, resolve("clone3"), 0, NULL);
                if (r >= 0)
                        r = add_rule(ctx, SCMP_ACT_ALLOW, resolve("unshare"), 0, NULL);
                return r;
        }

        /* A user namespace gives its creator every capability inside it, and with them the kernel's
         * namespaced attack surface. clone's first argument is the flags on x86 and arm (s390 swaps the first
         * two, but we do not build a filter for it). */
        r = add_flag_rules(ctx, "unshare", CLONE_NEWUSER, SCMP_ACT_ERRNO(EPERM));
        if (r < 0)
                return r;
        r = add_flag_rules(ctx, "clone", CLONE_NEWUSER, SCMP_ACT_ERRNO(EPERM));
        if (r < 0)
                return r;
        /* clone3 passes its flags in memory a filter cannot read: pretend it does not exist, libc then falls
         * back to clone. */
        return add_rule(ctx, SCMP_ACT_ERRNO(ENOSYS), resolve("clone3"), 0, NULL);
}

static int add_default_rules(scmp_filter_ctx ctx, uint64_t capabilities, const int *keep_out, size_t n_keep_out,
                             bool socket_multiplexed) {
        int r;

        for (size_t i = 0; i < ELEMENTSOF(syscall_rules); i++) {
                int nr = resolve(syscall_rules[i].name);

                /* a custom profile's rule replaces this one */
                if (in_list(nr, keep_out, n_keep_out))
                        continue;
                r = add_rule(ctx, rule_allows(&syscall_rules[i], capabilities) ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM),
                             nr, 0, NULL);
                if (r < 0)
                        return r;
        }

        return add_argument_rules(ctx, capabilities, socket_multiplexed);
}

/* The native architecture and its compat ones, so that "int 0x80" cannot bypass the filter; another
 * architecture is killed. x86-32 is built apart and merged in, because libseccomp mirrors its socket rules
 * onto socketcall. */
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

/* An empty filter with |default_action|, optimised, over the native architecture (when |native|) and
 * |arches| (0-terminated). */
static int filter_new_arches(uint32_t default_action, bool set_no_new_privs, bool native,
                             const uint32_t *const *arches, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        ctx = seccomp_init(default_action);
        if (!ctx)
                return -ENOMEM;

        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, set_no_new_privs ? 1 : 0);
        if (r < 0)
                goto fail;

        /* No rollback copy of the whole filter before each of its ~1000 rules (a failed rule fails the
         * filter anyway): a third of the build time. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_API_TSKIP, 1);
        if (r < 0)
                goto fail;

        /* A binary tree over syscall numbers instead of a list: every syscall of the workload, and the kernel
         * building its per-syscall action cache at load time, walk a few comparisons instead of ~400. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                goto fail;

        /* Rules are added per architecture, so all of them must be there first. */
        for (size_t k = 0; arches[k]; k++)
                for (size_t i = 0; arches[k][i] != 0; i++) {
                        r = seccomp_arch_add(ctx, arches[k][i]);
                        if (r < 0 && r != -EEXIST)
                                goto fail;
                }
        if (!native) {
                r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
                if (r < 0)
                        goto fail;
        }

        *ret = ctx;
        return 0;

fail:
        seccomp_release(ctx);
        return r;
}

int seccomp_filter_new(uint32_t default_action, bool set_no_new_privs, scmp_filter_ctx *ret) {
        const uint32_t *const all[] = { arches_compat, arches_multiplexed, NULL };

        return filter_new_arches(default_action, set_no_new_privs, true, all, ret);
}

int seccomp_default_filter_build(uint32_t default_action, bool set_no_new_privs, uint64_t capabilities,
                                 const int *keep_out, size_t n_keep_out, scmp_filter_ctx *ret) {
        const uint32_t *const direct[] = { arches_compat, NULL };
        const uint32_t *const multiplexed_only[] = { arches_multiplexed, NULL };
        scmp_filter_ctx ctx, multiplexed = NULL;
        int r;

        r = filter_new_arches(default_action, set_no_new_privs, true, direct, &ctx);
        if (r < 0)
                return r;
        r = add_default_rules(ctx, capabilities, keep_out, n_keep_out, false);
        if (r < 0)
                goto fail;

        if (arches_multiplexed[0] != 0) {
                r = filter_new_arches(default_action, set_no_new_privs, false, multiplexed_only, &multiplexed);
                if (r < 0)
                        goto fail;
                r = add_default_rules(multiplexed, capabilities, keep_out, n_keep_out, true);
                if (r < 0)
                        goto fail;
                /* takes |multiplexed| over on success */
                r = seccomp_merge(ctx, multiplexed);
                if (r < 0)
                        goto fail;
                multiplexed = NULL;
        }

        *ret = ctx;
        return 0;

fail:
        if (multiplexed)
                seccomp_release(multiplexed);
        seccomp_release(ctx);
        return r;
}

bool seccomp_default_inspects(int nr) {
        for (size_t i = 0; i < ELEMENTSOF(argument_rule_syscalls); i++)
                if (nr == resolve(argument_rule_syscalls[i]))
                        return true;
        return false;
}

/* FNV-1a, 64 bit: enough to tell cache entries apart; the cache is root's and not a trust boundary. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n) {
        const unsigned char *p = data;

        for (size_t i = 0; i < n; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return h;
}

uint64_t seccomp_default_filter_key(uint64_t capabilities) {
        /* the rules outside the table are fixed; bump this when changing them or the default action */
        static const char fixed[] = "allow-list-2 enosys ioctl-tiocsti-tioclinux socket-vsock personality "
                                    "clone-unshare-clone3 x86-merged";
        const struct scmp_version *v = seccomp_version();
        unsigned api = seccomp_api_get();
        uint32_t native = seccomp_arch_native();
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < ELEMENTSOF(syscall_rules); i++) {
                h = fnv1a(h, syscall_rules[i].name, strlen(syscall_rules[i].name) + 1);
                h = fnv1a(h, &syscall_rules[i].allow_caps, sizeof(syscall_rules[i].allow_caps));
        }
        h = fnv1a(h, fixed, sizeof(fixed));
        h = fnv1a(h, &capabilities, sizeof(capabilities));
        h = fnv1a(h, &native, sizeof(native));
        h = fnv1a(h, &api, sizeof(api));
        if (v) {
                h = fnv1a(h, &v->major, sizeof(v->major));
                h = fnv1a(h, &v->minor, sizeof(v->minor));
                h = fnv1a(h, &v->micro, sizeof(v->micro));
        }
        return h;
}
