/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A unified diff of two texts, as "diff -u" prints it: "--- A" / "+++ B" headers, "@@ -L,N +L,N @@" hunks
 * with three lines of context, "\ No newline at end of file" where a last line has none. For configuration
 * files (ctrctl apply --diff): the longest common subsequence of the lines that differ between the common
 * head and tail, or, past UNIFIED_DIFF_CELLS_MAX cells of its table, every such line removed and then added
 * (still a correct diff, only not the shortest). */

#include <stddef.h>

#include "buffer.h"

#define UNIFIED_DIFF_CONTEXT 3U
#define UNIFIED_DIFF_CELLS_MAX (4U * 1024U * 1024U)

/* Appends the diff from |a| to |b| (either NULL with size 0: an empty file) to |out|. Returns 0 when they are
 * equal (nothing appended), 1 when a diff was appended, -ENOMEM. */
int unified_diff(const char *a_label, const char *a, size_t a_size, const char *b_label, const char *b,
                 size_t b_size, Buffer *out);
