/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "caps-util.h"
#include "fileio.h"
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

/* An empty filter with |default_action|, all architectures, optimised. */
static int filter_new(uint32_t default_action, bool set_no_new_privs, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        ctx = seccomp_init(default_action);
        if (!ctx)
                return -ENOMEM;

        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, set_no_new_privs ? 1 : 0);
        if (r < 0)
                goto fail;

        /* A binary tree over syscall numbers instead of a list: every syscall of the workload, and the kernel
         * building its per-syscall action cache at load time, walk a few comparisons instead of ~70. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
        if (r < 0)
                goto fail;

        /* Rules are added per architecture, so all of them must be there first. */
        r = add_compat_architectures(ctx);
        if (r < 0)
                goto fail;

        *ret = ctx;
        return 0;

fail:
        seccomp_release(ctx);
        return r;
}

static int add_default_rules(scmp_filter_ctx ctx, uint64_t capabilities) {
        int r;

        for (size_t i = 0; i < ELEMENTSOF(blocked_syscalls); i++) {
                if (capabilities & blocked_syscalls[i].unless_caps)
                        continue;
                r = block_syscall(ctx, blocked_syscalls[i].name, EPERM, 0, NULL);
                if (r < 0)
                        return r;
        }

        if (!(capabilities & CAP_MASK(CAP_SYS_ADMIN))) {
                struct scmp_arg_cmp newuser = SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);

                r = block_syscall(ctx, "unshare", EPERM, 1, &newuser);
                if (r < 0)
                        return r;
                /* clone's first argument is the flags on x86 and arm (s390 swaps the first two, but we do not
                 * build a filter for it). */
                r = block_syscall(ctx, "clone", EPERM, 1, &newuser);
                if (r < 0)
                        return r;
                /* clone3 passes its flags in memory a filter cannot read: pretend it does not exist, libc then
                 * falls back to clone. */
                r = block_syscall(ctx, "clone3", ENOSYS, 0, NULL);
                if (r < 0)
                        return r;
        }

        return block_personality(ctx);
}

int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        r = filter_new(SCMP_ACT_ALLOW, set_no_new_privs, &ctx);
        if (r < 0)
                return r;

        r = add_default_rules(ctx, capabilities);
        if (r < 0) {
                seccomp_release(ctx);
                return r;
        }

        *ret = ctx;
        return 0;
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

void seccomp_program_done(SeccompProgram *p) {
        if (!p)
                return;
        p->insns = mfree(p->insns);
        p->n_insns = 0;
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

static uint64_t filter_key(uint64_t capabilities) {
        const struct scmp_version *v = seccomp_version();
        unsigned api = seccomp_api_get();
        uint32_t native = seccomp_arch_native();
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < ELEMENTSOF(blocked_syscalls); i++) {
                h = fnv1a(h, blocked_syscalls[i].name, strlen(blocked_syscalls[i].name) + 1);
                h = fnv1a(h, &blocked_syscalls[i].unless_caps, sizeof(blocked_syscalls[i].unless_caps));
        }
        /* the rules outside the table are fixed; bump this when changing them */
        h = fnv1a(h, "clone-unshare-clone3-personality-1", 35);
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

static int program_from_fd(int fd, SeccompProgram *ret) {
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct stat st;
        size_t size;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if (st.st_size <= 0 || st.st_size % (off_t) sizeof(struct sock_filter) != 0 ||
            st.st_size > (off_t) (BPF_MAXINSNS * sizeof(struct sock_filter)))
                return -EBADMSG;

        size = (size_t) st.st_size;
        insns = malloc(size);
        if (!insns)
                return -ENOMEM;

        for (size_t done = 0; done < size;) {
                ssize_t k = pread(fd, (char *) insns + done, size - done, (off_t) done);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return -EBADMSG;
                done += (size_t) k;
        }

        ret->insns = TAKE_PTR(insns);
        ret->n_insns = size / sizeof(struct sock_filter);
        return 0;
}

/* Compiles |ctx| to BPF and releases it. */
static int program_from_filter(scmp_filter_ctx ctx, SeccompProgram *ret) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        /* libseccomp 2.5 exports only to an fd */
        fd = memfd_create("ctr-seccomp", MFD_CLOEXEC);
        if (fd < 0) {
                r = negative_errno();
                seccomp_release(ctx);
                return r;
        }
        r = seccomp_export_bpf(ctx, fd);
        seccomp_release(ctx);
        if (r < 0)
                return r;

        return program_from_fd(fd, ret);
}

static int program_build(uint64_t capabilities, SeccompProgram *ret) {
        scmp_filter_ctx ctx;
        int r;

        r = seccomp_default_filter_new(capabilities, true, &ctx);
        if (r < 0)
                return r;

        return program_from_filter(ctx, ret);
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

        return program_from_fd(fd, ret);
}

static int cache_write(const char *dir, const char *path, const SeccompProgram *p) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *tmp = NULL;
        size_t size = p->n_insns * sizeof(struct sock_filter);
        ssize_t k;

        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return negative_errno();

        if (asprintf(&tmp, "%s/.tmp-%d", dir, (int) getpid()) < 0)
                return -ENOMEM;

        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();

        k = write(fd, p->insns, size);
        if (k < 0 || (size_t) k != size) {
                int r = k < 0 ? negative_errno() : -EIO;
                (void) unlink(tmp);
                return r;
        }
        if (rename(tmp, path) < 0) {
                int r = negative_errno();
                (void) unlink(tmp);
                return r;
        }
        return 0;
}

int seccomp_default_program(uint64_t capabilities, const char *cache_dir, SeccompProgram *ret) {
        _cleanup_free_ char *path = NULL;
        SeccompProgram p = {};
        int r;

        if (cache_dir) {
                if (asprintf(&path, "%s/default-%016" PRIx64 ".bpf", cache_dir, filter_key(capabilities)) < 0)
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

/* Custom profiles */

/* Whether the built-in filter has a rule for syscall |nr| given |capabilities|. */
static bool default_filter_names(int nr, uint64_t capabilities) {
        static const char *const fixed[] = { "unshare", "clone", "clone3" };

        if (nr == seccomp_syscall_resolve_name("personality"))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(blocked_syscalls); i++)
                if (!(capabilities & blocked_syscalls[i].unless_caps) &&
                    nr == seccomp_syscall_resolve_name(blocked_syscalls[i].name))
                        return true;
        if (!(capabilities & CAP_MASK(CAP_SYS_ADMIN)))
                for (size_t i = 0; i < ELEMENTSOF(fixed); i++)
                        if (nr == seccomp_syscall_resolve_name(fixed[i]))
                                return true;
        return false;
}

/* "errno:EPERM" with prefix "errno" → "EPERM" */
static const char *strprefix_colon(const char *s, const char *prefix) {
        size_t n = strlen(prefix);

        return strncmp(s, prefix, n) == 0 && s[n] == ':' ? s + n + 1 : NULL;
}

static int parse_errno(const char *s) {
        static const struct {
                const char *name;
                int value;
        } table[] = {
                { "EPERM", EPERM }, { "ENOSYS", ENOSYS }, { "EACCES", EACCES }, { "EINVAL", EINVAL },
                { "ENOENT", ENOENT }, { "EOPNOTSUPP", EOPNOTSUPP }, { "ENOTSUP", ENOTSUP },
                { "EAFNOSUPPORT", EAFNOSUPPORT }, { "EPROTONOSUPPORT", EPROTONOSUPPORT },
        };
        unsigned v = 0;

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (streq(s, table[i].name))
                        return table[i].value;

        if (*s == '\0' || strlen(s) > 4)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned) (*p - '0');
        }
        if (v == 0 || v > 4095)
                return -EINVAL;
        return (int) v;
}

/* "allow", "errno", "errno:NAME", "errno:NUMBER", "kill", "log" */
static int parse_action(const char *s, uint32_t *ret) {
        const char *e;
        int r;

        if (streq(s, "allow"))
                *ret = SCMP_ACT_ALLOW;
        else if (streq(s, "kill"))
                *ret = SCMP_ACT_KILL_PROCESS;
        else if (streq(s, "log"))
                *ret = SCMP_ACT_LOG;
        else if (streq(s, "errno"))
                *ret = SCMP_ACT_ERRNO(EPERM);
        else if ((e = strprefix_colon(s, "errno"))) {
                r = parse_errno(e);
                if (r < 0)
                        return r;
                *ret = SCMP_ACT_ERRNO((uint32_t) r);
        } else
                return -EINVAL;
        return 0;
}

int seccomp_profile_parse(const char *contents, uint64_t capabilities, scmp_filter_ctx *ret,
                          unsigned *ret_line) {
        scmp_filter_ctx ctx = NULL;
        uint32_t default_action = SCMP_ACT_ALLOW;
        bool have_default = false, have_rules = false, include_default = false;
        unsigned line_no = 0, n_rules = 0;
        const char *p = contents;
        struct {
                int nr;
                uint32_t action;
        } *seen = NULL;
        size_t n_seen = 0;
        int r;

        seen = calloc(SECCOMP_PROFILE_RULES_MAX, sizeof(*seen));
        if (!seen)
                return -ENOMEM;

        /* Two passes: the default action must be known before the filter exists. */
        for (int pass = 0; pass < 2; pass++) {
                p = contents;
                line_no = 0;

                if (pass == 1) {
                        r = filter_new(default_action, true, &ctx);
                        if (r < 0) {
                                ctx = NULL;
                                goto fail;
                        }
                        if (include_default) {
                                r = add_default_rules(ctx, capabilities);
                                if (r < 0)
                                        goto fail;
                        }
                }

                while (*p) {
                        char line[SECCOMP_PROFILE_LINE_MAX + 1], *word, *save = NULL;
                        const char *e = strchrnul(p, '\n');
                        size_t len = (size_t) (e - p);
                        uint32_t action;

                        line_no++;
                        if (len > SECCOMP_PROFILE_LINE_MAX) {
                                r = -E2BIG;
                                goto fail;
                        }
                        memcpy(line, p, len);
                        line[len] = '\0';
                        p = *e ? e + 1 : e;

                        word = strtok_r(line, " \t\r", &save);
                        if (!word || word[0] == '#')
                                continue;

                        if (streq(word, "default")) {
                                const char *a = strtok_r(NULL, " \t\r", &save);

                                if (pass == 1)
                                        continue;
                                if (have_default || have_rules || !a || strtok_r(NULL, " \t\r", &save) ||
                                    parse_action(a, &default_action) < 0) {
                                        r = -EBADMSG;
                                        goto fail;
                                }
                                have_default = true;
                                continue;
                        }

                        if (streq(word, "include")) {
                                const char *a = strtok_r(NULL, " \t\r", &save);

                                if (pass == 1)
                                        continue;
                                /* the built-in rules deny on an allowing default */
                                if (!a || !streq(a, "default") || strtok_r(NULL, " \t\r", &save) ||
                                    default_action != SCMP_ACT_ALLOW || include_default) {
                                        r = -EBADMSG;
                                        goto fail;
                                }
                                include_default = true;
                                have_rules = true;
                                continue;
                        }

                        if (parse_action(word, &action) < 0) {
                                r = -EBADMSG;
                                goto fail;
                        }
                        have_rules = true;

                        bool any = false;
                        for (char *name = strtok_r(NULL, " \t\r", &save); name;
                             name = strtok_r(NULL, " \t\r", &save)) {
                                int nr;

                                any = true;
                                if (pass == 0 && ++n_rules > SECCOMP_PROFILE_RULES_MAX) {
                                        r = -E2BIG;
                                        goto fail;
                                }
                                nr = seccomp_syscall_resolve_name(name);
                                if (nr == __NR_SCMP_ERROR) {
                                        r = -ENOENT;    /* an unknown name must not silently allow it */
                                        goto fail;
                                }
                                if (pass == 0) {
                                        /* libseccomp quietly keeps one of two actions for a syscall */
                                        bool dup = false;

                                        for (size_t i = 0; i < n_seen; i++)
                                                if (seen[i].nr == nr) {
                                                        if (seen[i].action != action) {
                                                                r = -EEXIST;
                                                                goto fail;
                                                        }
                                                        dup = true;
                                                }
                                        if (!dup)
                                                seen[n_seen++] = (typeof(*seen)) { nr, action };
                                        continue;
                                }
                                /* the built-in rules are not overridden (libseccomp would pick one) */
                                if (include_default && default_filter_names(nr, capabilities)) {
                                        r = -EEXIST;
                                        goto fail;
                                }
                                if (action == default_action)
                                        continue;       /* a no-op rule */
                                r = seccomp_rule_add(ctx, action, nr, 0);
                                if (r < 0 && r != -EDOM) {
                                        /* -EEXIST: the same syscall with another action */
                                        goto fail;
                                }
                        }
                        if (!any) {
                                r = -EBADMSG;
                                goto fail;
                        }
                }
        }

        free(seen);
        *ret = ctx;
        return 0;

fail:
        free(seen);
        if (ctx)
                seccomp_release(ctx);
        if (ret_line)
                *ret_line = line_no;
        return r;
}

int seccomp_profile_program(const char *path, uint64_t capabilities, SeccompProgram *ret, unsigned *ret_line) {
        _cleanup_free_ char *buf = NULL;
        scmp_filter_ctx ctx;
        int r;

        if (ret_line)
                *ret_line = 0;

        r = read_text_file(path, SECCOMP_PROFILE_SIZE_MAX, &buf, NULL);
        if (r < 0)
                return r;

        r = seccomp_profile_parse(buf, capabilities, &ctx, ret_line);
        if (r < 0)
                return r;

        return program_from_filter(ctx, ret);
}
