/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The launcher after the start: waits on the container init's pidfd, forwards signals, and turns a stop
 * request (SIGTERM/SIGINT) into StopSignal=, then SIGKILL after StopTimeoutSec=. */

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

/* The signals the launcher handles; block them before clone() so none is lost. */
int monitor_signal_mask(sigset_t *ret);

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

/* What the caller wants to hear about while the container runs. Every member may be unset. */
typedef struct MonitorHooks {
        int start_fd;                   /* the sync socket: end-of-file = the workload was executed; -EBADF */
        void (*started)(void *userdata);        /* … then this, once */
        void (*received_fd)(void *userdata, int fd);    /* the child passed a descriptor (its pty's master) */
        /* the child passed its /etc/hosts (or -EBADF: it has none of ours), and waits until this returned */
        void (*received_hosts)(void *userdata, int fd);
        void (*stopping)(void *userdata);       /* the first stop request (SIGTERM/SIGINT) */
        /* More fds to watch (refreshed before every poll, negative fds are ignored), and what to do when one
         * fired. */
        struct pollfd *(*pollfds)(void *userdata, size_t *ret_n);
        void (*ready)(void *userdata, size_t index, short revents);
        int reload_signal;              /* SIGHUP to the launcher becomes this (ExecReload=); 0 = SIGHUP */
        /* A signal that is not a stop request, before it is forwarded to the container: true = handled here
         * (SIGWINCH with a pty of the container's: its window size, which signals the container itself). */
        bool (*signal)(void *userdata, int sig);
        void *userdata;
} MonitorHooks;

/* Waits until the init exits and returns its status as an exit code: the exit status, or 128+N for a signal.
 * |stop_timeout_usec| may be USEC_INFINITY. *ret_stop_requested tells whether the exit followed a stop
 * request, so a stop systemd asked for can end as a clean exit. */
int monitor_run(pid_t pid, int pidfd, const MonitorHooks *hooks, int stop_signal, uint64_t stop_timeout_usec,
                int *ret_status, bool *ret_stop_requested);

/* Kills (SIGKILL) and reaps a child we gave up on. */
void monitor_kill_and_reap(pid_t pid, int pidfd);
