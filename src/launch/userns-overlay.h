/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateUsers=: the container's root filesystem, made by the launcher (userns-mount.h): each layer and the
 * writable layer's directory an open_tree() clone with MOUNT_ATTR_IDMAP through the container's user
 * namespace, stacked by overlayfs created with the container root's file system ids (setfsuid()) and the
 * launcher's capabilities: what overlayfs writes with the mounter's credentials (its work directory,
 * whiteouts, copy-ups before their chown) is 0 on disk like everything else the container's root writes,
 * and the trusted.overlay.* xattrs of the image's layers are read and written.
 *
 * The layers go to overlayfs as file descriptors ("lowerdir+", "upperdir", "workdir" with FSCONFIG_SET_FD,
 * Linux 6.13). An older kernel gets them by path: a short-lived helper process attaches them in a mount
 * namespace of its own and mounts the overlay with mount(2) there, and a clone of it comes back
 * (CTR_OVERLAY_NO_LOWERDIR_PLUS=1 takes that way on any kernel, for the tests). */

#include "container-exec.h"
#include "plan.h"

/* The detached overlay mount of |op| (by_parent PLAN_OVERLAY of |p|) in *ret. */
int userns_overlay_build(const Plan *p, const PlanOp *op, int userns_fd, int *ret, ExecError *err);

/* MOUNT_ATTR_IDMAP through |userns_fd| (and |attr|) on the detached mount |tree|; |what| names it in the
 * error, which names the filesystem and the kernel when it cannot be id-mapped. */
int userns_idmap_tree(int tree, int userns_fd, unsigned attr, bool recursive, const char *what, ExecError *err);
