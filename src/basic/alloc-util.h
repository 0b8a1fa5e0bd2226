/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Makes room for at least |need| elements of |size| bytes in *array, which has room for *allocated: the
 * room at least doubles each time, so that n elements added one by one cost O(n) bytes copied in all (a
 * realloc per element copies O(n²): under ASan, whose realloc always moves, that was most of a parse of a
 * file with thousands of errors). Returns 0, or -ENOMEM with *array and *allocated untouched. */
int array_reserve(void **array, size_t *allocated, size_t need, size_t size);

#define ARRAY_RESERVE(array, allocated, need) \
        array_reserve((void **) &(array), &(allocated), (need), sizeof((array)[0]))
