/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Applying a plan in the container's private mount namespace, with the kernel's fd-based mount API:
 * filesystems are created with fsopen()/fsmount(), binds cloned with open_tree(), attributes set with
 * mount_setattr(), and everything attached with move_mount() onto a target opened inside the new root with
 * chase() (openat2(RESOLVE_IN_ROOT) or its userspace walk) — so a symlink in an image resolves inside the
 * image, never onto the host. */

#include "container-exec.h"
#include "plan.h"

/* Makes "/" MS_PRIVATE recursively, then runs the operations of |p| up to (not including) PLAN_PIVOT_ROOT;
 * *ret_root_fd (O_PATH) is the new root; then the caller resolves credentials and
 * builds the environment, and calls mount_setup_pivot(). */
/* |parent_fds|: NULL, or one entry per operation, the launcher's mounts of PrivateUsers= (userns-mount.h);
 * each is taken (closed or kept) and set to -EBADF. */
int mount_setup_prepare(const Plan *p, int *parent_fds, int *ret_root_fd, ExecError *err);
int mount_setup_pivot(const Plan *p, int root_fd, ExecError *err);

/* Between the two, once the workload's user is known (secrets-mount.c): the PLAN_SECRETS ramfs made
 * detached, every PLAN_SECRET copied onto it from |fds| (one per operation, the launcher's descriptors of the
 * credentials, secrets.h; each taken and set to -EBADF) as a file owned by |uid|:|gid|, the mount made
 * read-only and only then attached to its mount point. Nothing when the plan has no PLAN_SECRETS. */
int mount_setup_secrets(const Plan *p, int root_fd, int *fds, uid_t uid, gid_t gid, ExecError *err);

/* What the passes share: the check of a mount point where it leads inside the root (op->check_destination),
 * attaching a detached mount there, and setting mount attributes (MOUNT_ATTR_*). */
int mount_check_destination(int root_fd, int target_fd, const PlanOp *op, ExecError *err);
int mount_attach(int mnt_fd, int target_fd);
int mount_set_attr(int tree_fd, unsigned attr, bool recursive);
