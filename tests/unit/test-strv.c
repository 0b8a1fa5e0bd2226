/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "strv.h"
#include "test.h"

TEST(strv_basic) {
        _cleanup_strv_free_ char **l = NULL, **c = NULL;
        _cleanup_free_ char *j = NULL;

        ASSERT_EQ(strv_length(l), 0);
        ASSERT_TRUE(strv_isempty(l));
        ASSERT_OK(strv_extend(&l, "b"));
        ASSERT_OK(strv_extend(&l, "a"));
        ASSERT_OK(strv_consume(&l, strdup("c")));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_TRUE(strv_contains(l, "a"));
        ASSERT_FALSE(strv_contains(l, "d"));
        strv_sort(l);
        ASSERT_OK(strv_join(l, ",", &j));
        ASSERT_STREQ(j, "a,b,c");
        ASSERT_OK(strv_copy(l, &c));
        ASSERT_TRUE(strv_equal(l, c));
        strv_remove(c, "b");
        ASSERT_EQ(strv_length(c), 2);
        ASSERT_FALSE(strv_equal(l, c));
}

TEST(strv_split) {
        _cleanup_strv_free_ char **l = NULL, **e = NULL;

        ASSERT_OK(strv_split("::a:b::c:", ":", &l));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(l[0], "a");
        ASSERT_STREQ(l[2], "c");
        ASSERT_OK(strv_split("", ":", &e));
        ASSERT_NOT_NULL(e);
        ASSERT_EQ(strv_length(e), 0);
}
