/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=container:NAME and JoinNamespaces=: the namespaces of another running container's init, opened by
 * the parent before clone() (join.c) and joined by the child before it sets anything up. */

#include "plan.h"

typedef enum JoinedNamespace {
        JOINED_NET,
        JOINED_IPC,
        JOINED_UTS,
        _JOINED_MAX,
} JoinedNamespace;

typedef struct JoinedNamespaces {
        int fds[_JOINED_MAX];   /* /proc/PID/ns/… of NAME's init, O_CLOEXEC; -EBADF: not joined */
        bool bridged;           /* NAME has Network=bridge: its joiners see the names list too */
} JoinedNamespaces;

#define JOINED_NAMESPACES_INIT { .fds = { -EBADF, -EBADF, -EBADF } }

/* The parent: the namespaces plan |p| joins (p->network_container, p->join_namespaces), from NAME's runtime
 * state, checked to be its init's (a child of its monitor, in its scope) and alive after they were opened, so
 * that a PID reused in between cannot hand us another process's. Logs; -ESRCH when NAME does not run. */
int joined_namespaces_open(const Plan *p, JoinedNamespaces *ret);
void joined_namespaces_done(JoinedNamespaces *j);

/* The child: setns() into each open one, net first. Returns -errno and the namespace's name ("net", "ipc",
 * "uts") in *ret_failed. */
int joined_namespaces_enter(const JoinedNamespaces *j, const char **ret_failed);
