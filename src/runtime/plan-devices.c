/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plan of AddDevice= (plan-internal.h): each host device node bound on its path in the container's /dev.
 * A bind mount, as ctr's own /dev/null and the like are: /dev is a nodev tmpfs, so a node made there
 * (mknod) would open nothing, while a bind mount of the host's node keeps the node, its owner and mode, and
 * flags of its own (nosuid, noexec, not nodev). The scope's DeviceAllow= (src/launch/scope.c) is what lets
 * the container use it; without a scope (ctr-launch --no-scope) only the node's own permissions apply. */

#include <errno.h>
#include <sys/mount.h>

#include "plan-internal.h"

int plan_devices(Plan *p, const Container *c) {
        for (size_t i = 0; i < c->n_devices; i++) {
                const Device *d = c->devices + i;
                PlanOp *op;

                op = plan_add(p, PLAN_BIND, true, d->target, d->source, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
                if (!op)
                        return -ENOMEM;
                op->device = true;
                /* "-": a node the host does not have is skipped */
                op->optional = d->optional;
                /* our /dev has links to /proc (/dev/fd, /dev/core): the node must not land there */
                op->check_destination = true;
        }
        return 0;
}
