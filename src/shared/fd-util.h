/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Descriptors a process hands on: what enters a container holds nothing of the host's but what it names. */

#include <stddef.h>

/* Closes every descriptor from 3 up except those in |keep| (any order; negative entries are ignored), with
 * close_range(2) over the gaps. -errno of the first close_range() that failed. */
int close_all_fds_except(const int *keep, size_t n_keep);
