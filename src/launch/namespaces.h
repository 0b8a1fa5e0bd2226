/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Creating the container's namespaces: clone3() with a pidfd into new mount, PID, UTS, IPC (and network)
 * namespaces; the cgroup namespace only later, from inside, once the process sits in its final cgroup. */

#include <sys/types.h>

#include "container-exec.h"

/* Like fork(): returns 0 in the child, the child's pid in the parent (with *ret_pidfd set), -errno on
 * failure. The child gets SIGCHLD as exit signal and SIGKILL as parent-death signal. */
pid_t namespaces_clone(unsigned long flags, int *ret_pidfd);

/* In the child: */
int namespaces_unshare_cgroup(ExecError *err);
int namespaces_set_hostname(const char *hostname, ExecError *err);
/* Brings "lo" up in the current (new) network namespace, through an ioctl on a socket: no "ip" binary. */
int namespaces_loopback_up(ExecError *err);
/* Lets every group of the current (new) network namespace open ICMP echo sockets (net.ipv4.ping_group_range,
 * as Docker and Podman set it): ping works without CAP_NET_RAW, which the default set leaves out. */
int namespaces_allow_ping(unsigned max_gid, ExecError *err);
