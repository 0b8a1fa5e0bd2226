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
#include "seccomp-default.h"
#include "seccomp-util.h"

int seccomp_default_filter_new(uint64_t capabilities, bool set_no_new_privs, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        r = seccomp_default_filter_build(SECCOMP_DEFAULT_ACTION, set_no_new_privs, capabilities, NULL, 0, &ctx);
        if (r < 0)
                return r;

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
                if (asprintf(&path, "%s/default-%016" PRIx64 ".bpf", cache_dir, seccomp_default_filter_key(capabilities)) < 0)
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
        _cleanup_free_ int *keep_out = NULL;
        int r;

        seen = calloc(SECCOMP_PROFILE_RULES_MAX, sizeof(*seen));
        if (!seen)
                return -ENOMEM;

        /* Two passes: the default action must be known before the filter exists. */
        for (int pass = 0; pass < 2; pass++) {
                p = contents;
                line_no = 0;

                if (pass == 1) {
                        if (include_default) {
                                /* the profile's rules replace the built-in allowing ones */
                                keep_out = calloc(n_seen + 1, sizeof(int));
                                if (!keep_out) {
                                        r = -ENOMEM;
                                        goto fail;
                                }
                                for (size_t i = 0; i < n_seen; i++)
                                        keep_out[i] = seen[i].nr;
                                r = seccomp_default_filter_build(default_action, true, capabilities, keep_out,
                                                                 n_seen, &ctx);
                        } else
                                r = seccomp_filter_new(default_action, true, &ctx);
                        if (r < 0) {
                                ctx = NULL;
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
                                /* an allow list: an allowing default would open everything it leaves out */
                                if (!a || !streq(a, "default") || strtok_r(NULL, " \t\r", &save) ||
                                    include_default ||
                                    (have_default && (default_action == SCMP_ACT_ALLOW ||
                                                      default_action == SCMP_ACT_LOG))) {
                                        r = -EBADMSG;
                                        goto fail;
                                }
                                if (!have_default)
                                        default_action = SECCOMP_DEFAULT_ACTION;
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
                                /* the built-in argument rules are not overridden (the TIOCSTI and AF_VSOCK
                                 * refusals would go with them); a plain rule is replaced */
                                if (include_default && seccomp_default_inspects(nr)) {
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
