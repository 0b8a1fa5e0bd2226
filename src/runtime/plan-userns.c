/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plan of a container with PrivateUsers= (plan-internal.h): its user namespace, and which operations the
 * launcher does for it on the host side (PlanOp.by_parent, userns-mount.h in src/launch). */

#include <sched.h>
#include <string.h>
#include <sys/mount.h>

#include "plan-internal.h"
#include "string-util.h"

const char *plan_private_users_refused(const Container *c) {
        if (c->image && streq(c->image, "host"))
                return "PrivateUsers= cannot be used with Image=host: the host's /usr would belong to nobody in "
                       "the container";
        if (c->network == NETWORK_CONTAINER)
                return "PrivateUsers= cannot be used with Network=container: the other container's network "
                       "namespace is not owned by this one's user namespace";
        return NULL;
}

static bool below_staging(const Plan *p, const char *path) {
        const char *rest = path ? startswith(path, p->staging) : NULL;
        return rest && (*rest == '/' || *rest == '\0');
}

/* PrivateUsers=: the user namespace, and what root in it cannot do itself (PlanOp.by_parent) */
void plan_private_users(Plan *p, const UsernsRange *range) {
        p->clone_flags |= CLONE_NEWUSER;
        p->private_users = true;
        p->userns = *range;
        for (size_t i = 0; i < p->n_ops; i++) {
                PlanOp *op = p->ops + i;
                op->by_parent = op->type == PLAN_OVERLAY ||
                                (op->type == PLAN_MKDIR && !op->in_root && !below_staging(p, op->target)) ||
                                (op->type == PLAN_BIND && !below_staging(p, op->source));
                /* its cgroup is delegated to its root (scope_delegate()): writable, as systemd-nspawn mounts
                 * it for private users; what root may write there is what the ownership gives it */
                if (op->type == PLAN_CGROUP)
                        op->attr &= ~(unsigned) MOUNT_ATTR_RDONLY;
        }
}
