/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The profile language (seccomp-profile.h): a custom profile's text read in one pass into its default
 * action and rules, then compiled into a filter of its own or into the default one. */

#include <errno.h>
#include <string.h>

#include "buffer.h"
#include "fileio.h"
#include "macro.h"
#include "seccomp-default.h"
#include "seccomp-profile.h"
#include "string-util.h"

/* Between the words of a line; '\n' ends the line before. */
#define PROFILE_BLANKS " \t\r"

typedef struct ProfileRule {
        int nr;
        uint32_t action;
        unsigned line;          /* where the syscall is first named */
} ProfileRule;

typedef struct Profile {
        uint32_t default_action;
        bool have_default, have_rules, include_default;
        unsigned n_named;       /* syscall names, repeats included: the SECCOMP_PROFILE_RULES_MAX limit */
        Buffer rules;           /* ProfileRule[], each syscall once, in the order first named */
} Profile;

static void profile_done(Profile *p) {
        buffer_done(&p->rules);
}

static const ProfileRule *profile_rules(const Profile *p, size_t *ret_n) {
        *ret_n = p->rules.size / sizeof(ProfileRule);
        return (const ProfileRule *) p->rules.data;
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

        /* Not safe_atou(): it refuses the leading zeros this grammar has always taken ("errno:038"). Four
         * digits cannot overflow. */
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
        else if ((e = startswith(s, "errno:"))) {
                r = parse_errno(e);
                if (r < 0)
                        return r;
                *ret = SCMP_ACT_ERRNO((uint32_t) r);
        } else
                return -EINVAL;
        return 0;
}

/* "default ACTION": once, before any rule. */
static int profile_parse_default(Profile *p, char **save) {
        const char *a = strtok_r(NULL, PROFILE_BLANKS, save);

        if (p->have_default || p->have_rules || !a || strtok_r(NULL, PROFILE_BLANKS, save) ||
            parse_action(a, &p->default_action) < 0)
                return -EBADMSG;
        p->have_default = true;
        return 0;
}

/* "include default": once; the built-in filter's default unless the profile gave one. */
static int profile_parse_include(Profile *p, char **save) {
        const char *a = strtok_r(NULL, PROFILE_BLANKS, save);

        /* an allow list: an allowing default would open everything it leaves out */
        if (!a || !streq(a, "default") || strtok_r(NULL, PROFILE_BLANKS, save) || p->include_default ||
            (p->have_default && (p->default_action == SCMP_ACT_ALLOW || p->default_action == SCMP_ACT_LOG)))
                return -EBADMSG;
        if (!p->have_default)
                p->default_action = SECCOMP_DEFAULT_ACTION;
        p->include_default = true;
        p->have_rules = true;
        return 0;
}

/* One syscall of a rule: resolved, and recorded once. */
static int profile_add_syscall(Profile *p, const char *name, uint32_t action, unsigned line) {
        const ProfileRule *rules;
        size_t n;
        int nr;

        if (++p->n_named > SECCOMP_PROFILE_RULES_MAX)
                return -E2BIG;
        nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR)
                return -ENOENT;         /* an unknown name must not silently allow it */

        /* libseccomp quietly keeps one of two actions for a syscall */
        rules = profile_rules(p, &n);
        for (size_t i = 0; i < n; i++)
                if (rules[i].nr == nr)
                        return rules[i].action == action ? 0 : -EEXIST;

        return buffer_append(&p->rules, &(ProfileRule) { nr, action, line }, sizeof(ProfileRule));
}

/* One line, NUL-terminated and writable: a comment, "default", "include" or "ACTION SYSCALL…". */
static int profile_parse_line(Profile *p, char *line, unsigned line_no) {
        char *save = NULL, *word = strtok_r(line, PROFILE_BLANKS, &save);
        uint32_t action;
        bool any = false;
        int r;

        if (!word || word[0] == '#')
                return 0;
        if (streq(word, "default"))
                return profile_parse_default(p, &save);
        if (streq(word, "include"))
                return profile_parse_include(p, &save);

        if (parse_action(word, &action) < 0)
                return -EBADMSG;
        p->have_rules = true;

        for (char *name = strtok_r(NULL, PROFILE_BLANKS, &save); name;
             name = strtok_r(NULL, PROFILE_BLANKS, &save)) {
                any = true;
                r = profile_add_syscall(p, name, action, line_no);
                if (r < 0)
                        return r;
        }
        return any ? 0 : -EBADMSG;
}

static int profile_parse_text(Profile *p, const char *contents, unsigned *ret_line) {
        unsigned line_no = 0;
        int r;

        for (const char *s = contents; *s;) {
                char line[SECCOMP_PROFILE_LINE_MAX + 1];
                const char *e = strchrnul(s, '\n');
                size_t len = (size_t) (e - s);

                *ret_line = ++line_no;
                if (len > SECCOMP_PROFILE_LINE_MAX)
                        return -E2BIG;
                memcpy(line, s, len);
                line[len] = '\0';
                s = *e ? e + 1 : e;

                r = profile_parse_line(p, line, line_no);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The filter of a parsed profile. On failure *ret_line is the line of the rule at fault, 0 for none. */
static int profile_compile(const Profile *p, uint64_t capabilities, scmp_filter_ctx *ret, unsigned *ret_line) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        size_t n;
        const ProfileRule *rules = profile_rules(p, &n);
        int r;

        *ret_line = 0;

        if (p->include_default) {
                /* the profile's rules replace the built-in allowing ones */
                _cleanup_free_ int *keep_out = calloc(n + 1, sizeof(int));

                if (!keep_out)
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++)
                        keep_out[i] = rules[i].nr;
                r = seccomp_default_filter_build(p->default_action, true, capabilities, keep_out, n, &ctx);
        } else
                r = seccomp_filter_new(p->default_action, true, &ctx);
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                *ret_line = rules[i].line;
                /* the built-in argument rules are not overridden (the TIOCSTI and AF_VSOCK refusals would go
                 * with them); a plain rule is replaced */
                if (p->include_default && seccomp_default_inspects(rules[i].nr))
                        return -EEXIST;
                if (rules[i].action == p->default_action)
                        continue;       /* a no-op rule */
                /* -EDOM: not on this architecture; -EEXIST: the same syscall with another action */
                r = seccomp_rule_add(ctx, rules[i].action, rules[i].nr, 0);
                if (r < 0 && r != -EDOM)
                        return r;
        }

        *ret = TAKE_PTR(ctx);
        return 0;
}

int seccomp_profile_parse(const char *contents, uint64_t capabilities, scmp_filter_ctx *ret,
                          unsigned *ret_line) {
        _cleanup_(profile_done) Profile p = { .default_action = SCMP_ACT_ALLOW };
        unsigned line = 0;
        int r;

        /* Read the whole text first: the default action must be known before the filter exists. */
        r = profile_parse_text(&p, contents, &line);
        if (r >= 0)
                r = profile_compile(&p, capabilities, ret, &line);
        if (r < 0 && ret_line)
                *ret_line = line;
        return r;
}

int seccomp_profile_program(const char *path, uint64_t capabilities, SeccompProgram *ret, unsigned *ret_line) {
        _cleanup_seccomp_release_ scmp_filter_ctx ctx = NULL;
        _cleanup_free_ char *buf = NULL;
        int r;

        if (ret_line)
                *ret_line = 0;

        r = read_text_file(path, SECCOMP_PROFILE_SIZE_MAX, &buf, NULL);
        if (r < 0)
                return r;

        r = seccomp_profile_parse(buf, capabilities, &ctx, ret_line);
        if (r < 0)
                return r;

        return seccomp_program_from_filter(ctx, ret);
}
