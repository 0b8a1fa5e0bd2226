/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Validity of names in .ctr values: users and groups, host names, unit and slice names, image references,
 * volume and environment variable names. */

#include <stdint.h>
#include <string.h>

#include "name-util.h"
#include "parse-util.h"
#include "string-util.h"

bool user_group_name_is_valid(const char *s) {
        size_t l;

        if (!s)
                return false;
        l = strlen(s);
        if (l == 0 || l > 31)
                return false;
        if (!strchr(LETTERS "_", s[0]))
                return false;
        return alnum_or(s + 1, "_-");
}

bool user_group_is_valid(const char *s) {
        uint32_t u;

        if (!s)
                return false;
        if (s[0] >= '0' && s[0] <= '9')
                return parse_uid(s, &u) >= 0;
        return user_group_name_is_valid(s);
}

bool hostname_is_valid(const char *s) {
        size_t label = 0;

        if (!s || *s == '\0' || strlen(s) > 64)
                return false;

        for (const char *p = s; *p; p++) {
                if (*p == '.') {
                        if (label == 0 || p[-1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                if (!strchr(ALPHANUMERICAL "-", *p))
                        return false;
                if (*p == '-' && label == 0)
                        return false;
                if (++label > 63)
                        return false;
        }
        return label > 0 && s[strlen(s) - 1] != '-';
}

#define UNIT_NAME_CHARS ALPHANUMERICAL ":-_.\\"

bool unit_name_is_valid(const char *s) {
        static const char *const suffixes[] = {
                ".service", ".socket", ".target", ".device", ".mount", ".automount",
                ".swap", ".timer", ".path", ".slice", ".scope",
        };
        const char *dot, *at;
        size_t l;

        if (!s)
                return false;
        l = strlen(s);
        if (l == 0 || l > 255)
                return false;
        dot = strrchr(s, '.');
        if (!dot || dot == s)
                return false;

        bool known = false;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (streq(dot, suffixes[i]))
                        known = true;
        if (!known)
                return false;

        at = strchr(s, '@');
        if (at) {
                /* "foo@.service" (template) or "foo@bar.service" (instance); the prefix must be non-empty. */
                if (at == s)
                        return false;
                for (const char *p = s; p < at; p++)
                        if (!strchr(UNIT_NAME_CHARS, *p))
                                return false;
                /* systemd allows '@' inside an instance name. */
                for (const char *p = at + 1; p < dot; p++)
                        if (!strchr(UNIT_NAME_CHARS "@", *p))
                                return false;
                return true;
        }

        for (const char *p = s; p < dot; p++)
                if (!strchr(UNIT_NAME_CHARS, *p))
                        return false;
        return true;
}

bool slice_name_is_valid(const char *s) {
        const char *e;
        size_t l;

        if (!unit_name_is_valid(s))
                return false;
        e = endswith(s, ".slice");
        if (!e || strchr(s, '@'))
                return false;
        if (streq(s, "-.slice"))
                return true;
        l = (size_t) (e - s);
        if (s[0] == '-' || s[l - 1] == '-')
                return false;
        for (size_t i = 0; i + 1 < l; i++)
                if (s[i] == '-' && s[i + 1] == '-')
                        return false;
        return true;
}

static bool is_lower_alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component of an image name: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)* */
static bool image_path_component_is_valid(const char *s, size_t n) {
        size_t i = 0;

        if (n == 0 || !is_lower_alnum(s[0]) || !is_lower_alnum(s[n - 1]))
                return false;
        while (i < n) {
                if (is_lower_alnum(s[i])) {
                        i++;
                        continue;
                }
                /* A separator: ".", "_", "__" or a run of "-", always followed by an alphanumeric. */
                if (s[i] == '.' || s[i] == '_') {
                        if (s[i] == '_' && i + 1 < n && s[i + 1] == '_')
                                i++;
                        i++;
                } else if (s[i] == '-') {
                        while (i < n && s[i] == '-')
                                i++;
                } else
                        return false;
                if (i >= n || !is_lower_alnum(s[i]))
                        return false;
        }
        return true;
}

/* registry host[:port]: dot-separated labels of [a-zA-Z0-9-], not starting or ending with '-'. */
static bool image_domain_is_valid(const char *s, size_t n) {
        const char *colon = memchr(s, ':', n);
        size_t hn = colon ? (size_t) (colon - s) : n, label = 0;

        if (hn == 0)
                return false;
        for (size_t i = 0; i < hn; i++) {
                if (s[i] == '.') {
                        if (label == 0 || s[i - 1] == '-')
                                return false;
                        label = 0;
                        continue;
                }
                if (!strchr(ALPHANUMERICAL "-", s[i]) || (s[i] == '-' && label == 0))
                        return false;
                label++;
        }
        if (label == 0 || s[hn - 1] == '-')
                return false;

        if (colon) {
                size_t pn = n - hn - 1;
                unsigned port = 0;

                if (pn == 0 || pn > 5)
                        return false;
                for (size_t i = hn + 1; i < n; i++) {
                        if (s[i] < '0' || s[i] > '9')
                                return false;
                        port = port * 10 + (unsigned) (s[i] - '0');
                }
                if (port == 0 || port > 65535)
                        return false;
        }
        return true;
}

bool image_reference_is_valid(const char *s) {
        const char *at, *name_end, *slash, *p, *last_slash, *colon;
        size_t l;

        if (!s || *s == '\0')
                return false;
        l = strlen(s);
        if (l > 512)
                return false;

        at = strchr(s, '@');
        if (at) {
                const char *hex = startswith(at + 1, "sha256:");
                if (!hex || strlen(hex) != 64 || !in_charset(hex, "0123456789abcdef"))
                        return false;
                name_end = at;
        } else
                name_end = s + l;

        /* The tag follows the last ':' after the last '/'. */
        last_slash = NULL;
        for (p = s; p < name_end; p++)
                if (*p == '/')
                        last_slash = p;
        colon = NULL;
        for (p = last_slash ? last_slash : s; p < name_end; p++)
                if (*p == ':')
                        colon = p;
        if (colon) {
                size_t tl = (size_t) (name_end - colon - 1);

                if (tl == 0 || tl > 128)
                        return false;
                if (!strchr(ALPHANUMERICAL "_", colon[1]))
                        return false;
                for (p = colon + 1; p < name_end; p++)
                        if (!strchr(ALPHANUMERICAL "_.-", *p))
                                return false;
                name_end = colon;
        }

        if (name_end - s > 255)
                return false;

        p = s;
        slash = memchr(p, '/', (size_t) (name_end - p));
        if (slash) {
                size_t n = (size_t) (slash - p);
                /* The first component is a registry if it looks like a host name: a dot, a port, or
                 * "localhost"; otherwise it is part of the repository path. */
                if (memchr(p, '.', n) || memchr(p, ':', n) || (n == 9 && strneq(p, "localhost", 9)) ||
                    strcspn(p, UPPERCASE_LETTERS) < n) {
                        if (!image_domain_is_valid(p, n))
                                return false;
                        p = slash + 1;
                }
        }

        for (;;) {
                const char *e = memchr(p, '/', (size_t) (name_end - p));
                size_t n = e ? (size_t) (e - p) : (size_t) (name_end - p);

                if (!image_path_component_is_valid(p, n))
                        return false;
                if (!e)
                        break;
                p = e + 1;
        }
        return true;
}

bool volume_name_is_valid(const char *s) {
        if (!s || *s == '\0' || strlen(s) > 255)
                return false;
        if (!strchr(ALPHANUMERICAL, s[0]))
                return false;
        return alnum_or(s + 1, "_.-");
}

bool credential_name_is_valid(const char *s) {
        if (!s || *s == '\0' || strlen(s) > 255 || streq(s, ".") || streq(s, ".."))
                return false;
        for (const char *p = s; *p; p++)
                if (*p < ' ' || *p > '~' || *p == '/' || *p == ':')
                        return false;
        return true;
}

bool env_name_is_valid(const char *s) {
        if (!s || *s == '\0' || strlen(s) > 4096)
                return false;
        if (!strchr(LETTERS "_", s[0]))
                return false;
        return alnum_or(s + 1, "_");
}

bool env_assignment_is_valid(const char *s) {
        const char *eq;

        if (!s)
                return false;
        eq = strchr(s, '=');
        if (!eq)
                return false;

        char *name = strndupa(s, (size_t) (eq - s));
        if (!env_name_is_valid(name))
                return false;
        if (!utf8_is_valid(eq + 1))
                return false;
        for (const char *p = eq + 1; *p; p++)
                if (((unsigned char) *p < ' ' && *p != '\t' && *p != '\n') || *p == 127)
                        return false;
        return true;
}
