/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "health-check.h"
#include "proc-util.h"
#include "signal-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

int health_check_start(HealthCheck *h, const Container *c, const ExecTarget *t, ExecError *err) {
        _cleanup_(exec_credentials_done) ExecCredentials cred = {};
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_close_ int devnull = -EBADF, pidfd = -EBADF;
        int out[2] = { -EBADF, -EBADF }, sk[2] = { -EBADF, -EBADF };
        pid_t pid;
        int r;

        if (!c->health_cmd)
                return exec_error_set(err, EINVAL, "No HealthCmd= to run");

        /* On the host, as "ctrctl exec" does: the seccomp filter (a SeccompProfile= path is a host path), the
         * AppArmor profile (decided from the host's /sys), the user from the container's own files, the
         * environment (EnvironmentFile= paths are host paths). */
        if (container_exec_prepare(c, NULL, err) < 0)
                return -err->error;
        r = exec_credentials_resolve(c, t->root_fd, &cred, err);
        if (r >= 0)
                r = container_build_environment(c, &cred, NULL, NULL, NULL, &env, err);
        if (r < 0) {
                container_exec_prepared_done();
                return r;
        }

        devnull = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
        if (devnull < 0)
                r = exec_error_set(err, errno, "Failed to open /dev/null");
        else if (pipe2(out, O_CLOEXEC) < 0)
                r = exec_error_set(err, errno, "Failed to create a pipe");
        else if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sk) < 0)
                r = exec_error_set(err, errno, "Failed to create a socket pair");
        if (r < 0)
                goto fail;

        ExecContext x = {
                .c = c,
                .cred = &cred,
                .env = env,
                .argv = c->health_cmd,
                .sk = sk[1],
                .stdio = { devnull, out[1], out[1] },
                .kill_on_term = true,
        };
        exec_context_set_target(&x, t);

        pid = fork();
        if (pid < 0) {
                r = exec_error_set(err, errno, "Failed to fork");
                goto fail;
        }
        if (pid == 0) {
                sigset_t mask;

                /* C waits for these with sigwaitinfo(); G unblocks all before it executes the check. Should the
                 * caller die first, C ends the check as on a timeout (SIGTERM; a setns() into a user namespace
                 * clears it, but then the container's PID namespace dies with the monitor). */
                if (sigset_make(&mask, SIGCHLD, SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, -1) < 0 ||
                    sigprocmask(SIG_BLOCK, &mask, NULL) < 0 || prctl(PR_SET_PDEATHSIG, SIGTERM) < 0)
                        _exit(EXIT_FAILURE);
                exec_enter(&x);
        }
        container_exec_prepared_done();
        safe_close(out[1]);
        safe_close(sk[1]);

        /* our child, not reaped before we wait for it: the PID cannot be another process's */
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        if (pidfd < 0 || fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(sk[0], F_SETFL, O_NONBLOCK) < 0) {
                r = exec_error_set(err, errno, "Failed to watch the health check");
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                safe_close(out[0]);
                safe_close(sk[0]);
                return r;
        }

        h->pid = pid;
        h->pidfd = TAKE_FD(pidfd);
        h->output_fd = out[0];
        h->sk = sk[0];
        h->output_size = 0;
        h->output[0] = '\0';
        h->truncated = h->timed_out = false;
        return 0;

fail:
        container_exec_prepared_done();
        safe_close(out[0]);
        safe_close(out[1]);
        safe_close(sk[0]);
        safe_close(sk[1]);
        return r;
}

int health_check_read(HealthCheck *h) {
        char buf[4096];

        while (h->output_fd >= 0) {
                ssize_t n = read(h->output_fd, buf, sizeof(buf));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0 && errno == EAGAIN)
                        return -EAGAIN;
                if (n <= 0) {
                        h->output_fd = safe_close(h->output_fd);
                        return 0;
                }
                /* the first HEALTH_OUTPUT_MAX bytes; the rest is read and dropped, so the check never blocks
                 * on a full pipe */
                size_t k = MIN((size_t) n, HEALTH_OUTPUT_MAX - h->output_size);
                memcpy(h->output + h->output_size, buf, k);
                h->output_size += k;
                h->output[h->output_size] = '\0';
                if (k < (size_t) n)
                        h->truncated = true;
        }
        return 0;
}

void health_check_timeout(HealthCheck *h) {
        if (h->pid <= 0)
                return;
        h->timed_out = true;
        (void) kill(h->pid, SIGTERM);
}

static void append_output(HealthCheck *h, const char *s) {
        size_t n = strlen(s);

        if (h->output_size > 0 && h->output[h->output_size - 1] != '\n' && h->output_size < HEALTH_OUTPUT_MAX)
                h->output[h->output_size++] = '\n';
        n = MIN(n, HEALTH_OUTPUT_MAX - h->output_size);
        memcpy(h->output + h->output_size, s, n);
        h->output_size += n;
        h->output[h->output_size] = '\0';
}

int health_check_reap(HealthCheck *h, int *ret_status) {
        siginfo_t si = {};
        ExecMessage m;
        int fd;

        if (h->pid <= 0)
                return -ECHILD;
        if (waitid(P_PIDFD, (id_t) h->pidfd, &si, WEXITED | WNOHANG) < 0)
                return errno == EINTR ? 0 : negative_errno();
        if (si.si_pid == 0)
                return 0;
        h->pid = 0;
        h->pidfd = safe_close(h->pidfd);

        (void) health_check_read(h);
        h->output_fd = safe_close(h->output_fd);
        /* C and G report why they could not enter or execute; EOF (or nothing yet) otherwise */
        while (h->sk >= 0 && exec_message_receive(h->sk, &m, &fd) > 0) {
                safe_close(fd);
                if (m.type == EXEC_MESSAGE_ERROR) {
                        char line[sizeof(m.error.message) + 64];

                        snprintf(line, sizeof(line), "%s: %s", m.error.message, strerror(m.error.error));
                        append_output(h, line);
                }
        }
        h->sk = safe_close(h->sk);
        if (h->timed_out)
                append_output(h, "(killed: the check ran longer than HealthTimeout=)");

        *ret_status = exit_status_from_siginfo(&si);
        return 1;
}

bool health_check_passed(const HealthCheck *h, int status) {
        return status == 0 && !h->timed_out;
}

void health_check_done(HealthCheck *h) {
        if (h->pid > 0) {
                if (h->pidfd >= 0)
                        (void) syscall(SYS_pidfd_send_signal, h->pidfd, SIGKILL, NULL, 0);
                else
                        (void) kill(h->pid, SIGKILL);
                while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                h->pid = 0;
        }
        h->pidfd = safe_close(h->pidfd);
        h->output_fd = safe_close(h->output_fd);
        h->sk = safe_close(h->sk);
}

int health_check_run(HealthCheck *h, const Container *c, const ExecTarget *t, uint64_t timeout_usec,
                     int *ret_status, ExecError *err) {
        uint64_t deadline;
        bool grace = false;
        int r;

        r = health_check_start(h, c, t, err);
        if (r < 0)
                return r;
        deadline = timeout_usec == USEC_INFINITY ? USEC_INFINITY : now_monotonic_usec() + timeout_usec;

        for (;;) {
                struct pollfd p[2] = {
                        { .fd = h->pidfd, .events = POLLIN },
                        { .fd = h->output_fd, .events = POLLIN },
                };
                uint64_t now = now_monotonic_usec();
                int ms;

                r = health_check_reap(h, ret_status);
                if (r != 0) {
                        if (r < 0)
                                health_check_done(h);
                        return r;
                }
                if (now >= deadline) {
                        if (grace) {
                                health_check_done(h);
                                *ret_status = 128 + SIGKILL;
                                return 1;
                        }
                        health_check_timeout(h);
                        grace = true;
                        deadline = now + HEALTH_KILL_GRACE_USEC;
                }
                ms = (int) MIN((deadline - now + 999) / 1000, (uint64_t) INT32_MAX);
                if (poll(p, 2, ms) < 0 && errno != EINTR) {
                        r = negative_errno();
                        health_check_done(h);
                        return r;
                }
                if (p[1].revents)
                        (void) health_check_read(h);
        }
}

char *health_output_first_line(const char *output, size_t max) {
        size_t n = strcspn(output, "\n");
        char *s;

        n = MIN(n, max);
        s = strndup(output, n);
        if (!s)
                return NULL;
        for (char *p = s; *p; p++)
                if ((unsigned char) *p < ' ' || *p == 0x7f)
                        *p = ' ';
        return s;
}
