/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "conf-parser.h"
#include "ctr-file.h"
#include "strv.h"
#include "test.h"

/* Records each item as "LINE [SECTION] KEY=VALUE" (or "LINE [SECTION]" for a header), joined by '|'. */
static int collect(_unused_ const char *file, unsigned line, const char *section, const char *key, const char *value,
                   void *userdata) {
        char ***l = userdata, *s;
        int r;

        if (key)
                r = asprintf(&s, "%u [%s] %s=%s", line, section, key, value);
        else
                r = asprintf(&s, "%u [%s]", line, section);
        if (r < 0)
                return -ENOMEM;
        return strv_consume(l, s);
}

static int parse(const char *text, char **ret, Diagnostics *diag) {
        _cleanup_strv_free_ char **l = NULL;
        int r, q;

        r = conf_parse_buffer("test.ctr", text, strlen(text), CTR_LINE_MAX, collect, &l, diag);
        if (r < 0 && r != -EBADMSG)
                return r;
        free(*ret);
        q = strv_join(l, "|", ret);
        return q < 0 ? q : r;
}

#define ASSERT_PARSE(text, expected)                                    \
        do {                                                            \
                _cleanup_free_ char *_j = NULL;                         \
                Diagnostics _d = {};                                    \
                int _r = parse(text, &_j, &_d);                         \
                diagnostics_clear(&_d);                                 \
                ASSERT_OK(_r);                                          \
                ASSERT_STREQ(_j, expected);                             \
        } while (0)

TEST(conf_basic) {
        ASSERT_PARSE("[A]\nKey=Value\n  Other  =  spaced value  \n",
                     "1 [A]|2 [A] Key=Value|3 [A] Other=spaced value");
}

TEST(conf_comments_only_at_line_start) {
        ASSERT_PARSE("# c\n; c\n[A]\n  # indented comment\nImage=host # x\nK=v ; w\n",
                     "3 [A]|5 [A] Image=host # x|6 [A] K=v ; w");
}

TEST(conf_continuation) {
        ASSERT_PARSE("[A]\nExec=/bin/echo one \\\n  two\\\nthree\nNext=1\n",
                     "1 [A]|2 [A] Exec=/bin/echo one    two three|5 [A] Next=1");
}

TEST(conf_continuation_skips_comments) {
        ASSERT_PARSE("[A]\nExec=a \\\n# comment\n; other\nb\n", "1 [A]|2 [A] Exec=a  b");
}

TEST(conf_continuation_even_backslashes) {
        /* "\\\\" at the end is an escaped backslash, not a continuation. */
        ASSERT_PARSE("[A]\nK=a\\\\\nL=b\n", "1 [A]|2 [A] K=a\\\\|3 [A] L=b");
        /* only the last run of backslashes counts, whatever came before it */
        ASSERT_PARSE("[A]\nK=\\a\\\\\\\nb\nL=c\n", "1 [A]|2 [A] K=\\a\\\\ b|4 [A] L=c");
        ASSERT_PARSE("[A]\nK=\\\\\\\\\nL=c\n", "1 [A]|2 [A] K=\\\\\\\\|3 [A] L=c");
        ASSERT_PARSE("[A]\nK=\\\\\\\n\\\\\nL=c\n", "1 [A]|2 [A] K=\\\\ \\\\|4 [A] L=c");
}

TEST(conf_continuation_at_eof) {
        ASSERT_PARSE("[A]\nK=a \\", "1 [A]|2 [A] K=a");
}

TEST(conf_continuation_ended_by_empty_line) {
        ASSERT_PARSE("[A]\nK=a \\\n\nL=b\n", "1 [A]|2 [A] K=a|4 [A] L=b");
}

TEST(conf_crlf_and_bom) {
        ASSERT_PARSE("\xEF\xBB\xBF[A]\r\nK=v\r\n", "1 [A]|2 [A] K=v");
}

TEST(conf_empty_value) {
        ASSERT_PARSE("[A]\nK=\nL =  \n", "1 [A]|2 [A] K=|3 [A] L=");
}

TEST(conf_value_with_equals) {
        ASSERT_PARSE("[A]\nEnvironment=A=b=c\n", "1 [A]|2 [A] Environment=A=b=c");
}

TEST(conf_missing_equals_warns) {
        _cleanup_free_ char *j = NULL;
        Diagnostics d = {};

        ASSERT_OK(parse("[A]\nnonsense\nK=v\n", &j, &d));
        ASSERT_STREQ(j, "1 [A]|3 [A] K=v");
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_WARNING);
        ASSERT_EQ(d.items[0].line, 2);
        ASSERT_STREQ(d.items[0].message, "Missing '=', ignoring line.");
        diagnostics_clear(&d);
}

TEST(conf_assignment_outside_section) {
        _cleanup_free_ char *j = NULL;
        Diagnostics d = {};

        ASSERT_OK(parse("K=v\n[A]\n", &j, &d));
        ASSERT_STREQ(j, "2 [A]");
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].line, 1);
        diagnostics_clear(&d);
}

TEST(conf_bad_section_header) {
        _cleanup_free_ char *j = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(parse("[A\nK=v\n", &j, &d), EBADMSG);
        ASSERT_TRUE(diagnostics_has_errors(&d));
        ASSERT_EQ(d.items[0].line, 1);
        ASSERT_STREQ(d.items[0].message, "Invalid section header '[A'.");
        diagnostics_clear(&d);

        ASSERT_ERROR(parse("[]\n", &j, &d), EBADMSG);
        diagnostics_clear(&d);
}

TEST(conf_nul_byte) {
        _cleanup_strv_free_ char **l = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(conf_parse_buffer("t", "[A]\nK=v\0x\n", 10, CTR_LINE_MAX, collect, &l, &d), EBADMSG);
        ASSERT_TRUE(diagnostics_has_errors(&d));
        diagnostics_clear(&d);
}

TEST(conf_line_too_long) {
        _cleanup_strv_free_ char **l = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(conf_parse_buffer("t", "[A]\nK=0123456789\n", 17, 10, collect, &l, &d), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].line, 2);
        diagnostics_clear(&d);

        /* A continuation counts as one line. */
        strv_free(l);
        l = NULL;
        ASSERT_ERROR(conf_parse_buffer("t", "[A]\nK=12\\\n345\\\n67\n", 20, 10, collect, &l, &d), EBADMSG);
        diagnostics_clear(&d);
}

TEST(conf_bad_section_header_drops_its_assignments) {
        _cleanup_free_ char *j = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(parse("[A]\nK=1\n[B\nL=2\n[C]\nM=3\n", &j, &d), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(j, "1 [A]|2 [A] K=1|5 [C]|6 [C] M=3");
        diagnostics_clear(&d);
}
