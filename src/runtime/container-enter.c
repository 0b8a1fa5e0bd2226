/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The way into a running container: C and G of the picture in src/ctrctl/exec.c. C, forked by ctrctl (or by
 * the monitor for a health check), makes itself non-dumpable, takes its stdio, closes the rest, joins the init's cgroup and namespaces and
 * chroots to its root; G, forked into the PID namespace, keeps only stdio and the socket, starts a session
 * (with its pty under -t), changes to the working directory inside the root, drops to the workload's
 * privileges (container_exec_apply()) and executes the command. Failures go to the caller over the socket,
 * never logged here. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "chdir-util.h"
#include "container-enter.h"
#include "container-exec.h"
#include "env-util.h"
#include "fd-util.h"
#include "path-util.h"
#include "proc-util.h"
#include "signal-util.h"
#include "string-util.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

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

int exec_message_receive(int sk, ExecMessage *m, int *ret_fd) {
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
        ExecMessage m = { .type = EXEC_MESSAGE_ERROR, .exit_status = status, .error = *err };

        (void) send_message(sk, &m, -EBADF);
        _exit(status);
}

/* G with -t, inside the container's root: a pty of its devpts instance, with the window size |ws| (NULL:
 * left as it is). */
static int pty_open(const struct winsize *ws, int *ret_master, int *ret_peer, ExecError *err) {
        _cleanup_close_ int master = -EBADF;
        int unlock = 0, peer;

        /* the container's own devpts instance: /dev/ptmx → pts/ptmx inside its root */
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return exec_error_set(err, errno, "Failed to open the container's /dev/ptmx");
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return exec_error_set(err, errno, "Failed to unlock the pseudo terminal");
        peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (peer < 0)
                return exec_error_set(err, errno, "Failed to open the pseudo terminal's peer");
        if (ws)
                (void) ioctl(peer, TIOCSWINSZ, ws);
        *ret_master = TAKE_FD(master);
        *ret_peer = peer;
        return 0;
}

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

        if (x->tty) {
                int master = -EBADF, slave = -EBADF;

                if (pty_open(x->have_ws ? &x->ws : NULL, &master, &slave, &err) < 0)
                        child_fail(x->sk, &err, EXIT_FAILURE);
                ExecMessage m = { .type = EXEC_MESSAGE_PTY };
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
        cwd = x->workdir ?: x->c->working_directory ?: x->cred->home;
        r = cwd ? chdir_in_root(cwd) : -ENOENT;
        if (r < 0) {
                if (x->workdir && (r == -ELOOP || r == -EXDEV)) {
                        exec_error_set(&err, r, "The working directory '%s' leads out of the container",
                                       x->workdir);
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                if (x->workdir) {
                        exec_error_set(&err, r, "Failed to change to the working directory '%s'", x->workdir);
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

_Noreturn void exec_enter(const ExecContext *x) {
        int keep[2 + 2 + ELEMENTSOF(x->ns_fds)] = { x->sk, x->pidfd, x->root_fd, x->userns_fd };
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
        memcpy(keep + 4, x->ns_fds, sizeof(x->ns_fds));
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

        /* all at once through the pidfd (Linux 5.8): either every namespace or none. The user namespace
         * (PrivateUsers=) comes first, as the kernel joins it: the ids G takes are then the container's, never
         * the host's. */
        if (x->pidfd >= 0) {
                if (setns(x->pidfd, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET |
                          CLONE_NEWCGROUP | (x->userns_fd >= 0 ? CLONE_NEWUSER : 0)) < 0) {
                        exec_error_set(&err, errno, "Failed to enter the container's namespaces");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
        } else {
                if (x->userns_fd >= 0 && setns(x->userns_fd, CLONE_NEWUSER) < 0) {
                        exec_error_set(&err, errno, "Failed to enter the container's user namespace");
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                for (size_t i = 0; i < ELEMENTSOF(x->ns_fds); i++)
                        if (setns(x->ns_fds[i], 0) < 0) {
                                exec_error_set(&err, errno, "Failed to enter the container's namespace %zu", i);
                                child_fail(x->sk, &err, EXIT_FAILURE);
                        }
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
        (void) sigset_make(&mask, SIGCHLD, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, -1);
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
                /* A health check's timeout: the check and whatever it started in its session, the session G
                 * leads (before its setsid() G alone). */
                if (sig == SIGTERM && x->kill_on_term) {
                        (void) kill(-pid, SIGKILL);
                        (void) kill(pid, SIGKILL);
                        continue;
                }
                (void) kill(pid, sig);
        }
}

static int exec_init_cgroup_procs(pid_t init, char **ret) {
        _cleanup_free_ char *dir = NULL, *self = NULL;
        int r;

        /* Only on the unified hierarchy (what systemd gives the scope); elsewhere there is no scope to join. */
        r = pid_cgroup_dir(init, NULL, &dir);
        if (r == -EOPNOTSUPP) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        if (pid_cgroup_dir(getpid(), NULL, &self) >= 0 && streq(self, dir)) {
                *ret = NULL;
                return 0;
        }
        return asprintf(ret, "%s/cgroup.procs", dir) < 0 ? -ENOMEM : 0;
}

static int exec_init_userns(pid_t init, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct stat ours, theirs;
        char path[64];

        snprintf(path, sizeof(path), "/proc/%i/ns/user", (int) init);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (stat("/proc/self/ns/user", &ours) < 0 || fstat(fd, &theirs) < 0)
                return negative_errno();
        *ret_fd = ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev ? -EBADF : TAKE_FD(fd);
        return 0;
}

int exec_target_open(pid_t init, int pidfd, ExecTarget *ret, ExecError *err) {
        _cleanup_(exec_target_done) ExecTarget t = EXEC_TARGET_INIT;
        char path[64];
        int r;

        t.pidfd = pidfd;
        snprintf(path, sizeof(path), "/proc/%i/root", (int) init);
        t.root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (t.root_fd < 0)
                return exec_error_set(err, errno, "Failed to open the container's root (%s)", path);
        if (t.pidfd < 0) {
                /* No pidfd_open() (valgrind does not know it): the namespace files, one by one. */
                static const char *const ns[] = { "cgroup", "ipc", "uts", "net", "pid", "mnt" };

                for (size_t k = 0; k < ELEMENTSOF(ns); k++) {
                        snprintf(path, sizeof(path), "/proc/%i/ns/%s", (int) init, ns[k]);
                        t.ns_fds[k] = open(path, O_RDONLY | O_CLOEXEC);
                        if (t.ns_fds[k] < 0)
                                return exec_error_set(err, errno, "Failed to open %s", path);
                }
                if (kill(init, 0) < 0)
                        return exec_error_set(err, errno, "The container stopped");
        } else if (syscall(SYS_pidfd_send_signal, t.pidfd, 0, NULL, 0) < 0)
                /* the pidfd proves the PID was not reused before /proc/PID/root was opened */
                return exec_error_set(err, errno, "The container stopped");

        r = exec_init_cgroup_procs(init, &t.cgroup_procs);
        if (r < 0)
                return exec_error_set(err, r, "Failed to find the container's cgroup");
        r = exec_init_userns(init, &t.userns_fd);
        if (r < 0)
                return exec_error_set(err, r, "Failed to open the container's user namespace");
        *ret = t;
        t = EXEC_TARGET_INIT;
        return 0;
}

void exec_target_done(ExecTarget *t) {
        t->pidfd = safe_close(t->pidfd);
        t->root_fd = safe_close(t->root_fd);
        for (size_t i = 0; i < ELEMENTSOF(t->ns_fds); i++)
                t->ns_fds[i] = safe_close(t->ns_fds[i]);
        t->userns_fd = safe_close(t->userns_fd);
        t->cgroup_procs = mfree(t->cgroup_procs);
}

void exec_context_set_target(ExecContext *x, const ExecTarget *t) {
        x->pidfd = t->pidfd;
        x->root_fd = t->root_fd;
        memcpy(x->ns_fds, t->ns_fds, sizeof(x->ns_fds));
        x->userns_fd = t->userns_fd;
        x->cgroup_procs = t->cgroup_procs;
}
