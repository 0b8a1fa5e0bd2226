/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The seccomp API callers of the runtime include: nothing of its own, each concern has its header.
 *   seccomp-filter.h   an empty filter over a container's architectures, its cleanup, SeccompProgram
 *   seccomp-default.h  the default filter (what it allows and why), over the table seccomp-default-table.c
 *   seccomp-profile.h  the profile language: SeccompProfile=/PATH parsed and compiled
 *   seccomp-cache.h    the compiled default filter, cached under the runtime dir
 *   seccomp-apply.h    loading a filter into the calling process
 *   seccomp-mount-api.h  the new mount API refused where ctr-default's mediation of it may be missing */

#include "seccomp-apply.h"
#include "seccomp-cache.h"
#include "seccomp-default.h"
#include "seccomp-filter.h"
#include "seccomp-mount-api.h"
#include "seccomp-profile.h"
