/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <arpa/inet.h>
#include <cap-ng.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

int safe_atou64(const char *s, uint64_t *ret) {
        uint64_t v = 0;

        if (!s || *s == '\0')
                return -EINVAL;
        /* "0" is fine, "007" is not: a leading zero reads as octal elsewhere and is almost always a typo. */
        if (s[0] == '0' && s[1] != '\0')
                return -EINVAL;

        for (const char *p = s; *p; p++) {
                unsigned d;

                if (*p < '0' || *p > '9')
                        return -EINVAL;
                d = (unsigned) (*p - '0');
                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
        }

        *ret = v;
        return 0;
}

int safe_atou32(const char *s, uint32_t *ret) {
        uint64_t v;
        int r;

        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (uint32_t) v;
        return 0;
}

int safe_atou(const char *s, unsigned *ret) {
        static_assert(sizeof(unsigned) == sizeof(uint32_t), "unsigned is not 32 bits wide");
        return safe_atou32(s, (uint32_t *) ret);
}

int safe_atoi(const char *s, int *ret) {
        bool neg = false;
        uint64_t v;
        int r;

        if (s && *s == '-') {
                neg = true;
                s++;
        }
        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (neg ? v > (uint64_t) INT_MAX + 1 : v > INT_MAX)
                return -ERANGE;
        *ret = neg ? (int) -(int64_t) v : (int) v;
        return 0;
}

int parse_boolean(const char *v) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        if (!v)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

/* Parses "INT[.FRAC]" at *p: the integer part, and the fraction as a numerator over *ret_denominator
 * (a power of ten, at most 10^18). Advances *p. */
static int parse_decimal(const char **p, uint64_t *ret_int, uint64_t *ret_frac, uint64_t *ret_denominator) {
        const char *s = *p;
        uint64_t i = 0, f = 0, den = 1;
        bool any = false;

        if (*s < '0' || *s > '9')
                return -EINVAL;
        for (; *s >= '0' && *s <= '9'; s++) {
                unsigned d = (unsigned) (*s - '0');
                if (i > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                i = i * 10 + d;
                any = true;
        }
        if (*s == '.') {
                s++;
                if (*s < '0' || *s > '9')
                        return -EINVAL;
                for (; *s >= '0' && *s <= '9'; s++)
                        /* Digits beyond 18 places cannot change anything we store. */
                        if (den < UINT64_C(1000000000000000000)) {
                                f = f * 10 + (unsigned) (*s - '0');
                                den *= 10;
                        }
        }
        if (!any)
                return -EINVAL;

        *ret_int = i;
        *ret_frac = f;
        *ret_denominator = den;
        *p = s;
        return 0;
}

/* i + f/den times |mul|, checked. */
static int scale_decimal(uint64_t i, uint64_t f, uint64_t den, uint64_t mul, uint64_t *ret) {
        uint64_t a, b;

        if (mul != 0 && i > UINT64_MAX / mul)
                return -ERANGE;
        a = i * mul;
        /* f < den <= 10^18 and mul <= 2^60: split the multiplication to stay exact without overflow. */
        b = (uint64_t) (((unsigned __int128) f * mul) / den);
        if (a > UINT64_MAX - b)
                return -ERANGE;
        *ret = a + b;
        return 0;
}

int parse_size(const char *s, uint64_t *ret) {
        static const struct {
                char suffix;
                uint64_t factor;
        } table[] = {
                { 'B', 1 },
                { 'K', UINT64_C(1) << 10 },
                { 'M', UINT64_C(1) << 20 },
                { 'G', UINT64_C(1) << 30 },
                { 'T', UINT64_C(1) << 40 },
                { 'P', UINT64_C(1) << 50 },
                { 'E', UINT64_C(1) << 60 },
        };
        uint64_t i, f, den, factor = 1, v;
        const char *p = s;
        int r;

        if (!s)
                return -EINVAL;
        r = parse_decimal(&p, &i, &f, &den);
        if (r < 0)
                return r;
        p += strspn(p, " \t");
        if (*p != '\0') {
                size_t k;

                for (k = 0; k < ELEMENTSOF(table); k++)
                        if (*p == table[k].suffix)
                                break;
                if (k >= ELEMENTSOF(table) || p[1] != '\0')
                        return -EINVAL;
                factor = table[k].factor;
        } else if (f != 0)
                /* "1.5" bytes makes no sense. */
                return -EINVAL;

        r = scale_decimal(i, f, den, factor, &v);
        if (r < 0)
                return r;
        /* UINT64_MAX and the value below it mean "infinity" and "unset" in the model. */
        if (v >= LIMIT_UNSET)
                return -ERANGE;
        *ret = v;
        return 0;
}

int parse_size_or_infinity(const char *s, uint64_t *ret) {
        if (s && streq(s, "infinity")) {
                *ret = LIMIT_INFINITY;
                return 0;
        }
        return parse_size(s, ret);
}

int parse_percent(const char *s) {
        const char *e;
        unsigned v;
        char *n;
        int r;

        if (!s)
                return -EINVAL;
        e = endswith(s, "%");
        if (!e)
                return -EINVAL;
        n = strndupa(s, (size_t) (e - s));
        r = safe_atou(n, &v);
        if (r < 0)
                return r;
        if (v > 100)
                return -ERANGE;
        return (int) v;
}

int parse_permyriad_unbounded(const char *s) {
        static const struct {
                const char *suffix;
                uint64_t factor;
        } table[] = {
                { "%", 100 },
                { "\u2030", 10 },       /* ‰ */
                { "\u2031", 1 },        /* ‱ */
        };
        uint64_t i, f, den, v;
        const char *p = s;
        int r;

        if (!s)
                return -EINVAL;
        r = parse_decimal(&p, &i, &f, &den);
        if (r < 0)
                return r;
        for (size_t k = 0; k < ELEMENTSOF(table); k++) {
                if (!streq(p, table[k].suffix))
                        continue;
                r = scale_decimal(i, f, den, table[k].factor, &v);
                if (r < 0)
                        return r;
                /* Finer than one part in 10000 cannot be represented: say so rather than round. */
                if ((unsigned __int128) f * table[k].factor % den != 0)
                        return -EINVAL;
                if (v > INT_MAX)
                        return -ERANGE;
                return (int) v;
        }
        return -EINVAL;
}

int parse_permyriad(const char *s) {
        int r;

        r = parse_permyriad_unbounded(s);
        if (r < 0)
                return r;
        if (r > 10000)
                return -ERANGE;
        return r;
}

uint32_t permyriad_to_scale(int permyriad) {
        if (permyriad <= 0)
                return 0;
        if (permyriad >= 10000)
                return UINT32_MAX;
        return (uint32_t) (((uint64_t) permyriad * UINT32_MAX + 5000) / 10000);
}

int parse_sec(const char *s, uint64_t *ret_usec) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } table[] = {
                /* Longest first where one is a prefix of another. */
                { "seconds", USEC_PER_SEC },
                { "second", USEC_PER_SEC },
                { "sec", USEC_PER_SEC },
                { "s", USEC_PER_SEC },
                { "minutes", 60 * USEC_PER_SEC },
                { "minute", 60 * USEC_PER_SEC },
                { "min", 60 * USEC_PER_SEC },
                { "months", 2629800 * USEC_PER_SEC },
                { "month", 2629800 * USEC_PER_SEC },
                { "M", 2629800 * USEC_PER_SEC },
                { "msec", 1000 },
                { "ms", 1000 },
                { "m", 60 * USEC_PER_SEC },
                { "hours", 3600 * USEC_PER_SEC },
                { "hour", 3600 * USEC_PER_SEC },
                { "hr", 3600 * USEC_PER_SEC },
                { "h", 3600 * USEC_PER_SEC },
                { "days", 86400 * USEC_PER_SEC },
                { "day", 86400 * USEC_PER_SEC },
                { "d", 86400 * USEC_PER_SEC },
                { "weeks", 604800 * USEC_PER_SEC },
                { "week", 604800 * USEC_PER_SEC },
                { "w", 604800 * USEC_PER_SEC },
                { "years", 31557600 * USEC_PER_SEC },
                { "year", 31557600 * USEC_PER_SEC },
                { "y", 31557600 * USEC_PER_SEC },
                { "usec", 1 },
                { "us", 1 },
                { "\u00b5s", 1 },       /* µs */
                { "\u03bcs", 1 },       /* μs */
        };
        uint64_t total = 0;
        const char *p;
        bool any = false;
        int r;

        if (!s)
                return -EINVAL;

        p = s + strspn(s, WHITESPACE);
        if (streq(p, "infinity") || (startswith(p, "infinity") && p[8 + strspn(p + 8, WHITESPACE)] == '\0')) {
                *ret_usec = USEC_INFINITY;
                return 0;
        }

        for (;;) {
                uint64_t i, f, den, mul = USEC_PER_SEC, v;
                size_t l = 0;

                p += strspn(p, WHITESPACE);
                if (*p == '\0')
                        break;

                r = parse_decimal(&p, &i, &f, &den);
                if (r < 0)
                        return r;
                p += strspn(p, WHITESPACE);

                for (size_t k = 0; k < ELEMENTSOF(table); k++) {
                        const char *e = startswith(p, table[k].suffix);
                        /* The unit must end here: at the end, at whitespace, or where the next number starts. */
                        if (e && (*e == '\0' || strchr(WHITESPACE DIGITS, *e))) {
                                mul = table[k].usec;
                                l = strlen(table[k].suffix);
                                break;
                        }
                }
                p += l;
                if (l == 0 && *p != '\0')
                        return -EINVAL;

                r = scale_decimal(i, f, den, mul, &v);
                if (r < 0)
                        return r;
                if (total > UINT64_MAX - 1 - v)
                        return -ERANGE;
                total += v;
                any = true;
        }

        if (!any)
                return -EINVAL;
        *ret_usec = total;
        return 0;
}

int parse_signal(const char *s) {
        const char *n;
        int v;

        if (!s || *s == '\0')
                return -EINVAL;

        if (*s >= '0' && *s <= '9') {
                if (safe_atoi(s, &v) < 0 || v <= 0 || v >= _NSIG)
                        return -EINVAL;
                return v;
        }

        n = startswith(s, "SIG") ?: s;

        for (const char *rt = "RTMIN"; rt; rt = streq(rt, "RTMIN") ? "RTMAX" : NULL) {
                const char *e = startswith(n, rt);
                int base = streq(rt, "RTMIN") ? SIGRTMIN : SIGRTMAX;

                if (!e)
                        continue;
                if (*e == '\0')
                        return base;
                if ((*e != '+' || base != SIGRTMIN) && (*e != '-' || base != SIGRTMAX))
                        return -EINVAL;
                if (safe_atoi(e + 1, &v) < 0 || v > SIGRTMAX - SIGRTMIN)
                        return -EINVAL;
                return base == SIGRTMIN ? base + v : base - v;
        }

        for (int sig = 1; sig < SIGRTMIN; sig++) {
                const char *a = sigabbrev_np(sig);
                if (a && streq(a, n))
                        return sig;
        }
        return -EINVAL;
}

const char *signal_to_string(int sig) {
        static __thread char buf[16];

        if (sig > 0 && sig < SIGRTMIN)
                return sigabbrev_np(sig);
        if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
                if (sig == SIGRTMIN)
                        return "RTMIN";
                snprintf(buf, sizeof(buf), "RTMIN+%d", sig - SIGRTMIN);
                return buf;
        }
        return NULL;
}

int parse_capability(const char *s) {
        char buf[64];
        const char *n;
        int c;

        if (!s)
                return -EINVAL;
        n = startswith_no_case(s, "CAP_") ?: s;
        if (*n == '\0' || strlen(n) >= sizeof(buf) || !alnum_or(n, "_"))
                return -EINVAL;
        /* Numbers are not names: "12" would silently mean CAP_NET_ADMIN. */
        if (*n >= '0' && *n <= '9')
                return -EINVAL;
        strcpy(buf, n);
        ascii_strlower(buf);

        c = capng_name_to_capability(buf);
        if (c < 0 || c > CAP_LAST_CAP || c >= 64)
                return -EINVAL;
        return c;
}

uint64_t capability_all(void) {
        return CAP_LAST_CAP >= 63 ? UINT64_MAX : (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
}

int parse_capability_set(const char *s, uint64_t *ret, char **ret_bad) {
        uint64_t m = 0;

        for (const char *p = s;;) {
                _cleanup_free_ char *w = NULL;
                int r, c;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;

                if (strcasecmp(w, "ALL") == 0) {
                        m |= capability_all();
                        continue;
                }
                c = parse_capability(w);
                if (c < 0) {
                        if (ret_bad)
                                *ret_bad = TAKE_PTR(w);
                        return c;
                }
                m |= UINT64_C(1) << c;
        }

        *ret = m;
        return 0;
}

int parse_cpu_list(const char *s, char **ret) {
        _cleanup_free_ uint8_t *set = NULL;
        _cleanup_free_ char *out = NULL;
        size_t n = 0, allocated = 0;
        bool any = false;

        set = calloc(CPU_LIST_MAX, 1);
        if (!set)
                return -ENOMEM;

        for (const char *p = s;;) {
                _cleanup_free_ char *w = NULL;
                unsigned a, b;
                char *dash;
                int r;

                r = extract_first_word(&p, &w, WHITESPACE ",", 0);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;

                dash = strchr(w, '-');
                if (dash) {
                        *dash = '\0';
                        if (safe_atou(w, &a) < 0 || safe_atou(dash + 1, &b) < 0)
                                return -EINVAL;
                } else {
                        if (safe_atou(w, &a) < 0)
                                return -EINVAL;
                        b = a;
                }
                if (a > b)
                        return -EINVAL;
                if (b >= CPU_LIST_MAX)
                        return -ERANGE;
                memset(set + a, 1, b - a + 1);
                any = true;
        }

        if (!any)
                return -EINVAL;

        allocated = CPU_LIST_MAX * 12;
        out = malloc(allocated);
        if (!out)
                return -ENOMEM;
        out[0] = '\0';
        for (unsigned i = 0; i < CPU_LIST_MAX; i++) {
                unsigned j;

                if (!set[i])
                        continue;
                for (j = i; j + 1 < CPU_LIST_MAX && set[j + 1]; j++)
                        ;
                if (j == i)
                        n += (size_t) snprintf(out + n, allocated - n, "%s%u", n > 0 ? "," : "", i);
                else
                        n += (size_t) snprintf(out + n, allocated - n, "%s%u-%u", n > 0 ? "," : "", i, j);
                i = j;
        }

        *ret = TAKE_PTR(out);
        return 0;
}

int parse_mode(const char *s, mode_t *ret) {
        unsigned long v = 0;

        if (!s || *s == '\0' || strlen(s) > 5)
                return -EINVAL;
        for (const char *p = s; *p; p++) {
                if (*p < '0' || *p > '7')
                        return -EINVAL;
                v = v * 8 + (unsigned long) (*p - '0');
        }
        if (v > 07777)
                return -ERANGE;
        *ret = (mode_t) v;
        return 0;
}

int parse_uid(const char *s, uid_t *ret) {
        uint32_t v;
        int r;

        r = safe_atou32(s, &v);
        if (r < 0)
                return r;
        /* (uid_t) -1 means "no id" (setresuid() leaves the id as it is), 65535 the same to 16-bit
         * interfaces: never an id (systemd's rule). Above 2^31-2 is refused as runc does (its maxID), and
         * as ctr.ctr(5) documents. */
        if (v > INT32_MAX - 1 || v == 65535)
                return -ERANGE;
        *ret = (uid_t) v;
        return 0;
}
