/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Value syntaxes podman has and ctr writes differently: Go durations, podman's sizes, JSON command arrays,
 * relative paths of a unit file. */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "parse-util.h"
#include "path-util.h"
#include "quadlet-convert.h"
#include "string-util.h"
#include "strv.h"

/* Go's time.ParseDuration: a sequence of decimal numbers with units ns us µs ms s m h ("1h2m3.5s"). */
static int parse_go_duration(const char *s, uint64_t *ret_usec) {
        static const struct { const char *unit; uint64_t ns; } units[] = {
                { "ns", 1ULL }, { "us", 1000ULL }, { "µs", 1000ULL }, { "ms", 1000000ULL },
                { "s", 1000000000ULL }, { "m", 60000000000ULL }, { "h", 3600000000000ULL },
        };
        long double total = 0;

        if (streq(s, "0")) {
                *ret_usec = 0;
                return 0;
        }
        if (isempty(s))
                return -EINVAL;
        while (*s) {
                char *end;
                long double n;
                size_t best = 0, best_len = 0;

                if (!strchr(DIGITS ".", *s))
                        return -EINVAL;
                n = strtold(s, &end);
                if (end == s)
                        return -EINVAL;
                s = end;
                for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                        size_t l = strlen(units[i].unit);
                        if (strneq(s, units[i].unit, l) && l > best_len) {
                                best = i;
                                best_len = l;
                        }
                }
                /* "m" must not take the "m" of "ms" */
                if (best_len == 0)
                        return -EINVAL;
                total += n * (long double) units[best].ns;
                s += best_len;
        }
        if (total / 1000 > (long double) (UINT64_MAX - 1))
                return -ERANGE;
        *ret_usec = (uint64_t) (total / 1000);
        return 0;
}

int quadlet_duration(const char *s, char **ret) {
        uint64_t usec;

        if (parse_go_duration(s, &usec) < 0 && parse_sec(s, &usec) < 0)
                return -EINVAL;
        if (usec == USEC_INFINITY)
                *ret = strdup("infinity");
        else if (usec % USEC_PER_SEC == 0)
                *ret = strprintf("%" PRIu64 "s", usec / USEC_PER_SEC);
        else if (usec % 1000 == 0)
                *ret = strprintf("%" PRIu64 "ms", usec / 1000);
        else
                *ret = strprintf("%" PRIu64 "us", usec);
        return *ret ? 0 : -ENOMEM;
}

int quadlet_size(const char *s, char **ret) {
        _cleanup_free_ char *v = NULL;
        uint64_t bytes;
        size_t n;

        /* podman: a number with an optional b, k, m, g (either case), base 1024 */
        n = strspn(s, DIGITS);
        if (n == 0 || (s[n] && (s[n + 1] || !strchr("bBkKmMgGtT", s[n]))))
                return -EINVAL;
        if (s[n] && strchr("bB", s[n]))
                v = strndup(s, n);
        else
                v = strdup(s);
        if (!v)
                return -ENOMEM;
        if (v[n] && v[n] >= 'a')
                v[n] -= 'a' - 'A';
        if (parse_size(v, &bytes) < 0)
                return -EINVAL;
        *ret = TAKE_PTR(v);
        return 0;
}

int quadlet_quote_word(const char *s, char **ret) {
        _cleanup_free_ char *e = NULL;

        if (!isempty(s) && !strpbrk(s, WHITESPACE "\"'\\"))
                *ret = strdup(s);
        else {
                if (cescape(s, &e) < 0)
                        return -ENOMEM;
                *ret = strprintf("\"%s\"", e);
        }
        return *ret ? 0 : -ENOMEM;
}

/* One JSON string at *p (after optional whitespace): its decoded bytes (no NUL). */
static int json_string(const char **p, char **ret) {
        _cleanup_buffer_ Buffer b = {};
        const char *s = *p + strspn(*p, WHITESPACE);
        int r = 0;

        if (*s != '"')
                return -EINVAL;
        for (s++; *s != '"'; s++) {
                char c = *s;

                if (c == '\0' || (unsigned char) c < 0x20)
                        return -EINVAL;
                if (c == '\\') {
                        s++;
                        switch (*s) {
                        case '"': case '\\': case '/': c = *s; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'u': {
                                char hex[5] = {}, utf8[4];
                                unsigned long cp;
                                size_t l;

                                memcpy(hex, s + 1, strnlen(s + 1, 4));
                                if (strlen(hex) != 4 || !in_charset(hex, "0123456789abcdefABCDEF"))
                                        return -EINVAL;
                                cp = strtoul(hex, NULL, 16);
                                l = cp == 0 ? 0 : utf8_encode((unsigned) cp, utf8);
                                if (l == 0)
                                        return -EINVAL;
                                r = buffer_append(&b, utf8, l);
                                if (r < 0)
                                        return r;
                                s += 4;
                                continue;
                        }
                        default:
                                return -EINVAL;
                        }
                }
                r = buffer_putc(&b, c);
                if (r < 0)
                        return r;
        }
        *p = s + 1;
        *ret = buffer_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int quadlet_json_array(const char *s, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *p = s + strspn(s, WHITESPACE);
        int r;

        if (*p++ != '[')
                return -EINVAL;
        p += strspn(p, WHITESPACE);
        if (*p == ']')
                p++;
        else
                for (;;) {
                        char *word = NULL;

                        r = json_string(&p, &word);
                        if (r < 0)
                                return r;
                        r = strv_consume(&l, word);
                        if (r < 0)
                                return r;
                        p += strspn(p, WHITESPACE);
                        if (*p == ']') {
                                p++;
                                break;
                        }
                        if (*p++ != ',')
                                return -EINVAL;
                }
        if (p[strspn(p, WHITESPACE)] != '\0')
                return -EINVAL;
        if (!l && !(l = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

int quadlet_command_line(char *const *words, char **ret) {
        _cleanup_buffer_ Buffer out = {};
        int r;

        STRV_FOREACH(w, words) {
                _cleanup_free_ char *quoted = NULL;

                r = quadlet_quote_word(*w, &quoted);
                if (r < 0)
                        return r;
                if ((out.size > 0 && buffer_putc(&out, ' ') < 0) || buffer_puts(&out, quoted) < 0)
                        return -ENOMEM;
        }
        *ret = buffer_steal(&out);
        return *ret ? 0 : -ENOMEM;
}

int quadlet_path(const char *dir, const char *path, char **ret) {
        _cleanup_free_ char *joined = NULL;
        _cleanup_buffer_ Buffer b = {};
        const char *p;

        /* A specifier stays for ctr to expand; a relative path is below the unit file's directory, with ".."
         * resolved by name as podman does (filepath.Abs). */
        if (path[0] == '%' || (!dir && path[0] != '/')) {
                *ret = strdup(path);
                return *ret ? 0 : -ENOMEM;
        }
        if (path[0] != '/' && path_join(dir, path, &joined) < 0)
                return -ENOMEM;
        p = joined ?: path;
        for (;;) {
                size_t n;

                p += strspn(p, "/");
                if (*p == '\0')
                        break;
                n = strcspn(p, "/");
                if (n == 2 && strneq(p, "..", 2)) {
                        char *slash = b.size > 0 ? strrchr(b.data, '/') : NULL;
                        if (slash)
                                b.size = (size_t) (slash - b.data);
                        if (b.data)
                                b.data[b.size] = '\0';
                } else if (!(n == 1 && *p == '.')) {
                        if (buffer_putc(&b, '/') < 0 || buffer_append(&b, p, n) < 0)
                                return -ENOMEM;
                }
                p += n;
        }
        if (b.size == 0 && buffer_putc(&b, '/') < 0)
                return -ENOMEM;
        *ret = buffer_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
