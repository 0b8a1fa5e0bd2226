/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Loading a filter into the calling process: what a SeccompProfile= value names, the default filter built
 * and loaded in place, or a program compiled ahead (seccomp-cache.h, seccomp-profile.h). Library code:
 * returns -errno, never logs. */

#include <stdbool.h>
#include <stdint.h>

#include "seccomp-filter.h"

/* SeccompProfile=: NULL or "default" = the default filter, "unconfined" = none. */
bool seccomp_profile_is_unconfined(const char *profile);

/* Builds and loads the filter named by |profile|: NULL/"default" the default filter, "unconfined" nothing
 * (returns 0). A custom profile (a path) is -EOPNOTSUPP here: it is compiled ahead with
 * seccomp_profile_program() and loaded with seccomp_program_load(). |set_no_new_privs|: whether the load
 * also sets no_new_privs (without it, loading needs CAP_SYS_ADMIN). */
int seccomp_apply_profile(const char *profile, uint64_t capabilities, bool set_no_new_privs);

/* Loads |p| into the calling process: sets no_new_privs first when |set_no_new_privs| (else the load needs
 * CAP_SYS_ADMIN). */
int seccomp_program_load(const SeccompProgram *p, bool set_no_new_privs);
