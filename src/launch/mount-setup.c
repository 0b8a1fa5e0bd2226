/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <linux/magic.h>
#include <unistd.h>

#include "chase.h"
#include "copy-tree.h"
#include "fd-util.h"
#include "fs-mount.h"
#include "log.h"
#include "mount-setup.h"
#include "rm-rf.h"
#include "rootfs.h"
#include "string-util.h"
#include "sync.h"

/* A mount point for a file where |path| leads inside the root. What exists is opened O_PATH, never for
 * writing: an image's fifo or device must not be opened. What is missing is made, an empty file and its
 * directories, also where a dangling symlink points (/etc/resolv.conf ->
 * ../run/systemd/resolve/stub-resolv.conf in images with systemd-resolved), as runc does: chase() keeps all
 * of it inside the container's tree. The result may be an O_WRONLY fd of the new file; move_mount() only
 * needs it to name the file. */
static int create_file_in_root(int root_fd, const char *path, int *ret_fd) {
        for (unsigned i = 0; i < 8; i++) {
                _cleanup_close_ int dir = -EBADF;
                _cleanup_free_ char *name = NULL;
                int fd, r;

                r = chase(root_fd, path, 0, 0, ret_fd, NULL);
                if (r != -ENOENT)
                        return r < 0 ? r : 0;
                r = chase(root_fd, path, CHASE_PARENT | CHASE_MKDIR, 0755, &dir, &name);
                if (r < 0)
                        return r;
                /* made here and now, or (EEXIST: someone was faster) looked up again */
                fd = openat(dir, name,
                            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC, 0644);
                if (fd >= 0) {
                        *ret_fd = fd;
                        return 0;
                }
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EAGAIN;
}

static int fd_path(int fd, char *buf, size_t size) {
        char link[64];
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%i", fd);
        n = readlink(link, buf, size - 1);
        if (n < 0)
                return negative_errno();
        if ((size_t) n >= size - 1)
                return -ENAMETOOLONG;
        buf[n] = '\0';
        return 0;
}

/* The text check of plan_build() sees "/data/sys"; the mount lands where the root's symlinks lead, e.g. on
 * /proc/sys through /data -> /proc. So the target, once opened inside the root, is named again by the kernel
 * (its path below the root's, read back from /proc/self/fd) and checked by the same rule. */
int mount_check_destination(int root_fd, int target_fd, const PlanOp *op, ExecError *err) {
        char root[PATH_MAX], target[PATH_MAX];
        const char *in_root;
        size_t n;
        int r;

        if (!op->check_destination)
                return 0;
        r = fd_path(root_fd, root, sizeof(root));
        if (r >= 0)
                r = fd_path(target_fd, target, sizeof(target));
        if (r < 0)
                return launch_error(err, r, "Failed to find where '%s' leads inside the container", op->target);

        n = streq(root, "/") ? 0 : strlen(root);
        if (strncmp(target, root, n) != 0 || (target[n] != '/' && target[n] != '\0'))
                return launch_error(err, EXDEV, "The mount point '%s' leads out of the container's root, to '%s'",
                                    op->target, target);
        in_root = target[n] ? target + n : "/";
        if (!plan_destination_is_allowed(in_root))
                return launch_error(err, EPERM, "The mount point '%s' leads to '%s' inside the container: a "
                                    "Volume= or Tmpfs= on /proc, below /proc or on /sys would undo the "
                                    "container's masked and read-only paths", op->target, in_root);
        return 0;
}

int mount_attach(int mnt_fd, int target_fd) {
        if (move_mount(mnt_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int mount_set_attr(int tree_fd, unsigned attr, bool recursive) {
        struct mount_attr a = { .attr_set = attr };

        if (attr == 0)
                return 0;
        if (mount_setattr(tree_fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
                return negative_errno();
        return 0;
}

/* An image volume's first use (op->populate): its directory is made from what the root has at the target,
 * owner, mode and contents, as Docker fills a new anonymous volume; built as SOURCE.new and renamed into
 * place when complete, so a start killed halfway starts over. The target is checked where it leads before
 * anything is read: an image's /data -> /proc/self must not have us copy our own /proc. */
static int populate_volume(int root_fd, const PlanOp *op, ExecError *err) {
        static const CopyTreeOptions volume_copy = {
                .max_depth = 256,
                .max_entries = UINT_MAX,
                .max_file_size = UINT64_MAX,
                .preserve_owner = true,
        };
        _cleanup_close_ int from = -EBADF, parent = -EBADF, to = -EBADF;
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        struct stat st = { .st_mode = S_IFDIR | 0755 };
        const char *name;
        int r;

        if (faccessat(AT_FDCWD, op->source, F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return 0;
        if (errno != ENOENT)
                return launch_error(err, errno, "Failed to look at volume '%s'", op->source);

        r = chase_open(root_fd, op->target, O_RDONLY | O_DIRECTORY, &from);
        if (r < 0 && r != -ENOENT)
                return launch_error(err, r, "Failed to open '%s' in the image to fill its volume", op->target);
        if (from >= 0) {
                r = mount_check_destination(root_fd, from, op, err);
                if (r < 0)
                        return r;
                if (fstat(from, &st) < 0)
                        return launch_error(err, errno, "Failed to stat '%s' in the image", op->target);
        }

        dir = strdup(op->source);
        if (!dir)
                return launch_error(err, ENOMEM, "Out of memory");
        name = strrchr(dir, '/');
        if (!name || name == dir)
                return launch_error(err, EINVAL, "Invalid volume directory '%s'", op->source);
        dir[name - dir] = '\0';
        name = op->source + (name - dir) + 1;
        tmp = strprintf("%s.new", name);
        if (!tmp)
                return launch_error(err, ENOMEM, "Out of memory");
        parent = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (parent < 0)
                return launch_error(err, errno, "Failed to open '%s'", dir);
        r = rm_rf_at(parent, tmp);
        if (r < 0)
                return launch_error(err, r, "Failed to remove the leftover '%s/%s'", dir, tmp);
        if (mkdirat(parent, tmp, 0700) < 0)
                return launch_error(err, errno, "Failed to create '%s/%s'", dir, tmp);
        to = openat(parent, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (to < 0)
                return launch_error(err, errno, "Failed to open '%s/%s'", dir, tmp);
        r = from >= 0 ? copy_tree_fd(from, to, &volume_copy) : 0;
        if (r < 0)
                return launch_error(err, r, "Failed to copy '%s' of the image into volume '%s'", op->target,
                                    op->source);
        if (fchown(to, st.st_uid, st.st_gid) < 0 || fchmod(to, st.st_mode & 07777) < 0 ||
            renameat(parent, tmp, parent, name) < 0)
                return launch_error(err, errno, "Failed to make volume '%s'", op->source);
        return 0;
}

/* |tree| the launcher's detached mount of op->source, attributes set (PrivateUsers=, userns-mount.h); or
 * -EBADF to open it here. */
/* Whether |path| in the root leads onto a filesystem other than the root's overlay or a tmpfs — a volume, the
 * user's directory. Its missing parents are made (on the overlay or a tmpfs, or in what the image's links
 * lead to, as a bind there would). */
static int lands_on_volume(int root_fd, const char *path) {
        _cleanup_close_ int dir = -EBADF;
        _cleanup_free_ char *name = NULL;
        struct statfs sf;
        int r;

        r = chase(root_fd, path, CHASE_PARENT | CHASE_MKDIR, 0755, &dir, &name);
        if (r < 0)
                return r;
        if (fstatfs(dir, &sf) < 0)
                return negative_errno();
        return sf.f_type != OVERLAYFS_SUPER_MAGIC && sf.f_type != TMPFS_MAGIC;
}

static int do_bind(int root_fd, const PlanOp *op, int parent_tree, ExecError *err) {
        _cleanup_close_ int tree = parent_tree, target = -EBADF;
        struct stat st;
        int r;

        if (op->by_parent && tree < 0)
                return 0;       /* an optional source the launcher did not find */
        if (op->launcher_file) {
                r = lands_on_volume(root_fd, op->target);
                if (r < 0)
                        return launch_error(err, r, "Failed to resolve '%s' inside the container", op->target);
                if (r > 0)
                        return 0;
        }
        if (op->populate) {
                r = populate_volume(root_fd, op, err);
                if (r < 0)
                        return r;
        }

        if (tree < 0) {
                r = rootfs_open_bind_source(op, &tree, err);
                if (r < 0 || tree < 0)
                        return r;
        }
        if (fstat(tree, &st) < 0)
                return launch_error(err, errno, "Failed to stat bind mount source '%s'", op->source);

        if (!op->in_root) {
                /* a host path on the staging tmpfs (an image's volume directory, PrivateUsers=) */
                target = open(op->target, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                r = target < 0 ? negative_errno() : 0;
        } else
                r = S_ISDIR(st.st_mode) ? mkdir_in_root(root_fd, op->target, 0755, &target) :
                                          create_file_in_root(root_fd, op->target, &target);
        if (r < 0)
                return launch_error(err, r, "Failed to create the mount point '%s' inside the container",
                                    op->target);
        r = mount_check_destination(root_fd, target, op, err);
        if (r < 0)
                return r;
        r = op->by_parent ? 0 : mount_set_attr(tree, op->attr, op->recursive);
        if (r < 0)
                return launch_error(err, r, "Failed to set the attributes of bind mount '%s'", op->source);
        r = mount_attach(tree, target);
        if (r < 0)
                return launch_error(err, r, "Failed to bind mount '%s' on '%s'", op->source, op->target);
        return 0;
}

static int do_filesystem(int root_fd, const PlanOp *op, const char *fstype, ExecError *err) {
        _cleanup_close_ int mnt = -EBADF, target = -EBADF;
        int r;

        r = mkdir_in_root(root_fd, op->target, 0755, &target);
        if (r < 0)
                return launch_error(err, r, "Failed to create the mount point '%s' inside the container",
                                    op->target);
        r = mount_check_destination(root_fd, target, op, err);
        if (r < 0)
                return r;
        r = fs_mount_detached(fstype, fstype, op->options, op->attr, &mnt, err);
        if (r < 0)
                return r;
        r = mount_attach(mnt, target);
        if (r < 0)
                return launch_error(err, r, "Failed to mount %s on '%s'", fstype, op->target);
        return 0;
}

static int do_mask(int root_fd, const PlanOp *op, ExecError *err) {
        _cleanup_close_ int target = -EBADF, mnt = -EBADF;
        struct stat st;
        int r;

        r = chase_open(root_fd, op->target, O_PATH, &target);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return launch_error(err, r, "Failed to open '%s' to mask it", op->target);
        if (fstat(target, &st) < 0)
                return launch_error(err, errno, "Failed to stat '%s' to mask it", op->target);

        if (S_ISDIR(st.st_mode)) {
                r = fs_mount_detached("tmpfs", "tmpfs", "mode=0555",
                                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
                                      &mnt, err);
                if (r < 0)
                        return r;
        } else {
                mnt = open_tree(AT_FDCWD, op->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (mnt < 0)
                        return launch_error(err, errno, "Failed to open '%s' to mask '%s'", op->source,
                                            op->target);
                r = mount_set_attr(mnt, op->attr, false);
                if (r < 0)
                        return launch_error(err, r, "Failed to make the mask of '%s' read-only", op->target);
        }
        r = mount_attach(mnt, target);
        if (r < 0)
                return launch_error(err, r, "Failed to mask '%s'", op->target);
        return 0;
}

static int do_sysctl(int root_fd, const PlanOp *op, ExecError *err) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        /* the fresh /proc of the root shows the child's own network and IPC namespaces */
        r = chase_open(root_fd, op->target, O_WRONLY | O_NOFOLLOW, &fd);
        if (r == -ENOENT)
                return launch_error(err, r, "Sysctl= names '%s', which this kernel does not have", op->target);
        if (r < 0)
                return launch_error(err, r, "Failed to open '%s' for Sysctl=", op->target);
        r = loop_write(fd, op->content, strlen(op->content));
        if (r < 0)
                return launch_error(err, r, "Failed to write '%s' to '%s' (Sysctl=)", op->content, op->target);
        return 0;
}

static int do_read_only(int root_fd, const PlanOp *op, ExecError *err) {
        _cleanup_close_ int target = -EBADF, tree = -EBADF;
        int r;

        r = chase_open(root_fd, op->target, O_PATH, &target);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return launch_error(err, r, "Failed to open '%s' to make it read-only", op->target);
        tree = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
        if (tree < 0)
                return launch_error(err, errno, "Failed to clone '%s' to make it read-only", op->target);
        r = mount_set_attr(tree, op->attr, true);
        if (r >= 0)
                r = mount_attach(tree, target);
        if (r < 0)
                return launch_error(err, r, "Failed to make '%s' read-only", op->target);
        return 0;
}

static int do_symlink_in_root(int root_fd, const PlanOp *op, ExecError *err) {
        _cleanup_close_ int dir = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r;

        r = chase(root_fd, op->target, CHASE_PARENT | CHASE_MKDIR | CHASE_NOFOLLOW, 0755, &dir, &name);
        if (r < 0)
                return launch_error(err, r, "Failed to create the directory of '%s' inside the container",
                                    op->target);
        if (r == 0 && symlinkat(op->source, dir, name) < 0 && errno != EEXIST)
                return launch_error(err, errno, "Failed to create the symlink '%s'", op->target);
        return 0;
}

/* PLAN_SECRETS: in this pass only its mount point, checked where it leads (mount_setup_secrets()) */
static int do_mount_point(int root_fd, const PlanOp *op, ExecError *err) {
        _cleanup_close_ int target = -EBADF;
        int r;

        r = mkdir_in_root(root_fd, op->target, 0755, &target);
        if (r < 0)
                return launch_error(err, r, "Failed to create the mount point '%s' inside the container",
                                    op->target);
        return mount_check_destination(root_fd, target, op, err);
}

static int do_mkdir_in_root(int root_fd, const PlanOp *op, ExecError *err) {
        int r = mkdir_in_root(root_fd, op->target, op->mode, NULL);
        if (r < 0)
                return launch_error(err, r, "Failed to create '%s' inside the container", op->target);
        return 0;
}

/* |parent_fd|: the launcher's mount for a by_parent PLAN_OVERLAY or PLAN_BIND (taken), or -EBADF */
static int apply_one(const PlanOp *op, int parent_fd, int *root_fd, ExecError *err) {
        int r;

        if (op->by_parent && op->type == PLAN_MKDIR)
                return 0;       /* made by the launcher */
        if (op->by_parent && op->type == PLAN_OVERLAY) {
                _cleanup_close_ int mnt = parent_fd;
                if (*root_fd >= 0 || mnt < 0)
                        return launch_error(err, EINVAL, "The plan has two root filesystems, or none");
                r = rootfs_attach(mnt, op->target);
                if (r < 0)
                        return launch_error(err, r, "Failed to mount the root filesystem on '%s'", op->target);
                *root_fd = TAKE_FD(mnt);
                return 0;
        }
        if (op->in_root && *root_fd < 0)
                return launch_error(err, EINVAL, "Operation on '%s' before the root exists", op->target);

        switch (op->type) {
        case PLAN_STAGING:
                return rootfs_staging(op, err);
        case PLAN_MKDIR:
                return op->in_root ? do_mkdir_in_root(*root_fd, op, err) : rootfs_mkdir(op, err);
        case PLAN_WRITE:
                return rootfs_write(op, err);
        case PLAN_COPY:
                return rootfs_copy(op, err);
        case PLAN_SYMLINK:
                return op->in_root ? do_symlink_in_root(*root_fd, op, err) : rootfs_symlink(op, err);
        case PLAN_OVERLAY:
                if (*root_fd >= 0)
                        return launch_error(err, EINVAL, "The plan has two root filesystems");
                return rootfs_overlay(op, root_fd, err);
        case PLAN_BIND:
                return do_bind(*root_fd, op, parent_fd, err);
        case PLAN_TMPFS:
                return do_filesystem(*root_fd, op, "tmpfs", err);
        case PLAN_PROC:
                return do_filesystem(*root_fd, op, "proc", err);
        case PLAN_SYSFS:
                return do_filesystem(*root_fd, op, "sysfs", err);
        case PLAN_DEVPTS:
                return do_filesystem(*root_fd, op, "devpts", err);
        case PLAN_MQUEUE:
                return do_filesystem(*root_fd, op, "mqueue", err);
        case PLAN_CGROUP: {
                ExecError ignored = {};
                r = do_filesystem(*root_fd, op, "cgroup2", &ignored);
                if (r < 0 && op->optional)
                        return 0;
                if (r < 0)
                        *err = ignored;
                return r;
        }
        case PLAN_MASK:
                return do_mask(*root_fd, op, err);
        case PLAN_SYSCTL:
                return do_sysctl(*root_fd, op, err);
        case PLAN_READ_ONLY:
                return do_read_only(*root_fd, op, err);
        case PLAN_SECRETS:
                return do_mount_point(*root_fd, op, err);
        case PLAN_SECRET:
                return 0;       /* mount_setup_secrets() */
        case PLAN_ROOT_READ_ONLY:
                return rootfs_read_only(*root_fd, err);
        case PLAN_PIVOT_ROOT:
        default:
                return launch_error(err, EINVAL, "Unexpected plan operation %d", (int) op->type);
        }
}

int mount_setup_prepare(const Plan *p, int *parent_fds, int *ret_root_fd, ExecError *err) {
        _cleanup_close_ int root_fd = -EBADF;
        int r;

        r = rootfs_make_private(err);
        if (r < 0)
                return r;

        for (size_t i = 0; i < p->n_ops; i++) {
                if (p->ops[i].type == PLAN_PIVOT_ROOT)
                        break;
                r = apply_one(p->ops + i, parent_fds ? parent_fds[i] : -EBADF, &root_fd, err);
                if (parent_fds)
                        parent_fds[i] = -EBADF;  /* taken */
                if (r < 0)
                        return r;
        }
        if (root_fd < 0)
                return launch_error(err, EINVAL, "The plan has no root filesystem");
        *ret_root_fd = TAKE_FD(root_fd);
        return 0;
}

int mount_setup_pivot(const Plan *p, int root_fd, ExecError *err) {
        return rootfs_pivot(p->root, root_fd, err);
}
