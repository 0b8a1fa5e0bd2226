/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <linux/capability.h>

#include "fs-mount.h"
#include "rootfs.h"
#include "string-util.h"
#include "sync.h"
#include "userns-mount.h"

/* The filesystem under |fd|, for messages: the common ones by name, others by magic number. */
static const char *fs_name(int fd, char buf[static 32]) {
        static const struct {
                unsigned long magic;
                const char *name;
        } names[] = {
                { 0xEF53, "ext4" },           { 0x58465342, "xfs" },      { 0x9123683E, "btrfs" },
                { 0x01021994, "tmpfs" },      { 0x794C7630, "overlay" },  { 0x6969, "nfs" },
                { 0x2FC12FC1, "zfs" },        { 0x65735546, "fuse" },     { 0xF2F52010, "f2fs" },
                { 0x4d44, "vfat" },           { 0x73717368, "squashfs" }, { 0x858458f6, "ramfs" },
        };
        struct statfs sf;

        if (fstatfs(fd, &sf) < 0)
                return "unknown";
        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if ((unsigned long) sf.f_type == names[i].magic)
                        return names[i].name;
        snprintf(buf, 32, "0x%lx", (unsigned long) sf.f_type);
        return buf;
}

static const char *kernel_release(struct utsname *u) {
        return uname(u) >= 0 ? u->release : "unknown";
}

/* MOUNT_ATTR_IDMAP (and |attr|) on the detached mount |tree|; |what| names it in the error. */
static int idmap_tree(int tree, int userns_fd, unsigned attr, bool recursive, const char *what, ExecError *err) {
        struct mount_attr a = { .attr_set = attr | MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t) userns_fd };
        struct utsname u;
        char buf[32];

        if (mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) >= 0)
                return 0;
        if (errno == EINVAL || errno == EOPNOTSUPP)
                return launch_error(err, errno, "Failed to id-map '%s' for the container's user namespace: this "
                                    "kernel (%s) cannot id-map a %s filesystem (PrivateUsers=no runs the "
                                    "container without one)", what, kernel_release(&u), fs_name(tree, buf));
        return launch_error(err, errno, "Failed to id-map '%s' (a %s filesystem) for the container's user "
                            "namespace", what, fs_name(tree, buf));
}

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

/* The capabilities the launcher holds, all effective: setfsuid() to a non-zero id clears the file system
 * ones (DAC_OVERRIDE, CHOWN, FOWNER …) from the effective set, and overlayfs keeps the mounter's credentials
 * for its copy-ups (a chown()). */
static int raise_effective(void) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[2];

        if (syscall(SYS_capget, &h, d) < 0)
                return negative_errno();
        d[0].effective = d[0].permitted;
        d[1].effective = d[1].permitted;
        if (syscall(SYS_capset, &h, d) < 0)
                return negative_errno();
        return 0;
}

static int open_idmapped(int dir_fd, const char *path, int userns_fd, const char *what, int *ret, ExecError *err) {
        _cleanup_close_ int tree = open_tree(dir_fd, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        int r;

        if (tree < 0)
                return launch_error(err, errno, "Failed to open '%s' as a layer of the root filesystem", what);
        r = idmap_tree(tree, userns_fd, 0, false, what, err);
        if (r < 0)
                return r;
        *ret = TAKE_FD(tree);
        return 0;
}

/* The writable layer's upper and work directories, on one id-mapped mount (overlayfs wants them on the same
 * one): the directory holding both, or a tmpfs of the launcher's (PlanOp.tmpfs_upper). *ret_tree keeps the
 * detached mount alive until the overlay is made: closing its last descriptor would unmount it. */
static int open_upper(const PlanOp *op, int userns_fd, int *ret_tree, int *ret_upper, int *ret_work, ExecError *err) {
        _cleanup_close_ int tree = -EBADF;
        _cleanup_free_ char *dir = NULL;
        const char *u = "upper", *w = "work";
        int r;

        if (op->tmpfs_upper) {
                r = fs_mount_detached("tmpfs", "ctr-upper", "mode=0755", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &tree,
                                      err);
                if (r < 0)
                        return r;
                if (mkdirat(tree, u, 0755) < 0 || mkdirat(tree, w, 0755) < 0)
                        return launch_error(err, errno, "Failed to create the writable layer on a tmpfs");
                dir = strdup("the writable layer's tmpfs");
        } else {
                const char *su = strrchr(op->upperdir, '/'), *sw = strrchr(op->workdir, '/');
                if (!su || !sw || su - op->upperdir != sw - op->workdir ||
                    strncmp(op->upperdir, op->workdir, (size_t) (su - op->upperdir)) != 0)
                        return launch_error(err, EINVAL, "The upper '%s' and work '%s' directories of the root "
                                            "filesystem are not in one directory", op->upperdir, op->workdir);
                dir = strndup(op->upperdir, (size_t) (su - op->upperdir));
                u = su + 1;
                w = sw + 1;
                if (dir) {
                        tree = open_tree(AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                        if (tree < 0)
                                return launch_error(err, errno, "Failed to open the writable layer '%s'", dir);
                }
        }
        if (!dir)
                return launch_error(err, ENOMEM, "Out of memory");
        r = idmap_tree(tree, userns_fd, 0, false, dir, err);
        if (r < 0)
                return r;
        *ret_upper = openat(tree, u, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        *ret_work = openat(tree, w, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (*ret_upper < 0 || *ret_work < 0)
                return launch_error(err, errno, "Failed to open the upper and work directories in '%s'", dir);
        *ret_tree = TAKE_FD(tree);
        return 0;
}

static int overlay_set_fd(int fs, const char *key, int fd, const char *what, ExecError *err) {
        struct utsname u;
        int r;

        if (fsconfig(fs, FSCONFIG_SET_FD, key, NULL, fd) >= 0)
                return 0;
        if (errno == EINVAL && streq(key, "lowerdir+"))
                return launch_error(err, errno, "Failed to give '%s' to overlayfs as an id-mapped layer: this kernel "
                                    "(%s) does not take overlayfs layers by file descriptor (Linux 6.13), which "
                                    "PrivateUsers= needs", what, kernel_release(&u));
        r = launch_error(err, errno, "Failed to give '%s' to overlayfs as %s", what, key);
        append_kernel_message(fs, err);
        return r;
}

static void close_many(int *fds, size_t n) {
        for (size_t i = 0; fds && i < n; i++)
                safe_close(fds[i]);
        free(fds);
}

static int build_overlay(const PlanOp *op, const UsernsRange *range, int userns_fd, int *ret, ExecError *err) {
        _cleanup_close_ int base = -EBADF, fs = -EBADF, rw = -EBADF, upper = -EBADF, work = -EBADF;
        size_t n_layers = 0;
        int r, mnt, *layers;

        /* every layer's detached mount stays open until the overlay is made (see open_upper()) */
        while (op->lowerdirs[n_layers])
                n_layers++;
        layers = malloc(sizeof(int) * (n_layers + 1));
        if (!layers)
                return launch_error(err, ENOMEM, "Out of memory");
        for (size_t i = 0; i < n_layers; i++)
                layers[i] = -EBADF;

        if (op->lowerdir_base) {
                base = open(op->lowerdir_base, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (base < 0) {
                        close_many(layers, n_layers);
                        return launch_error(err, errno, "Failed to open the image directory '%s'", op->lowerdir_base);
                }
        }
        r = open_upper(op, userns_fd, &rw, &upper, &work, err);
        if (r < 0) {
                close_many(layers, n_layers);
                return r;
        }

        /* the mounter's credentials, which overlayfs keeps: the container root's file system ids */
        (void) setfsgid(range->base);
        (void) setfsuid(range->base);
        r = raise_effective();
        if (r < 0 || setfsuid((uid_t) -1) != (int) range->base) {
                r = launch_error(err, r < 0 ? r : EPERM, "Failed to take the ids of the container's root");
                goto finish;
        }
        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0) {
                r = launch_error(err, errno, "Failed to create the overlay of '%s'", op->target);
                goto finish;
        }
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "ctr-overlay", 0) < 0) {
                r = launch_error(err, errno, "Failed to create the overlay of '%s'", op->target);
                goto finish;
        }
        for (size_t i = 0; i < n_layers; i++) {
                const char *l = op->lowerdirs[i];

                r = open_idmapped(base >= 0 ? base : AT_FDCWD, l, userns_fd, l, layers + i, err);
                if (r >= 0)
                        r = overlay_set_fd(fs, "lowerdir+", layers[i], l, err);
                if (r < 0)
                        goto finish;
        }
        r = overlay_set_fd(fs, "upperdir", upper, "the writable layer", err);
        if (r >= 0)
                r = overlay_set_fd(fs, "workdir", work, "the writable layer's work directory", err);
        if (r < 0)
                goto finish;
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                r = launch_error(err, errno, "Failed to mount the overlay of %s on id-mapped layers",
                                 op->lowerdir_base ?: op->target);
                append_kernel_message(fs, err);
                goto finish;
        }
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, op->attr);
        if (mnt < 0) {
                r = launch_error(err, errno, "Failed to mount the overlay of '%s'", op->target);
                goto finish;
        }
        *ret = mnt;
        r = 0;
finish:
        /* back to the launcher's own ids; the kernel gives the file system capabilities back with fsuid 0 */
        (void) setfsuid(0);
        (void) setfsgid(0);
        close_many(layers, n_layers);
        return r;
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
                r = idmap_tree(tree, userns_fd, op->attr, op->recursive, op->source, err);
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
                        r = build_overlay(op, &p->userns, userns_fd, &mnt, err);
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
