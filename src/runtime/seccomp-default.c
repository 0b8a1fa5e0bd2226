/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The default filter: the table's plain rules (seccomp-default-table.c) for a capability set, the argument
 * rules (ioctl, personality, socket, clone, clone3, unshare), x86-32 merged in, and the hash the cache keys
 * it by. seccomp-default.h says what is allowed and why. */

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "caps-util.h"
#include "macro.h"
#include "seccomp-default-table.h"
#include "seccomp-default.h"

/* The syscalls with argument rules below; a profile cannot name them (see seccomp_default_inspects()). */
static const char *const argument_rule_syscalls[] = {
        "ioctl", "socket", "personality", "clone", "clone3", "unshare",
};

static bool rule_allows(const SeccompSyscallRule *rule, uint64_t capabilities) {
        return rule->allow_caps == SECCOMP_RULE_ALWAYS || (capabilities & rule->allow_caps) != 0;
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

        for (size_t i = 0; i < seccomp_default_rules_n; i++) {
                const SeccompSyscallRule *rule = &seccomp_default_rules[i];
                int nr = resolve(rule->name);

                /* a custom profile's rule replaces this one */
                if (in_list(nr, keep_out, n_keep_out))
                        continue;
                r = add_rule(ctx, rule_allows(rule, capabilities) ? SCMP_ACT_ALLOW : SCMP_ACT_ERRNO(EPERM), nr, 0,
                             NULL);
                if (r < 0)
                        return r;
        }

        return add_argument_rules(ctx, capabilities, socket_multiplexed);
}

int seccomp_default_filter_build(uint32_t default_action, bool set_no_new_privs, uint64_t capabilities,
                                 const int *keep_out, size_t n_keep_out, scmp_filter_ctx *ret) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL, multiplexed = NULL;
        int r;

        r = seccomp_filter_new_arches(default_action, set_no_new_privs, SECCOMP_ARCHES_DIRECT, &ctx);
        if (r < 0)
                return r;
        r = add_default_rules(ctx, capabilities, keep_out, n_keep_out, false);
        if (r < 0)
                return r;

        if (seccomp_arches_have_multiplexed()) {
                r = seccomp_filter_new_arches(default_action, set_no_new_privs, SECCOMP_ARCHES_MULTIPLEXED,
                                              &multiplexed);
                if (r < 0)
                        return r;
                r = add_default_rules(multiplexed, capabilities, keep_out, n_keep_out, true);
                if (r < 0)
                        return r;
                r = seccomp_merge(ctx, multiplexed);
                if (r < 0)
                        return r;
                multiplexed = NULL;     /* merged into |ctx|, which owns it now */
        }

        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret) {
        return seccomp_default_filter_build(SECCOMP_DEFAULT_ACTION, set_no_new_privs, capabilities, NULL, 0, ret);
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

        for (size_t i = 0; i < seccomp_default_rules_n; i++) {
                const SeccompSyscallRule *rule = &seccomp_default_rules[i];

                h = fnv1a(h, rule->name, strlen(rule->name) + 1);
                h = fnv1a(h, &rule->allow_caps, sizeof(rule->allow_caps));
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
