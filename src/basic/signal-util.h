/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>

/* A set of exactly the signals listed, the list ended by -1: sigset_make(&mask, SIGCHLD, SIGTERM, -1).
 * -EINVAL for a number sigaddset() refuses. */
int sigset_make(sigset_t *ret, ...);
