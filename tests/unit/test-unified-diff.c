/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* unified_diff() (src/basic/unified-diff.c): the output "diff -u --label a --label b" prints for the same
 * inputs (checked against GNU diff when written), and scripts that "patch" applies. */

#include <string.h>

#include "unified-diff.h"
#include "test.h"

static char *diff_of(const char *a, const char *b, int *ret) {
        Buffer out = {};

        *ret = unified_diff("a", a, a ? strlen(a) : 0, "b", b, b ? strlen(b) : 0, &out);
        return buffer_steal(&out);
}

TEST(equal_texts_give_nothing) {
        _cleanup_free_ char *d = NULL;
        int r;

        d = diff_of("x\ny\n", "x\ny\n", &r);
        ASSERT_EQ(r, 0);
        ASSERT_STREQ(d, "");
        free(d);
        d = diff_of(NULL, "", &r);
        ASSERT_EQ(r, 0);
}

TEST(one_change_with_context_and_missing_newline) {
        _cleanup_free_ char *d = NULL;
        int r;

        d = diff_of("l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n", "l1\nl2\nl3\nl4\nX5\nl6\nl7\nl8\nl9\nl10\nl11", &r);
        ASSERT_EQ(r, 1);
        ASSERT_STREQ(d, "--- a\n+++ b\n@@ -2,9 +2,10 @@\n l2\n l3\n l4\n-l5\n+X5\n l6\n l7\n l8\n l9\n l10\n+l11\n"
                        "\\ No newline at end of file\n");
}

TEST(created_and_removed_files) {
        _cleanup_free_ char *c = NULL, *d = NULL;
        int r;

        c = diff_of(NULL, "[Container]\nImage=host\n", &r);
        ASSERT_EQ(r, 1);
        ASSERT_STREQ(c, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+[Container]\n+Image=host\n");
        d = diff_of("one\n", "", &r);
        ASSERT_EQ(r, 1);
        ASSERT_STREQ(d, "--- a\n+++ b\n@@ -1 +0,0 @@\n-one\n");
}

/* changes more than twice the context apart are two hunks; closer, one */
TEST(hunks_split_and_joined) {
        _cleanup_free_ char *d = NULL, *e = NULL;
        int r;

        d = diff_of("a\n1\n2\n3\n4\n5\n6\n7\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\nB\n", &r);
        ASSERT_EQ(r, 1);
        ASSERT_STREQ(d, "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n@@ -6,4 +6,4 @@\n 5\n 6\n 7\n-b\n+B\n");
        e = diff_of("a\n1\n2\n3\n4\n5\n6\nb\n", "A\n1\n2\n3\n4\n5\n6\nB\n", &r);
        ASSERT_EQ(r, 1);
        ASSERT_STREQ(e, "--- a\n+++ b\n@@ -1,8 +1,8 @@\n-a\n+A\n 1\n 2\n 3\n 4\n 5\n 6\n-b\n+B\n");
}
