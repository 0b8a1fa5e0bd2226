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
        ASSERT_TRUE(path_is_same_or_below("/etc/hosts", "/etc"));
        ASSERT_TRUE(path_is_same_or_below("/etc/hosts", "/etc/hosts"));
        ASSERT_TRUE(path_is_same_or_below("/etc/hosts", "/"));
        ASSERT_FALSE(path_is_same_or_below("/etc/hosts", "/et"));
        ASSERT_FALSE(path_is_same_or_below("/etc", "/etc/hosts"));
}

TEST(find_executable) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *search = NULL, *a = NULL, *p = NULL;
        char *none = NULL;

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(test_write(dir, "a/tool", "#!/bin/sh\n"));    /* 0644: found by name, not executable */
        ASSERT_OK(test_write(dir, "b/tool", "#!/bin/sh\n"));
        ASSERT_OK(asprintf(&a, "%s/b/tool", dir) < 0 ? -ENOMEM : 0);
        ASSERT_OK(chmod(a, 0755) < 0 ? -errno : 0);

        /* empty entries are skipped, the first executable one wins */
        ASSERT_OK(asprintf(&search, "::%s/missing:%s/a::%s/b:", dir, dir, dir) < 0 ? -ENOMEM : 0);
        ASSERT_OK(find_executable("tool", search, &p));
        ASSERT_STREQ(p, a);
        p = mfree(p);

        /* a name with a '/' is not looked up */
        ASSERT_OK(find_executable("./tool", search, &p));
        ASSERT_STREQ(p, "./tool");
        p = mfree(p);

        ASSERT_ERROR(find_executable("no-such-tool", search, &none), ENOENT);
        ASSERT_ERROR(find_executable("tool", "", &none), ENOENT);
        ASSERT_NULL(none);

        /* no PATH= at all: the default one, which holds sh */
        ASSERT_OK(find_executable("sh", NULL, &p));
        ASSERT_TRUE(path_is_absolute(p));
        ASSERT_STREQ(path_basename(p), "sh");
}
