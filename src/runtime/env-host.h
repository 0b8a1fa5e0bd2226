/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* EnvironmentHost=yes: which of the launcher's own variables enter the container. The launcher's environment
 * is the service's (systemd's Environment= and EnvironmentFile= of [Service], and what the manager sets) or,
 * run by hand, its caller's. Left out:
 *   - what the service manager sets for the launcher itself, which names its sockets, descriptors, process
 *     ids and host directories: NOTIFY_SOCKET, LISTEN_*, WATCHDOG_*, INVOCATION_ID, JOURNAL_STREAM,
 *     CREDENTIALS_DIRECTORY, RUNTIME_DIRECTORY and the other *_DIRECTORY ones, MAINPID, MANAGERPID,
 *     SYSTEMD_EXEC_PID, FDSTORE, LOG_NAMESPACE, SERVICE_RESULT, EXIT_CODE, EXIT_STATUS, PIDFILE, MONITOR_*,
 *     TRIGGER_*, MEMORY_PRESSURE_*, XDG_RUNTIME_DIR;
 *   - ctr's own: CTR_*;
 *   - what ctr sets for the container's user and terminal: PATH, HOME, USER, LOGNAME, SHELL, TERM, HOSTNAME,
 *     container (the host's name host directories and the host's user);
 *   - anything that is not a valid assignment (env_assignment_is_valid()).
 * Library code: returns -errno, never logs. */

#include <stdbool.h>

#include "macro.h"

/* Whether the variable |name| of the launcher's environment is passed. */
bool env_host_is_passed(const char *name) _pure_;

/* The entries of |env| ("K=V", e.g. environ) that are passed, copied, in order; NULL for none. */
int env_host_filter(char *const *env, char ***ret);
