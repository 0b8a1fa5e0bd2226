/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>

#include "string-util.h"
#include "strv.h"
#include "test.h"

/* Splits |s| as Exec= does and joins the words with '|'. */
static int split(const char *s, char **ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (const char *p = s;;) {
                char *w;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                r = strv_consume(&l, w);
                if (r < 0)
                        return r;
        }
        return strv_join(l, "|", ret);
}

#define ASSERT_SPLIT(in, out)                                   \
        do {                                                    \
                _cleanup_free_ char *_j = NULL;                 \
                ASSERT_OK(split(in, &_j));                      \
                ASSERT_STREQ(_j, out);                          \
        } while (0)

TEST(strcase_distance) {
        ASSERT_EQ(strcase_distance("Image", "Image", 4), 0U);
        ASSERT_EQ(strcase_distance("image", "Image", 4), 0U);
        ASSERT_EQ(strcase_distance("Imagee", "Image", 4), 1U);         /* one inserted */
        ASSERT_EQ(strcase_distance("Imgae", "Image", 4), 1U);          /* two swapped: one step */
        ASSERT_EQ(strcase_distance("Volumes", "Volume", 4), 1U);
        ASSERT_EQ(strcase_distance("Exec", "User", 9), 3U);
        ASSERT_EQ(strcase_distance("abcde", "vwxyz", 4), 4U);         /* 5, capped */
        ASSERT_EQ(strcase_distance("", "abc", 9), 3U);
        ASSERT_EQ(strcase_distance("a", "abcdefgh", 3), 3U);           /* lengths alone exceed the cap */
        ASSERT_EQ(strcase_distance("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH", "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH", 5),
                  5U);                                                  /* over 32 characters: never close */
}

/* The full table, for the early exit to be checked against. */
static unsigned distance_reference(const char *a, const char *b) {
        unsigned d[33][33];
        size_t la = strlen(a), lb = strlen(b);

        for (size_t i = 0; i <= la; i++)
                d[i][0] = (unsigned) i;
        for (size_t j = 0; j <= lb; j++)
                d[0][j] = (unsigned) j;
        for (size_t i = 1; i <= la; i++)
                for (size_t j = 1; j <= lb; j++) {
                        unsigned v = MIN(MIN(d[i - 1][j] + 1, d[i][j - 1] + 1),
                                         d[i - 1][j - 1] + (tolower((unsigned char) a[i - 1]) != tolower((unsigned char) b[j - 1])));

                        if (i > 1 && j > 1 && tolower((unsigned char) a[i - 1]) == tolower((unsigned char) b[j - 2]) &&
                            tolower((unsigned char) a[i - 2]) == tolower((unsigned char) b[j - 1]))
                                v = MIN(v, d[i - 2][j - 2] + 1);
                        d[i][j] = v;
                }
        return d[la][lb];
}

TEST(strcase_distance_early_exit) {
        /* keys, typos of them, and words that share only an end or a start with them */
        static const char *const words[] = {
                "Image", "Imgae", "Exec", "Environment", "Enviroment", "EnvironmentFile", "Volume", "Volumes",
                "PublishPort", "PublishPorts", "xxxxxxPort", "Portxxxxxx", "ab", "ba", "abab", "baba", "",
                "MemoryMax", "MemroyMax", "TasksMax", "Max", "HealthCmd", "HealthCmdx", "aHealthCmd",
        };

        for (size_t i = 0; i < ELEMENTSOF(words); i++)
                for (size_t k = 0; k < ELEMENTSOF(words); k++)
                        for (unsigned max = 1; max <= 6; max++) {
                                unsigned want = MIN(distance_reference(words[i], words[k]), max);

                                ASSERT_EQ(strcase_distance(words[i], words[k], max), want);
                        }
}

/* A word of 0 to 8 characters from |alphabet|, from a fixed sequence. */
static void random_word(const char *alphabet, unsigned *seed, char word[static 9]) {
        size_t n;

        *seed = *seed * 1103515245U + 12345U;
        n = (*seed >> 16) % 9;
        for (size_t i = 0; i < n; i++) {
                *seed = *seed * 1103515245U + 12345U;
                word[i] = alphabet[(*seed >> 16) % strlen(alphabet)];
        }
        word[n] = 0;
}

TEST(strcase_distance_random) {
        /* short words of few letters, so that most pairs are near and the letter-count bound is tested at
         * its edge; 'a' and '!' (and 'b' and '"') share a bin of that count */
        unsigned seed = 1;

        for (unsigned n = 0; n < 20000; n++) {
                char a[9], b[9];

                random_word("abAB!\"c", &seed, a);
                random_word("abAB!\"c", &seed, b);
                for (unsigned max = 1; max <= 5; max++)
                        ASSERT_EQ(strcase_distance(a, b, max), MIN(distance_reference(a, b), max));
        }
}

TEST(extract_plain) {
        ASSERT_SPLIT("a b  c", "a|b|c");
        ASSERT_SPLIT("  a\tb  ", "a|b");
        ASSERT_SPLIT("", "");
}

TEST(extract_quotes) {
        ASSERT_SPLIT("/usr/sbin/nginx -g 'daemon off;'", "/usr/sbin/nginx|-g|daemon off;");
        ASSERT_SPLIT("\"a b\" 'c d'", "a b|c d");
        ASSERT_SPLIT("a\"b c\"d", "ab cd");
        ASSERT_SPLIT("'it\\'s'", "it's");
        ASSERT_SPLIT("\"say \\\"hi\\\"\"", "say \"hi\"");
        ASSERT_SPLIT("\"\" x", "|x");
        ASSERT_SPLIT("'\"' \"'\"", "\"|'");
}

TEST(extract_escapes) {
        ASSERT_SPLIT("a\\nb", "a\nb");
        ASSERT_SPLIT("a\\tb", "a\tb");
        ASSERT_SPLIT("a\\\\b", "a\\b");
        ASSERT_SPLIT("\\x41\\102", "AB");
        ASSERT_SPLIT("\\u00e9", "\xc3\xa9");
        ASSERT_SPLIT("\\U0001F600", "\xf0\x9f\x98\x80");
        ASSERT_SPLIT("a\\sb", "a b");
        ASSERT_SPLIT("\"\\x41 \\n\"", "A \n");
}

TEST(extract_bad) {
        const char *bad[] = { "'abc", "\"abc", "abc\\", "\\x4", "\\x00", "\\000", "\\q", "\\u12",
                              "\\uD800", "\\U00110000", "\\999",
                              "a\\ b" /* as systemd: use \\s or quotes */ };
        _cleanup_free_ char *j = NULL;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (split(bad[i], &j) != -EINVAL)
                        TEST_FAIL("'%s' should fail", bad[i]);
}

TEST(extract_separators) {
        const char *p = "a,b,,c";
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

        ASSERT_EQ(extract_first_word(&p, &a, ",", 0), 1);
        ASSERT_EQ(extract_first_word(&p, &b, ",", 0), 1);
        ASSERT_EQ(extract_first_word(&p, &c, ",", 0), 1);
        ASSERT_STREQ(a, "a");
        ASSERT_STREQ(b, "b");
        ASSERT_STREQ(c, "c");

        /* several separators, bytes above 0x7f among them, at both ends and in a row; the rest after a word
         * starts at the next one */
        const char *q = ":\xe9" "a\xe9:b:\xff", *rest;
        _cleanup_free_ char *d = NULL, *e = NULL, *f = NULL;

        ASSERT_EQ(extract_first_word(&q, &d, ":\xe9\xff", 0), 1);
        ASSERT_STREQ(d, "a");
        rest = q;
        ASSERT_STREQ(rest, "b:\xff");
        ASSERT_EQ(extract_first_word(&q, &e, ":\xe9\xff", 0), 1);
        ASSERT_STREQ(e, "b");
        ASSERT_STREQ(q, "");
        ASSERT_EQ(extract_first_word(&q, &f, ":\xe9\xff", 0), 0);
        ASSERT_NULL(f);
}

TEST(cescape_roundtrip) {
        const char *in = "a \"b\" 'c' \\ \n\t\x01 é";
        _cleanup_free_ char *e = NULL, *w = NULL;
        const char *p;

        ASSERT_OK(cescape(in, &e));
        p = e;
        ASSERT_EQ(extract_first_word(&p, &w, "", EXTRACT_CUNESCAPE), 1);
        ASSERT_STREQ(w, in);
}

TEST(utf8) {
        ASSERT_TRUE(utf8_is_valid("plain"));
        ASSERT_TRUE(utf8_is_valid("caf\xc3\xa9 \xe2\x80\xb0 \xf0\x9f\x98\x80"));
        ASSERT_FALSE(utf8_is_valid("\xff"));
        ASSERT_FALSE(utf8_is_valid("\xc3"));
        ASSERT_FALSE(utf8_is_valid("\xc0\x80"));        /* overlong NUL */
        ASSERT_FALSE(utf8_is_valid("\xed\xa0\x80"));    /* surrogate */
        ASSERT_FALSE(utf8_is_valid("\xf4\x90\x80\x80")); /* > U+10FFFF */
        /* ASCII around and between sequences, a sequence cut by the end or by ASCII */
        ASSERT_TRUE(utf8_is_valid(""));
        ASSERT_TRUE(utf8_is_valid("Environment=A=\xc3\xa9\xc3\xa9 B=\xf0\x9f\x98\x80"));
        ASSERT_TRUE(utf8_is_valid("\x7f\x01 \xef\xbf\xbd\x7f"));
        ASSERT_FALSE(utf8_is_valid("abc\xe2\x80"));
        ASSERT_FALSE(utf8_is_valid("abc\xe2\x80x"));
        ASSERT_FALSE(utf8_is_valid("abc\xf0\x9f\x98"));
        ASSERT_FALSE(utf8_is_valid("ab\x80" "cd"));               /* a lone continuation byte */
        ASSERT_FALSE(utf8_is_valid("ab\xc3\xa9\xa9"));          /* one too many */
        ASSERT_FALSE(utf8_is_valid("ab\xf8\x88\x80\x80\x80"));   /* 5 bytes */
}

TEST(in_charset) {
        ASSERT_TRUE(in_charset("", "abc"));
        ASSERT_TRUE(in_charset("", ""));
        ASSERT_FALSE(in_charset("a", ""));
        ASSERT_TRUE(in_charset("cab", "abc"));
        ASSERT_FALSE(in_charset("cabd", "abc"));
        ASSERT_TRUE(in_charset("\xc3\xa9", "\xa9\xc3"));
        ASSERT_FALSE(in_charset("\xc3\xa9", "\xc3"));
        ASSERT_TRUE(in_charset("~\x7f\x80\xff", "\xff\x80\x7f~"));       /* bytes from each quarter of the range */
}

TEST(strstrip_startswith) {
        char s[] = "  \tabc \n";

        ASSERT_STREQ(strstrip(s), "abc");
        char blank[] = " \t\r\n ", inner[] = "\ra b\tc\r\n", none[] = "x", empty[] = "", vt[] = "\vx\f";
        ASSERT_STREQ(strstrip(blank), "");
        ASSERT_STREQ(strstrip(inner), "a b\tc");
        ASSERT_STREQ(strstrip(none), "x");
        ASSERT_STREQ(strstrip(empty), "");
        ASSERT_STREQ(strstrip(vt), "\vx\f");          /* WHITESPACE only: not \v or \f */
        ASSERT_STREQ(startswith("foobar", "foo"), "bar");
        ASSERT_NULL(startswith("foobar", "bar"));
        ASSERT_STREQ(endswith("web.ctr", ".ctr"), ".ctr");
        ASSERT_NULL(endswith("ctr", "web.ctr"));
        ASSERT_STREQ(startswith_no_case("CAP_X", "cap_"), "X");
}

TEST(strprintf_replace) {
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(strprintf_replace(NULL, "ignored %d", 1));
        ASSERT_OK(strprintf_replace(&s, "first %d", 1));
        ASSERT_STREQ(s, "first 1");
        /* the old text may be an argument: it is read before it is freed */
        ASSERT_OK(strprintf_replace(&s, "outer (%s)", s));
        ASSERT_STREQ(s, "outer (first 1)");
}

#define ASSERT_ESCAPED(in, len, out)                                    \
        do {                                                            \
                _cleanup_free_ char *_e = NULL;                         \
                ASSERT_OK(escape_non_printable(in, len, &_e));          \
                ASSERT_STREQ(_e, out);                                  \
        } while (0)

TEST(escape_non_printable_keeps_text) {
        ASSERT_ESCAPED("", SIZE_MAX, "");
        ASSERT_ESCAPED("plain text, 100% \"quoted\" 'x' \\n stays", SIZE_MAX,
                       "plain text, 100% \"quoted\" 'x' \\n stays");
        /* tab: kept (it only moves the cursor right) */
        ASSERT_ESCAPED("\tat Main.run(Main.java:7)", SIZE_MAX, "\tat Main.run(Main.java:7)");
        /* multibyte characters: 2, 3 and 4 bytes, the first printable after C1 (U+00A0), the last of Unicode */
        ASSERT_ESCAPED("caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80 \xc2\xa0 \xf4\x8f\xbf\xbf", SIZE_MAX,
                       "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80 \xc2\xa0 \xf4\x8f\xbf\xbf");
        ASSERT_ESCAPED(" ~", SIZE_MAX, " ~");
}

TEST(escape_non_printable_terminal_sequences) {
        /* OSC 52 (clipboard write), ending in BEL and in ST */
        ASSERT_ESCAPED("\033]52;c;ZWNobyBwd25lZA==\007", SIZE_MAX, "\\x1b]52;c;ZWNobyBwd25lZA==\\a");
        ASSERT_ESCAPED("\033]0;title\033\\", SIZE_MAX, "\\x1b]0;title\\x1b\\");
        /* clear screen, hidden text, cursor up */
        ASSERT_ESCAPED("\033[2J\033[8mhidden\033[1A", SIZE_MAX, "\\x1b[2J\\x1b[8mhidden\\x1b[1A");
        /* line breaks and overwriting */
        ASSERT_ESCAPED("a\nb\rc\bd\fe\vf", SIZE_MAX, "a\\nb\\rc\\bd\\fe\\vf");
        /* every other C0 control and DEL */
        ASSERT_ESCAPED("\001\002\016\017\030\032\034\037\177", SIZE_MAX,
                       "\\x01\\x02\\x0e\\x0f\\x18\\x1a\\x1c\\x1f\\x7f");
}

TEST(escape_non_printable_c1) {
        /* C1 controls written as UTF-8: U+009B is CSI, U+009D OSC, U+0090 DCS, U+0085 NEL, U+0080 and U+009F */
        ASSERT_ESCAPED("\xc2\x9b" "2J", SIZE_MAX, "\\xc2\\x9b2J");
        ASSERT_ESCAPED("\xc2\x9d" "52;c;x\xc2\x9c", SIZE_MAX, "\\xc2\\x9d52;c;x\\xc2\\x9c");
        ASSERT_ESCAPED("\xc2\x80\xc2\x85\xc2\x90\xc2\x9f", SIZE_MAX, "\\xc2\\x80\\xc2\\x85\\xc2\\x90\\xc2\\x9f");
        /* C1 as raw 8-bit bytes (what a Latin-1 terminal obeys): not UTF-8 */
        ASSERT_ESCAPED("\x9b" "2J \x9d" "0;t\x9c", SIZE_MAX, "\\x9b2J \\x9d0;t\\x9c");
}

TEST(escape_non_printable_invalid_utf8) {
        ASSERT_ESCAPED("\xff\xfe", SIZE_MAX, "\\xff\\xfe");
        ASSERT_ESCAPED("a\xc3", SIZE_MAX, "a\\xc3");                    /* truncated at the end */
        ASSERT_ESCAPED("\xc3" "b", SIZE_MAX, "\\xc3b");                 /* continuation missing */
        ASSERT_ESCAPED("\xe2\x86", SIZE_MAX, "\\xe2\\x86");             /* truncated 3-byte form */
        ASSERT_ESCAPED("\xc0\x9b", SIZE_MAX, "\\xc0\\x9b");             /* overlong ESC-ish */
        ASSERT_ESCAPED("\xc1\xbf", SIZE_MAX, "\\xc1\\xbf");             /* overlong DEL */
        ASSERT_ESCAPED("\xe0\x80\x9b", SIZE_MAX, "\\xe0\\x80\\x9b");    /* overlong C1 */
        ASSERT_ESCAPED("\xed\xa0\x80", SIZE_MAX, "\\xed\\xa0\\x80");    /* surrogate */
        ASSERT_ESCAPED("\xf4\x90\x80\x80", SIZE_MAX, "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
        ASSERT_ESCAPED("\xf8\x88\x80\x80\x80", SIZE_MAX, "\\xf8\\x88\\x80\\x80\\x80");
        /* a lone continuation byte, then valid text goes on */
        ASSERT_ESCAPED("\x80" "ok\xc3\xa9", SIZE_MAX, "\\x80ok\xc3\xa9");
}

TEST(escape_non_printable_length) {
        /* NUL bytes inside the length are escaped, the text after them kept */
        ASSERT_ESCAPED("a\0b\033", 4, "a\\x00b\\x1b");
        /* a length that cuts a multibyte character: its bytes are not UTF-8 any more */
        ASSERT_ESCAPED("\xc3\xa9xyz", 1, "\\xc3");
        ASSERT_ESCAPED("abc", 0, "");
        /* the worst case, every byte four characters long */
        {
                char in[256], expected[256 * 4 + 1], *t = expected;
                _cleanup_free_ char *e = NULL;

                for (size_t i = 0; i < sizeof(in); i++)
                        in[i] = (char) (i < 32 ? 1 : 0x80 | (i & 0x3f));   /* controls, continuations */
                for (size_t i = 0; i < sizeof(in); i++)
                        t += sprintf(t, "\\x%02x", (unsigned char) in[i]);
                ASSERT_OK(escape_non_printable(in, sizeof(in), &e));
                ASSERT_STREQ(e, expected);
        }
}

TEST(escape_non_printable_leaves_no_escape_byte) {
        /* whatever the input, no byte a terminal treats as a control survives */
        char in[512];
        unsigned seed = 1;

        for (unsigned round = 0; round < 2000; round++) {
                _cleanup_free_ char *e = NULL;
                size_t n = round % sizeof(in);

                for (size_t i = 0; i < n; i++) {
                        seed = seed * 1103515245 + 12345;
                        in[i] = (char) (seed >> 16);
                }
                ASSERT_OK(escape_non_printable(in, n, &e));
                ASSERT_TRUE(utf8_is_valid(e));
                for (const unsigned char *p = (const unsigned char *) e; *p; p++) {
                        ASSERT_TRUE(*p >= ' ' || *p == '\t');
                        ASSERT_TRUE(*p != 0x7f);
                        if (*p == 0xc2)
                                ASSERT_TRUE(p[1] >= 0xa0);
                }
        }
}

TEST(strjoin) {
        _cleanup_free_ char *a = strjoin("ctr@", "web", ".service"), *b = strjoin("only"), *c = strjoin("", "x", ""),
                            *d = strjoin("a", NULL, "ignored");

        ASSERT_STREQ(a, "ctr@web.service");
        ASSERT_STREQ(b, "only");
        ASSERT_STREQ(c, "x");
        ASSERT_STREQ(d, "a");
}

TEST(alnum_or) {
        unsigned seed = 11;

        ASSERT_TRUE(alnum_or("", ""));
        ASSERT_TRUE(alnum_or("aZ09", ""));
        ASSERT_FALSE(alnum_or("a-b", ""));
        ASSERT_TRUE(alnum_or("a-b_c", "_-"));
        ASSERT_FALSE(alnum_or("a\xc3\xa9", "_-"));
        /* as in_charset(s, ALPHANUMERICAL extra) says, on random bytes */
        for (unsigned i = 0; i < 20000; i++) {
                char str[6], extra[3];
                _cleanup_free_ char *set = NULL;

                for (unsigned j = 0; j < sizeof(extra) - 1; j++)
                        extra[j] = (char) (1 + rand_r(&seed) % 255);
                /* mostly letters and digits, so that both answers come up */
                for (unsigned j = 0; j < sizeof(str) - 1; j++)
                        str[j] = rand_r(&seed) % 8 == 0 ? extra[rand_r(&seed) % 2] :
                                 rand_r(&seed) % 8 == 0 ? (char) (1 + rand_r(&seed) % 255) :
                                 ALPHANUMERICAL[rand_r(&seed) % 62];
                str[sizeof(str) - 1] = extra[sizeof(extra) - 1] = '\0';
                str[rand_r(&seed) % sizeof(str)] = '\0';
                set = strjoin(ALPHANUMERICAL, extra);
                ASSERT_NOT_NULL(set);
                ASSERT_EQ(alnum_or(str, extra), in_charset(str, set));
        }
}
