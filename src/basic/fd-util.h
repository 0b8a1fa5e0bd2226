/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Descriptors a process hands on: what enters a container holds nothing of the host's but what it names. */

#include <stddef.h>

/* Writes all |n| bytes, across short writes and EINTR. 0 or -errno. */
int loop_write(int fd, const void *buf, size_t n);

/* Closes every descriptor from 3 up except those in |keep| (any order; negative entries are ignored), with
 * close_range(2) over the gaps. -errno of the first close_range() that failed. */
int close_all_fds_except(const int *keep, size_t n_keep);

/* What a standard stream of ours may be for a container:
 *   0: handed in as it is: a pipe or a socket (nothing to reopen through /proc/self/fd), /dev/null, or
 *      closed;
 *   1: relayed through a pipe: a terminal (ioctl(TIOCSTI) would type into its shell), a file or a device (the
 *      container's root could reopen the host's object through /proc/self/fd/N with other access: a file
 *      given to read, opened to write);
 *   -EISDIR: a directory or an O_PATH handle, a place of the host's tree: never handed in, not relayable;
 *   other -errno: it could not be inspected. */
int stdio_fd_classify(int fd);
