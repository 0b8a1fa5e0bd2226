/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The profile language: a custom profile, SeccompProfile=/PATH, parsed and compiled. Library code: returns
 * -errno, never logs. A small line-based text format (not Docker's JSON):
 *
 *     # comments and empty lines are ignored
 *     default errno:EPERM            the action for every syscall no rule names; optional, before any rule;
 *                                    "allow" when missing, the built-in's (errno:ENOSYS) with "include"
 *     include default                the built-in filter, seccomp-default.h (for the container's capabilities); its
 *                                    default cannot be allow or log (that would open what the allow list
 *                                    leaves out); a syscall with argument rules in it (ioctl socket
 *                                    personality clone clone3 unshare) cannot be named again, any other can:
 *                                    the profile's rule replaces the built-in one (allow io_uring_setup…),
 *                                    the way to widen the default filter
 *     allow read write exit_group    ACTION SYSCALL…: one action for the named syscalls
 *     errno:ENOSYS clone3
 *
 * ACTION is allow, errno (EPERM), errno:NAME (EPERM ENOSYS EACCES EINVAL ENOENT EOPNOTSUPP ENOTSUP
 * EAFNOSUPPORT EPROTONOSUPPORT), errno:NUMBER (1–4095), kill (the process) or log (allow and log). Names
 * are libseccomp's; an unknown name is an error (so a typo never leaves a syscall open); a name that does
 * not exist on an architecture is skipped there; the same syscall with two different actions is an
 * error. Rules cannot inspect arguments. The filter covers the same architectures as the default one. */

#include <stdint.h>

#include "seccomp-filter.h"

#define SECCOMP_PROFILE_SIZE_MAX (1024 * 1024)
#define SECCOMP_PROFILE_LINE_MAX 4096
#define SECCOMP_PROFILE_RULES_MAX 4096U

/* Parses |contents|. On failure *ret_line (if non-NULL) is the line at fault, 0 for none: -EBADMSG for a
 * malformed line, -ENOENT for an unknown syscall, -EEXIST for a syscall with two actions, -E2BIG for a too
 * long line or too many rules. */
int seccomp_profile_parse(const char *contents, uint64_t capabilities, scmp_filter_ctx *ret,
                          unsigned *ret_line);
/* Reads |path| (at most SECCOMP_PROFILE_SIZE_MAX) and compiles it. */
int seccomp_profile_program(const char *path, uint64_t capabilities, SeccompProgram *ret, unsigned *ret_line);
