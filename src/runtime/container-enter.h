/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Entering a running container: C and G of the picture in src/ctrctl/exec.c. The one way in, for "ctrctl
 * exec" and "ctrctl healthcheck" and for the monitor's health checks (src/launch/health.c): the init's
 * cgroup and namespaces, its root, then container_exec_apply(), so nothing that enters holds more than the
 * workload. Library code: failures go to the caller over the socket (C and G) or as -errno and an ExecError
 * (the caller), never logged here. */

#include <errno.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "container-exec.h"
#include "ctr-file.h"

/* What C and G tell ctrctl (P) over their socket; its end is O_CLOEXEC, so EOF without a message means the
 * command was executed. */
enum {
        EXEC_MESSAGE_ERROR = 1,         /* .error: why the container could not be entered */
        EXEC_MESSAGE_PTY = 2,           /* with -t: the pty's master comes with it (SCM_RIGHTS) */
};

typedef struct ExecMessage {
        int type;
        int exit_status;        /* EXEC_MESSAGE_ERROR: what the child exits with */
        ExecError error;
} ExecMessage;

/* P: 1 and a message (and *ret_fd, O_CLOEXEC, for EXEC_MESSAGE_PTY; else -EBADF), 0 at EOF, < 0 on error. */
int exec_message_receive(int sk, ExecMessage *m, int *ret_fd);

typedef struct ExecContext {
        const Container *c;
        const ExecCredentials *cred;
        char **env;
        char **argv;                    /* the command; argv[0] is looked up in PATH */
        const char *login_shell;        /* shell: exec this with argv[0] "-sh" */
        int pidfd, root_fd, sk;
        int ns_fds[6];                  /* without pidfd_open(): /proc/PID/ns/… of the init, mnt last */
        int userns_fd;                  /* PrivateUsers=: the init's user namespace, joined first; -EBADF
                                         * when it is ours (the host's) */
        int stdio[3];                   /* what becomes fd 0, 1, 2 of C and G: a pipe to P's relay where
                                         * ctrctl's is a terminal, /dev/null with -t; -EBADF = ctrctl's own */
        const char *cgroup_procs;       /* the init's cgroup.procs, NULL = do not move */
        bool tty;                       /* -t: G opens a pty of the container's and passes its master to P */
        const char *workdir;            /* -w, or NULL: WorkingDirectory=, else the user's home */
        struct winsize ws;
        bool have_ws;
        bool kill_on_term;              /* SIGTERM to C kills G's process group (SIGKILL): what a health check's
                                         * timeout does; otherwise C forwards it to G */
} ExecContext;

/* What C joins: the init's pidfd, root, namespaces (without pidfd_open(), under valgrind), user namespace
 * and cgroup. */
typedef struct ExecTarget {
        int pidfd;
        int root_fd;
        int ns_fds[6];
        int userns_fd;
        char *cgroup_procs;
} ExecTarget;

#define EXEC_TARGET_INIT                                                                        \
        (ExecTarget) {                                                                          \
                .pidfd = -EBADF, .root_fd = -EBADF, .userns_fd = -EBADF,                        \
                .ns_fds = { -EBADF, -EBADF, -EBADF, -EBADF, -EBADF, -EBADF },                   \
        }

/* P: opens what C joins of the init |init|, whose pidfd the caller opened (|pidfd|, taken, may be -EBADF
 * when pidfd_open() is missing) and checked to be the init it means (a runtime state names a PID that may
 * since be another process's): /proc/PID/root, then through the pidfd that this is still the same process.
 * On failure |err| says what failed and *ret is left as it is. */
int exec_target_open(pid_t init, int pidfd, ExecTarget *ret, ExecError *err);
void exec_target_done(ExecTarget *t);
/* Fills the target's part of |x|. */
void exec_context_set_target(ExecContext *x, const ExecTarget *t);

/* C, right after the fork: enters the container, forks G, which executes the command, forwards signals to G
 * and exits with its status. Never returns. */
_Noreturn void exec_enter(const ExecContext *x);
