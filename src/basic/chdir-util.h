/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The working directory of a process entering a container (the workload's WorkingDirectory=, "ctrctl exec
 * -w"), after its root was changed to the container's: the one place that makes sure it lies inside that
 * root. Library code: returns -errno, never logs. */

/* Changes to |path|, resolved inside the process's root directory by chase_open(): ".." and absolute
 * symlinks stay inside, and a magic link (/proc/self/fd/N, /proc/PID/cwd) is refused with -ELOOP, so no
 * descriptor or process of the host can lend its directory. Then checks that the result is inside the root:
 * getcwd() fails or answers "(unreachable)…" for a directory outside it (one moved out meanwhile), which is
 * -EXDEV here. On failure the working directory may have changed already: the caller fails (or changes to
 * "/"). */
int chdir_in_root(const char *path);

/* 0 when the working directory lies inside the process's root directory, -EXDEV when it does not. */
int cwd_check_in_root(void);
