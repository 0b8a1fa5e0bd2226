/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Notify=yes: the workload gets a datagram socket as $NOTIFY_SOCKET (bound on the host, bind-mounted
 * into the container at NOTIFY_SOCKET_CONTAINER_PATH), and the monitor relays to systemd what systemd
 * should hear from a container: READY=1, STATUS=, WATCHDOG=1, WATCHDOG=trigger, STOPPING=1, RELOADING=1,
 * ERRNO=, EXTEND_TIMEOUT_USEC=. Never MAINPID= (the monitor stays the main process: the workload's PID
 * means nothing in the host's namespace), nor fd-store messages. */

#include <stdbool.h>
#include <stddef.h>

#include "paths.h"

#define NOTIFY_MESSAGE_MAX 4096U

/* Binds a SOCK_DGRAM socket at |dir|/notify (|dir| is created 0755). */
int notify_socket_open(const char *dir, int *ret_fd);
/* Removes |dir|/notify and |dir| (ignoring what is already gone). */
void notify_socket_remove(const char *dir);

/* Keeps the relayable assignments of |msg| (newline separated), in order; sets *ret_ready when READY=1 is
 * among them. Returns 0 and an empty string when nothing is left to relay. Pure: unit-tested. */
int notify_filter(const char *msg, size_t len, char **ret, bool *ret_ready);

/* Reads one datagram, filters it and sends what remains to the service manager (notify_send()). Returns 1 if READY=1 was relayed,
 * 0 otherwise, -EAGAIN when nothing was queued, -errno on failure. */
int notify_relay_one(int fd);
