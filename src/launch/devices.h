/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* AddDevice= on the launcher's side (the plan: plan-devices.c in src/runtime). The host path is resolved as
 * the host sees it, symlinks followed (/dev/disk/by-id/… names its disk, as with podman); what it leads to
 * must be a character or block device node, wherever it is. The scope gets DeviceAllow= for that node by
 * its number ("/dev/char/MAJOR:MINOR"), so the rule is for exactly the device checked, whatever the path
 * leads to later; the child checks again that what it binds is a device (rootfs.c). */

#include <sys/types.h>

#include "container.h"

/* Every AddDevice= of |c| leads to a character or block device: otherwise logs "FILE:LINE: AddDevice=…" with
 * what the path is, and returns -ENODEV (-ENOENT when it does not exist, unless its leading '-' skips it:
 * logged at info level). Under |apparmor| (the profile the container enters, NULL for none) ctr-default, a
 * container path the profile denies by name (apparmor_default_denies_dev(): /dev/sdb, /dev/loop0…) is
 * refused too (-EACCES), with another path to use: the node would open with EACCES inside. */
int launch_devices_check(const Container *c, const char *apparmor);

/* systemd's DeviceAllow= node for |d|: "/dev/char/MAJOR:MINOR" or "/dev/block/MAJOR:MINOR" of what its path
 * leads to now, in *ret (free() it); *ret NULL when the node is missing or not a device (the start fails
 * on it: launch_devices_check() said why). Does not log. */
int launch_device_allow_node(const Device *d, char **ret);
