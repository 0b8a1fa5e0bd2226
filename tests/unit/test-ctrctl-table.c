/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl's aligned tables (src/ctrctl/table.c). */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "table.h"
#include "test.h"

static char *print(const Table *t, bool legend, bool color) {
        char *buf = NULL;
        size_t size = 0;
        FILE *s = open_memstream(&buf, &size);

        if (!s)
                return NULL;
        if (table_print(t, s, legend, color) < 0) {
                fclose(s);
                free(buf);
                return NULL;
        }
        fclose(s);
        return buf;
}

TEST(alignment_left_and_right) {
        static const char *const h[] = { "NAME", ">PID", "FILE", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, "web"));
        ASSERT_OK(table_add(t, "7"));
        ASSERT_OK(table_add(t, "/etc/ctr/web.ctr"));
        ASSERT_OK(table_add(t, "database"));
        ASSERT_OK(table_addf(t, "%d", 12345));
        ASSERT_OK(table_add(t, "/run/ctr/database.ctr"));
        ASSERT_EQ(table_rows(t), 2);

        s = print(t, true, false);
        /* columns two spaces apart, numbers right-aligned, the last column not padded */
        ASSERT_STREQ(s, "NAME        PID  FILE\n"
                        "web           7  /etc/ctr/web.ctr\n"
                        "database  12345  /run/ctr/database.ctr\n");
}

TEST(no_legend) {
        static const char *const h[] = { "NAME", "STATE", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, "a"));
        ASSERT_OK(table_add(t, "active"));
        s = print(t, false, false);
        /* without the header the widths come from the cells alone */
        ASSERT_STREQ(s, "a  active\n");
}

TEST(null_cell_is_dash) {
        static const char *const h[] = { "A", "B", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, NULL));
        ASSERT_OK(table_add(t, NULL));
        s = print(t, true, false);
        ASSERT_STREQ(s, "A  B\n-  -\n");
}

TEST(utf8_width_counts_code_points) {
        static const char *const h[] = { "NAME", "X", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_EQ(utf8_width("grüße"), 5);
        ASSERT_EQ(utf8_width("→"), 1);
        ASSERT_EQ(utf8_width(""), 0);

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, "grüße"));
        ASSERT_OK(table_add(t, "1"));
        ASSERT_OK(table_add(t, "ab"));
        ASSERT_OK(table_add(t, "2"));
        s = print(t, true, false);
        ASSERT_STREQ(s, "NAME   X\ngrüße  1\nab     2\n");
}

TEST(colors_not_counted_and_only_when_asked) {
        static const char *const h[] = { "STATE", "N", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *plain = NULL, *colored = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add_color(t, "failed", "\033[31m"));
        ASSERT_OK(table_add(t, "1"));
        ASSERT_OK(table_add(t, "ok"));
        ASSERT_OK(table_add(t, "2"));

        plain = print(t, true, false);
        ASSERT_STREQ(plain, "STATE   N\nfailed  1\nok      2\n");
        ASSERT_NULL(strchr(plain, '\033'));

        colored = print(t, false, true);
        ASSERT_STREQ(colored, "\033[31mfailed\033[0m  1\nok      2\n");
}

TEST(incomplete_last_row) {
        static const char *const h[] = { "A", "B", "C", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, "x"));
        ASSERT_EQ(table_rows(t), 1);
        s = print(t, true, false);
        ASSERT_STREQ(s, "A  B  C\nx     \n");
}

TEST(bad_headers) {
        static const char *const none[] = { NULL };
        static const char *const many[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
                                            "14", "15", "16", "17", NULL };
        Table *t = NULL;

        ASSERT_ERROR(table_new(none, &t), EINVAL);
        ASSERT_ERROR(table_new(many, &t), E2BIG);
        ASSERT_NULL(t);
}

TEST(control_characters_escaped) {
        static const char *const h[] = { "NAME", "CMD", NULL };
        _cleanup_table_free_ Table *t = NULL;
        _cleanup_free_ char *s = NULL, *colored = NULL;

        ASSERT_OK(table_new(h, &t));
        ASSERT_OK(table_add(t, "web"));
        ASSERT_OK(table_add(t, "sh -c \033]52;c;eA==\007\033[2J"));
        ASSERT_OK(table_add_color(t, "caf\xc3\xa9\r\xc2\x9b", "\033[31m"));
        ASSERT_OK(table_addf(t, "%s\xff", "x\n"));
        s = print(t, true, false);
        /* the escaped text is what is aligned: \x1b counts four columns, é one */
        ASSERT_STREQ(s, "NAME            CMD\n"
                        "web             sh -c \\x1b]52;c;eA==\\a\\x1b[2J\n"
                        "caf\xc3\xa9\\r\\xc2\\x9b  x\\n\\xff\n");
        /* the table's own colour sequences are the only ESC bytes */
        colored = print(t, false, true);
        ASSERT_STREQ(colored, "web             sh -c \\x1b]52;c;eA==\\a\\x1b[2J\n"
                              "\033[31mcaf\xc3\xa9\\r\\xc2\\x9b\033[0m  x\\n\\xff\n");
}
