/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The launcher after the start: waits on the container init's pidfd, forwards signals, and turns a stop
 * request (SIGTERM/SIGINT) into StopSignal=, then SIGKILL after StopTimeoutSec=. */

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

/* The signals the launcher handles; block them before clone() so none is lost. */
int monitor_signal_mask(sigset_t *ret);

typedef void (*MonitorStarted)(void *userdata);

/* Waits until the init exits and returns its status as an exit code: the exit status, or 128+N for a signal.
 * |stop_timeout_usec| may be USEC_INFINITY. |start_fd| (the sync socket, or -EBADF) is watched for the
 * end-of-file of the workload's execve(): then |started| is called, once. */
int monitor_run(pid_t pid, int pidfd, int start_fd, MonitorStarted started, void *userdata, int stop_signal,
                uint64_t stop_timeout_usec, int *ret_status);

/* Kills (SIGKILL) and reaps a child we gave up on. */
void monitor_kill_and_reap(pid_t pid, int pidfd);

/* 128+N for a signal, the status for an exit, as a shell does. */
int exit_status_from_siginfo(const siginfo_t *si);
