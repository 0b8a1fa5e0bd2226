/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "string-util.h"

char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);

        if (strncmp(s, prefix, l) != 0)
                return NULL;
        return (char *) s + l;
}

char *startswith_no_case(const char *s, const char *prefix) {
        size_t l = strlen(prefix);

        if (strncasecmp(s, prefix, l) != 0)
                return NULL;
        return (char *) s + l;
}

char *endswith(const char *s, const char *suffix) {
        size_t sl = strlen(s), xl = strlen(suffix);

        if (xl > sl || !streq(s + sl - xl, suffix))
                return NULL;
        return (char *) s + sl - xl;
}

/* WHITESPACE's characters, without a call per character (the parser strips every line, key and value) */
static bool is_whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *strstrip(char *s) {
        char *e;

        while (is_whitespace(*s))
                s++;
        e = s + strlen(s);
        while (e > s && is_whitespace(e[-1]))
                e--;
        *e = '\0';
        return s;
}

static char ascii_lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c;
}

char *ascii_strlower(char *s) {
        for (char *p = s; *p; p++)
                *p = ascii_lower(*p);
        return s;
}

/* A set of bytes, a bit each: a test per character without a call to strchr(). */
typedef struct CharSet {
        uint64_t bits[4];
} CharSet;

static void charset_init(CharSet *set, const char *chars) {
        *set = (CharSet) {};
        for (const unsigned char *c = (const unsigned char *) chars; *c; c++)
                set->bits[*c >> 6] |= UINT64_C(1) << (*c & 63);
}

static bool charset_has(const CharSet *set, char c) {
        unsigned char b = (unsigned char) c;

        return set->bits[b >> 6] & (UINT64_C(1) << (b & 63));
}

/* past the characters of |s| that are in |set| (never NUL) */
static const char *charset_skip(const CharSet *set, const char *s) {
        while (*s && charset_has(set, *s))
                s++;
        return s;
}

bool in_charset(const char *s, const char *charset) {
        /* strspn(): its table for a long set costs no more than building a CharSet */
        return s[strspn(s, charset)] == '\0';
}

bool alnum_or(const char *s, const char *extra) {
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
                      strchr(extra, *s)))
                        return false;
        return true;
}

int free_and_strdup(char **p, const char *s) {
        char *c = NULL;

        if (s) {
                c = strdup(s);
                if (!c)
                        return -ENOMEM;
        }
        free(*p);
        *p = c;
        return 0;
}

int free_and_strndup(char **p, const char *s, size_t n) {
        char *c = strndup(s, n);

        if (!c)
                return -ENOMEM;
        free(*p);
        *p = c;
        return 0;
}

/* The length of the valid UTF-8 character at |p| (at most |n| bytes available) and its code point, or 0
 * when the bytes there are not one. */
static size_t utf8_decode(const unsigned char *p, size_t n, unsigned *ret) {
        unsigned c, len;

        if (n == 0)
                return 0;
        if (*p < 0x80) {
                *ret = *p;
                return 1;
        }
        if ((*p & 0xE0) == 0xC0) {
                len = 2;
                c = *p & 0x1F;
        } else if ((*p & 0xF0) == 0xE0) {
                len = 3;
                c = *p & 0x0F;
        } else if ((*p & 0xF8) == 0xF0) {
                len = 4;
                c = *p & 0x07;
        } else
                return 0;
        if (len > n)
                return 0;

        for (unsigned i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80)
                        return 0;
                c = (c << 6) | (p[i] & 0x3F);
        }

        /* Overlong forms, surrogates and values beyond Unicode are invalid. */
        if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
            (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
                return 0;
        *ret = c;
        return len;
}

bool utf8_is_valid(const char *s) {
        const unsigned char *p = (const unsigned char *) s;

        for (;;) {
                unsigned c;
                size_t l;

                /* ASCII (1–0x7f), nearly all of a configuration, without a decode per byte */
                while (*p >= 1 && *p < 0x80)
                        p++;
                if (*p == '\0')
                        return true;
                /* a sequence is at most 4 bytes, and its NUL ends it too soon */
                l = utf8_decode(p, strnlen((const char *) p, 4), &c);
                if (l == 0)
                        return false;
                p += l;
        }
}

static size_t escape_byte(char *t, unsigned char b) {
        switch (b) {
        case '\a': memcpy(t, "\\a", 2); return 2;
        case '\b': memcpy(t, "\\b", 2); return 2;
        case '\f': memcpy(t, "\\f", 2); return 2;
        case '\n': memcpy(t, "\\n", 2); return 2;
        case '\r': memcpy(t, "\\r", 2); return 2;
        case '\v': memcpy(t, "\\v", 2); return 2;
        default:
                return (size_t) sprintf(t, "\\x%02x", b);
        }
}

int escape_non_printable(const char *s, size_t len, char **ret) {
        const unsigned char *p = (const unsigned char *) s;
        char *r, *t;

        if (len == SIZE_MAX)
                len = strlen(s);
        /* at most "\xNN" for each byte */
        if (len > (SIZE_MAX - 1) / 4)
                return -ENOMEM;
        r = malloc(len * 4 + 1);
        if (!r)
                return -ENOMEM;

        t = r;
        while (len > 0) {
                unsigned c;
                size_t l = utf8_decode(p, len, &c);

                /* Tab only moves the cursor right and is common in log lines (stack traces): kept. Newline
                 * and carriage return are escaped: one entry, one line, nothing overwritten. */
                if (l > 0 && (c >= 0xa0 || (c >= ' ' && c < 0x7f) || c == '\t')) {
                        memcpy(t, p, l);
                        t += l;
                        p += l;
                        len -= l;
                        continue;
                }

                /* A control character (C0, DEL, C1: U+009B is CSI to some terminals) or a byte that is not
                 * UTF-8: each of its bytes as \xNN, the common ones by their letter. */
                if (l == 0)
                        l = 1;
                for (size_t i = 0; i < l; i++)
                        t += escape_byte(t, p[i]);
                p += l;
                len -= l;
        }
        *t = '\0';
        *ret = r;
        return 0;
}

size_t utf8_encode(unsigned c, char *out) {
        if (c == 0 || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
                return 0;
        if (c < 0x80) {
                out[0] = (char) c;
                return 1;
        }
        if (c < 0x800) {
                out[0] = (char) (0xC0 | (c >> 6));
                out[1] = (char) (0x80 | (c & 0x3F));
                return 2;
        }
        if (c < 0x10000) {
                out[0] = (char) (0xE0 | (c >> 12));
                out[1] = (char) (0x80 | ((c >> 6) & 0x3F));
                out[2] = (char) (0x80 | (c & 0x3F));
                return 3;
        }
        out[0] = (char) (0xF0 | (c >> 18));
        out[1] = (char) (0x80 | ((c >> 12) & 0x3F));
        out[2] = (char) (0x80 | ((c >> 6) & 0x3F));
        out[3] = (char) (0x80 | (c & 0x3F));
        return 4;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

/* Decodes one escape; |p| points just after the backslash. Writes up to 4 bytes to |out| and returns how
 * many characters of |p| it used, with the output length in *ret_len. */
static int cunescape_one(const char *p, char *out, size_t *ret_len) {
        static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
        const char *s;

        if (*p == '\0')
                return -EINVAL;

        s = strchr(simple, *p);
        if (s && ((s - simple) % 2) == 0) {
                out[0] = s[1];
                *ret_len = 1;
                return 1;
        }

        if (*p == 'x') {
                int a = unhex(p[1]), b;

                if (a < 0)
                        return -EINVAL;
                b = unhex(p[2]);
                if (b < 0)
                        return -EINVAL;
                if (a == 0 && b == 0)
                        return -EINVAL;
                out[0] = (char) ((a << 4) | b);
                *ret_len = 1;
                return 3;
        }

        if (*p == 'u' || *p == 'U') {
                unsigned n = *p == 'u' ? 4 : 8, c = 0;
                size_t l;

                for (unsigned i = 1; i <= n; i++) {
                        int d = unhex(p[i]);
                        if (d < 0)
                                return -EINVAL;
                        c = (c << 4) | (unsigned) d;
                }
                l = utf8_encode(c, out);
                if (l == 0)
                        return -EINVAL;
                *ret_len = l;
                return (int) n + 1;
        }

        if (*p >= '0' && *p <= '7') {
                unsigned c = 0;

                for (unsigned i = 0; i < 3; i++) {
                        if (p[i] < '0' || p[i] > '7')
                                return -EINVAL;
                        c = (c << 3) | (unsigned) (p[i] - '0');
                }
                if (c == 0 || c > 255)
                        return -EINVAL;
                out[0] = (char) c;
                *ret_len = 1;
                return 3;
        }

        return -EINVAL;
}

int extract_first_word(const char **p, char **ret, const char *separators, ExtractFlags flags) {
        _cleanup_free_ char *word = NULL;
        size_t n = 0, allocated;
        const char *s;
        char quote = 0;
        CharSet sep;
        int r;

        s = *p;
        if (!s) {
                *ret = NULL;
                return 0;
        }
        charset_init(&sep, separators ?: WHITESPACE);
        s = charset_skip(&sep, s);
        if (*s == '\0') {
                *p = s;
                *ret = NULL;
                return 0;
        }

        /* A word is never longer than the rest of the input. */
        allocated = strlen(s) + 1;
        word = malloc(allocated);
        if (!word)
                return -ENOMEM;

        for (;; s++) {
                char c = *s;

                if (c == '\0') {
                        if (quote)
                                return -EINVAL;
                        break;
                }

                if (c == '\\') {
                        if (flags & EXTRACT_CUNESCAPE) {
                                char buf[4];
                                size_t l;

                                r = cunescape_one(s + 1, buf, &l);
                                if (r < 0)
                                        return r;
                                memcpy(word + n, buf, l);
                                n += l;
                                s += r;
                        } else {
                                if (s[1] == '\0')
                                        return -EINVAL;
                                word[n++] = s[1];
                                s++;
                        }
                        continue;
                }

                if (quote) {
                        if (c == quote)
                                quote = 0;
                        else
                                word[n++] = c;
                        continue;
                }

                if ((flags & EXTRACT_UNQUOTE) && (c == '"' || c == '\'')) {
                        quote = c;
                        continue;
                }

                if (charset_has(&sep, c))
                        break;

                word[n++] = c;
        }

        word[n] = '\0';
        s = charset_skip(&sep, s);
        *p = s;
        *ret = TAKE_PTR(word);
        return 1;
}

int cescape(const char *s, char **ret) {
        char *r, *t;

        r = malloc(strlen(s) * 4 + 1);
        if (!r)
                return -ENOMEM;

        for (t = r; *s; s++) {
                unsigned char c = (unsigned char) *s;

                switch (c) {
                case '\n': *(t++) = '\\'; *(t++) = 'n'; break;
                case '\t': *(t++) = '\\'; *(t++) = 't'; break;
                case '\r': *(t++) = '\\'; *(t++) = 'r'; break;
                case '\\': case '"': case '\'':
                        *(t++) = '\\';
                        *(t++) = (char) c;
                        break;
                default:
                        if (c < ' ' || c == 127) {
                                t += sprintf(t, "\\x%02x", c);
                        } else
                                *(t++) = (char) c;
                }
        }
        *t = '\0';
        *ret = r;
        return 0;
}

int strprintf_replace(char **p, const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        if (!p)
                return 0;
        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        free(*p);
        *p = s;
        return 0;
}

char *strjoin_internal(const char *first, ...) {
        size_t size = 1;
        va_list ap;
        char *r, *t;

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *)) {
                size_t l = strlen(s);

                if (size + l < size) {
                        va_end(ap);
                        return NULL;
                }
                size += l;
        }
        va_end(ap);

        r = malloc(size);
        if (!r)
                return NULL;
        t = r;
        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                t = stpcpy(t, s);
        va_end(ap);
        return r;
}

char *strprintf(const char *fmt, ...) {
        va_list ap;
        char *s;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        return r < 0 ? NULL : s;
}

unsigned strcase_distance(const char *a, const char *b, unsigned max) {
        enum { N = 32 };
        unsigned d[N + 1][N + 1];
        size_t la = strlen(a), lb = strlen(b);

        int8_t count[64] = {};
        unsigned surplus = 0, deficit = 0;

        if (la > N || lb > N || (la > lb ? la - lb : lb - la) >= max)
                return max;
        /* A second bound before the table: an edit step takes at most one character from what only |a| has,
         * and adds at most one to what only |b| has (a swap neither), so the distance is at least the larger
         * of the two counts. Folding characters into fewer bins keeps it a lower bound. Most keys are
         * refused here, which is what makes a file of many unknown keys cheap. */
        for (size_t i = 0; i < la; i++)
                count[ascii_lower(a[i]) & 63]++;
        for (size_t j = 0; j < lb; j++)
                count[ascii_lower(b[j]) & 63]--;
        /* a bin with more of |a|'s characters holds one of them, and one with more of |b|'s one of those:
         * visit the characters rather than all 64 bins, each bin counted once */
        for (size_t i = 0; i < la; i++) {
                int8_t *c = &count[ascii_lower(a[i]) & 63];

                if (*c > 0) {
                        surplus += (unsigned) *c;
                        *c = 0;
                }
        }
        for (size_t j = 0; j < lb; j++) {
                int8_t *c = &count[ascii_lower(b[j]) & 63];

                if (*c < 0) {
                        deficit += (unsigned) -*c;
                        *c = 0;
                }
        }
        if (MAX(surplus, deficit) >= max)
                return max;
        for (size_t i = 0; i <= la; i++)
                d[i][0] = (unsigned) i;
        for (size_t j = 0; j <= lb; j++)
                d[0][j] = (unsigned) j;
        for (size_t i = 1, previous_min = 0; i <= la; i++) {
                unsigned row_min = d[i][0];

                for (size_t j = 1; j <= lb; j++) {
                        unsigned cost = ascii_lower(a[i - 1]) != ascii_lower(b[j - 1]);
                        unsigned v = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);

                        if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) &&
                            ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
                                v = MIN(v, d[i - 2][j - 2] + 1);
                        d[i][j] = v;
                        row_min = MIN(row_min, v);
                }
                /* every cell of a row comes from the two rows above it plus at least 0: once two rows in a
                 * row are all at |max| or more, so is the end (the loader asks this of ~100 keys for each
                 * unknown one) */
                if (row_min >= max && previous_min >= max)
                        return max;
                previous_min = row_min;
        }
        return MIN(d[la][lb], max);
}
