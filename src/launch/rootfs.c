/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "copy-tree.h"
#include "fd-util.h"
#include "fs-mount.h"
#include "mkdir-util.h"
#include "overlay-util.h"
#include "rootfs.h"
#include "string-util.h"
#include "strv.h"
#include "sync.h"

/* What we copy from the host's /etc is small (ld.so.cache is the biggest); refuse anything larger. */
static const CopyTreeOptions etc_copy = {
        .max_depth = 4,
        .max_entries = 4096,
        .max_file_size = 16U * 1024U * 1024U,
};

int rootfs_make_private(ExecError *err) {
        /* From here on nothing we mount propagates to the host, and it all goes with the namespace. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return launch_error(err, errno, "Failed to make the mount namespace private");
        return 0;
}

int rootfs_attach(int mnt_fd, const char *path) {
        if (move_mount(mnt_fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int rootfs_open_bind_source(const PlanOp *op, int *ret_tree, ExecError *err) {
        int tree;

        *ret_tree = -EBADF;
        tree = open_tree(AT_FDCWD, op->source, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (op->recursive ? AT_RECURSIVE : 0));
        if (tree < 0) {
                if (errno == ENOENT && op->optional)
                        return 0;
                if (errno == ENOENT)
                        return launch_error(err, errno, "Bind mount source '%s' (for '%s') does not exist",
                                            op->source, op->target);
                return launch_error(err, errno, "Failed to open bind mount source '%s'", op->source);
        }
        /* AddDevice=: whatever the path led to (the launcher checked it before, the check here is on what is
         * bound), nothing but a device node; a directory or file of the host would be a Volume= by stealth */
        if (op->device) {
                struct stat st;

                int e = fstat(tree, &st) < 0 ? errno : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? 0 : ENODEV;

                if (e != 0) {
                        safe_close(tree);
                        return launch_error(err, e, "AddDevice= source '%s' is not a character or block device",
                                            op->source);
                }
        }
        *ret_tree = tree;
        return 0;
}

int rootfs_staging(const PlanOp *op, ExecError *err) {
        _cleanup_close_ int mnt = -EBADF;
        int r;

        r = fs_mount_detached("tmpfs", "ctr-staging", op->options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &mnt,
                              err);
        if (r < 0)
                return r;
        r = rootfs_attach(mnt, op->target);
        if (r == -EACCES)
                /* with PrivateUsers= this runs as the container's root, an unprivileged user on the host, from
                 * within the runtime directory: a private (0700) one stops it */
                return launch_error(err, r, "Failed to mount the staging tmpfs on '%s': the container's root "
                                    "cannot search the runtime directory; with PrivateUsers= it must be "
                                    "searchable by others (mode 0755, as ctr-launch makes it)", op->target);
        if (r < 0)
                return launch_error(err, r, "Failed to mount the staging tmpfs on '%s'", op->target);
        return 0;
}

int rootfs_mkdir(const PlanOp *op, ExecError *err) {
        /* Directories made on the way are 0700 (the state directory holds other containers' layers, which
         * may contain setuid binaries); the last one gets op->mode exactly, not the umask's (tmp is 1777),
         * and one that exists keeps its own. */
        int r = mkdir_p(op->target, 0700, op->mode);
        if (r < 0)
                return launch_error(err, r, "Failed to create directory '%s'", op->target);
        return 0;
}

int rootfs_write(const PlanOp *op, ExecError *err) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open(op->target, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, op->mode);
        if (fd < 0)
                return launch_error(err, errno, "Failed to create '%s'", op->target);
        r = loop_write(fd, op->content, strlen(op->content));
        if (r >= 0 && fchmod(fd, op->mode) < 0)
                r = negative_errno();
        if (r < 0)
                return launch_error(err, r, "Failed to write '%s'", op->target);
        return 0;
}

int rootfs_copy(const PlanOp *op, ExecError *err) {
        _cleanup_close_ int from = -EBADF, to_dir = -EBADF;
        _cleanup_free_ char *parent = NULL;
        struct stat st;
        char *slash;
        int r;

        from = open(op->source, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (from < 0) {
                if (errno == ENOENT && op->optional)
                        return 0;
                return launch_error(err, errno, "Failed to open '%s' to copy it", op->source);
        }
        if (fstat(from, &st) < 0)
                return launch_error(err, errno, "Failed to stat '%s'", op->source);

        parent = strdup(op->target);
        if (!parent)
                return launch_error(err, ENOMEM, "Out of memory");
        slash = strrchr(parent, '/');
        if (!slash)
                return launch_error(err, EINVAL, "Invalid copy target '%s'", op->target);
        *slash = '\0';
        to_dir = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (to_dir < 0)
                return launch_error(err, errno, "Failed to open '%s'", parent);

        if (S_ISDIR(st.st_mode)) {
                _cleanup_close_ int sub = -EBADF;
                if (mkdirat(to_dir, slash + 1, st.st_mode & 07777) < 0 && errno != EEXIST)
                        return launch_error(err, errno, "Failed to create '%s'", op->target);
                sub = openat(to_dir, slash + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub < 0)
                        return launch_error(err, errno, "Failed to open '%s'", op->target);
                r = copy_tree_fd(from, sub, &etc_copy);
        } else if (S_ISREG(st.st_mode))
                r = copy_file_fd(from, &st, to_dir, slash + 1, &etc_copy);
        else
                r = -EBADFD;
        if (r < 0)
                return launch_error(err, r, "Failed to copy '%s' to '%s'", op->source, op->target);
        return 0;
}

int rootfs_symlink(const PlanOp *op, ExecError *err) {
        if (op->condition && access(op->condition, F_OK) < 0)
                return 0;
        if (symlink(op->source, op->target) < 0 && errno != EEXIST)
                return launch_error(err, errno, "Failed to create the symlink '%s'", op->target);
        return 0;
}

/* mount(2) of overlayfs with the option string |opts| (its own parser, which honours the escapes; one page
 * at most) on |target|; *ret_fd the new root. */
static int overlay_mount_legacy(const char *target, unsigned attr, const char *opts, int *ret_fd, ExecError *err) {
        _cleanup_close_ int root = -EBADF;

        if (mount("ctr-overlay", target, "overlay", (attr & MOUNT_ATTR_NODEV) ? MS_NODEV : 0, opts) < 0)
                return launch_error(err, errno, "Failed to mount overlay on '%s' (%s)", target, opts);
        root = open(target, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return launch_error(err, errno, "Failed to open the new root '%s'", target);
        *ret_fd = TAKE_FD(root);
        return 0;
}

/* The end of an overlay's fs context |fs|: upperdir and workdir (escaped: overlayfs unescapes them), the
 * filesystem made and mounted detached. -errno of the call that failed; the context holds the kernel's
 * message about it. */
static int overlay_create(int fs, const char *upper, const char *work, unsigned attr, int *ret_mnt) {
        _cleanup_free_ char *u = NULL, *w = NULL;
        int mnt;

        if (upper) {
                u = overlay_escape(upper);
                w = overlay_escape(work);
                if (!u || !w)
                        return -ENOMEM;
                if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", u, 0) < 0 ||
                    fsconfig(fs, FSCONFIG_SET_STRING, "workdir", w, 0) < 0)
                        return negative_errno();
        }
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return negative_errno();
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, attr);
        if (mnt < 0)
                return negative_errno();
        *ret_mnt = mnt;
        return 0;
}

/* Whether overlayfs takes "lowerdir+" (Linux 6.8). Before 6.5 overlayfs sits on the VFS's legacy fs_context,
 * which accepts any key and fails only at FSCONFIG_CMD_CREATE: so a key that cannot exist must be refused
 * too, or this is that legacy context. From 6.5 to 6.7 "lowerdir+" itself is refused. */
static bool overlay_has_lowerdir_plus(void) {
        _cleanup_close_ int fs = fsopen("overlay", FSOPEN_CLOEXEC);

        return fs >= 0 && fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", "/", 0) >= 0 &&
               fsconfig(fs, FSCONFIG_SET_STRING, "ctr-no-such-option", "x", 0) < 0;
}

/* An image's layers, layer@N below op->lowerdir_base: one "lowerdir+" per layer where the kernel has it
 * (Linux 6.8), no length limit; *ret_fd the detached mount. -EOPNOTSUPP when the kernel has no "lowerdir+"
 * (or CTR_OVERLAY_NO_LOWERDIR_PLUS=1, the tests' way to take the other path on any kernel). */
static int overlay_lowerdir_plus(const PlanOp *op, const char *upper, const char *work, int *ret_fd,
                                 ExecError *err) {
        _cleanup_close_ int fs = -EBADF;
        const char *e = getenv("CTR_OVERLAY_NO_LOWERDIR_PLUS");
        int r;

        if ((e && streq(e, "1")) || !overlay_has_lowerdir_plus())
                return -EOPNOTSUPP;
        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return launch_error(err, errno, "Failed to create the overlay of '%s'", op->target);
        r = fsconfig(fs, FSCONFIG_SET_STRING, "source", "ctr-overlay", 0) < 0 ? negative_errno() : 0;
        for (char **l = op->lowerdirs; r >= 0 && *l; l++)
                /* taken as it is: "lowerdir+" has no escaping and no separator */
                if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", *l, 0) < 0) {
                        r = launch_error(err, errno, "Failed to add '%s' (in '%s') as a layer of the root "
                                         "filesystem", *l, op->lowerdir_base);
                        append_kernel_message(fs, err);
                        return r;
                }
        if (r >= 0)
                r = overlay_create(fs, upper, work, op->attr, ret_fd);
        if (r < 0) {
                r = launch_error(err, r, "Failed to mount the overlay of %zu layers on '%s' (from '%s')",
                                 strv_length(op->lowerdirs), op->target, op->lowerdir_base);
                append_kernel_message(fs, err);
        }
        return r;
}

/* The same through mount(2), which takes one page of options: the layers' short names relative to the
 * directory we are in (128 layers take 1.3 kB). What does not fit is refused, never cut. */
static int overlay_lowerdir_legacy(const PlanOp *op, const char *upper, const char *work, int *ret_fd,
                                   ExecError *err) {
        _cleanup_free_ char *opts = NULL;
        long page = sysconf(_SC_PAGESIZE);
        int r;

        r = overlay_mount_options_format(op->lowerdirs, upper, work, page > 0 ? (size_t) page : 4096, &opts);
        if (r == -E2BIG)
                return launch_error(err, r, "The root filesystem's %zu layers do not fit in one page of overlayfs "
                                    "options, and this kernel has no \"lowerdir+\" (Linux 6.8)",
                                    strv_length(op->lowerdirs));
        if (r < 0)
                return launch_error(err, r, "Failed to build the options of the root filesystem");
        return overlay_mount_legacy(op->target, op->attr, opts, ret_fd, err);
}

/* op->lowerdirs relative to op->lowerdir_base (an image's mstack directory): the mount is made from there. */
static int overlay_from_base(const PlanOp *op, int *ret_root_fd, ExecError *err) {
        _cleanup_close_ int base = -EBADF, cwd = -EBADF, mnt = -EBADF;
        const char *upper = op->upperdir, *work = op->workdir, *u, *w;
        int r;

        base = open(op->lowerdir_base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (base < 0 || cwd < 0)
                return launch_error(err, errno, "Failed to open the image directory '%s'", op->lowerdir_base);
        for (char **l = op->lowerdirs; *l; l++) {
                struct stat st;
                if (fstatat(base, *l, &st, 0) < 0)
                        return launch_error(err, errno, "Failed to use '%s' (in '%s') as a layer of the root "
                                            "filesystem", *l, op->lowerdir_base);
                if (!S_ISDIR(st.st_mode))
                        return launch_error(err, ENOTDIR, "Failed to use '%s' (in '%s') as a layer of the root "
                                            "filesystem", *l, op->lowerdir_base);
        }
        /* rw/data rather than the whole path: shorter options */
        if (upper && (u = startswith(upper, op->lowerdir_base)) && u[0] == '/' &&
            (w = startswith(work, op->lowerdir_base)) && w[0] == '/') {
                upper = u + 1;
                work = w + 1;
        }
        if (fchdir(base) < 0)
                return launch_error(err, errno, "Failed to change into '%s'", op->lowerdir_base);
        r = overlay_lowerdir_plus(op, upper, work, &mnt, err);
        if (r >= 0) {
                r = rootfs_attach(mnt, op->target);
                if (r < 0)
                        r = launch_error(err, r, "Failed to mount overlay on '%s'", op->target);
        } else if (r == -EOPNOTSUPP)
                r = overlay_lowerdir_legacy(op, upper, work, &mnt, err);
        if (fchdir(cwd) < 0 && r >= 0)
                r = launch_error(err, -errno, "Failed to return to the working directory");
        if (r < 0)
                return r;
        *ret_root_fd = TAKE_FD(mnt);
        return 0;
}

int rootfs_overlay(const PlanOp *op, int *ret_root_fd, ExecError *err) {
        _cleanup_free_ char *opts = NULL, *lower = NULL;
        _cleanup_close_ int fs = -EBADF, mnt = -EBADF;
        int r;

        if (op->lowerdir_base)
                return overlay_from_base(op, ret_root_fd, err);

        r = overlay_options_format(op, &opts);
        if (r < 0)
                return launch_error(err, r, "Out of memory");

        /* overlayfs says only EINVAL/ENOENT: name the directory that is missing */
        for (char **l = op->lowerdirs; l && *l; l++) {
                struct stat st;
                if (stat(*l, &st) < 0)
                        return launch_error(err, errno, "Failed to use '%s' as a layer of the root filesystem "
                                            "(RootDirectory=, Layer=)", *l);
                if (!S_ISDIR(st.st_mode))
                        return launch_error(err, ENOTDIR, "Failed to use '%s' as a layer of the root filesystem "
                                            "(RootDirectory=, Layer=)", *l);
        }

        /* The lowerdir= value, escaped, without the "lowerdir=" prefix */
        r = overlay_lowerdir_format(op->lowerdirs, &lower);
        if (r < 0)
                return launch_error(err, r, "Failed to build the lowerdir= option of the root filesystem");

        /* Before Linux 6.5 overlayfs takes its options through the VFS's legacy layer, which refuses a comma in
         * an fsconfig() value even when escaped; mount(2)'s option string goes to overlayfs's own parser, which
         * honours the escapes. So a path with a comma takes the old way (on any kernel, to keep one rule). */
        if (strstr(opts, "\\,"))
                return overlay_mount_legacy(op->target, op->attr, opts, ret_root_fd, err);

        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return launch_error(err, errno, "Failed to mount overlay on '%s' (%s)", op->target, opts);
        r = fsconfig(fs, FSCONFIG_SET_STRING, "source", "ctr-overlay", 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) < 0 ? negative_errno() : 0;
        if (r >= 0)
                r = overlay_create(fs, op->upperdir, op->workdir, op->attr, &mnt);
        if (r < 0) {
                r = launch_error(err, r, "Failed to mount overlay on '%s' (%s)", op->target, opts);
                append_kernel_message(fs, err);
                return r;
        }
        r = rootfs_attach(mnt, op->target);
        if (r < 0)
                return launch_error(err, r, "Failed to mount overlay on '%s' (%s)", op->target, opts);
        *ret_root_fd = TAKE_FD(mnt);
        return 0;
}

int rootfs_read_only(int root_fd, ExecError *err) {
        struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY };

        if (mount_setattr(root_fd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
                return launch_error(err, errno, "Failed to make the root filesystem read-only");
        return 0;
}

int rootfs_pivot(const char *root, int root_fd, ExecError *err) {
        if (fchdir(root_fd) < 0)
                return launch_error(err, errno, "Failed to change into the new root '%s'", root);
        /* pivot_root(".", "."): the old root ends up on top of the new one, and is then detached. */
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return launch_error(err, errno, "Failed to pivot_root into '%s'", root);
        if (umount2(".", MNT_DETACH) < 0)
                return launch_error(err, errno, "Failed to detach the old root");
        if (chdir("/") < 0)
                return launch_error(err, errno, "Failed to change into '/' of the new root");
        return 0;
}
