/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The default filter's rules (seccomp-util.h describes them), for seccomp-util.c: the default filter itself
 * and custom profiles that include it. Returns -errno, never logs. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

/* What the default filter returns for a syscall it does not know: ENOSYS, so that libc falls back to an older
 * call where it has one (clone3 → clone, fchmodat2 → fchmodat…) as it would on an older kernel. */
#define SECCOMP_DEFAULT_ACTION SCMP_ACT_ERRNO(ENOSYS)

/* An empty filter with |default_action| over the native architecture and its compat ones, optimised. */
int seccomp_filter_new(uint32_t default_action, bool set_no_new_privs, scmp_filter_ctx *ret);

/* A filter with |default_action| holding the default rules for |capabilities|, except the plain rules (allow
 * or EPERM) of the syscalls in |keep_out|: a custom profile's own rules replace them. */
int seccomp_default_filter_build(uint32_t default_action, bool set_no_new_privs, uint64_t capabilities,
                                 const int *keep_out, size_t n_keep_out, scmp_filter_ctx *ret);

/* Whether the default filter has rules on the arguments of syscall |nr| (the native number): ioctl,
 * socket, personality, clone, clone3, unshare. A custom profile cannot replace those. */
bool seccomp_default_inspects(int nr);

/* A hash of everything that goes into the default filter for |capabilities|: the rules, the capabilities,
 * the architecture, libseccomp's version and API level. */
uint64_t seccomp_default_filter_key(uint64_t capabilities);
