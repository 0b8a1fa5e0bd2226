/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl exec [-t] [-u USER] [-e K=V]… [-w DIR] NAME -- CMD…
 * ctrctl shell [-u USER] [-e K=V]… [-w DIR] NAME
 *
 * Runs a command in a running container, with exactly the workload's confinement: the same .ctr is parsed
 * by the same parser, and the process goes through the same container_exec_apply() as the workload (bounding
 * set, capability sets, no_new_privs, seccomp filter, user), so it can never hold more than the container.
 *
 *   ctrctl (P, stays on the host: relays the terminal, waits)
 *     └─ C: joins the init's cgroup (before its cgroup namespace), setns(pidfd of the init, mnt|pid|uts|ipc|
 *           net|cgroup), chroot to the init's root; forks, because only children enter a PID namespace
 *          └─ G: PID namespace of the container; with -t opens the container's own /dev/ptmx, sends the
 *                master to P over a socket (SCM_RIGHTS), makes the peer its controlling terminal;
 *                container_exec_apply(); execve()
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
#include <termios.h>
#include <unistd.h>

#include "bus-util.h"
#include "container-exec.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "env-util.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

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

/* As the launcher: PATH of the container's environment, no fallbacks. */
static int find_executable(const char *name, char *const *env, char **ret) {
        _cleanup_free_ char *copy = NULL;
        const char *path;
        char *save = NULL;

        if (strchr(name, '/')) {
                *ret = strdup(name);
                return *ret ? 0 : -ENOMEM;
        }
        path = env_get(env, "PATH");
        copy = strdup(path ?: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        if (!copy)
                return -ENOMEM;
        for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
                _cleanup_free_ char *p = NULL;

                if (asprintf(&p, "%s/%s", d, name) < 0)
                        return -ENOMEM;
                if (access(p, X_OK) == 0) {
                        *ret = TAKE_PTR(p);
                        return 0;
                }
        }
        return -ENOENT;
}

typedef struct ExecContext {
        const Container *c;
        const ExecCredentials *cred;
        char **env;
        char **argv;                    /* the command; argv[0] is looked up in PATH */
        const char *login_shell;        /* shell: exec this with argv[0] "-sh" */
        int pidfd, root_fd, sk;
        int ns_fds[6];                  /* without pidfd_open(): /proc/PID/ns/… of the init, mnt last */
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
                if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
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

        cwd = arg_workdir ?: x->c->working_directory ?: x->cred->home;
        if (!cwd || chdir(cwd) < 0) {
                if (arg_workdir) {
                        exec_error_set(&err, errno, "Failed to change to the working directory '%s'", arg_workdir);
                        child_fail(x->sk, &err, EXIT_FAILURE);
                }
                (void) chdir("/");
        }

        r = find_executable(x->login_shell ?: x->argv[0], x->env, &path);
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
        ExecError err = {};
        sigset_t mask;
        pid_t pid;

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
                /* the terminal's own SIGINT/SIGQUIT reached G already (same process group) */
                if ((sig == SIGINT || sig == SIGQUIT) && si.si_code == SI_KERNEL)
                        continue;
                (void) kill(pid, sig);
        }
}

static struct termios saved_termios;
static bool termios_saved = false;

static void restore_terminal(void) {
        if (termios_saved) {
                (void) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_termios);
                termios_saved = false;
        }
}

static int write_all(int fd, const char *buf, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, buf, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno == EAGAIN) {
                                struct pollfd p = { .fd = fd, .events = POLLOUT };
                                (void) poll(&p, 1, -1);
                                continue;
                        }
                        return -errno;
                }
                buf += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Relays the terminal until the command's side of the pty is closed and C has exited. */
static void relay_pty(int master, int sigfd, pid_t child_pid) {
        bool stdin_open = true, child_done = false;
        char buf[16384];

        if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_termios) >= 0) {
                struct termios raw = saved_termios;

                termios_saved = true;
                cfmakeraw(&raw);
                /* output processing stays on: the container's terminal already did it */
                raw.c_oflag = saved_termios.c_oflag;
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }
        (void) fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

        for (;;) {
                struct pollfd p[3] = {
                        { .fd = master, .events = POLLIN },
                        { .fd = sigfd, .events = POLLIN },
                        { .fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
                };

                if (poll(p, 3, child_done ? 0 : -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }

                if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                        ssize_t n = read(master, buf, sizeof(buf));

                        if (n > 0) {
                                if (write_all(STDOUT_FILENO, buf, (size_t) n) < 0)
                                        break;
                                continue;       /* drain before anything else */
                        }
                        if (n == 0 || (errno != EAGAIN && errno != EINTR))
                                break;          /* EIO: every holder of the other side is gone */
                } else if (child_done)
                        break;                  /* C is gone and nothing is left to read */

                if (p[1].revents & POLLIN) {
                        struct signalfd_siginfo si;

                        if (read(sigfd, &si, sizeof(si)) == sizeof(si)) {
                                if (si.ssi_signo == SIGWINCH) {
                                        struct winsize ws;
                                        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) >= 0)
                                                (void) ioctl(master, TIOCSWINSZ, &ws);
                                } else if (si.ssi_signo == SIGCHLD) {
                                        siginfo_t w = {};
                                        if (waitid(P_PID, (id_t) child_pid, &w, WEXITED | WNOHANG | WNOWAIT) >= 0 &&
                                            w.si_pid == child_pid)
                                                child_done = true;
                                } else
                                        (void) kill(child_pid, (int) si.ssi_signo);
                        }
                }

                if (stdin_open && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
                        ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

                        if (n > 0) {
                                if (write_all(master, buf, (size_t) n) < 0)
                                        break;
                        } else if (n == 0 || errno != EAGAIN) {
                                /* end of input: an EOF character for the program on the terminal */
                                stdin_open = false;
                                if (!termios_saved)
                                        (void) write_all(master, "\004", 1);
                        }
                }
        }
        restore_terminal();
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
        int sk[2] = { -EBADF, -EBADF };
        _cleanup_(close_ns_fds) int ns_fds[6] = { -EBADF, -EBADF, -EBADF, -EBADF, -EBADF, -EBADF };
        ExecError err = {};
        ExecMessage m;
        sigset_t mask;
        pid_t init, pid;
        int r, fd, status = EXIT_FAILURE;
        bool failed = false;

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

        if (!failed && master >= 0)
                relay_pty(master, sigfd, pid);
        else if (!failed && sigfd >= 0) {
                /* forward what is sent to ctrctl itself; the terminal's signals reach the command directly */
                for (;;) {
                        struct signalfd_siginfo si;
                        struct pollfd p = { .fd = sigfd, .events = POLLIN };
                        siginfo_t w = {};

                        if (waitid(P_PID, (id_t) pid, &w, WEXITED | WNOHANG | WNOWAIT) >= 0 && w.si_pid == pid)
                                break;
                        if (poll(&p, 1, -1) < 0 && errno != EINTR)
                                break;
                        while (read(sigfd, &si, sizeof(si)) == sizeof(si))
                                if (si.ssi_signo != SIGCHLD && si.ssi_signo != SIGWINCH &&
                                    !((si.ssi_signo == SIGINT || si.ssi_signo == SIGQUIT) && si.ssi_code == SI_KERNEL))
                                        (void) kill(pid, (int) si.ssi_signo);
                }
        }

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
