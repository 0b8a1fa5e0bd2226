/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The mounts a running container's processes see, for ctrctl status: its init's /proc/PID/mountinfo, read
 * with libmount's table parser (mountinfo escapes, optional fields, the per-mount options apart from the
 * superblock's). */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct ContainerMount {
        char *target;           /* as the container sees it (relative to its root) */
        char *fstype;
        char *source;           /* the device or file system name; "[DIR]" appended when a subdirectory
                                 * of it is mounted (a bind mount), as findmnt(8) shows it */
        bool read_only;         /* the mount's own ro flag, not the superblock's */
} ContainerMount;

/* Mounts of |pid|'s mount namespace in mountinfo's order; every string as the kernel has it, unescaped, so
 * arbitrary bytes: escape before printing. -ESRCH when |pid| is gone. */
int container_mounts_read(pid_t pid, ContainerMount **ret, size_t *ret_n);
void container_mounts_free(ContainerMount *m, size_t n);

/* status's "Mounts:" lines: TARGET ro|rw FSTYPE SOURCE, aligned, control characters escaped; at most |max|
 * mounts, then how many more. */
int container_mounts_print(const ContainerMount *m, size_t n, size_t max);

/* Both: the mounts of |pid| as status shows them. */
int container_mounts_show(pid_t pid, size_t max);
