/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "container.h"
#include "diagnostics.h"

/* The checks ctr-launch makes before it starts anything, as diagnostics about the container's main file (or
 * its first drop-in): errors for what it would refuse, warnings for what it would ignore or must fetch first
 * (a store image not there yet). -ENOMEM only. */
int container_check_launch(const Container *c, Diagnostics *diag);
