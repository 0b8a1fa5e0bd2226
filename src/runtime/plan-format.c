/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A plan in words: its operations' names and one line per operation, as `ctr-launch --print-plan` and the
 * tests show them. Apart from plan.c, which builds plans. */

#include <errno.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "macro.h"
#include "overlay-util.h"
#include "plan.h"

static const char *const op_names[_PLAN_OP_MAX] = {
        [PLAN_STAGING] = "staging",
        [PLAN_MKDIR] = "mkdir",
        [PLAN_WRITE] = "write",
        [PLAN_COPY] = "copy",
        [PLAN_SYMLINK] = "symlink",
        [PLAN_OVERLAY] = "overlay",
        [PLAN_BIND] = "bind",
        [PLAN_TMPFS] = "tmpfs",
        [PLAN_PROC] = "proc",
        [PLAN_SYSFS] = "sysfs",
        [PLAN_CGROUP] = "cgroup2",
        [PLAN_DEVPTS] = "devpts",
        [PLAN_MQUEUE] = "mqueue",
        [PLAN_MASK] = "mask",
        [PLAN_READ_ONLY] = "read-only",
        [PLAN_SECRETS] = "secrets",
        [PLAN_SECRET] = "secret",
        [PLAN_ROOT_READ_ONLY] = "root-read-only",
        [PLAN_PIVOT_ROOT] = "pivot-root",
        [PLAN_SYSCTL] = "sysctl",
};

const char *plan_op_type_to_string(PlanOpType t) {
        if (t < 0 || t >= _PLAN_OP_MAX)
                return NULL;
        return op_names[t];
}

int overlay_options_format(const PlanOp *op, char **ret) {
        return overlay_mount_options_format(op->lowerdirs, op->upperdir, op->workdir, SIZE_MAX, ret);
}

static void format_attr(FILE *f, unsigned attr, bool recursive) {
        bool first = true;

        if (attr == 0 && !recursive)
                return;
        fputs(" (", f);
#define ATTR(flag, name)                                        \
        if (attr & (flag)) {                                    \
                fprintf(f, "%s" name, first ? "" : ",");        \
                first = false;                                  \
        }
        ATTR(MOUNT_ATTR_RDONLY, "ro");
        ATTR(MOUNT_ATTR_NOSUID, "nosuid");
        ATTR(MOUNT_ATTR_NODEV, "nodev");
        ATTR(MOUNT_ATTR_NOEXEC, "noexec");
#undef ATTR
        if (recursive)
                fprintf(f, "%srec", first ? "" : ",");
        fputc(')', f);
}

int plan_op_format(const PlanOp *op, char **ret) {
        _cleanup_free_ char *s = NULL;
        size_t len = 0;
        FILE *f;

        f = open_memstream(&s, &len);
        if (!f)
                return -ENOMEM;
        fprintf(f, "%s %s%s", plan_op_type_to_string(op->type), op->in_root ? "root:" : "", op->target);
        switch (op->type) {
        case PLAN_OVERLAY: {
                _cleanup_free_ char *o = NULL;
                if (overlay_options_format(op, &o) < 0) {
                        fclose(f);
                        return -ENOMEM;
                }
                fprintf(f, " %s", o);
                if (op->lowerdir_base)
                        fprintf(f, " in %s", op->lowerdir_base);
                break;
        }
        case PLAN_SYMLINK:
                fprintf(f, " -> %s", op->source);
                if (op->condition)
                        fprintf(f, " if %s", op->condition);
                break;
        case PLAN_MKDIR:
                fprintf(f, " %04o", (unsigned) op->mode);
                break;
        case PLAN_WRITE:
                fprintf(f, " %04o %zu bytes", (unsigned) op->mode, strlen(op->content));
                break;
        case PLAN_SYSCTL:
                fprintf(f, " = %s", op->content);
                break;
        case PLAN_SECRET:
                fprintf(f, " %04o from credential %s", (unsigned) op->mode, op->source);
                break;
        default:
                if (op->source)
                        fprintf(f, " from %s", op->source);
                if (op->options)
                        fprintf(f, " %s", op->options);
                break;
        }
        format_attr(f, op->attr, op->recursive);
        if (op->optional)
                fputs(" optional", f);
        if (op->device)
                fputs(" device", f);
        if (op->populate)
                fputs(" populate", f);
        if (op->tmpfs_upper)
                fputs(" tmpfs-upper", f);
        if (op->idmap)
                fputs(" idmap", f);
        if (op->by_parent)
                fputs(" by-launcher", f);
        if (fclose(f) != 0)
                return -ENOMEM;
        *ret = TAKE_PTR(s);
        return 0;
}

int plan_dump(const Plan *p, FILE *f) {
        fprintf(f, "# namespaces:%s%s%s%s%s%s\n",
                p->clone_flags & CLONE_NEWUSER ? " user" : "",
                p->clone_flags & CLONE_NEWNS ? " mnt" : "",
                p->clone_flags & CLONE_NEWPID ? " pid" : "",
                p->clone_flags & CLONE_NEWUTS ? " uts" : "",
                p->clone_flags & CLONE_NEWIPC ? " ipc" : "",
                p->clone_flags & CLONE_NEWNET ? " net" : "");
        fprintf(f, "# hostname: %s\n", p->hostname);
        if (p->private_users && p->userns.base == 0)
                fprintf(f, "# users: 0-%u are a range of host ids picked at start\n", p->userns.count - 1);
        else if (p->private_users)
                fprintf(f, "# users: 0-%u are host ids %u-%u\n", p->userns.count - 1, p->userns.base,
                        p->userns.base + (p->userns.count - 1));
        if (p->network_container)
                fprintf(f, "# network: the network namespace of container %s\n", p->network_container);
        if (p->network_container && p->join_namespaces)
                fprintf(f, "# joins: the %s namespaces of container %s\n", join_namespaces_to_string(p->join_namespaces),
                        p->network_container);
        if (p->network_bridge)
                fprintf(f, "# network: bridge (eth0 on the host's bridge, added by the monitor)\n");
        if (p->apparmor_profile)
                fprintf(f, "# apparmor: %s\n", p->apparmor_profile);
        else
                fprintf(f, "# apparmor: none (%s)\n", p->apparmor_unconfined ? "AppArmorProfile=unconfined" :
                        "AppArmor is not enabled on this machine");
        for (size_t i = 0; i < p->n_ops; i++) {
                _cleanup_free_ char *s = NULL;
                int r = plan_op_format(p->ops + i, &s);
                if (r < 0)
                        return r;
                fprintf(f, "%s\n", s);
        }
        return 0;
}
