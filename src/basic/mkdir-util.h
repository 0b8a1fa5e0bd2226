/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* mkdir -p on the host's tree. Paths inside a container root are made with chase's mkdir_in_root
 * (chase.h), which never leaves the root. */

#include <sys/types.h>

/* Creates every missing directory of |path| (absolute or relative to the working directory): the ones on
 * the way with |parents_mode|, the last with |mode|, both exactly (the umask does not apply). Returns 1 when
 * the last one was created, 0 when it existed (as a directory), -errno otherwise (-ENOTDIR when something
 * on the way is not a directory). */
int mkdir_p(const char *path, mode_t parents_mode, mode_t mode);
