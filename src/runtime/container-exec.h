/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one piece of code that turns a process into a container process: AppArmor profile, user switch,
 * capability sets, no_new_privs, seccomp filter, environment. Used by ctr-launch for the workload and by "ctrctl exec", so
 * an exec'd command can never hold more than the workload. Library code: returns -errno, never logs; a
 * failure also fills an ExecError with a human message naming what failed, for the child to send to
 * its parent.
 *
 * Typical use in the launcher:
 *
 *   parent, before clone (saves 2–4 ms of libseccomp in the child; required for SeccompProfile=/PATH,
 *   which is read on the host):
 *           container_exec_prepare(c, NULL, &err);
 *   once the merged root exists (parent: rootfs_fd = O_PATH of the merged root; or child after pivot_root:
 *   open("/", O_PATH|O_DIRECTORY)), and before pivot_root for the environment, since EnvironmentFile= paths
 *   are host paths:
 *           exec_credentials_resolve(c, rootfs_fd, &cred, &err);
 *           container_build_environment(c, &cred, getenv("TERM"), image_env, NULL, &envp, &err);
 *   child, after pivot_root and chdir, just before execve(), still root with full capabilities:
 *           container_exec_apply(c, &cred, SIGKILL, &err);
 *           execve(argv[0], argv, envp);
 *
 * exec_credentials_resolve() and container_build_environment() only allocate memory and read files. */

#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "macro.h"

typedef struct ExecError {
        int error;              /* positive errno */
        char message[512];      /* "Failed to ...: <path/op>", without the strerror text */
} ExecError;

/* Fills |err| (may be NULL) with |error| (positive or negative errno) and the formatted message, and
 * returns the negative errno, so "return exec_error_set(err, r, "Failed to …");" works. */
int exec_error_set(ExecError *err, int error, const char *format, ...) _printf_(3, 4);

typedef struct ExecCredentials {
        uid_t uid;
        gid_t gid;
        gid_t *supplementary_gids;
        size_t n_supplementary_gids;
        char *user_name;        /* NULL when User= was a number not in /etc/passwd */
        char *home;             /* from passwd, default "/" */
        char *shell;            /* from passwd, default "/bin/sh" */
} ExecCredentials;

void exec_credentials_done(ExecCredentials *cred);

/* Resolves User=/Group=/SupplementaryGroups= against etc/passwd and etc/group below |root_fd| (the container's
 * root, opened O_PATH|O_DIRECTORY), never following a symlink out of it and never asking NSS: a user that
 * exists only in the image works, a host-only user does not.
 *
 * - User= unset means root (uid 0). A number needs no passwd entry (home "/", shell "/bin/sh"); a name must
 *   be in the image's passwd ("User 'x' not found in the container's /etc/passwd", -ESRCH).
 * - Group= unset means the user's primary group from passwd (gid 0 for a number without an entry); a number
 *   needs no entry, a name must be in the image's group file (-ESRCH).
 * - Supplementary groups: when Group= is unset and the user has a name, every group of the image's
 *   /etc/group that lists the user as a member (as initgroups() would, and as Docker does); then each
 *   SupplementaryGroups= entry (name or number). Duplicates and the primary gid are dropped.
 * - Files are opened with openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS): a symlink /etc/passwd ->
 *   /host/etc/passwd resolves inside the root. They must be regular files of at most USER_RECORD_FILE_MAX
 *   bytes with lines of at most USER_RECORD_LINE_MAX (user-record.h); a missing passwd is fine unless a
 *   name has to be looked up. Not on procfs, sysfs or another of the kernel's filesystems, and never a
 *   device or FIFO: the container's root must not make us read /proc/kmsg with our privileges.
 * - Image=host: names are resolved against the passwd and group ctr generates (user_record_host_passwd()),
 *   never against the root's files, which the container may have rewritten in its persistent layer.
 * On success |ret| is filled (free with exec_credentials_done()); on failure it is untouched. */
int exec_credentials_resolve(const Container *c, int root_fd, ExecCredentials *ret, ExecError *err);

/* The capability bounding set of the container (bit N = capability N), Docker's semantics over Podman's set:
 * - neither side says ALL: Podman's default 11 (CHOWN DAC_OVERRIDE FSETID FOWNER SETGID SETUID SETFCAP
 *   SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL; Docker's 14 without MKNOD NET_RAW AUDIT_WRITE), minus
 *   DropCapability=, plus AddCapability= (so naming a capability on both sides keeps it, as
 *   "docker --cap-drop X --cap-add X");
 * - AddCapability=ALL: every capability the kernel knows, minus DropCapability=;
 * - DropCapability=ALL: only AddCapability=.
 * ALL is recognised as a mask covering every capability up to the kernel's last one. The result never
 * contains capabilities the running kernel does not know. */
uint64_t container_capability_set(const Container *c);

/* The environment of the workload, later assignments overriding earlier ones:
 *   1. PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin, HOME= (cred->home), USER= and
 *      LOGNAME= (only when the user has a name), SHELL=, container=ctr, HOSTNAME= (Hostname= or the name),
 *      TERM= when |term| is non-empty;
 *   2. |image_environment| ("K=V" from the image config, may be NULL);
 *   3. each EnvironmentFile= in order, read now with systemd's syntax (see env-util.h; a leading '-' means a
 *      missing file is ignored) — so call this where those paths are visible, i.e. on the host;
 *   4. Environment= in file order;
 *   5. |extra| ("K=V", e.g. from "ctrctl exec -e"; may be NULL).
 * An invalid entry in |image_environment|, Environment= or |extra| is an error (-EINVAL, naming it); an
 * invalid line in an EnvironmentFile= is skipped, as systemd does. The result is a NULL-terminated, newly
 * allocated "K=V" array in first-assignment order (free each entry and the array). */
int container_build_environment(const Container *c, const ExecCredentials *cred, const char *term,
                                char *const *image_environment, char *const *extra, char ***ret,
                                ExecError *err);

/* In the parent before clone()/fork(): compiles the seccomp filter container_exec_apply() will load and
 * keeps it in process memory, which the child inherits; the child then only loads it instead of spending
 * 2–4 ms in libseccomp.
 * - The default filter (SeccompProfile= unset or "default") is cached in |cache_dir| by a hash of
 *   everything that shapes it, so after the first start this is a small file read. Pass NULL: that is
 *   $CTR_RUNTIME_DIR/.seccomp (default /run/ctr/.seccomp), a name no container can have — RUNTIME/NAME is
 *   the runtime directory of container NAME, and "seccomp" is a valid container name. "" = no cache.
 *   Optional: without it the child builds the filter itself.
 * - A custom profile (SeccompProfile=/PATH, the format in seccomp-util.h) is read and compiled here, on the
 *   host; errors name the line ("Failed to load seccomp profile '/etc/ctr/web.seccomp', line 3"). Required:
 *   container_exec_apply() cannot read a host path from inside the container's root and fails.
 * - "unconfined": nothing to do.
 * A SeccompProfile= that is none of these is -EINVAL.
 * It also decides the AppArmor profile (apparmor.h), on the host, where /sys is the host's: unset means
 * ctr-default when AppArmor is enabled and the profile is loaded (the launcher loads it first), none
 * otherwise; "unconfined" none; a NAME must be loaded ("AppArmor profile 'x' … is not loaded", -ENOENT), and
 * AppArmor enabled (-EPERM). Without this call container_exec_apply() decides it from the /sys it sees.
 * The compiled filter is process-global state (one container per launcher process; not thread-safe); a later
 * call replaces it. */
int container_exec_prepare(const Container *c, const char *cache_dir, ExecError *err);
/* Frees what container_exec_prepare() kept (for leak checkers; the parent may call it after clone). */
void container_exec_prepared_done(void);

/* In the final root, just before execve(), as root with full capabilities:
 *   0. PR_SET_DUMPABLE 0: the caller is a copy of a host binary (the launcher, ctrctl) whose memory, fds and
 *      /proc/PID/exe the container must not reach; not dumpable, it cannot be ptrace()d or have its
 *      /proc/PID/{exe,fd,mem,environ} opened by anything without CAP_SYS_PTRACE (which the container lacks
 *      unless AddCapability= gives it). execve() makes the workload dumpable again, as any process.
 *      "ctrctl exec" sets it itself much earlier, before it joins the container's cgroup and namespaces:
 *      calling this late is for the launcher, whose child becomes visible only as the container's PID 1;
 *   1. the AppArmor profile (container_exec_prepare() decided which; none where AppArmor is off): "exec NAME"
 *      to this process's attr/apparmor/exec, through the /proc it sees, checked to be a procfs reached
 *      without crossing a mount (apparmor.h). Nothing changes until execve(), which enters the profile; the
 *      kernel allows that transition from unconfined under no_new_privs (step 6), so the order of the two
 *      does not matter. This is the one step that needs /proc, and only where a profile is applied;
 *   2. drop the capability bounding set to container_capability_set(c), limited to what this process holds
 *      (while CAP_SETPCAP is still effective: the uid change below clears the effective set);
 *   3. if NoNewPrivileges=no and a filter is to be loaded: the seccomp filter now, while CAP_SYS_ADMIN is
 *      still effective (without no_new_privs loading a filter is privileged);
 *   4. setgroups(supplementary) → setresgid(gid) → PR_SET_KEEPCAPS → setresuid(uid) → keepcaps off →
 *      PR_SET_DUMPABLE 0 again (a gid or uid change resets it to fs.suid_dumpable, and 1 is dumpable);
 *   5. permitted/effective/inheritable, then ambient:
 *      - uid 0: permitted = effective = the bounding set; inheritable and ambient empty (as Docker since the
 *        CVE-2022-24769 fix: an empty inheritable set means file capabilities cannot smuggle more in);
 *      - any other uid: empty, as Docker does for a non-root user — except the capabilities named in
 *        AddCapability= (and still in the bounding set; ALL names every one), which are raised in permitted,
 *        effective, inheritable and ambient, so the non-root workload really holds them after execve();
 *   6. no_new_privs when NoNewPrivileges=yes (the default);
 *   7. PR_SET_PDEATHSIG re-armed with |pdeath_signal| when > 0 (the uid change clears it);
 *   8. the seccomp filter (SeccompProfile=: NULL/"default" = the default filter of seccomp-util.h,
 *      "unconfined" = none, a path = the profile container_exec_prepare() compiled, -EOPNOTSUPP if it did
 *      not), last, so the steps above are not filtered. With NoNewPrivileges=no it is loaded at step 3
 *      instead, so a custom profile must then allow setgroups, setresgid, setresuid, capset and prctl.
 * The filter comes last, yet there is no window in which the container could act through this process
 * unfiltered (a ptrace()d syscall runs with the tracee's privileges, outside the tracer's filter): from
 * step 0 on — in "ctrctl exec" from before it enters at all — the process is not dumpable, so the kernel's
 * ptrace and /proc access check (__ptrace_may_access) refuses every tracer without CAP_SYS_PTRACE over it,
 * whatever the uids; and it stays so through the uid change (step 4). Loading the filter earlier with
 * NoNewPrivileges=yes would not close more: until step 2 the process holds every capability, and a
 * container given CAP_SYS_PTRACE can reach it then anyway; it would only make every custom profile allow
 * the uid and capability calls. So with CAP_SYS_PTRACE (AddCapability=), a container can trace whatever
 * enters it, as under Docker and runc; without it, nothing before execve().
 * On failure returns -errno and |err| names the step ("Failed to switch to uid 1001 gid 1001"); the process
 * is then half-way and must _exit(). */
int container_exec_apply(const Container *c, const ExecCredentials *cred, int pdeath_signal, ExecError *err);

/* For a process of the container that does not execve() after container_exec_apply() — the Init=yes init,
 * which forks the workload and stays: enters the AppArmor profile now ("changeprofile", allowed from
 * unconfined under no_new_privs), so PID 1 is confined as the workload it runs. Nothing to do without a
 * profile. Call it after forking the workload, which enters the profile by its own execve() (step 1). */
int container_exec_confine_now(const Container *c, ExecError *err);
