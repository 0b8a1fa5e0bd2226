/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The root of a container with PrivateUsers= (userns-overlay.h): overlayfs over id-mapped layers. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

#include "fs-mount.h"
#include "overlay-util.h"
#include "string-util.h"
#include "sync.h"
#include "userns-overlay.h"

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
                { 0x9fa0, "proc" },           { 0x62656572, "sysfs" },    { 0x1cd1, "devpts" },
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
int userns_idmap_tree(int tree, int userns_fd, unsigned attr, bool recursive, const char *what, ExecError *err) {
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

/* The mounter's credentials overlayfs keeps: the container root's file system ids, and every capability the
 * launcher holds effective (setfsuid() to a non-zero id clears the file system ones, DAC_OVERRIDE, CHOWN,
 * FOWNER …, and overlayfs chowns its copy-ups with these credentials). Undone by fsuid_restore(). */
static int fsuid_take(const UsernsRange *range) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[2];

        (void) setfsgid(range->base);
        (void) setfsuid(range->base);
        if (setfsuid((uid_t) -1) != (int) range->base)
                return -EPERM;
        if (syscall(SYS_capget, &h, d) < 0)
                return negative_errno();
        d[0].effective = d[0].permitted;
        d[1].effective = d[1].permitted;
        if (syscall(SYS_capset, &h, d) < 0)
                return negative_errno();
        return 0;
}

/* back to the launcher's own ids; the kernel gives the file system capabilities back with fsuid 0 */
static void fsuid_restore(void) {
        (void) setfsuid(0);
        (void) setfsgid(0);
}

typedef struct Layers {
        int *lower;             /* top first, as op->lowerdirs; each an id-mapped detached mount */
        size_t n;
        int rw;                 /* the detached mount holding upper and work */
        int upper, work;        /* O_PATH, on rw */
        const char *upper_name, *work_name; /* their names in rw */
} Layers;

static void layers_done(Layers *l) {
        for (size_t i = 0; l->lower && i < l->n; i++)
                safe_close(l->lower[i]);
        free(l->lower);
        safe_close(l->rw);
        safe_close(l->upper);
        safe_close(l->work);
}

/* The writable layer's upper and work directories, on one mount (overlayfs wants them on the same one):
 * the directory holding both, id-mapped, or a tmpfs of the launcher's (PlanOp.tmpfs_upper) whose two
 * directories belong to the container's root (a tmpfs keeps nothing, so its ids on "disk" do not matter, and
 * tmpfs cannot be id-mapped before Linux 6.3). The detached mount stays open in l->rw until the overlay is
 * made: closing its last descriptor would unmount it. */
static int open_upper(const PlanOp *op, const UsernsRange *range, int userns_fd, Layers *l, ExecError *err) {
        _cleanup_free_ char *dir = NULL;
        int r;

        if (op->tmpfs_upper) {
                l->upper_name = "upper";
                l->work_name = "work";
                r = fs_mount_detached("tmpfs", "ctr-upper", "mode=0755", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &l->rw,
                                      err);
                if (r < 0)
                        return r;
                if (mkdirat(l->rw, l->upper_name, 0755) < 0 || mkdirat(l->rw, l->work_name, 0755) < 0 ||
                    fchownat(l->rw, l->upper_name, range->base, range->base, 0) < 0 ||
                    fchownat(l->rw, l->work_name, range->base, range->base, 0) < 0)
                        return launch_error(err, errno, "Failed to create the writable layer on a tmpfs");
        } else {
                const char *su = strrchr(op->upperdir, '/'), *sw = strrchr(op->workdir, '/');
                if (!su || !sw || su - op->upperdir != sw - op->workdir ||
                    strncmp(op->upperdir, op->workdir, (size_t) (su - op->upperdir)) != 0)
                        return launch_error(err, EINVAL, "The upper '%s' and work '%s' directories of the root "
                                            "filesystem are not in one directory", op->upperdir, op->workdir);
                dir = strndup(op->upperdir, (size_t) (su - op->upperdir));
                if (!dir)
                        return launch_error(err, ENOMEM, "Out of memory");
                l->upper_name = su + 1;
                l->work_name = sw + 1;
                l->rw = open_tree(AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (l->rw < 0)
                        return launch_error(err, errno, "Failed to open the writable layer '%s'", dir);
                r = userns_idmap_tree(l->rw, userns_fd, 0, false, dir, err);
                if (r < 0)
                        return r;
        }
        l->upper = openat(l->rw, l->upper_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        l->work = openat(l->rw, l->work_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (l->upper < 0 || l->work < 0)
                return launch_error(err, errno, "Failed to open the upper and work directories of the root "
                                    "filesystem");
        return 0;
}

static int open_layers(const PlanOp *op, const UsernsRange *range, int userns_fd, Layers *l, ExecError *err) {
        _cleanup_close_ int base = -EBADF;
        int r;

        while (op->lowerdirs[l->n])
                l->n++;
        l->lower = malloc(sizeof(int) * (l->n + 1));
        if (!l->lower)
                return launch_error(err, ENOMEM, "Out of memory");
        for (size_t i = 0; i < l->n; i++)
                l->lower[i] = -EBADF;
        if (op->lowerdir_base) {
                base = open(op->lowerdir_base, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (base < 0)
                        return launch_error(err, errno, "Failed to open the image directory '%s'", op->lowerdir_base);
        }
        for (size_t i = 0; i < l->n; i++) {
                const char *path = op->lowerdirs[i];

                l->lower[i] = open_tree(base >= 0 ? base : AT_FDCWD, path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
                if (l->lower[i] < 0)
                        return launch_error(err, errno, "Failed to open '%s' as a layer of the root filesystem", path);
                r = userns_idmap_tree(l->lower[i], userns_fd, 0, false, path, err);
                if (r < 0)
                        return r;
        }
        return open_upper(op, range, userns_fd, l, err);
}

/* By file descriptor (Linux 6.13): -EOPNOTSUPP, |err| untouched, where the kernel does not take them. */
static int overlay_by_fd(const PlanOp *op, const Layers *l, int *ret, ExecError *err) {
        _cleanup_close_ int fs = -EBADF;
        int mnt;

        fs = fsopen("overlay", FSOPEN_CLOEXEC);
        if (fs < 0)
                return launch_error(err, errno, "Failed to create the overlay of '%s'", op->target);
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", "ctr-overlay", 0) < 0)
                return launch_error(err, errno, "Failed to create the overlay of '%s'", op->target);
        for (size_t i = 0; i < l->n; i++)
                if (fsconfig(fs, FSCONFIG_SET_FD, "lowerdir+", NULL, l->lower[i]) < 0) {
                        /* before 6.13 (or 6.8, or on the VFS's legacy context before 6.5): no layers by fd */
                        if (i == 0 && errno == EINVAL)
                                return -EOPNOTSUPP;
                        return launch_error(err, errno, "Failed to give '%s' to overlayfs as an id-mapped layer",
                                            op->lowerdirs[i]);
                }
        if (fsconfig(fs, FSCONFIG_SET_FD, "upperdir", NULL, l->upper) < 0 ||
            fsconfig(fs, FSCONFIG_SET_FD, "workdir", NULL, l->work) < 0 ||
            fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                int r = launch_error(err, errno, "Failed to mount the overlay of %s on id-mapped layers",
                                     op->lowerdir_base ?: op->target);
                append_kernel_message(fs, err);
                return r;
        }
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, op->attr);
        if (mnt < 0)
                return launch_error(err, errno, "Failed to mount the overlay of '%s'", op->target);
        *ret = mnt;
        return 0;
}

/* The helper of overlay_by_path(), in a mount namespace of its own: the layers attached below |scratch| as
 * 0, 1, … and rw, the overlay mounted with mount(2) from there (short relative names: 128 layers fit in a
 * page), a clone of it sent on |sk|. Returns the errno to exit with. */
static int overlay_by_path_helper(const PlanOp *op, const UsernsRange *range, const Layers *l, const char *scratch,
                                  int sk) {
        _cleanup_free_ char *upper = strprintf("rw/%s", l->upper_name), *work = strprintf("rw/%s", l->work_name);
        _cleanup_free_ char *opts = NULL;
        _cleanup_close_ int tmp = -EBADF, tree = -EBADF;
        char **names = NULL;
        int r;

        if (!upper || !work || !(names = calloc(l->n + 1, sizeof(char *))))
                return ENOMEM;
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return errno;
        if (fs_mount_detached("tmpfs", "ctr-layers", "mode=0700", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV, &tmp, NULL) < 0)
                return EIO;
        if (move_mount(tmp, "", AT_FDCWD, scratch, MOVE_MOUNT_F_EMPTY_PATH) < 0 || chdir(scratch) < 0)
                return errno;
        for (size_t i = 0; i < l->n; i++) {
                if (!(names[i] = strprintf("%zu", i)))
                        return ENOMEM;
                if (mkdir(names[i], 0700) < 0 ||
                    move_mount(l->lower[i], "", AT_FDCWD, names[i], MOVE_MOUNT_F_EMPTY_PATH) < 0)
                        return errno;
        }
        if (mkdir("rw", 0700) < 0 || move_mount(l->rw, "", AT_FDCWD, "rw", MOVE_MOUNT_F_EMPTY_PATH) < 0 ||
            mkdir("root", 0700) < 0)
                return errno;
        r = overlay_mount_options_format(names, upper, work, (size_t) sysconf(_SC_PAGESIZE), &opts);
        if (r < 0)
                return -r;
        r = fsuid_take(range);
        if (r < 0)
                return -r;
        if (mount("ctr-overlay", "root", "overlay", (op->attr & MOUNT_ATTR_NODEV) ? MS_NODEV : 0, opts) < 0)
                return errno;
        fsuid_restore();
        tree = open_tree(AT_FDCWD, "root", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0)
                return errno;
        r = sync_send_fd(sk, tree);
        return r < 0 ? -r : 0;
}

/* By path, through a helper process (userns-overlay.h). |scratch| is an empty host directory the helper mounts
 * over in its own namespace. */
static int overlay_by_path(const PlanOp *op, const UsernsRange *range, const Layers *l, const char *scratch,
                           int *ret, ExecError *err) {
        _cleanup_close_ int sk0 = -EBADF, sk1 = -EBADF;
        int sk[2], status, fd = -EBADF, r;
        struct utsname u;
        pid_t pid;

        if (sync_socketpair(sk) < 0)
                return launch_error(err, errno, "Failed to create a socket pair");
        sk0 = sk[0];
        sk1 = sk[1];
        pid = fork();
        if (pid < 0)
                return launch_error(err, errno, "Failed to fork");
        if (pid == 0)
                _exit(overlay_by_path_helper(op, range, l, scratch, sk1));
        sk1 = safe_close(sk1);
        r = sync_receive_mount(sk0, &fd);
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || r < 0 || fd < 0) {
                safe_close(fd);
                return launch_error(err, WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : EIO,
                                    "Failed to mount the overlay of %s on id-mapped layers with mount(2) (this "
                                    "kernel, %s, takes no overlayfs layers by file descriptor)",
                                    op->lowerdir_base ?: op->target, kernel_release(&u));
        }
        *ret = fd;
        return 0;
}

int userns_overlay_build(const Plan *p, const PlanOp *op, int userns_fd, int *ret, ExecError *err) {
        _cleanup_(layers_done) Layers l = { .rw = -EBADF, .upper = -EBADF, .work = -EBADF };
        const char *e = getenv("CTR_OVERLAY_NO_LOWERDIR_PLUS");
        int r;

        r = open_layers(op, &p->userns, userns_fd, &l, err);
        if (r < 0)
                return r;
        if (!e || !streq(e, "1")) {
                r = fsuid_take(&p->userns);
                if (r < 0)
                        return launch_error(err, r, "Failed to take the ids of the container's root");
                r = overlay_by_fd(op, &l, ret, err);
                fsuid_restore();
                if (r != -EOPNOTSUPP)
                        return r;
        }
        return overlay_by_path(op, &p->userns, &l, p->staging_host, ret, err);
}
