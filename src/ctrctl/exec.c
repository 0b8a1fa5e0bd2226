/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl exec [-t] [-u USER] [-e K=V]… [-w DIR] NAME -- CMD…
 * ctrctl shell [-u USER] [-e K=V]… [-w DIR] NAME
 *
 * Runs a command in a running container, with exactly the workload's confinement: the same .ctr is parsed
 * by the same parser, and the process goes through the same container_exec_apply() as the workload (AppArmor
 * profile, bounding set, capability sets, no_new_privs, seccomp filter, user), so it can never hold more than
 * the container.
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
 * - /proc: G writes its AppArmor profile through the container's /proc, which a container that may mount
 *   could have covered: the write goes through a checked procfs root without crossing a mount
 *   (apparmor.h), or fails, and the command is not run.
 * - The caller's terminal: G always starts a session of its own, and never holds the caller's terminal,
 *   where ioctl(TIOCSTI) would type into the caller's shell. With -t it has a pty of the container's
 *   devpts; without, each of ctrctl's stdio descriptors that is a terminal, a file or a device is relayed
 *   through a pipe (as docker and podman exec do); a pipe, a socket or /dev/null is passed as it is. The terminal's Ctrl-C and Ctrl-\ then
 *   reach C only, which sends them on to G's process group.
 *
 * Errors of C and G travel to P over the same socket (an ExecError); its end is O_CLOEXEC, so EOF without a
 * message means execve() succeeded. The command's exit status becomes ctrctl's (128+N for signal N); 126 and
 * 127 as a shell says when it could not be executed or found; 1 when the container could not be entered.
 *
 * This file holds the verbs and P; C and G are src/runtime/container-enter.c (shared with the monitor's health
 * checks and ctrctl healthcheck), the standard streams and the terminal exec-relay.c. */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus-util.h"
#include "cloned-binary.h"
#include "container-enter.h"
#include "container-exec.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "env-util.h"
#include "exec-relay.h"
#include "fd-util.h"
#include "log.h"
#include "name-util.h"
#include "path-util.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"

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

static int wait_child(pid_t pid) {
        int status;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(errno, "Failed to wait for the command: %m");
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

static int exec_in_container(const char *name, char **argv, bool login_shell) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(exec_credentials_done) ExecCredentials cred = {};
        _cleanup_close_ int sigfd = -EBADF, master = -EBADF;
        _cleanup_(exec_target_done) ExecTarget target = EXEC_TARGET_INIT;
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_(terminal_relay_done) TerminalRelay relay = TERMINAL_RELAY_INIT;
        _cleanup_(exec_stdio_close) int stdio[3] = { -EBADF, -EBADF, -EBADF };
        int sk[2] = { -EBADF, -EBADF };
        ExecError err = {};
        ExecMessage m;
        sigset_t mask;
        pid_t pid;
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

        r = ctrctl_enter_target(c, name, &target);
        if (r != CTRCTL_EXIT_SUCCESS)
                return r;

        /* On the host: the seccomp filter (a SeccompProfile= path is a host path), the AppArmor profile (the
         * host's /sys says which is loaded), users from the container's files, the environment
         * (EnvironmentFile= paths are host paths). */
        if (container_exec_prepare(c, NULL, &err) < 0 ||
            exec_credentials_resolve(c, target.root_fd, &cred, &err) < 0 ||
            container_build_environment(c, &cred, arg_tty ? getenv("TERM") : NULL, NULL, arg_env, &env, &err) < 0) {
                log_error_errno(err.error, "%s: %m", err.message);
                container_exec_prepared_done();
                return CTRCTL_EXIT_FAILURE;
        }

        r = exec_stdio_plan(arg_tty, &relay, stdio);
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
                .sk = sk[1],
                .tty = arg_tty,
                .workdir = arg_workdir,
        };
        exec_context_set_target(&x, &target);
        memcpy(x.stdio, stdio, sizeof(stdio));
        if (arg_tty && ioctl(STDIN_FILENO, TIOCGWINSZ, &x.ws) >= 0)
                x.have_ws = true;

        /* Blocked before the fork: C inherits the mask (it waits with sigwaitinfo), G clears it. */
        (void) sigset_make(&mask, SIGCHLD, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2, -1);
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
                exec_enter(&x);
        }
        sk[1] = safe_close(sk[1]);
        exec_stdio_close(&stdio);       /* C's now */
        container_exec_prepared_done();

        /* messages until EOF: execve() happened (or the children died) */
        for (;;) {
                r = exec_message_receive(sk[0], &m, &fd);
                if (r <= 0)
                        break;
                if (m.type == EXEC_MESSAGE_PTY && fd >= 0 && master < 0)
                        master = fd;
                else
                        safe_close(fd);
                if (m.type == EXEC_MESSAGE_ERROR && !failed) {
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
                exec_relay_until_exit(&relay, sigfd, pid);
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
