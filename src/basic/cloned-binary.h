/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Running from a sealed memfd copy of our own binary, as runc does since CVE-2019-5736: a process of ours
 * that enters a container shows the copy, not the host's file, behind /proc/PID/exe, so the container can
 * at most open a file that refuses every write (F_SEAL_WRITE) and is gone when we exit. Library code:
 * returns -errno, never logs. */

#include <stdbool.h>

/* The seals of a finished copy: no write, no resize, no change of the seals themselves. */
#define CLONED_BINARY_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* 1 when |fd| is a memfd carrying every seal of CLONED_BINARY_SEALS, 0 when it is not (a file on a disk
 * answers F_GET_SEALS with EINVAL), < 0 on error. */
int cloned_binary_fd_is_sealed(int fd);

/* The same for the running binary (/proc/self/exe). */
int cloned_binary_is_running(void);

/* A sealed memfd (MFD_CLOEXEC) named |name| holding a copy of /proc/self/exe, in *ret_fd. */
int cloned_binary_create(const char *name, int *ret_fd);

/* Re-executes the running binary from a sealed copy named |name|, with the arguments the kernel holds for
 * this process (/proc/self/cmdline: call it before getopt() permutes argv) and the current environment.
 * Does not return on success; returns 0 at once when the running binary is such a copy already (the
 * re-executed process calling this again) or when it runs under valgrind, < 0 when the copy could not be
 * made or executed. Valgrind (3.19) cannot execute a memfd (fexecve() fails with ENOENT) and, without
 * --trace-children, would not follow an exec anyway: the test suites' valgrind runs would lose their
 * checking of everything after it. Its runs are not where a container attacks us. */
int cloned_binary_reexec(const char *name);
