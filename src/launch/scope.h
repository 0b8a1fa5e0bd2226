/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's transient scope ctr-NAME.scope, asked for over sd-bus (never by running systemctl). */

#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "ctr-file.h"

/* The scope is "ctr-NAME.scope": container_scope_name() (bus-util.h). */

/* StartTransientUnit("ctr-NAME.scope", "fail", …) with PIDFDs= (PIDs= on systemd without it) of |pid|,
 * Slice=, Description=, Delegate=yes, the resource limits and the cgroup firewall (IPAddressAllow=/Deny=,
 * SocketBindAllow=/Deny=; a systemd before 249 refuses the latter) of |c|, DevicePolicy=closed + DeviceAllow= for the
 * container's device nodes, KillSignal=/TimeoutStopSec= from StopSignal=/StopTimeoutSec=,
 * CollectMode=inactive-or-failed, BindsTo= and Before= |service| (the unit of the monitor, may be NULL
 * when not run from a unit). A stale scope of the same name is stopped first. Waits for the job's JobRemoved;
 * on failure, returns -errno and sets |ret_error| to systemd's own error text (free() it). */
int scope_start(sd_bus *bus, const Container *c, pid_t pid, int pidfd, const char *service, char **ret_error);

/* After scope_start() failed because the connection to systemd broke (-ENOTCONN, -ECONNRESET, -EPIPE): on a
 * new connection, whether systemd had taken the request anyway. Waits (bounded) for a job the scope still
 * has, then returns 1 when |pid| is in ctr-|name|.scope and the scope is active, 0 when not (a start may be
 * tried again: nothing will move |pid| any more), or -errno. */
int scope_adopted(sd_bus *bus, const char *name, pid_t pid);

/* The cgroup directory of |name|'s scope (/sys/fs/cgroup + its ControlGroup), opened O_DIRECTORY: the fd, and
 * its path in |ret_path| (may be NULL); on failure -errno and |ret_error| (free() it). */
int scope_cgroup_open(sd_bus *bus, const char *name, char **ret_path, char **ret_error);

/* PrivateUsers=: hands the cgroup of |name|'s scope to the container's root, host ids |uid|/|gid| (as
 * systemd-nspawn does): its directory and cgroup.procs, cgroup.subtree_control, cgroup.threads, so the
 * workload may create sub-cgroups and move its processes into them; the scope's limits stay the host's.
 * Call after scope_start(). On failure, returns -errno and sets |ret_error| (free() it). */
int scope_delegate(sd_bus *bus, const char *name, uid_t uid, gid_t gid, char **ret_error);

/* IPAddressAllow=/IPAddressDeny=, SocketBindAllow=/SocketBindDeny= of |c|: whether systemd attached their BPF
 * programs to the cgroup of |c|'s scope (it accepts the properties even when it cannot load them, and then
 * runs the unit unfiltered). 0 when it did or |c| has none; -EOPNOTSUPP when a program is missing, other
 * -errno when the kernel could not be asked; then |ret_error| says which keys and why (free() it). Call
 * after scope_start(), before the workload runs. (scope-firewall.c) */
int scope_firewall_check(sd_bus *bus, const Container *c, char **ret_error);
