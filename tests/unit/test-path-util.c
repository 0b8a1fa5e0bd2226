/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "path-util.h"
#include "test.h"

#define ASSERT_NORMALIZE(in, out)                                       \
        do {                                                            \
                _cleanup_free_ char *_n = NULL;                         \
                ASSERT_OK(path_normalize_absolute(in, &_n));            \
                ASSERT_STREQ(_n, out);                                  \
        } while (0)

TEST(path_normalize_good) {
        ASSERT_NORMALIZE("/", "/");
        ASSERT_NORMALIZE("//", "/");
        ASSERT_NORMALIZE("/a//b/", "/a/b");
        ASSERT_NORMALIZE("/a/./b/.", "/a/b");
        ASSERT_NORMALIZE("/./", "/");
        ASSERT_NORMALIZE("/a/..b/c..", "/a/..b/c..");
        ASSERT_NORMALIZE("/srv/www", "/srv/www");
}

TEST(path_normalize_bad) {
        const char *bad[] = { "", "a", "./a", "../a", "/..", "/a/../b", "/a/..", "data" };
        char *n = NULL;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_ERROR(path_normalize_absolute(bad[i], &n), EINVAL);
        ASSERT_NULL(n);
}

TEST(path_misc) {
        _cleanup_free_ char *j = NULL;

        ASSERT_TRUE(path_is_normalized_absolute("/a/b"));
        ASSERT_FALSE(path_is_normalized_absolute("/a/b/"));
        ASSERT_OK(path_join("/etc/", "/ctr", &j));
        ASSERT_STREQ(j, "/etc/ctr");
        ASSERT_STREQ(path_basename("/etc/ctr/web.ctr"), "web.ctr");
        ASSERT_STREQ(path_basename("web.ctr"), "web.ctr");
}
