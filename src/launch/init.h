/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Init=yes: a minimal init as PID 1 of the container. It runs with the workload's credentials, capabilities
 * and seccomp filter (applied before the fork), so it holds nothing the workload does not. */

#include <signal.h>
#include <sys/types.h>

/* Adds SIGCHLD to the blocked signals; call before forking the workload so no exit is missed. */
int init_prepare(sigset_t *ret_mask);

/* Forwards every handled signal to |workload|, reaps all children, and exits with the workload's status (128+N
 * for a signal) once it is gone; the kernel then kills what is left in the PID namespace. Never returns. */
_Noreturn void init_run(pid_t workload, const sigset_t *mask);
