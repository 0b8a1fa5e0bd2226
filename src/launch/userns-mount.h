/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateUsers=: the container's init runs in a user namespace of its own (CLONE_NEWUSER), whose root is an
 * unprivileged id on the host with no rights over host paths. So the launcher does for it, between clone()
 * and the release, what the plan marks by_parent (plan.h): it writes uid_map and gid_map (0 → the range's
 * base; setgroups stays allowed, since the writer holds CAP_SETGID over the parent namespace), makes the host
 * directories, and builds each mount as a detached mount passed over the sync socket in plan order:
 *
 *   - the root: overlayfs over id-mapped layers (userns-overlay.h);
 *   - each bind of a host source: opened, its attributes set and, for idmap (Volume=…:idmap, named volumes,
 *     the image's volume directory), id-mapped.
 *
 * A filesystem or kernel that cannot id-map fails the start with its name: never a silent fallback. */

#include <sys/types.h>

#include "container-exec.h"
#include "plan.h"

/* parent: everything above for the child |pid|, paused on the sync socket |sync_fd|. */
int userns_parent_setup(const Plan *p, pid_t pid, int sync_fd, ExecError *err);

/* child: the detached mounts, one per by_parent PLAN_OVERLAY/PLAN_BIND of |p|, into *ret_fds (n_ops
 * entries, -EBADF for the others and for an optional source the launcher did not find). */
int userns_child_receive(const Plan *p, int sync_fd, int **ret_fds, ExecError *err);
/* child: into the runtime directory, which the plan's staging paths are relative to (plan.h), before
 * userns_child_become_root(). */
int userns_child_enter_runtime_dir(const Plan *p, ExecError *err);
/* child: become root of the user namespace (ids 0, mapped to the range's base) once the maps are written. */
int userns_child_become_root(ExecError *err);
