/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl exec [-t] [-u USER] [-e K=V]… [-w DIR] NAME -- CMD…
 * ctrctl shell [-u USER] [-e K=V]… [-w DIR] NAME
 *
 * Runs a command in a running container, with exactly the workload's confinement: the same .ctr is parsed
 * by the same parser, and the process goes through the same container_exec_apply() as the workload (bounding
 * set, capability sets, no_new_privs, seccomp filter, user), so it can never hold more than the container.
 *
 *   ctrctl (P, stays on the host: relays the terminal, waits)
 *     └─ C: not dumpable, stdio replaced (below), every other descriptor closed but what it needs; joins the
 *           init's cgroup (before its cgroup namespace), setns(pidfd of the init, mnt|pid|uts|ipc|net|cgroup),
 *           chroot to the init's root; forks, because only children enter a PID namespace
 *          └─ G: PID namespace of the container; only stdio and the socket to P; a session of its own; with
 *                -t opens the container's own /dev/ptmx, sends the master to P over a socket (SCM_RIGHTS),
 *                makes the peer its controlling terminal; the working directory resolved inside the root;
 *                container_exec_apply(); execve()
 *
 * What the container could reach while we enter it (the CVE-2019-5736 and CVE-2024-21626 classes), and why
 * it cannot:
 * - G is in the container's PID namespace before it execs. ctrctl exec and shell first re-execute ctrctl
 *   from a sealed memfd copy (cloned-binary.h), so /proc/G/exe is that copy, never the host's binary; and C
 *   makes itself non-dumpable before it joins anything (G inherits it, container_exec_apply() keeps it so),
 *   so the container, without CAP_SYS_PTRACE, can neither ptrace G nor open its /proc/G/{exe,fd,mem}: there
 *   is no moment before its seccomp filter is loaded in which the container can act through it.
 * - Descriptors: C closes every descriptor of the caller above stdio, G keeps only stdio and the socket. A
 *   stdio descriptor that is a directory (or an O_PATH handle) is refused: it would be a host directory
 *   inside. The working directory (-w, WorkingDirectory=, the user's home) is resolved inside the root
 *   with magic links refused and checked with getcwd() after (chdir-util.h): -w /proc/self/fd/N is no way
 *   out.
 * - The caller's terminal: G always starts a session of its own, and never holds the caller's terminal,
 *   where ioctl(TIOCSTI) would type into the caller's shell. With -t it has a pty of the container's
 *   devpts; without, each of ctrctl's stdio descriptors that is a terminal, a file or a device is relayed
 *   through a pipe (as docker and podman exec do); a pipe, a socket or /dev/null is passed as it is. The terminal's Ctrl-C and Ctrl-\ then
 *   reach C only, which sends them on to G's process group.
 *
 * Errors of C and G travel to P over the same socket (an ExecError); its end is O_CLOEXEC, so EOF without a
 * message means execve() succeeded. The command's exit status becomes ctrctl's (128+N for signal N); 126 and
 * 127 as a shell says when it could not be executed or found; 1 when the container could not be entered. */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus-util.h"
#include "chdir-util.h"
#include "cloned-binary.h"
#include "container-exec.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "env-util.h"
#include "fd-util.h"
#include "log.h"
#include "name-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"
#include "terminal-relay.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127
#define ENV_EXTRA_MAX 4096U

static bool arg_tty = false;
static const char *arg_user = NULL;
static const char *arg_workdir = NULL;
static char **arg_env = NULL;

static int handle_option(int c, const char *value) {
        switch (c) {
        case 't':
                arg_tty = true;
                return 0;
        case 'u':
                if (!user_group_is_valid(value)) {
                        log_error("Invalid user '%s'.", value);
                        return -EINVAL;
                }
                arg_user = value;
                return 0;
        case 'e':
                if (!env_assignment_is_valid(value)) {
                        log_error("Invalid environment assignment '%s', expected KEY=VALUE.", value);
                        return -EINVAL;
                }
                if (strv_length(arg_env) >= ENV_EXTRA_MAX) {
                        log_error("Too many -e options.");
                        return -E2BIG;
                }
                if (strv_extend(&arg_env, value) < 0)
                        return log_oom();
                return 0;
        case 'w':
                if (!path_is_absolute(value)) {
                        log_error("The working directory must be an absolute path, got '%s'.", value);
                        return -EINVAL;
                }
                arg_workdir = value;
                return 0;
        default:
                return -EINVAL;
        }
}

enum {
        MSG_ERROR = 1,
        MSG_PTY = 2,
};

typedef struct ExecMessage {
        int type;
        int exit_status;        /* MSG_ERROR: what the child exits with */
        ExecError error;
} ExecMessage;

static int send_message(int sk, const ExecMessage *m, int fd) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = (void *) m, .iov_len = sizeof(*m) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

        if (fd >= 0) {
                struct cmsghdr *c;

                mh.msg_control = &control;
                mh.msg_controllen = sizeof(control);
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        if (sendmsg(sk, &mh, MSG_NOSIGNAL) < 0)
                return -errno;
        return 0;
}

/* 1 and a message (and *ret_fd for MSG_PTY), 0 at EOF, < 0 on error */
static int receive_message(int sk, ExecMessage *m, int *ret_fd) {
        union {
                struct cmsghdr h;
                char buf[CMSG_SPACE(sizeof(int))];
        } control = {};
        struct iovec iov = { .iov_base = m, .iov_len = sizeof(*m) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control,
                             .msg_controllen = sizeof(control) };
        ssize_t n;

        *ret_fd = -EBADF;
        do
                n = recvmsg(sk, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return -errno;
        if (n == 0)
                return 0;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                    c->cmsg_len == CMSG_LEN(sizeof(int)))
                        memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
        if ((size_t) n != sizeof(*m)) {
                *ret_fd = safe_close(*ret_fd);
                return -EBADMSG;
        }
        m->error.message[sizeof(m->error.message) - 1] = '\0';
        return 1;
}

static _Noreturn void child_fail(int sk, const ExecError *err, int status) {
        ExecMessage m = { .type = MSG_ERROR, .exit_status = status, .error = *err };

        (void) send_message(sk, &m, -EBADF);
        _exit(status);
}

typedef struct ExecContext {
        const Container *c;
        const ExecCredentials *cred;
        char **env;
        char **argv;                    /* the command; argv[0] is looked up in PATH */
        const char *login_shell;        /* shell: exec this with argv[0] "-sh" */
        int pidfd, root_fd, sk;
        int ns_fds[6];                  /* without pidfd_open(): /proc/PID/ns/… of the init, mnt last */
        int stdio[3];                   /* what becomes fd 0, 1, 2 of C and G: a pipe to P's relay where
                                         * ctrctl's is a terminal, /dev/null with -t; -EBADF = ctrctl's own */
        const char *cgroup_procs;       /* the init's cgroup.procs, NULL = do not move */
        struct winsize ws;
        bool have_ws;
} ExecContext;

/* G: in every namespace of the container, its root, still root with full capabilities. */
static _Noreturn void grandchild(const ExecContext *x) {
        _cleanup_free_ char *path = NULL;
        ExecError err = {};
        const char *cwd;
        sigset_t empty;
        int r;

        /* Only stdio and the socket: the namespace and root handles are C's business. */
        if ((x->sk > 3 && close_range(3, (unsigned) x->sk - 1, 0) < 0) ||
            close_range((unsigned) x->sk + 1, ~0U, 0) < 0) {
                exec_error_set(&err, errno, "Failed to close file descriptors");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }

        /* Never in the caller's session: a process there that holds a descriptor of the caller's terminal
         * (inherited, or opened through /proc) could type into the caller's shell with ioctl(TIOCSTI). */
        if (setsid() < 0) {
                exec_error_set(&err, errno, "Failed to start a new session");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }

        if (arg_tty) {
                int master, slave;

                /* the container's own devpts instance: /dev/ptmx → pts/ptmx inside its root */
                master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
                if (master < 0) {
                        exec_error_set(&err, errno, "Failed to open the container's /dev/ptmx");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                int unlock = 0;
                if (ioctl(master, TIOCSPTLCK, &unlock) < 0) {
                        exec_error_set(&err, errno, "Failed to unlock the pseudo terminal");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
                if (slave < 0) {
                        exec_error_set(&err, errno, "Failed to open the pseudo terminal's peer");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (x->have_ws)
                        (void) ioctl(slave, TIOCSWINSZ, &x->ws);
                ExecMessage m = { .type = MSG_PTY };
                r = send_message(x->sk, &m, master);
                safe_close(master);
                if (r < 0) {
                        exec_error_set(&err, r, "Failed to pass the pseudo terminal");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (ioctl(slave, TIOCSCTTY, 0) < 0) {
                        exec_error_set(&err, errno, "Failed to make the pseudo terminal the controlling terminal");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (dup2(slave, STDIN_FILENO) < 0 || dup2(slave, STDOUT_FILENO) < 0 ||
                    dup2(slave, STDERR_FILENO) < 0) {
                        exec_error_set(&err, errno, "Failed to set up the standard streams");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (slave > STDERR_FILENO)
                        safe_close(slave);
        }

        /* Inside the root, never through a magic link: "-w /proc/self/fd/N" must not lead to the host. */
        cwd = arg_workdir ?: x->c->working_directory ?: x->cred->home;
        r = cwd ? chdir_in_root(cwd) : -ENOENT;
        if (r < 0) {
                if (arg_workdir && (r == -ELOOP || r == -EXDEV)) {
                        exec_error_set(&err, r, "The working directory '%s' leads out of the container",
                                       arg_workdir);
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (arg_workdir) {
                        exec_error_set(&err, r, "Failed to change to the working directory '%s'", arg_workdir);
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (chdir("/") < 0) {
                        exec_error_set(&err, errno, "Failed to change to the container's root");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
        }

        r = find_executable(x->login_shell ?: x->argv[0], env_get(x->env, "PATH"), &path);
        if (r < 0) {
                exec_error_set(&err, r, "Failed to find '%s' in the container", x->login_shell ?: x->argv[0]);
                child_fail(x->sk, &err, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_FAILURE);
        }

        /* The same step as the workload's, last before execve(). No parent-death signal: like the workload's
         * own children, the command lives on its own (a terminal hangup ends an interactive one). */
        if (container_exec_apply(x->c, x->cred, 0, &err) < 0)
                child_fail(x->sk, &err, EXIT_FAILURE);

        sigemptyset(&empty);
        (void) sigprocmask(SIG_SETMASK, &empty, NULL);
        if (x->login_shell) {
                _cleanup_free_ char *argv0 = NULL;
                char *args[2];

                if (asprintf(&argv0, "-%s", path_basename(x->login_shell)) < 0)
                        _exit(EXIT_FAILURE);
                args[0] = argv0;
                args[1] = NULL;
                execve(path, args, x->env);
        } else
                execve(path, x->argv, x->env);
        r = -errno;
        exec_error_set(&err, r, "Failed to execute '%s'", path);
        child_fail(x->sk, &err, r == -ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
}

/* C: enters the container, forks G, forwards signals to it and exits with its status. */
static _Noreturn void child(const ExecContext *x) {
        int keep[2 + 1 + ELEMENTSOF(x->ns_fds)] = { x->sk, x->pidfd, x->root_fd };
        ExecError err = {};
        sigset_t mask;
        pid_t pid;

        /* Before anything of the container can see us (G inherits it): no ptrace, no /proc/PID/{exe,fd,mem},
         * for the container's processes lack CAP_SYS_PTRACE. */
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
                exec_error_set(&err, errno, "Failed to make the process non-dumpable");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }

        /* The caller's terminal stays with P; then nothing of the caller's but what C needs. */
        for (int i = 0; i < 3; i++)
                if (x->stdio[i] >= 0 && dup2(x->stdio[i], i) < 0) {
                        exec_error_set(&err, errno, "Failed to set up the standard streams");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
        memcpy(keep + 3, x->ns_fds, sizeof(x->ns_fds));
        if (close_all_fds_except(keep, ELEMENTSOF(keep)) < 0) {
                exec_error_set(&err, errno, "Failed to close file descriptors");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }

        if (x->cgroup_procs) {
                _cleanup_close_ int fd = open(x->cgroup_procs, O_WRONLY | O_CLOEXEC);
                char buf[16];
                int n = snprintf(buf, sizeof(buf), "%i", (int) getpid());

                if (fd < 0 || write(fd, buf, (size_t) n) != n) {
                        exec_error_set(&err, errno, "Failed to join the container's cgroup (%s)", x->cgroup_procs);
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
        }

        /* all at once through the pidfd (Linux 5.8): either every namespace or none */
        if (x->pidfd >= 0) {
                if (setns(x->pidfd, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
                          CLONE_NEWCGROUP) < 0) {
                        exec_error_set(&err, errno, "Failed to enter the container's namespaces");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
        } else
                for (size_t i = 0; i < ELEMENTSOF(x->ns_fds); i++)
                        if (setns(x->ns_fds[i], 0) < 0) {
                                exec_error_set(&err, errno, "Failed to enter the container's namespace %zu", i);
                                child_fail(x->sk, &err, EXIT_FAILURE);
                        }
        /* setns() put us at the root of the mount namespace; the init's root is the container's root */
        if (fchdir(x->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0) {
                exec_error_set(&err, errno, "Failed to change to the container's root");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }

        pid = fork();
        if (pid < 0) {
                exec_error_set(&err, errno, "Failed to fork into the container's PID namespace");
                child_fail(x->sk, &err, EXIT_FAILURE);
        }
        if (pid == 0)
                grandchild(x);
        safe_close(x->sk);

        /* signals sent to us (not the terminal's, which reach G directly) go on to G */
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGHUP);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGQUIT);
        sigaddset(&mask, SIGUSR1);
        sigaddset(&mask, SIGUSR2);
        for (;;) {
                siginfo_t si = {};
                int sig, status;

                if (waitpid(pid, &status, WNOHANG) == pid) {
                        if (WIFEXITED(status))
                                _exit(WEXITSTATUS(status));
                        _exit(128 + WTERMSIG(status));
                }
                sig = sigwaitinfo(&mask, &si);
                if (sig < 0 || sig == SIGCHLD)
                        continue;
                /* G leads a session and process group of its own: the terminal's Ctrl-C and Ctrl-\ reach us
                 * (the caller's foreground group), not it, so they go on to its whole group, as the terminal
                 * would have sent them. Before G's setsid() there is no such group yet. */
                if ((sig == SIGINT || sig == SIGQUIT) && kill(-pid, sig) >= 0)
                        continue;
                (void) kill(pid, sig);
        }
}

/* ctrctl's stdio as the command will have it, in P before the fork. With -t, /dev/null: G's pty replaces it
 * and C needs none. Without, a pipe, a socket or /dev/null goes as it is, a directory or an O_PATH handle is
 * refused (a host directory inside the container), and anything else (a terminal, a file, a device) is
 * relayed through a pipe (*relay gets P's end). */
static int plan_stdio(TerminalRelay *relay, int stdio[static 3]) {
        for (int i = 0; i < 3; i++) {
                int p[2], r;

                if (arg_tty) {
                        stdio[i] = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
                        if (stdio[i] < 0)
                                return log_error_errno(errno, "Failed to open /dev/null: %m");
                        continue;
                }

                r = stdio_fd_classify(i);
                if (r == -EISDIR)
                        return log_error_errno(r, "Standard %s (fd %i) is a directory or a path handle, which "
                                               "would hand a place of the host to the container; refusing.",
                                               i == 0 ? "input" : i == 1 ? "output" : "error", i);
                if (r < 0)
                        return log_error_errno(r, "Failed to inspect file descriptor %i: %m", i);
                if (r == 0)
                        continue;       /* a pipe, a socket, /dev/null: as it is */

                if (pipe2(p, O_CLOEXEC) < 0)
                        return log_error_errno(errno, "Failed to create a pipe: %m");
                stdio[i] = i == STDIN_FILENO ? p[0] : p[1];
                r = i == STDIN_FILENO ? terminal_relay_pipe(relay, i, false, p[1], true, true) :
                                        terminal_relay_pipe(relay, p[0], true, i, false, false);
                if (r < 0) {
                        safe_close(p[0]);
                        safe_close(p[1]);
                        stdio[i] = -EBADF;
                        return log_error_errno(r, "Failed to relay file descriptor %i: %m", i);
                }
        }
        return 0;
}

static void close_stdio(int (*stdio)[3]) {
        for (size_t i = 0; i < 3; i++)
                (*stdio)[i] = safe_close((*stdio)[i]);
}

static bool child_exited(pid_t pid) {
        siginfo_t w = {};

        return waitid(P_PID, (id_t) pid, &w, WEXITED | WNOHANG | WNOWAIT) >= 0 && w.si_pid == pid;
}

/* P, once the command runs: relays the pty or the pipes, passes signals on to C, until C has exited. */
static void relay_until_exit(TerminalRelay *relay, int sigfd, pid_t pid) {
        /* a command that stops reading its stdin must not kill us through the pipe to it; set only now, as
         * an ignored SIGPIPE would be inherited through execve() */
        (void) signal(SIGPIPE, SIG_IGN);

        while (!child_exited(pid)) {
                struct pollfd p[1 + TERMINAL_RELAY_CHANNELS_MAX] = { { .fd = sigfd, .events = POLLIN } };
                struct pollfd *rp;
                size_t n;

                rp = terminal_relay_pollfds(relay, &n);
                memcpy(p + 1, rp, n * sizeof(struct pollfd));
                if (poll(p, 1 + n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        log_warning_errno(errno, "Failed to wait for the command's input and output: %m");
                        break;
                }
                for (size_t i = 0; i < n; i++)
                        if (p[1 + i].revents != 0)
                                (void) terminal_relay_ready(relay, i, p[1 + i].revents);

                if (!(p[0].revents & POLLIN))
                        continue;
                for (struct signalfd_siginfo si; read(sigfd, &si, sizeof(si)) == sizeof(si);) {
                        if (si.ssi_signo == SIGWINCH)
                                (void) terminal_relay_window_changed(relay);
                        else if (si.ssi_signo == SIGCHLD)
                                continue;       /* the loop's condition */
                        /* the terminal's Ctrl-C and Ctrl-\ reached C as well (our process group): C passes
                         * them on; everything else sent to us goes to C, which passes it on to G */
                        else if (!((si.ssi_signo == SIGINT || si.ssi_signo == SIGQUIT) && si.ssi_code == SI_KERNEL))
                                (void) kill(pid, (int) si.ssi_signo);
                }
        }

        /* what the command wrote before it ended; not waiting for a process it left behind */
        terminal_relay_drain(relay);
        terminal_relay_restore(relay);
}

static int wait_child(pid_t pid) {
        int status;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(errno, "Failed to wait for the command: %m");
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

static int init_cgroup_procs(pid_t init, char **ret) {
        _cleanup_free_ char *dir = NULL, *self = NULL;
        int r;

        /* Only on the unified hierarchy (what systemd gives the scope); elsewhere there is no scope to join. */
        r = pid_cgroup_dir(init, &dir);
        if (r == -EOPNOTSUPP) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        if (pid_cgroup_dir(getpid(), &self) >= 0 && streq(self, dir)) {
                *ret = NULL;
                return 0;
        }
        return asprintf(ret, "%s/cgroup.procs", dir) < 0 ? -ENOMEM : 0;
}

static void close_ns_fds(int (*fds)[6]) {
        for (size_t i = 0; i < 6; i++)
                safe_close((*fds)[i]);
}

static int exec_in_container(const char *name, char **argv, bool login_shell) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_(runtime_state_done) RuntimeState state = {};
        _cleanup_(exec_credentials_done) ExecCredentials cred = {};
        _cleanup_close_ int pidfd = -EBADF, root_fd = -EBADF, sigfd = -EBADF, master = -EBADF;
        _cleanup_free_ char *procs = NULL, *root_path = NULL;
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_(terminal_relay_done) TerminalRelay relay = TERMINAL_RELAY_INIT;
        _cleanup_(close_stdio) int stdio[3] = { -EBADF, -EBADF, -EBADF };
        int sk[2] = { -EBADF, -EBADF };
        _cleanup_(close_ns_fds) int ns_fds[6] = { -EBADF, -EBADF, -EBADF, -EBADF, -EBADF, -EBADF };
        ExecError err = {};
        ExecMessage m;
        sigset_t mask;
        pid_t init, pid;
        int r, fd, status = EXIT_FAILURE;
        bool failed = false;

        /* A closed stdio descriptor would be taken by the next one we open, and handed on as the command's. */
        for (int i = 0; i < 3; i++)
                if (fcntl(i, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDWR | O_NOCTTY) != i)
                        return log_error_errno(errno, "Failed to open /dev/null as file descriptor %i: %m", i);

        r = ctrctl_load_container(name, false, &c);
        if (r < 0)
                return ctrctl_load_exit_status(r);
        if (arg_user) {
                /* as docker exec -u: that user with its own groups from the container's files */
                if (free_and_strdup(&c->user, arg_user) < 0)
                        return log_oom();
                c->group = mfree(c->group);
                c->supplementary_groups = strv_free(c->supplementary_groups);
        }

        /* the runtime state names the init; systemd is only asked (a connection costs) when there is none */
        r = container_init_pid(NULL, name, &state, &init);
        if (r < 0 && bus_connect(NULL, &bus) >= 0)
                r = container_init_pid(bus, name, &state, &init);
        if (r < 0) {
                log_error("Container '%s' is not running.", name);
                return CTRCTL_EXIT_NOT_RUNNING;
        }
        bus = sd_bus_flush_close_unref(bus);
        if (state.config_hash && !streq(state.config_hash, c->config_hash))
                log_warning("The configuration of '%s' changed since it was started; the command runs with the "
                            "current one.", name);

        pidfd = (int) syscall(SYS_pidfd_open, init, 0);
        if (pidfd < 0 && errno != ENOSYS)
                return log_error_errno(errno, "Failed to open the init (PID %i) of '%s': %m", (int) init, name);
        if (asprintf(&root_path, "/proc/%i/root", (int) init) < 0)
                return log_oom();
        root_fd = open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Failed to open the root of '%s': %m", name);
        if (pidfd < 0) {
                /* No pidfd_open() (valgrind does not know it): the namespace files, one by one. */
                static const char *const ns[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt" };

                for (size_t k = 0; k < ELEMENTSOF(ns); k++) {
                        char p[64];

                        snprintf(p, sizeof(p), "/proc/%i/ns/%s", (int) init, ns[k]);
                        ns_fds[k] = open(p, O_RDONLY | O_CLOEXEC);
                        if (ns_fds[k] < 0)
                                return log_error_errno(errno, "Failed to open %s: %m", p);
                }
                if (kill(init, 0) < 0)
                        return log_error_errno(errno, "Container '%s' stopped: %m", name);
        } else if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
                /* the pidfd proves the PID was not reused before /proc/PID/root was opened */
                return log_error_errno(errno, "Container '%s' stopped: %m", name);

        r = init_cgroup_procs(init, &procs);
        if (r < 0)
                return log_error_errno(r, "Failed to find the cgroup of '%s': %m", name);

        /* On the host: the seccomp filter (a SeccompProfile= path is a host path), users from the container's
         * files, the environment (EnvironmentFile= paths are host paths). */
        if (container_exec_prepare(c, NULL, &err) < 0 ||
            exec_credentials_resolve(c, root_fd, &cred, &err) < 0 ||
            container_build_environment(c, &cred, arg_tty ? getenv("TERM") : NULL, NULL, arg_env, &env, &err) < 0) {
                log_error_errno(err.error, "%s: %m", err.message);
                container_exec_prepared_done();
                return CTRCTL_EXIT_FAILURE;
        }

        r = plan_stdio(&relay, stdio);
        if (r < 0) {
                container_exec_prepared_done();
                return CTRCTL_EXIT_FAILURE;
        }

        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sk) < 0) {
                container_exec_prepared_done();
                return log_error_errno(errno, "Failed to create a socket pair: %m");
        }

        ExecContext x = {
                .c = c,
                .cred = &cred,
                .env = env,
                .argv = argv,
                .login_shell = login_shell ? (cred.shell ?: "/bin/sh") : NULL,
                .pidfd = pidfd,
                .root_fd = root_fd,
                .sk = sk[1],
                .cgroup_procs = procs,
        };
        memcpy(x.ns_fds, ns_fds, sizeof(ns_fds));
        memcpy(x.stdio, stdio, sizeof(stdio));
        if (arg_tty && ioctl(STDIN_FILENO, TIOCGWINSZ, &x.ws) >= 0)
                x.have_ws = true;

        /* Blocked before the fork: C inherits the mask (it waits with sigwaitinfo), G clears it. */
        sigemptyset(&mask);
        sigaddset(&mask, SIGCHLD);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGHUP);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGQUIT);
        sigaddset(&mask, SIGWINCH);
        sigaddset(&mask, SIGUSR1);
        sigaddset(&mask, SIGUSR2);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
                container_exec_prepared_done();
                safe_close(sk[0]);
                safe_close(sk[1]);
                return log_error_errno(errno, "Failed to block signals: %m");
        }
        sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sigfd < 0) {
                container_exec_prepared_done();
                safe_close(sk[0]);
                safe_close(sk[1]);
                (void) sigprocmask(SIG_UNBLOCK, &mask, NULL);
                return log_error_errno(errno, "Failed to create a signalfd: %m");
        }

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                container_exec_prepared_done();
                safe_close(sk[0]);
                safe_close(sk[1]);
                return log_error_errno(errno, "Failed to fork: %m");
        }
        if (pid == 0) {
                safe_close(sk[0]);
                safe_close(sigfd);
                child(&x);
        }
        sk[1] = safe_close(sk[1]);
        close_stdio(&stdio);    /* C's now */
        container_exec_prepared_done();

        /* messages until EOF: execve() happened (or the children died) */
        for (;;) {
                r = receive_message(sk[0], &m, &fd);
                if (r <= 0)
                        break;
                if (m.type == MSG_PTY && fd >= 0 && master < 0)
                        master = fd;
                else
                        safe_close(fd);
                if (m.type == MSG_ERROR && !failed) {
                        failed = true;
                        log_error_errno(m.error.error, "%s: %m", m.error.message);
                }
        }
        sk[0] = safe_close(sk[0]);

        if (!failed && master >= 0) {
                r = terminal_relay_pty(&relay, master, STDIN_FILENO, STDOUT_FILENO);
                if (r < 0)
                        log_warning_errno(r, "Failed to relay the terminal, continuing without: %m");
                else
                        TAKE_FD(master);
        }
        if (!failed)
                relay_until_exit(&relay, sigfd, pid);
        terminal_relay_done(&relay);

        status = wait_child(pid);
        (void) sigprocmask(SIG_UNBLOCK, &mask, NULL);
        if (status < 0)
                return CTRCTL_EXIT_FAILURE;
        return status;
}

/* exec and shell: the same options, but shell has no -t/--tty (it always has a terminal) and no command. */
static int exec_verb(int argc, char *argv[], bool shell) {
        static const struct option options[] = {
                { "tty",     no_argument,       NULL, 't' },
                { "user",    required_argument, NULL, 'u' },
                { "env",     required_argument, NULL, 'e' },
                { "workdir", required_argument, NULL, 'w' },
                {}
        };
        int i, r;

        /* First, before getopt() permutes the arguments the copy is given: from here on, until the command's
         * execve(), /proc/PID/exe of ours is a sealed copy, never the host's ctrctl (cloned-binary.h). */
        r = cloned_binary_reexec("ctrctl");
        if (r < 0)
                return log_error_errno(r, "Failed to re-execute ctrctl from a sealed copy of itself: %m");

        i = verb_parse_options(argc, argv, shell ? options + 1 : options, shell ? "u:e:w:" : "tu:e:w:",
                               handle_option);
        if (i <= 0)
                r = i < 0 ? CTRCTL_EXIT_USAGE : 0;
        else if (ctrctl_check_name(argv[i]) < 0)
                r = CTRCTL_EXIT_USAGE;
        else {
                if (shell)
                        arg_tty = true;
                r = exec_in_container(argv[i], shell ? NULL : argv + i + 1, shell);
        }
        arg_env = strv_free(arg_env);
        return r;
}

int verb_exec(int argc, char *argv[]) {
        return exec_verb(argc, argv, false);
}

int verb_shell(int argc, char *argv[]) {
        return exec_verb(argc, argv, true);
}
