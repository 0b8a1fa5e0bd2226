/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* overlay-util.c. This program is linked with -Wl,--wrap=malloc,--wrap=realloc: every allocation of the
 * code under test goes through the wrappers below, so a failure can be injected at each one in turn. */

#include "overlay-util.h"
#include "test.h"

void *__real_malloc(size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_realloc(void *p, size_t n);

/* -1: no injection; N >= 0: the allocation after N more succeeds fails, once */
static long fail_countdown = -1;

static bool inject(void) {
        if (fail_countdown < 0)
                return false;
        if (fail_countdown-- > 0)
                return false;
        return true;
}

void *__wrap_malloc(size_t n) {
        if (inject()) {
                errno = ENOMEM;
                return NULL;
        }
        return __real_malloc(n);
}

void *__wrap_realloc(void *p, size_t n) {
        if (inject()) {
                errno = ENOMEM;
                return NULL;
        }
        return __real_realloc(p, n);
}

TEST(overlay_escape) {
        _cleanup_free_ char *a = overlay_escape("/plain/path"), *b = overlay_escape("/a,b:c\\d");

        ASSERT_STREQ(a, "/plain/path");
        ASSERT_STREQ(b, "/a\\,b\\:c\\\\d");
}

TEST(overlay_lowerdir_format) {
        _cleanup_free_ char *s = NULL;
        char *lowers[] = { (char *) "/top", (char *) "/l:2", (char *) "/l,1", (char *) "/root", NULL };
        char *none[] = { NULL };

        ASSERT_EQ(overlay_lowerdir_format(lowers, &s), 0);
        ASSERT_STREQ(s, "/top:/l\\:2:/l\\,1:/root");
        ASSERT_ERROR(overlay_lowerdir_format(none, &s), EINVAL);
}

/* An allocation that fails anywhere fails the whole value: a layer silently left out of lowerdir= would
 * mount a different root (the bug rootfs_overlay() had). Each allocation is made to fail in turn. */
TEST(overlay_lowerdir_format_out_of_memory) {
        char *lowers[] = { (char *) "/top", (char *) "/l:2", (char *) "/l,1", (char *) "/root", NULL };
        unsigned injected = 0;

        for (long n = 0;; n++) {
                _cleanup_free_ char *s = NULL;
                int r;

                fail_countdown = n;
                r = overlay_lowerdir_format(lowers, &s);
                if (fail_countdown >= 0) {
                        /* ran through without reaching the failure: every allocation has been tried */
                        fail_countdown = -1;
                        ASSERT_EQ(r, 0);
                        ASSERT_STREQ(s, "/top:/l\\:2:/l\\,1:/root");
                        break;
                }
                fail_countdown = -1;
                injected++;
                if (r == 0)
                        TEST_FAIL("allocation %ld failed, yet lowerdir=%s was returned", n, s);
                ASSERT_ERROR(r, ENOMEM);
        }
        ASSERT_TRUE(injected >= 4);
}
