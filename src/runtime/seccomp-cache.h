/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The compiled default filter and its cache. libseccomp needs ~50 ms of CPU to generate the default filter
 * (~1000 rules over three architectures, ~2000 BPF instructions), far more than the rest of a container
 * start; so the launcher compiles it in the parent and caches the BPF, under the runtime dir, by a hash of
 * everything that goes into it (seccomp_default_filter_key()). The child then only loads it. Library code:
 * returns -errno, never logs. */

#include <stdint.h>

#include "seccomp-filter.h"

/* The default filter for |capabilities| as BPF, setting no_new_privs when loaded. With |cache_dir| (created
 * 0700 if missing; NULL = no cache) a program cached there is used when it is valid (a regular file owned by
 * us, not writable by others, whole instructions, at most BPF_MAXINSNS); otherwise it is built and written
 * there atomically. A cache that cannot be read or written is not an error. Returns 1 when it came from the
 * cache, 0 when built. */
int seccomp_default_program(uint64_t capabilities, const char *cache_dir, SeccompProgram *ret);
