/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Applying a plan in the container's private mount namespace, with the kernel's fd-based mount API:
 * filesystems are created with fsopen()/fsmount(), binds cloned with open_tree(), attributes set with
 * mount_setattr(), and everything attached with move_mount() onto a target opened inside the new root with
 * openat2(RESOLVE_IN_ROOT) — so a symlink in an image resolves inside the image, never onto the host. */

#include "container-exec.h"
#include "plan.h"

/* Creates a detached mount of |fstype| (options "k=v,flag,…", each passed to fsconfig()); *ret_fd is the
 * O_CLOEXEC mount fd. On failure the kernel's own message (from the fs context) is appended to |err|. */
int fs_mount_detached(const char *fstype, const char *source, const char *options, unsigned attr, int *ret_fd,
                      ExecError *err);

/* Appends the kernel's last message about a failed fs context (fsopen() fd) to |err|, " [kernel: …]". */
void append_kernel_message(int fs_fd, ExecError *err);

/* Opens |path| inside |root_fd| (O_PATH), never leaving it. */
int open_in_root(int root_fd, const char *path, int *ret_fd);
/* mkdir -p inside |root_fd|; *ret_fd (may be NULL) gets the final directory, O_PATH. */
int mkdir_in_root(int root_fd, const char *path, mode_t mode, int *ret_fd);

/* Makes "/" MS_PRIVATE recursively, then runs the operations of |p| up to (not including) PLAN_PIVOT_ROOT;
 * *ret_root_fd (O_PATH) is the new root; then the caller resolves credentials and
 * builds the environment, and calls mount_setup_pivot(). */
int mount_setup_prepare(const Plan *p, int *ret_root_fd, ExecError *err);
int mount_setup_pivot(const Plan *p, int root_fd, ExecError *err);
