/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What several ctrctl verbs share: loading a container by name (diagnostics printed once), finding a running
 * container's cgroup and init, reading cgroup files, formatting sizes and times. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <systemd/sd-bus.h>

#include "container-enter.h"
#include "ctr-file.h"
#include "runtime-state.h"
#include "time-util.h"

/* Loads container |name| from the search path. Prints warnings only when |warnings|; errors always. Returns
 * -ENOENT (logged: "No container …") when it does not exist, -ERFKILL when masked, -EBADMSG when rejected. */
int ctrctl_load_container(const char *name, bool warnings, Container **ret);

/* Exit status for a failed ctrctl_load_container(): CTRCTL_EXIT_NO_SUCH for -ENOENT/-ERFKILL, else failure. */
int ctrctl_load_exit_status(int r);

/* Logs a useful message for a failed bus_connect() (bus-util.h) to |host| (NULL: this machine) and returns
 * |r|. */
int bus_log_connect_error(int r, const char *host);

/* Checks a container name given on the command line; logs and returns -EINVAL when invalid. */
int ctrctl_check_name(const char *name);

/* The cgroup directory (under /sys/fs/cgroup) of the scope of the container whose runtime state is |st|, from
 * that alone: its init's cgroup (/proc/PID/cgroup) up to the scope's own component (an init that made cgroups
 * below it, a guest's systemd, does not move the answer). -ENODATA without a scope (--no-scope) or when the
 * init is not in it, -ESRCH when the init is not alive. */
int container_state_cgroup_dir(const RuntimeState *st, char **ret);
/* The same by name: from the runtime state when it answers, else from systemd's ControlGroup= when |bus| is
 * given and the service is active, else the init's own cgroup. -ENOENT when the container is not running. */
int container_cgroup_dir(sd_bus *bus, const char *name, char **ret);

/* The container's init pid: the runtime state's INIT_PID when that process is alive, else (with |bus|) the
 * first child of the monitor (ctr@NAME.service's MainPID). -ESRCH when not running. */
int container_init_pid(sd_bus *bus, const char *name, RuntimeState *state, pid_t *ret);

/* What "ctrctl exec" and "ctrctl healthcheck" enter: the running container |name|'s init, checked to be the
 * init its runtime state names (exec_target_open()), with a warning when |c| is not what it was started with.
 * Logs; returns CTRCTL_EXIT_SUCCESS, CTRCTL_EXIT_NOT_RUNNING or CTRCTL_EXIT_FAILURE. */
int ctrctl_enter_target(const Container *c, const char *name, ExecTarget *ret);

/* A cgroup file with one number, "max" → UINT64_MAX. */
int cgroup_read_u64(const char *dir, const char *file, uint64_t *ret);
/* A "key value" line of a flat-keyed file (cpu.stat, memory.stat). */
int cgroup_read_keyed(const char *dir, const char *file, const char *key, uint64_t *ret);
/* Sum of rbytes= and wbytes= over the devices in io.stat. */
int cgroup_read_io(const char *dir, uint64_t *ret_read, uint64_t *ret_write);

/* "512B", "1.5K", "64.0M", "2.0G" as systemd prints sizes (base 1024); "-" for UINT64_MAX. */
char *format_bytes(char *buf, size_t size, uint64_t bytes);
/* "3h 2min", "5s", "120ms": the two largest units. */
char *format_timespan(char *buf, size_t size, uint64_t usec);
/* "Sun 2026-11-22 16:10:21 UTC" (local time) */
char *format_timestamp(char *buf, size_t size, uint64_t realtime_usec);

/* Reads /proc/PID/cmdline as one line (NUL → space), at most |max| bytes; "[comm]" for kernel threads. */
int pid_cmdline(pid_t pid, size_t max, char **ret);

#define FORMAT_BYTES_MAX 16
#define FORMAT_TIMESPAN_MAX 64
#define FORMAT_TIMESTAMP_MAX 64

/* "none", "host", "bridge", "container:NAME" */
const char *network_mode_string(const Container *c, char *buf, size_t size);
/* A configured limit: "-" (unset), "infinity", "64.0M" (|bytes|) or plain number, or "N%" of a scale. */
char *format_limit(char *buf, size_t size, uint64_t value, uint32_t scale, bool bytes);
/* Where the container's writable layer is: "$CTR_STATE_DIR/containers/NAME/upper", or a description. */
int container_writable_layer(const Container *c, char **ret);

/* The container_config_hash() (the effective configuration's) a running container was started with, into
 * |ret|: of the copy of its files its launcher kept, else of the current files when they are still what it
 * read (same stamp). False when not known. */
bool runtime_config_hash(const Container *c, const RuntimeState *s, char ret[static 65]);
/* 1 when the container's effective configuration changed since it was started, 0 when not (the files are
 * what the launcher read, or differ only in what the effective hash leaves out), -ENODATA when the runtime
 * state says nothing of it. An older launcher's state (CONFIG_HASH= of the files as read) is compared as it
 * was: any edit counts. */
int runtime_config_changed(const Container *c, const RuntimeState *s);

/* The installed ctr-launch: $CTR_LAUNCH (tests), else CTR_LAUNCH_PATH. */
const char *ctrctl_launcher_path(void);

/* Names with a RUNTIME_DIR/NAME/state file (running or crashed launchers), unsorted; NULL when none. */
int runtime_names(char ***ret);
/* Every container name: the search path's (not masked) and the runtime ones, sorted, no duplicates. */
int container_names_all(char ***ret);
