/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"

int close_all_fds_except(const int *keep, size_t n_keep) {
        unsigned from = 3;

        for (;;) {
                unsigned next = UINT_MAX;

                /* the smallest kept fd at or above |from|: few enough to search each time */
                for (size_t i = 0; i < n_keep; i++)
                        if (keep[i] >= 0 && (unsigned) keep[i] >= from && (unsigned) keep[i] < next)
                                next = (unsigned) keep[i];
                if (next == UINT_MAX)
                        return close_range(from, ~0U, 0) < 0 ? negative_errno() : 0;
                if (next > from && close_range(from, next - 1, 0) < 0)
                        return negative_errno();
                from = next + 1;
        }
}
