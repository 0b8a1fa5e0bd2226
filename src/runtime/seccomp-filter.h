/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The lowest seccomp layer, under the default filter, the profile language, the cache and the loading: an
 * empty libseccomp filter over the architectures a container's filter covers, its cleanup function, and its
 * compiled form (SeccompProgram). Returns -errno, never logs.
 *
 * The filter covers the native architecture and its compat ones (x86 32-bit and x32 on x86-64, arm on
 * aarch64), so "int 0x80" cannot bypass it; another architecture is killed. */

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(scmp_filter_ctx, seccomp_release);
#define _cleanup_seccomp_release_ _cleanup_(seccomp_releasep)

/* Which architectures a new filter covers. x86-32 creates sockets through socketcall(), onto which
 * libseccomp mirrors socket rules: the default filter builds it apart and merges it in. */
typedef enum SeccompArches {
        SECCOMP_ARCHES_ALL,             /* native, compat and multiplexed */
        SECCOMP_ARCHES_DIRECT,          /* native and the compat ones with a socket() syscall of their own */
        SECCOMP_ARCHES_MULTIPLEXED,     /* only those that multiplex socket calls; none outside x86-64 */
} SeccompArches;

/* Whether this build has architectures for SECCOMP_ARCHES_MULTIPLEXED. */
bool seccomp_arches_have_multiplexed(void);

/* An empty filter with |default_action| over |arches|, optimised. |set_no_new_privs|: whether
 * seccomp_load() also sets no_new_privs (without it, loading needs CAP_SYS_ADMIN). */
int seccomp_filter_new_arches(uint32_t default_action, bool set_no_new_privs, SeccompArches arches,
                              scmp_filter_ctx *ret);

/* The same over SECCOMP_ARCHES_ALL. */
int seccomp_filter_new(uint32_t default_action, bool set_no_new_privs, scmp_filter_ctx *ret);

/* A compiled filter: what the launcher builds in the parent and the child only loads. */
typedef struct SeccompProgram {
        struct sock_filter *insns;
        size_t n_insns;
} SeccompProgram;

void seccomp_program_done(SeccompProgram *p);

/* Compiles |ctx| to BPF (|ctx| stays the caller's). */
int seccomp_program_from_filter(scmp_filter_ctx ctx, SeccompProgram *ret);

/* Reads a program from the start of |fd|: a regular file of whole instructions, at most BPF_MAXINSNS
 * (-EBADMSG otherwise, -EBADFD for another file type). */
int seccomp_program_from_fd(int fd, SeccompProgram *ret);
