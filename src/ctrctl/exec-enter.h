/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl exec: entering a running container (exec-enter.c), as C and G of the picture in exec.c. */

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
} ExecContext;

/* P, before the fork: the cgroup.procs of the init's cgroup, for C to join; NULL when there is none to join
 * (not the unified hierarchy, or already ours). */
int exec_init_cgroup_procs(pid_t init, char **ret);
/* P: the init's user namespace when it is not ours (PrivateUsers=), else -EBADF. */
int exec_init_userns(pid_t init, int *ret_fd);

/* C, right after the fork: enters the container, forks G, which executes the command, forwards signals to G
 * and exits with its status. Never returns. */
_Noreturn void exec_enter(const ExecContext *x);
