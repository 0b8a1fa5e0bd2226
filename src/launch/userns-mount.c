/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "rootfs.h"
#include "string-util.h"
#include "sync.h"
#include "userns-mount.h"
#include "userns-overlay.h"

static int write_map(pid_t pid, const char *file, const UsernsRange *r, ExecError *err) {
        _cleanup_close_ int fd = -EBADF;
        char path[64], text[64];
        int n;

        snprintf(path, sizeof(path), "/proc/%i/%s", (int) pid, file);
        n = snprintf(text, sizeof(text), "0 %u %u\n", r->base, r->count);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, text, (size_t) n) != n)
                return launch_error(err, errno, "Failed to write the %s of the container's user namespace (0 %u %u)",
                                    file, r->base, r->count);
        return 0;
}

static int open_bind(const PlanOp *op, int userns_fd, int *ret, ExecError *err) {
        _cleanup_close_ int tree = -EBADF;
        struct mount_attr a = { .attr_set = op->attr };
        int r;

        *ret = -EBADF;
        r = rootfs_open_bind_source(op, &tree, err);
        if (r < 0 || tree < 0)
                return r;
        /* attributes here: the child's namespace does not own this mount's */
        if (op->idmap)
                r = userns_idmap_tree(tree, userns_fd, op->attr, op->recursive, op->source, err);
        else if (op->attr != 0 &&
                 mount_setattr(tree, "", AT_EMPTY_PATH | (op->recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
                r = launch_error(err, errno, "Failed to set the attributes of bind mount '%s'", op->source);
        else
                r = 0;
        if (r < 0)
                return r;
        *ret = TAKE_FD(tree);
        return 0;
}

int userns_parent_setup(const Plan *p, pid_t pid, int sync_fd, ExecError *err) {
        _cleanup_close_ int userns_fd = -EBADF;
        char path[64];
        int r;

        r = write_map(pid, "uid_map", &p->userns, err);
        if (r >= 0)
                r = write_map(pid, "gid_map", &p->userns, err);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "/proc/%i/ns/user", (int) pid);
        userns_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (userns_fd < 0)
                return launch_error(err, errno, "Failed to open the container's user namespace");

        for (size_t i = 0; i < p->n_ops; i++) {
                const PlanOp *op = p->ops + i;
                _cleanup_close_ int mnt = -EBADF;

                if (!op->by_parent)
                        continue;
                if (op->type == PLAN_MKDIR) {
                        r = rootfs_mkdir(op, err);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (op->type == PLAN_OVERLAY)
                        r = userns_overlay_build(p, op, userns_fd, &mnt, err);
                else
                        r = open_bind(op, userns_fd, &mnt, err);
                if (r < 0)
                        return r;
                r = mnt >= 0 ? sync_send_fd(sync_fd, mnt) : sync_send_none(sync_fd);
                if (r < 0)
                        return launch_error(err, r, "Failed to pass the mount of '%s' to the container", op->target);
        }
        return 0;
}

int userns_child_receive(const Plan *p, int sync_fd, int **ret_fds, ExecError *err) {
        int *fds;
        int r;

        fds = malloc(sizeof(int) * (p->n_ops + 1));
        if (!fds)
                return launch_error(err, ENOMEM, "Out of memory");
        for (size_t i = 0; i < p->n_ops; i++)
                fds[i] = -EBADF;
        for (size_t i = 0; i < p->n_ops; i++) {
                const PlanOp *op = p->ops + i;

                if (!op->by_parent || (op->type != PLAN_OVERLAY && op->type != PLAN_BIND))
                        continue;
                r = sync_receive_mount(sync_fd, fds + i);
                if (r < 0) {
                        for (size_t j = 0; j < i; j++)
                                safe_close(fds[j]);
                        free(fds);
                        return launch_error(err, r, "Failed to receive the mount of '%s' from the launcher",
                                            op->target);
                }
        }
        *ret_fds = fds;
        return 0;
}

int userns_child_enter_runtime_dir(const Plan *p, ExecError *err) {
        /* still with the launcher's ids: the owner of the directories above may search them */
        if (chdir(p->runtime_dir) < 0)
                return launch_error(err, errno, "Failed to change into the runtime directory '%s'", p->runtime_dir);
        return 0;
}

int userns_child_become_root(ExecError *err) {
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                return launch_error(err, errno, "Failed to become root in the container's user namespace");
        return 0;
}
