/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* AppArmor, without libapparmor: whether it is enabled, whether a profile is loaded, which profile a container
 * gets (AppArmorProfile=, ctr.ctr(5)), and entering it — "exec NAME" written to the process's own
 * attr/apparmor/exec just before its execve(), as runc and crun do. Loading ctr-default (running
 * apparmor_parser) is the launcher's (src/launch/apparmor-load.c). Library code: returns -errno, never
 * logs. */

#include <stdbool.h>

/* The profile ctr writes (apparmor.d/ctr-default) and applies when AppArmorProfile= is unset. */
#define APPARMOR_DEFAULT_PROFILE "ctr-default"

/* Whether AppArmor confines processes on this machine: the module is enabled
 * (/sys/module/apparmor/parameters/enabled is "Y") and its securityfs is there (/sys/kernel/security/apparmor).
 * Reads the caller's /sys: ask on the host, never inside a container. */
bool apparmor_enabled(void);

/* Whether |list| (the text of /sys/kernel/security/apparmor/profiles: "NAME (MODE)" lines) names |name|. */
bool apparmor_profiles_list_has(const char *list, const char *name);
/* 1 when profile |name| is loaded, 0 when not, -errno when the list cannot be read (AppArmor off: -ENOENT). */
int apparmor_profile_loaded(const char *name);

/* The profile AppArmorProfile= |setting| (NULL: unset) asks for where AppArmor is |enabled|, NULL for none:
 * unset → ctr-default where enabled, none where not; "unconfined" → none; NAME → NAME where enabled, and
 * -EPERM where not (isolation that was asked for and cannot be given). Pure. */
int apparmor_profile_wanted(const char *setting, bool enabled, const char **ret);
/* What ctrctl says of it: the profile's name, "unconfined", or "unavailable" (AppArmor not enabled here;
 * followed by why the start is refused when AppArmorProfile= names a profile). */
const char *apparmor_profile_describe(const char *setting, bool enabled);

/* In the process that calls execve() next: the profile it enters there, written as "exec NAME" to its own
 * attr/apparmor/exec (attr/exec before Linux 5.8). The file is opened below the root of a procfs instance,
 * checked to be one, with openat2(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS), so nothing mounted over a path of
 * /proc (a container that can mount, in "ctrctl exec") can take the write: a path leading elsewhere fails,
 * and another task's file refuses it (EACCES). Needs /proc (the container's, for a process inside one).
 * -ENOENT when the profile is not loaded, -EINVAL when AppArmor is off. */
int apparmor_exec_profile(const char *profile);
/* For a process that does not execve() (the Init=yes init): enters |profile| at once ("changeprofile NAME"
 * to attr/apparmor/current), through the same checked procfs. */
int apparmor_change_profile(const char *profile);
