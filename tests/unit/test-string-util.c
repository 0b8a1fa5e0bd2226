/* SPDX-License-Identifier: LGPL-2.1-or-later */

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
}

TEST(strstrip_startswith) {
        char s[] = "  \tabc \n";

        ASSERT_STREQ(strstrip(s), "abc");
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
