/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What stands in for AppArmor where it does not mediate the new mount API. ctr-default denies every mount,
 * even to a container given CAP_SYS_ADMIN, but the kernel's AppArmor mediates mount(2) and, on some kernels
 * (Debian 12's Linux 6.1: mount features "mount umount pivot_root"), not fsopen/fsmount/move_mount: there such
 * a container mounts anyway. So a process entering ctr-default with CAP_SYS_ADMIN in its bounding set also
 * gets this small filter: the new mount API fails with ENOSYS, as on a kernel without it, and mount(8) and
 * libmount fall back to mount(2), which the profile refuses. Every other syscall is left to the other
 * filters (this one allows it). Kept apart from the default filter: it belongs to the AppArmor layer, and
 * holds whatever SeccompProfile= says. Library code: returns -errno, never logs. */

#include <stdbool.h>
#include <stdint.h>

#include "seccomp-filter.h"

/* Whether a process entering AppArmor profile |apparmor| (NULL: none) with |bounding| needs the filter: the
 * profile is ctr-default (the one whose promise it keeps) and CAP_SYS_ADMIN is in |bounding| (without it the
 * default filter refuses those calls already, with EPERM). Pure. */
bool seccomp_mount_api_wanted(const char *apparmor, uint64_t bounding);

/* The filter, compiled: ALLOW by default, ENOSYS for fsopen, fsconfig, fsmount, fspick, move_mount, open_tree
 * and mount_setattr, on every architecture of the other filters. */
int seccomp_mount_api_program(SeccompProgram *ret);
