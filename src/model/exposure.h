/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* How exposed a container is, in the manner of `systemd-analyze security`: every setting of a Container that
 * weakens isolation compared with a locked-down container, each with a weight and a one-line reason, and a
 * total from 0 (locked down) to 10. The weights are tenths of a point; the total is their sum, at most 10.0
 * (ctrctl(1), "security", lists them). Pass the effective Container (an image's defaults applied: its User
 * decides whether the workload runs as root). Nothing here touches a process. */

#include <stdbool.h>
#include <stddef.h>

#include "container.h"

#define EXPOSURE_MAX 100U       /* tenths: 10.0 */

typedef struct ExposureItem {
        const char *id;         /* stable, for --json and the man page: "private-users", "capability", … */
        char *setting;          /* the setting as written: "PrivateUsers=no", "AddCapability=CAP_SYS_ADMIN" */
        unsigned weight;        /* tenths of a point */
        char *reason;
} ExposureItem;

typedef struct Exposure {
        ExposureItem *items;
        size_t n, n_allocated;
        unsigned total;         /* tenths, at most EXPOSURE_MAX */
} Exposure;

void exposure_done(Exposure *e);

/* The exposure of |c|; |user_known| false when the effective User= is not known (an image not in the store):
 * root is then assumed and the reason says so. */
int container_exposure(const Container *c, bool user_known, Exposure *ret);

/* "SAFE" (below 2.0), "OK" (below 5.0), "MEDIUM" (below 7.5), "EXPOSED" (below 9.0), "UNSAFE" */
const char *exposure_level(unsigned total) _const_;
