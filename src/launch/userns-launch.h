/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateUsers= at start: the container's range (userns-range.h), logged when it cannot be had. */

#include <stdbool.h>

#include "container.h"
#include "userns-range.h"

/* *ret_use = ret when the container has a user namespace, NULL when not. With |dry_run| (--print-plan)
 * nothing is allocated: the recorded range, or base 0 when there is none yet. Logs; -errno. */
int launch_userns_range(const Container *c, bool dry_run, UsernsRange *ret, const UsernsRange **ret_use);
