/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One run of a container's HealthCmd=, entered exactly as "ctrctl exec" enters (container-enter.h): the
 * init's cgroup and namespaces, its root, the workload's user, capabilities, no_new_privs, seccomp filter and
 * environment. Its stdin is /dev/null; stdout and stderr share one pipe, of which the first
 * HEALTH_OUTPUT_MAX bytes are kept. Used by the monitor (src/launch/health.c, from its event loop) and by
 * "ctrctl healthcheck" (health_check_run(), waiting). Library code: returns -errno, never logs. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container-enter.h"
#include "container-exec.h"
#include "ctr-file.h"

#define HEALTH_OUTPUT_MAX 4096U
/* After a timeout, how long C has to kill the check and exit before it is killed itself. */
#define HEALTH_KILL_GRACE_USEC (5 * USEC_PER_SEC)

typedef struct HealthCheck {
        pid_t pid;              /* C of container-enter.h; 0 when none runs */
        int pidfd;              /* C's */
        int output_fd;          /* the read end of the check's stdout and stderr, non-blocking */
        int sk;                 /* C's and G's error messages (ExecMessage), non-blocking */
        char output[HEALTH_OUTPUT_MAX + 1];     /* NUL-terminated */
        size_t output_size;
        bool truncated;         /* more was written than kept */
        bool timed_out;
} HealthCheck;

#define HEALTH_CHECK_INIT                                                               \
        (HealthCheck) {                                                                 \
                .pidfd = -EBADF,                                                        \
                .output_fd = -EBADF,                                                    \
                .sk = -EBADF,                                                           \
        }

/* Starts |c|'s HealthCmd= in the target |t| (exec_target_open()), which the caller may close after. Needs
 * c->health_cmd. Compiles (or reads from its cache) the seccomp filter as container_exec_prepare() does, and
 * frees it again. On failure |err| says what failed and |h| is left as it was. */
int health_check_start(HealthCheck *h, const Container *c, const ExecTarget *t, ExecError *err);

/* Reads what the check wrote so far, keeping the first HEALTH_OUTPUT_MAX bytes: 0 at end of file (the pipe is
 * closed then), -EAGAIN when nothing more is there now. */
int health_check_read(HealthCheck *h);

/* The check ran too long: C kills it, its whole session (SIGKILL), and exits; the result then counts as a
 * failure whatever the status. */
void health_check_timeout(HealthCheck *h);

/* Once C's pidfd is readable: reaps C and returns 1 with its status (the check's exit status, 128+N for a
 * signal, 126/127 when it could not be executed or found, 1 when the container could not be entered), 0 when
 * C has not exited yet. What is left of the output is read without waiting (a process the check left behind
 * may hold the pipe open), and a failure to enter is appended to it. */
int health_check_reap(HealthCheck *h, int *ret_status);

/* Whether a reaped check passed. */
bool health_check_passed(const HealthCheck *h, int status);

/* Kills (SIGKILL) and reaps a C still running, closes everything; the output stays. */
void health_check_done(HealthCheck *h);

/* Runs the check to its end, at most |timeout_usec| (then as health_check_timeout()): start, read, reap.
 * Returns the status as health_check_reap() does, or -errno (|err| set when the start failed). */
int health_check_run(HealthCheck *h, const Container *c, const ExecTarget *t, uint64_t timeout_usec,
                     int *ret_status, ExecError *err);

/* The first line of |output| (at most |max| bytes, control characters replaced), "" for none: a status
 * line's worth. Newly allocated. */
char *health_output_first_line(const char *output, size_t max);
