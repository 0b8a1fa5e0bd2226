/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The monitor's health checks (HealthCmd= and its keys, ctr.ctr(5)): every HealthInterval= after the last
 * one ended, one run of the check in the container (health-check.h, entered as "ctrctl exec" enters), killed
 * after HealthTimeout=. The state: starting until the first pass, healthy, unhealthy after HealthRetries=
 * failures in a row (failures within HealthStartPeriod= of the start not counted while starting). Each
 * change is logged once, told to systemd as STATUS=, and written to the runtime state (through |changed|) and
 * its health-output file. Notify=healthy: READY=1 at the first pass. WATCHDOG_USEC from systemd
 * (WatchdogSec=): WATCHDOG=1 at half of it while not unhealthy. HealthOnFailure=: what happens at the turn to
 * unhealthy. No timer of systemd's, no process left: the checks are the monitor's children, killed and reaped
 * by health_done(). Everything is driven from the monitor's poll loop through the pollfds below. */

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "health-check.h"

typedef enum HealthState {
        HEALTH_STARTING,
        HEALTH_HEALTHY,
        HEALTH_UNHEALTHY,
        _HEALTH_STATE_MAX,
} HealthState;

typedef enum HealthFd {
        HEALTH_FD_TIMER,        /* the next check, or the running one's timeout */
        HEALTH_FD_CHECK,        /* the running check's pidfd */
        HEALTH_FD_OUTPUT,       /* its output */
        HEALTH_FD_WATCHDOG,     /* WATCHDOG=1 */
        _HEALTH_FD_MAX,
} HealthFd;

typedef struct Health {
        const Container *container;
        pid_t init;
        int init_pidfd;                 /* the monitor's, not owned */
        int timer_fd;
        int watchdog_fd;
        HealthCheck check;
        bool running;                   /* a check runs (check.pid), or is being killed after its timeout */
        bool killing;                   /* … after its timeout: the grace C has to end it */
        bool enabled;                   /* a HealthCmd=, health_start() called */
        bool active;                    /* checks are scheduled: between health_start() and the end */
        HealthState state;
        unsigned streak;                /* failures in a row */
        uint64_t started_usec;          /* CLOCK_MONOTONIC: the workload was executed */
        bool ready_sent;                /* Notify=healthy */
        bool restart;                   /* HealthOnFailure=restart fired: exit with CTR_EXIT_UNHEALTHY */
        void (*changed)(void *userdata);        /* state or streak changed: rewrite the runtime state */
        void *userdata;
        struct pollfd pollfds[_HEALTH_FD_MAX];
} Health;

#define HEALTH_INIT                                                     \
        (Health) {                                                      \
                .init_pidfd = -EBADF,                                   \
                .timer_fd = -EBADF,                                     \
                .watchdog_fd = -EBADF,                                  \
                .check = HEALTH_CHECK_INIT,                             \
        }

const char *health_state_to_string(HealthState s) _const_;

/* The workload was executed: the first check is due one HealthInterval= from now. Nothing without a
 * HealthCmd=. Logs. */
int health_start(Health *h, const Container *c, pid_t init, int init_pidfd);

/* A stop was requested: no more checks, a running one killed. */
void health_stopping(Health *h);

/* The pollfds the monitor adds to its own (negative fds when idle), refreshed for each poll(); and what to
 * do when one fired. */
struct pollfd *health_pollfds(Health *h, size_t *ret_n);
void health_handle(Health *h, size_t index, short revents);

/* Whether HealthOnFailure=restart stopped the container. */
static inline bool health_restart_requested(const Health *h) {
        return h->restart;
}

/* The container is gone: kills and reaps a check still running, closes everything. */
void health_done(Health *h);
