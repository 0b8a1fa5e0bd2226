/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The monitor's health checks (health.h). A check is C and G of container-enter.h forked from the monitor,
 * so /proc/G/exe is the host's ctr-launch: as for the container's init (child.c), it cannot be opened for
 * writing (ETXTBSY) while the monitor runs it, and G is not dumpable until it executes the check, so the
 * container cannot reach it before it holds the workload's confinement. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "health.h"
#include "log.h"
#include "notify-send.h"
#include "runtime-state.h"
#include "string-util.h"

/* STATUS= and the log: this much of the output's first line */
#define HEALTH_STATUS_LINE_MAX 200U

const char *health_state_to_string(HealthState s) {
        static const char *const table[_HEALTH_STATE_MAX] = {
                [HEALTH_STARTING] = "starting",
                [HEALTH_HEALTHY] = "healthy",
                [HEALTH_UNHEALTHY] = "unhealthy",
        };
        return s >= 0 && s < _HEALTH_STATE_MAX ? table[s] : NULL;
}

static int timer_arm(int fd, uint64_t usec, bool repeat) {
        struct itimerspec its = {
                .it_value.tv_sec = (time_t) (usec / USEC_PER_SEC),
                .it_value.tv_nsec = (long) (usec % USEC_PER_SEC) * 1000,
        };

        if (usec == 0)
                its.it_value.tv_nsec = 1;       /* 0 would disarm it */
        if (repeat)
                its.it_interval = its.it_value;
        if (timerfd_settime(fd, 0, &its, NULL) < 0)
                return negative_errno();
        return 0;
}

static void timer_disarm(int fd) {
        struct itimerspec its = {};

        if (fd >= 0)
                (void) timerfd_settime(fd, 0, &its, NULL);
}

static void schedule(Health *h, uint64_t usec) {
        int r = timer_arm(h->timer_fd, usec, false);
        if (r < 0)
                log_warning_errno(r, "Container '%s': failed to schedule the health check, no more checks: %m",
                                  h->container->name);
}

/* STATUS=: "healthy", "starting", "unhealthy (3 failures): <first line of the last output>" */
static void send_status(Health *h, const char *line) {
        const char *state = health_state_to_string(h->state);

        if (h->streak == 0)
                (void) notify_sendf("STATUS=%s", state);
        else
                (void) notify_sendf("STATUS=%s (%u failure%s): %s", state, h->streak, h->streak == 1 ? "" : "s", line);
}

int health_start(Health *h, const Container *c, pid_t init, int init_pidfd) {
        uint64_t watchdog = 0;
        int r;

        h->container = c;
        if (!c->health_cmd)
                return 0;
        h->enabled = true;
        h->init = init;
        h->init_pidfd = init_pidfd;
        h->state = HEALTH_STARTING;
        h->started_usec = now_monotonic_usec();

        h->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (h->timer_fd < 0)
                return log_error_errno(errno, "Failed to create the health check's timer: %m");
        r = timer_arm(h->timer_fd, c->health_interval_usec, false);
        if (r < 0)
                return log_error_errno(r, "Failed to schedule the health check: %m");
        h->active = true;

        /* WatchdogSec= of the service: systemd's watchdog, fed while the container is not unhealthy. Not
         * without a check: the monitor would vouch for a workload it knows nothing about. */
        if (notify_watchdog_usec(&watchdog) > 0 && watchdog > 0) {
                h->watchdog_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
                if (h->watchdog_fd < 0 || timer_arm(h->watchdog_fd, watchdog / 2, true) < 0)
                        log_warning_errno(errno, "Failed to set up the watchdog timer, continuing without: %m");
                else
                        (void) notify_send("WATCHDOG=1");
        }

        send_status(h, "");
        if (h->changed)
                h->changed(h->userdata);
        return 0;
}

static void on_unhealthy(Health *h) {
        const Container *c = h->container;

        switch (c->health_on_failure) {
        case HEALTH_ON_FAILURE_KILL:
                log_warning("Container '%s' is unhealthy, killing it (HealthOnFailure=kill).", c->name);
                if (syscall(SYS_pidfd_send_signal, h->init_pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
                        log_warning_errno(errno, "Failed to kill container '%s': %m", c->name);
                break;
        case HEALTH_ON_FAILURE_RESTART:
        case HEALTH_ON_FAILURE_STOP:
                /* the monitor's own stop, as systemctl stop would ask for it: StopSignal=, StopTimeoutSec= */
                log_warning("Container '%s' is unhealthy, stopping it (HealthOnFailure=%s).", c->name,
                            health_on_failure_to_string(c->health_on_failure));
                h->restart = c->health_on_failure == HEALTH_ON_FAILURE_RESTART;
                if (kill(getpid(), SIGTERM) < 0)
                        log_warning_errno(errno, "Failed to stop container '%s': %m", c->name);
                break;
        default:
                return;
        }
        health_stopping(h);
}

static void check_done(Health *h, bool passed, int status) {
        const Container *c = h->container;
        HealthState old_state = h->state;
        unsigned old_streak = h->streak;
        _cleanup_free_ char *line = NULL;
        int r;

        h->running = h->killing = false;
        line = health_output_first_line(h->check.output, HEALTH_STATUS_LINE_MAX);

        r = runtime_state_write_health_output(c->name, h->check.output, h->check.output_size);
        if (r < 0)
                log_debug_errno(r, "Failed to write the health check's output: %m");

        if (passed) {
                h->streak = 0;
                h->state = HEALTH_HEALTHY;
        } else if (h->state == HEALTH_STARTING &&
                   now_monotonic_usec() - h->started_usec < c->health_start_period_usec)
                log_debug("Container '%s': health check failed (status %i) within HealthStartPeriod=, not counted.",
                          c->name, status);
        else {
                h->streak++;
                if (h->streak >= c->health_retries)
                        h->state = HEALTH_UNHEALTHY;
        }

        /* each transition once; the failures on the way there are at debug level */
        if (h->state != old_state) {
                if (h->state == HEALTH_HEALTHY)
                        log_info("Container '%s' is healthy%s.", c->name, old_state == HEALTH_UNHEALTHY ? " again" : "");
                else
                        log_warning("Container '%s' is unhealthy: %u failed health check%s in a row, the last "
                                    "with status %i: %s", c->name, h->streak, h->streak == 1 ? "" : "s", status,
                                    line ?: "");
        } else if (!passed)
                log_debug("Container '%s': health check failed with status %i: %s", c->name, status, line ?: "");

        if (h->state != old_state || h->streak != old_streak) {
                send_status(h, line ?: "");
                if (h->changed)
                        h->changed(h->userdata);
        }
        if (passed && c->notify_healthy && !h->ready_sent) {
                h->ready_sent = true;
                (void) notify_send("READY=1");
        }

        if (h->state == HEALTH_UNHEALTHY && old_state != HEALTH_UNHEALTHY)
                on_unhealthy(h);
        if (h->active)
                schedule(h, c->health_interval_usec);
}

static void check_begin(Health *h) {
        const Container *c = h->container;
        _cleanup_(exec_target_done) ExecTarget t = EXEC_TARGET_INIT;
        ExecError err = {};
        int pidfd, r;

        /* the init is our child, not reaped while we run: its PID is its own */
        pidfd = (int) syscall(SYS_pidfd_open, h->init, 0);
        if (pidfd < 0 && errno != ENOSYS)
                r = exec_error_set(&err, errno, "Failed to open the container's init");
        else
                r = exec_target_open(h->init, pidfd, &t, &err);
        if (r >= 0)
                r = health_check_start(&h->check, c, &t, &err);
        if (r < 0) {
                /* a check that cannot start fails, as one that cannot enter does */
                snprintf(h->check.output, sizeof(h->check.output), "%s: %s", err.message, strerror(err.error));
                h->check.output_size = strlen(h->check.output);
                h->check.timed_out = false;
                check_done(h, false, EXIT_FAILURE);
                return;
        }
        h->running = true;
        schedule(h, c->health_timeout_usec);
}

static void on_timer(Health *h) {
        uint64_t ticks;
        int status;

        if (read(h->timer_fd, &ticks, sizeof(ticks)) != sizeof(ticks))
                return;
        if (!h->running) {
                if (h->active)
                        check_begin(h);
                return;
        }
        if (!h->killing) {
                log_debug("Container '%s': health check still running after HealthTimeout=, killing it.",
                          h->container->name);
                health_check_timeout(&h->check);
                h->killing = true;
                schedule(h, HEALTH_KILL_GRACE_USEC);
                return;
        }
        /* C did not end it within the grace: C itself goes */
        health_check_done(&h->check);
        status = 128 + SIGKILL;
        check_done(h, false, status);
}

static void on_check_exited(Health *h) {
        int status, r;

        r = health_check_reap(&h->check, &status);
        if (r == 0)
                return;
        if (r < 0) {
                log_warning_errno(r, "Failed to reap the health check of '%s': %m", h->container->name);
                health_check_done(&h->check);
                status = EXIT_FAILURE;
        }
        timer_disarm(h->timer_fd);
        check_done(h, r > 0 && health_check_passed(&h->check, status), status);
}

struct pollfd *health_pollfds(Health *h, size_t *ret_n) {
        h->pollfds[HEALTH_FD_TIMER] = (struct pollfd) { .fd = h->timer_fd, .events = POLLIN };
        h->pollfds[HEALTH_FD_CHECK] = (struct pollfd) { .fd = h->check.pidfd, .events = POLLIN };
        h->pollfds[HEALTH_FD_OUTPUT] = (struct pollfd) { .fd = h->check.output_fd, .events = POLLIN };
        h->pollfds[HEALTH_FD_WATCHDOG] = (struct pollfd) { .fd = h->watchdog_fd, .events = POLLIN };
        *ret_n = _HEALTH_FD_MAX;
        return h->pollfds;
}

void health_handle(Health *h, size_t index, short revents) {
        uint64_t ticks;

        if (!revents)
                return;
        switch (index) {
        case HEALTH_FD_TIMER:
                on_timer(h);
                break;
        case HEALTH_FD_CHECK:
                on_check_exited(h);
                break;
        case HEALTH_FD_OUTPUT:
                (void) health_check_read(&h->check);
                break;
        case HEALTH_FD_WATCHDOG:
                if (read(h->watchdog_fd, &ticks, sizeof(ticks)) != sizeof(ticks))
                        break;
                /* starting counts as well: systemd's watchdog must not end the container before its first
                 * check had a chance */
                if (h->active && h->state != HEALTH_UNHEALTHY)
                        (void) notify_send("WATCHDOG=1");
                break;
        default:
                break;
        }
}

void health_stopping(Health *h) {
        h->active = false;
        timer_disarm(h->timer_fd);
        timer_disarm(h->watchdog_fd);
        if (h->running) {
                health_check_done(&h->check);
                h->running = h->killing = false;
        }
}

void health_done(Health *h) {
        health_stopping(h);
        health_check_done(&h->check);
        h->timer_fd = safe_close(h->timer_fd);
        h->watchdog_fd = safe_close(h->watchdog_fd);
}
