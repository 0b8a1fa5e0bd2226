/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* AppArmor, without libapparmor: whether it is enabled, whether a profile is loaded, which profile a container
 * gets (AppArmorProfile=, ctr.ctr(5)), and entering it — "exec NAME" written to the process's own
 * attr/apparmor/exec just before its execve(), as runc and crun do. Loading ctr-default (running
 * apparmor_parser) is the launcher's (src/launch/apparmor-load.c). Library code: returns -errno, never
 * logs. */

#include <stdbool.h>
#include <stddef.h>

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

/* The device names ctr-default (apparmor.d/ctr-default) denies inside a container, whatever the node: its
 * "deny /dev/…" rules, which keep the host's memory, I/O ports, kernel log and disks closed should a Volume=
 * or CAP_MKNOD bring such a node in. |match|: APPARMOR_DEV_EXACT the path itself, APPARMOR_DEV_NAME the
 * prefix and any name after it in the same directory (the profile's "PREFIX*"), APPARMOR_DEV_TREE anything
 * below the directory (its rules ending in a slash and two stars). test-apparmor checks the table against the profile's rules. */
typedef enum ApparmorDevMatch {
        APPARMOR_DEV_EXACT,
        APPARMOR_DEV_NAME,
        APPARMOR_DEV_TREE,
} ApparmorDevMatch;
typedef struct ApparmorDeniedDev {
        const char *path;       /* for APPARMOR_DEV_TREE without the trailing slash */
        ApparmorDevMatch match;
} ApparmorDeniedDev;
extern const ApparmorDeniedDev apparmor_default_denied_dev[];
extern const size_t apparmor_default_denied_dev_n;

/* Whether ctr-default denies the container path |path| (absolute, normalised) by one of those rules: where
 * AddDevice= puts a node there, it would open with EACCES, so the launcher refuses it. Pure. */
bool apparmor_default_denies_dev(const char *path);
