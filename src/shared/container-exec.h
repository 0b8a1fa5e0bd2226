/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one piece of code that turns a process into a container process: user switch, capability sets,
 * no_new_privs, seccomp filter, environment. Used by ctr-launch for the workload and by "ctrctl exec", so
 * an exec'd command can never hold more than the workload. Library code: returns -errno, never logs; a
 * failure also fills an ExecError with a human message naming what failed, for the child to send to
 * its parent. */

#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"

typedef struct ExecError {
        int error;              /* positive errno */
        char message[512];      /* "Failed to ...: <path/op>", without the strerror text */
} ExecError;

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
 * exists only in the image works, a host-only user does not. Numeric ids need no entry. */
int exec_credentials_resolve(const Container *c, int root_fd, ExecCredentials *ret, ExecError *err);

/* The capability bounding set of the container: Docker's default 14, plus AddCapability=, minus
 * DropCapability= (bit N = capability N). */
uint64_t container_capability_set(const Container *c);

/* The environment of the workload: PATH default, HOME/USER/LOGNAME/SHELL from the credentials,
 * container=ctr, container_host_name? no — HOSTNAME, TERM if |term|, then EnvironmentFile= (read now, so call
 * it on the host side before pivot_root) and Environment= in file order, then |extra| ("K=V", later wins). */
int container_build_environment(const Container *c, const ExecCredentials *cred, const char *term,
                                 char *const *extra, char ***ret, ExecError *err);

/* In the final root, just before execve(): setgroups/setresgid/setresuid, capability sets (bounding,
 * permitted, effective, inheritable, ambient — right for non-root users too), no_new_privs, then the seccomp
 * filter (SeccompProfile=; NULL = default). PR_SET_PDEATHSIG is re-armed after the user switch when
 * |pdeath_signal| > 0. */
int container_exec_apply(const Container *c, const ExecCredentials *cred, int pdeath_signal, ExecError *err);
