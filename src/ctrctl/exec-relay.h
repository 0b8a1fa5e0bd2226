/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl exec: the command's standard streams and terminal, relayed to the caller's (exec-relay.c). */

#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/types.h>

#include "container-exec.h"
#include "terminal-relay.h"

/* P before the fork: ctrctl's stdio as the command will have it. With |tty| (-t), /dev/null: G's pty
 * replaces it and C needs none. Without, a pipe, a socket or /dev/null goes as it is, a directory or an
 * O_PATH handle is refused (a host directory inside the container), and anything else (a terminal, a file,
 * a device) is relayed through a pipe (|relay| gets P's end). Logs. */
int exec_stdio_plan(bool tty, TerminalRelay *relay, int stdio[static 3]);
void exec_stdio_close(int (*stdio)[3]);

/* P once the command runs: relays the pty or the pipes and passes signals on to C (pid |pid|), until C has
 * exited; then drains what the command wrote and gives the caller's terminal its mode back. */
void exec_relay_until_exit(TerminalRelay *relay, int sigfd, pid_t pid);
