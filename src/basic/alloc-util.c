/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>

#include "alloc-util.h"
#include "macro.h"

int array_reserve(void **array, size_t *allocated, size_t need, size_t size) {
        size_t a;
        void *p;

        if (need <= *allocated)
                return 0;
        a = *allocated > SIZE_MAX / 2 ? need : MAX(MAX(*allocated * 2, need), (size_t) 16);
        p = reallocarray(*array, a, size);
        if (!p)
                return -ENOMEM;
        *array = p;
        *allocated = a;
        return 0;
}
