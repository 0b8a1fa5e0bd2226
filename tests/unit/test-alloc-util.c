/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* array_reserve(): room for what is asked, growth by doubling (a realloc per element copied O(n²) bytes),
 * the elements kept. */

#include <stdint.h>

#include "alloc-util.h"
#include "test.h"

TEST(array_reserve_doubles) {
        _cleanup_free_ uint32_t *a = NULL;
        size_t allocated = 0, reallocs = 0, previous = 0;

        for (uint32_t i = 0; i < 100000; i++) {
                ASSERT_OK(ARRAY_RESERVE(a, allocated, (size_t) i + 1));
                ASSERT_TRUE(allocated >= (size_t) i + 1);
                if (allocated != previous) {
                        ASSERT_TRUE(allocated >= 2 * previous);
                        reallocs++;
                        previous = allocated;
                }
                a[i] = i;
        }
        /* 16, 32, …, 131072 */
        ASSERT_EQ(reallocs, 14);
        for (uint32_t i = 0; i < 100000; i++)
                ASSERT_EQ(a[i], i);

        /* asking for less, or for what is there, changes nothing */
        ASSERT_OK(ARRAY_RESERVE(a, allocated, 5));
        ASSERT_EQ(allocated, previous);
        /* a jump beyond double is taken as asked */
        ASSERT_OK(ARRAY_RESERVE(a, allocated, 1000000));
        ASSERT_EQ(allocated, 1000000);
        ASSERT_EQ(a[99999], 99999);
}
