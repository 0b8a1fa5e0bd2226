/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The service's credentials in the container (mount-setup.h): a ramfs filled while it is detached — no
 * process sees it half-written or writable — then made read-only and attached on /run/secrets. Runs in the
 * child, as root of the container (of its user namespace with PrivateUsers=, which owns the ramfs, so the
 * workload's ids are its own), before pivot_root. The bytes pass through one buffer, wiped after the write. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chase.h"
#include "fd-util.h"
#include "fileio.h"
#include "fs-mount.h"
#include "mount-setup.h"
#include "string-util.h"
#include "sync.h"

static int copy_secret(int from, int to, const PlanOp *op, ExecError *err) {
        char *data = NULL;
        size_t size = 0;
        int r;

        r = read_full_fd(from, NULL, CTR_CREDENTIAL_SIZE_MAX, &data, &size);
        if (r < 0)
                return launch_error(err, r, "Failed to read credential '%s'", op->source);
        r = loop_write(to, data, size);
        explicit_bzero(data, size);
        free(data);
        if (r < 0)
                return launch_error(err, r, "Failed to write credential '%s' to '%s'", op->source, op->target);
        return 0;
}

/* |path|: the target relative to the ramfs' root */
static int write_secret(int mnt_fd, const char *path, int from, const PlanOp *op, uid_t uid, gid_t gid,
                        ExecError *err) {
        _cleanup_close_ int dir = -EBADF, to = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r;

        if (from < 0)
                return launch_error(err, EBADF, "Credential '%s' for '%s' was not opened", op->source, op->target);
        r = chase(mnt_fd, path, CHASE_PARENT | CHASE_MKDIR, 0755, &dir, &name);
        if (r < 0)
                return launch_error(err, r, "Failed to create the directory of '%s'", op->target);
        to = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0400);
        if (to < 0)
                return launch_error(err, errno, "Failed to create '%s'", op->target);
        r = copy_secret(from, to, op, err);
        if (r < 0)
                return r;
        /* the mode after the owner: fchown() of a file with set-id bits would clear them (none here) */
        if (fchown(to, uid, gid) < 0 || fchmod(to, op->mode) < 0)
                return launch_error(err, errno, "Failed to give '%s' to %u:%u, mode %04o", op->target,
                                    (unsigned) uid, (unsigned) gid, (unsigned) op->mode);
        return 0;
}

int mount_setup_secrets(const Plan *p, int root_fd, int *fds, uid_t uid, gid_t gid, ExecError *err) {
        _cleanup_close_ int mnt = -EBADF, target = -EBADF;
        const PlanOp *m = NULL;
        int r;

        for (size_t i = 0; i < p->n_ops && !m; i++)
                if (p->ops[i].type == PLAN_SECRETS)
                        m = p->ops + i;
        if (!m)
                return 0;

        /* writable while detached; the attributes but read-only from the start */
        r = fs_mount_detached("ramfs", "ctr-secrets", m->options, m->attr & ~(unsigned) MOUNT_ATTR_RDONLY, &mnt, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < p->n_ops; i++) {
                const PlanOp *op = p->ops + i;
                _cleanup_close_ int from = -EBADF;
                const char *rel;

                if (op->type != PLAN_SECRET)
                        continue;
                from = fds ? TAKE_FD(fds[i]) : -EBADF;
                rel = startswith(op->target, m->target);
                if (!rel || *rel != '/')
                        return launch_error(err, EINVAL, "Secret '%s' is not below '%s'", op->target, m->target);
                r = write_secret(mnt, rel + 1, from, op, uid, gid, err);
                if (r < 0)
                        return r;
        }
        r = mount_set_attr(mnt, m->attr, false);
        if (r < 0)
                return launch_error(err, r, "Failed to make '%s' read-only", m->target);

        /* made and checked by mount_setup_prepare(); checked again, as nothing of ours holds it since */
        r = chase_open(root_fd, m->target, O_PATH | O_DIRECTORY, &target);
        if (r < 0)
                return launch_error(err, r, "Failed to open the mount point '%s' inside the container", m->target);
        r = mount_check_destination(root_fd, target, m, err);
        if (r < 0)
                return r;
        r = mount_attach(mnt, target);
        if (r < 0)
                return launch_error(err, r, "Failed to mount the credentials on '%s'", m->target);
        return 0;
}
