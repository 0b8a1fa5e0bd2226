/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
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

#include "fd-util.h"
#include "fs-mount.h"
#include "mkdir-util.h"
#include "overlay-util.h"
#include "rootfs.h"
#include "sync.h"

/* What we copy from the host's /etc is small (ld.so.cache is the biggest); refuse anything larger. */
#define COPY_FILE_MAX (16U * 1024U * 1024U)
#define COPY_DEPTH_MAX 4U
#define COPY_ENTRIES_MAX 4096U

int rootfs_make_private(ExecError *err) {
        /* From here on nothing we mount propagates to the host, and it all goes with the namespace. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return launch_error(err, errno, "Failed to make the mount namespace private");
        return 0;
}

static int attach_path(int mnt_fd, const char *path) {
        if (move_mount(mnt_fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int rootfs_staging(const PlanOp *op, ExecError *err) {
        _cleanup_close_ int mnt = -EBADF;
        int r;

        r = fs_mount_detached("tmpfs", "ctr-staging", op->options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &mnt,
                              err);
        if (r < 0)
                return r;
        r = attach_path(mnt, op->target);
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

static int copy_file_fd(int from, int to_dir, const char *name, mode_t mode) {
        _cleanup_close_ int to = -EBADF;
        char buf[16384];
        size_t total = 0;
        ssize_t n;
        int r;

        to = openat(to_dir, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
        if (to < 0)
                return negative_errno();
        while ((n = read(from, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                total += (size_t) n;
                if (total > COPY_FILE_MAX)
                        return -EFBIG;
                r = loop_write(to, buf, (size_t) n);
                if (r < 0)
                        return r;
        }
        if (fchmod(to, mode & 07777) < 0)
                return negative_errno();
        return 0;
}

/* Copies the entries of directory |from| into |to_dir|: regular files, symlinks (as they are) and directories
 * (recursively, to a small depth). Anything else is skipped. */
static int copy_dir_fd(int from, int to_dir, unsigned depth, unsigned *n_entries) {
        _cleanup_close_ int dfd = -EBADF;
        DIR *d;
        struct dirent *de;
        int r = 0;

        if (depth > COPY_DEPTH_MAX)
                return -ELOOP;
        dfd = fcntl(from, F_DUPFD_CLOEXEC, 3);
        if (dfd < 0)
                return negative_errno();
        d = fdopendir(dfd);
        if (!d)
                return negative_errno();
        TAKE_FD(dfd);

        while ((errno = 0, de = readdir(d))) {
                struct stat st;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (++*n_entries > COPY_ENTRIES_MAX) {
                        r = -E2BIG;
                        break;
                }
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        r = negative_errno();
                        break;
                }
                if (S_ISLNK(st.st_mode)) {
                        char link[PATH_MAX];
                        ssize_t l = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
                        if (l < 0) {
                                r = negative_errno();
                                break;
                        }
                        link[l] = '\0';
                        if (symlinkat(link, to_dir, de->d_name) < 0 && errno != EEXIST) {
                                r = negative_errno();
                                break;
                        }
                } else if (S_ISREG(st.st_mode)) {
                        _cleanup_close_ int f = openat(dirfd(d), de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                        if (f < 0) {
                                r = negative_errno();
                                break;
                        }
                        r = copy_file_fd(f, to_dir, de->d_name, st.st_mode);
                        if (r < 0)
                                break;
                } else if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = -EBADF, subto = -EBADF;
                        if (mkdirat(to_dir, de->d_name, st.st_mode & 07777) < 0 && errno != EEXIST) {
                                r = negative_errno();
                                break;
                        }
                        sub = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        subto = openat(to_dir, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0 || subto < 0) {
                                r = negative_errno();
                                break;
                        }
                        r = copy_dir_fd(sub, subto, depth + 1, n_entries);
                        if (r < 0)
                                break;
                }
        }
        if (r == 0 && errno != 0)
                r = negative_errno();
        closedir(d);
        return r;
}

int rootfs_copy(const PlanOp *op, ExecError *err) {
        _cleanup_close_ int from = -EBADF, to_dir = -EBADF;
        _cleanup_free_ char *parent = NULL;
        struct stat st;
        unsigned n = 0;
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
                r = copy_dir_fd(from, sub, 0, &n);
        } else if (S_ISREG(st.st_mode)) {
                (void) unlinkat(to_dir, slash + 1, 0);
                r = copy_file_fd(from, to_dir, slash + 1, st.st_mode);
        } else
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

int rootfs_overlay(const PlanOp *op, int *ret_root_fd, ExecError *err) {
        _cleanup_free_ char *opts = NULL, *lower = NULL, *upper = NULL, *work = NULL;
        _cleanup_close_ int fs = -EBADF, mnt = -EBADF;
        int r;

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
        if (strstr(opts, "\\,")) {
                _cleanup_close_ int root = -EBADF;

                if (mount("ctr-overlay", op->target, "overlay", (op->attr & MOUNT_ATTR_NODEV) ? MS_NODEV : 0, opts) < 0)
                        return launch_error(err, errno, "Failed to mount overlay on '%s' (%s)", op->target, opts);
                root = open(op->target, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root < 0)
                        return launch_error(err, errno, "Failed to open the new root '%s'", op->target);
                *ret_root_fd = TAKE_FD(root);
                return 0;
        }

        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return launch_error(err, errno, "Failed to mount overlay on '%s' (%s)", op->target, opts);
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "ctr-overlay", 0) < 0 ||
            fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) < 0)
                goto fail;
        if (op->upperdir) {
                upper = overlay_escape(op->upperdir);
                work = overlay_escape(op->workdir);
                if (!upper || !work)
                        return launch_error(err, ENOMEM, "Out of memory");
                if (fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper, 0) < 0 ||
                    fsconfig(fs, FSCONFIG_SET_STRING, "workdir", work, 0) < 0)
                        goto fail;
        }
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                goto fail;
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, op->attr);
        if (mnt < 0)
                goto fail;
        r = attach_path(mnt, op->target);
        if (r < 0)
                return launch_error(err, r, "Failed to mount overlay on '%s' (%s)", op->target, opts);
        *ret_root_fd = TAKE_FD(mnt);
        return 0;

fail:
        r = launch_error(err, errno, "Failed to mount overlay on '%s' (%s)", op->target, opts);
        append_kernel_message(fs, err);
        return r;
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
