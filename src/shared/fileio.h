/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Reads a whole file (relative to |dir_fd|, AT_FDCWD for the cwd) into a NUL-terminated buffer. Returns
 * -EFBIG when it holds more than |max_size| bytes (checked while reading, so pipes and /proc files work),
 * -EISDIR for a directory. */
int read_full_file_at(int dir_fd, const char *path, size_t max_size, char **ret, size_t *ret_size);
