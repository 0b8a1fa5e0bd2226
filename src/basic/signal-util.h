/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>

/* A set of exactly the signals listed, the list ended by -1: sigset_make(&mask, SIGCHLD, SIGTERM, -1).
 * -EINVAL for a number sigaddset() refuses. */
int sigset_make(sigset_t *ret, ...);

/* Every signal back to SIG_DFL, as systemd does before it executes a service: execve() keeps what the caller
 * ignored (a shell's background job ignores SIGINT and SIGQUIT), and a workload must not inherit that. */
void signals_reset_to_default(void);
