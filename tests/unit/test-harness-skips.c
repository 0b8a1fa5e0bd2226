/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Not a test of its own: test-harness runs it to see how test.h reports skips. Both cases skip; with
 * TEST_HARNESS_PASS set, the second passes. */

#include "test.h"

TEST(first) {
        TEST_SKIP("needs a %s", "unicorn");
}

TEST(second) {
        if (!getenv("TEST_HARNESS_PASS"))
                TEST_SKIP("needs root");
}
