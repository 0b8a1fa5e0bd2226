/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "specifier.h"
#include "test.h"

TEST(specifier_expand) {
        SpecifierContext ctx = { .name = "web", .hostname = "box" };
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(specifier_expand("%n %N %i %H 100%%", &ctx, &s, NULL));
        ASSERT_STREQ(s, "ctr@web.service ctr@web web box 100%");
}

TEST(specifier_plain) {
        SpecifierContext ctx = { .name = "web", .hostname = "box" };
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(specifier_expand("no specifiers", &ctx, &s, NULL));
        ASSERT_STREQ(s, "no specifiers");
}

TEST(specifier_hostname_default) {
        SpecifierContext ctx = { .name = "web" };
        _cleanup_free_ char *s = NULL;
        char h[256] = "";

        ASSERT_OK(gethostname(h, sizeof(h) - 1));
        ASSERT_OK(specifier_expand("%H", &ctx, &s, NULL));
        ASSERT_STREQ(s, h);
}

TEST(specifier_unknown) {
        SpecifierContext ctx = { .name = "web", .hostname = "box" };
        char *s = NULL, bad = 0;

        ASSERT_ERROR(specifier_expand("a %x b", &ctx, &s, &bad), EBADMSG);
        ASSERT_EQ(bad, 'x');
        ASSERT_ERROR(specifier_expand("50%", &ctx, &s, &bad), EBADMSG);
        ASSERT_EQ(bad, '\0');
        ASSERT_NULL(s);
}

TEST(specifier_escape) {
        _cleanup_buffer_ Buffer b = {};

        ASSERT_OK(specifier_escape_append(&b, "50% of %i"));
        ASSERT_STREQ(b.data, "50%% of %%i");
        ASSERT_OK(specifier_escape_append(&b, "%"));
        ASSERT_STREQ(b.data, "50%% of %%i%%");
}
