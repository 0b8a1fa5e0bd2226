/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Field |field| of /proc/PID/stat as a number, numbered as in proc(5) (4 = ppid, 22 = starttime; the first
 * two are the pid and the command name, the third a letter). The command name may hold anything, spaces and
 * parentheses included, so fields are counted from its last ')'. -EBADMSG for a line that does not parse. */
int pid_stat_field(pid_t pid, unsigned field, unsigned long long *ret);

/* "/sys/fs/cgroup" + the unified-hierarchy path of /proc/PID/cgroup; with |upto| ("ctr-web.scope"), only up
 * to that whole component (-ENODATA when the path has none: the process is not in that unit). -EOPNOTSUPP
 * when /sys/fs/cgroup is not the unified hierarchy. */
int pid_cgroup_dir(pid_t pid, const char *upto, char **ret);
/* The same from the text of a /proc/PID/cgroup, without the "/sys/fs/cgroup": "/machine.slice/ctr-web.scope". */
int cgroup_text_dir(const char *text, const char *upto, char **ret);

/* Whether the unified-hierarchy line of the cgroup file under |proc_dir_fd| (an open /proc/PID) has
 * |component| ("ctr-web.scope") as a whole path component. False when it cannot be read. */
bool proc_cgroup_has_component(int proc_dir_fd, const char *component);

/* The exit status of a waitid() result as a shell reports it: the status for an exit, 128+N for signal N. */
int exit_status_from_siginfo(const siginfo_t *si);

/* Gives the pages of the main thread's stack below the caller's frame, less |keep| bytes, back to the kernel:
 * a process that lives long after a deep start-up keeps them resident otherwise. They are unused (below the
 * stack pointer); a deeper call later gets zero pages again. From the main thread only (-ESRCH otherwise). */
int stack_trim(size_t keep);
