/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctr-file.h"
#include "log.h"
#include "monitor.h"
#include "proc-util.h"
#include "sync.h"

static const int handled_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT, SIGWINCH };

int monitor_signal_mask(sigset_t *ret) {
        sigemptyset(ret);
        for (size_t i = 0; i < ELEMENTSOF(handled_signals); i++)
                sigaddset(ret, handled_signals[i]);
        return 0;
}

static int pidfd_signal(int pidfd, int sig) {
        if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
                return negative_errno();
        return 0;
}

void monitor_kill_and_reap(pid_t pid, int pidfd) {
        siginfo_t si = {};

        if (pidfd >= 0)
                (void) pidfd_signal(pidfd, SIGKILL);
        else
                (void) kill(pid, SIGKILL);
        while (waitid(P_PID, (id_t) pid, &si, WEXITED) < 0 && errno == EINTR)
                ;
}

#define MONITOR_POLLFDS_MAX 16

int monitor_run(_unused_ pid_t pid, int pidfd, const MonitorHooks *hooks, int stop_signal, uint64_t stop_timeout_usec,
                int *ret_status, bool *ret_stop_requested) {
        _cleanup_close_ int sfd = -EBADF, tfd = -EBADF;
        bool stopping = false, killed = false;
        int start_fd = hooks->start_fd;
        sigset_t mask;
        int r;

        monitor_signal_mask(&mask);
        sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return log_error_errno(errno, "Failed to create a signalfd: %m");
        tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (tfd < 0)
                return log_error_errno(errno, "Failed to create a timerfd: %m");

        for (;;) {
                struct pollfd pfd[4 + MONITOR_POLLFDS_MAX] = {
                        { .fd = pidfd, .events = POLLIN },
                        { .fd = sfd, .events = POLLIN },
                        { .fd = tfd, .events = POLLIN },
                        { .fd = start_fd, .events = POLLIN }, /* negative: ignored by poll() */
                };
                size_t n_extra = 0;

                if (hooks->pollfds) {
                        struct pollfd *extra = hooks->pollfds(hooks->userdata, &n_extra);
                        n_extra = MIN(n_extra, (size_t) MONITOR_POLLFDS_MAX);
                        memcpy(pfd + 4, extra, n_extra * sizeof(struct pollfd));
                }

                if (poll(pfd, 4 + n_extra, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(errno, "Failed to wait for the container: %m");
                }

                if (pfd[0].revents) {
                        siginfo_t si = {};
                        if (waitid(P_PIDFD, (id_t) pidfd, &si, WEXITED | WNOHANG) < 0) {
                                if (errno == EINTR)
                                        continue;
                                return log_error_errno(errno, "Failed to reap the container: %m");
                        }
                        if (si.si_pid == 0)
                                continue;
                        *ret_status = exit_status_from_siginfo(&si);
                        *ret_stop_requested = stopping;
                        if (si.si_code == CLD_EXITED)
                                log_debug("Container init exited with status %i.", si.si_status);
                        else
                                log_debug("Container init was killed by signal %s%s.", sigabbrev_np(si.si_status) ?: "?",
                                          killed ? " (after StopTimeoutSec=)" : "");
                        return 0;
                }

                if (start_fd >= 0 && pfd[3].revents) {
                        /* end-of-file: the workload was executed; a descriptor: the master of the container's
                         * pty, then more to come; an error record: the set-up failed, the child exits now and
                         * the caller reads the record then */
                        int fd = -EBADF;

                        r = sync_next(start_fd, &fd);
                        if (r == SYNC_NEXT_HOSTS) {
                                if (hooks->received_hosts)
                                        hooks->received_hosts(hooks->userdata, fd);
                                else
                                        safe_close(fd);
                                /* the child waits for this: written now, the list is there for its workload */
                                r = sync_release(start_fd);
                                if (r < 0)
                                        log_debug_errno(r, "Failed to let the child go on after /etc/hosts: %m");
                        } else if (r == SYNC_NEXT_FD) {
                                if (hooks->received_fd)
                                        hooks->received_fd(hooks->userdata, fd);
                                else
                                        safe_close(fd);
                        } else if (r != -EAGAIN) {
                                if (r == SYNC_NEXT_EXECUTED && hooks->started)
                                        hooks->started(hooks->userdata);
                                start_fd = -EBADF;
                        }
                }

                if (pfd[1].revents) {
                        struct signalfd_siginfo ssi;
                        ssize_t n = read(sfd, &ssi, sizeof(ssi));
                        if (n != sizeof(ssi))
                                continue;
                        int sig = (int) ssi.ssi_signo;
                        if (sig == SIGTERM || sig == SIGINT) {
                                if (stopping)
                                        continue;
                                stopping = true;
                                if (hooks->stopping)
                                        hooks->stopping(hooks->userdata);
                                log_debug("Received SIG%s, stopping the container with SIG%s.", sigabbrev_np(sig),
                                          sigabbrev_np(stop_signal) ?: "?");
                                r = pidfd_signal(pidfd, stop_signal);
                                if (r < 0 && r != -ESRCH)
                                        log_warning_errno(r, "Failed to send the stop signal: %m");
                                if (stop_timeout_usec != USEC_INFINITY) {
                                        struct itimerspec its = {
                                                .it_value.tv_sec = (time_t) (stop_timeout_usec / USEC_PER_SEC),
                                                .it_value.tv_nsec = (long) (stop_timeout_usec % USEC_PER_SEC) * 1000,
                                        };
                                        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
                                                its.it_value.tv_nsec = 1;
                                        if (timerfd_settime(tfd, 0, &its, NULL) < 0)
                                                return log_error_errno(errno, "Failed to arm the stop timer: %m");
                                }
                        } else {
                                /* SIGHUP is the unit's ExecReload=: the workload gets ReloadSignal=. Everything
                                 * else goes to the container as it is (window size, user signals …). */
                                if (sig == SIGHUP && hooks->reload_signal > 0)
                                        sig = hooks->reload_signal;
                                if (hooks->signal && hooks->signal(hooks->userdata, sig))
                                        continue;
                                r = pidfd_signal(pidfd, sig);
                                if (r < 0 && r != -ESRCH)
                                        log_warning_errno(r, "Failed to forward SIG%s: %m", sigabbrev_np(sig));
                        }
                }

                for (size_t i = 0; i < n_extra; i++)
                        if (pfd[4 + i].revents && hooks->ready)
                                hooks->ready(hooks->userdata, i, pfd[4 + i].revents);

                if (pfd[2].revents) {
                        uint64_t ticks;
                        if (read(tfd, &ticks, sizeof(ticks)) != sizeof(ticks))
                                continue;
                        if (!killed) {
                                log_warning("Container did not stop within StopTimeoutSec=, killing it.");
                                killed = true;
                                r = pidfd_signal(pidfd, SIGKILL);
                                if (r < 0 && r != -ESRCH)
                                        log_warning_errno(r, "Failed to kill the container: %m");
                        }
                }
        }
}
