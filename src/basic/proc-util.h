/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

/* Field |field| of /proc/PID/stat as a number, numbered as in proc(5) (4 = ppid, 22 = starttime; the first
 * two are the pid and the command name, the third a letter). The command name may hold anything, spaces and
 * parentheses included, so fields are counted from its last ')'. -EBADMSG for a line that does not parse. */
int pid_stat_field(pid_t pid, unsigned field, unsigned long long *ret);
