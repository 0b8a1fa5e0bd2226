/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The root filesystem: the staging tmpfs (private to the container's mount namespace), the generated Image=host
 * lower layer (directories, merged-/usr links, a fresh /etc), the overlay, and pivot_root. The operations
 * here take host paths below the staging directory and the state directory, all chosen by the launcher. */

#include "container-exec.h"
#include "plan.h"

int rootfs_make_private(ExecError *err);
/* Attaches the detached mount |mnt_fd| on |path|. */
int rootfs_attach(int mnt_fd, const char *path);
/* A detached clone of op->source (recursive with op->recursive); *ret_tree -EBADF and 0 for an optional
 * source that is missing. */
int rootfs_open_bind_source(const PlanOp *op, int *ret_tree, ExecError *err);
int rootfs_staging(const PlanOp *op, ExecError *err);
int rootfs_mkdir(const PlanOp *op, ExecError *err);
int rootfs_write(const PlanOp *op, ExecError *err);
int rootfs_copy(const PlanOp *op, ExecError *err);
int rootfs_symlink(const PlanOp *op, ExecError *err);
/* Mounts the overlay on op->target; *ret_root_fd is the new root's mount fd. */
int rootfs_overlay(const PlanOp *op, int *ret_root_fd, ExecError *err);
int rootfs_read_only(int root_fd, ExecError *err);
/* pivot_root(".", ".") in the new root, then the old root detached: no chroot, nothing of the host left. */
int rootfs_pivot(const char *root, int root_fd, ExecError *err);
