/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the monitor owes systemd when it runs as ctr@NAME.service: READY=1 once the workload has been executed
 * (or relayed from the workload itself with Notify=yes; with Notify=healthy health.c sends it), STATUS= that tells the state, STOPPING=1, the
 * workload's stdout and stderr forwarded into journal streams of the service's own (see log-forward.h), and
 * an OOM kill in the scope reported as such. Without systemd (ctr-launch --no-scope on a terminal) every
 * part of it quietly does nothing. */

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "log-forward.h"

typedef enum ServiceFd {
        SERVICE_FD_STDOUT,
        SERVICE_FD_STDERR,
        SERVICE_FD_NOTIFY,
        SERVICE_FD_MEMORY_EVENTS,
        _SERVICE_FD_MAX,
} ServiceFd;

typedef struct Service {
        const Container *container;
        LogForward log;
        int notify_fd;                  /* Notify=yes: the socket the workload reports to */
        char *notify_dir;               /* its host directory, bind-mounted at NOTIFY_SOCKET_CONTAINER_DIR */
        int memory_events_fd;           /* the scope's memory.events, to tell an OOM kill */
        uint64_t oom_kills;             /* oom_kill count when the container started */
        bool oom_reported;
        bool ready;
        struct pollfd pollfds[_SERVICE_FD_MAX];
} Service;

#define SERVICE_INIT                                                    \
        (Service) {                                                     \
                .log = LOG_FORWARD_INIT,                                \
                .notify_fd = -EBADF,                                    \
                .memory_events_fd = -EBADF,                             \
        }

/* Before clone(): journal streams and pipes when our output goes to the journal; the notify socket in
 * |runtime_dir| (RUNTIME/NAME) with Notify=yes. */
int service_prepare(Service *s, const Container *c, const char *runtime_dir);

/* The environment the workload needs from us ("NOTIFY_SOCKET=…" with Notify=yes), NULL-terminated; static
 * storage. Depends on the Container alone, so the re-executed child (under valgrind) gets the same. */
char *const *service_child_environment(const Container *c);

/* In the child, first thing: its stdout and stderr become the forwarding pipes. Returns -errno. */
int service_child_stdio(Service *s);

/* In the parent after clone(). */
void service_after_clone(Service *s);

/* Once the child sits in its scope: watch the scope's memory.events for OOM kills. */
void service_scope_placed(Service *s, pid_t pid);

/* The workload was executed. */
void service_started(Service *s);

/* A stop was requested (SIGTERM from systemd). */
void service_stopping(Service *s);

/* The pollfds the monitor adds to its own, refreshed for each poll(); and what to do when one fired. */
struct pollfd *service_pollfds(Service *s, size_t *ret_n);
void service_handle(Service *s, size_t index, short revents);

/* The init is gone: forward what is left of its output, tell an OOM kill. Returns true when the container was
 * OOM-killed. */
bool service_exited(Service *s, int status);

void service_done(Service *s);
