/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* The service manager's notification protocol (sd_notify(3)): a datagram of "VAR=value" lines to the AF_UNIX
 * socket $NOTIFY_SOCKET names (a path, or "@" and an abstract name). systemd documents it as a stable
 * interface for programs to speak without libsystemd. ctr-launch does: its monitor notifies for as long as the
 * container runs (READY=1, STATUS=, WATCHDOG=1, the workload's own messages), and loading libsystemd for that
 * would keep ~130 KiB of its and its libraries' relocated data in every monitor (libsystemd-dl.h).
 *
 * As sd_notify(false, state): 0 when $NOTIFY_SOCKET is unset (not run by systemd, or not Type=notify), 1 when
 * sent, -errno on failure (-EINVAL for an empty state or an address that is neither a path nor abstract). */
int notify_send(const char *state);
_printf_(1, 2) int notify_sendf(const char *format, ...);

/* As sd_watchdog_enabled(false, ret_usec): 1 and the interval from $WATCHDOG_USEC when the service manager
 * expects WATCHDOG=1 from this process ($WATCHDOG_PID unset or ours), 0 when it does not, -EINVAL when the
 * variables do not parse. */
int notify_watchdog_usec(uint64_t *ret_usec);
