/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Filesystems made with the kernel's fd-based mount API (fsopen/fsconfig/fsmount), detached until the caller
 * attaches them: what the root filesystem (rootfs.c) and the mounts inside it (mount-setup.c) both use. */

#include "container-exec.h"

/* Creates a detached mount of |fstype| (options "k=v,flag,…", each passed to fsconfig()); *ret_fd is the
 * O_CLOEXEC mount fd. On failure the kernel's own message (from the fs context) is appended to |err|. */
int fs_mount_detached(const char *fstype, const char *source, const char *options, unsigned attr, int *ret_fd,
                      ExecError *err);

/* Appends the kernel's last message about a failed fs context (fsopen() fd) to |err|, " [kernel: …]". */
void append_kernel_message(int fs_fd, ExecError *err);
