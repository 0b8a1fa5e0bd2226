/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "apparmor.h"
#include "fd-util.h"
#include "fileio.h"
#include "macro.h"
#include "string-util.h"

#define APPARMOR_ENABLED_PATH "/sys/module/apparmor/parameters/enabled"
#define APPARMOR_SECURITYFS_PATH "/sys/kernel/security/apparmor"
#define APPARMOR_PROFILES_PATH APPARMOR_SECURITYFS_PATH "/profiles"
/* A distribution's policy is a few hundred lines; far more is not a list we want to scan. */
#define APPARMOR_PROFILES_MAX (8U * 1024U * 1024U)
#define PROC_ROOT_INO 1

bool apparmor_enabled(void) {
        _cleanup_free_ char *s = NULL;

        /* a sysfs attribute claims a page (st_size 4096) whatever it holds: that is the limit to give */
        if (read_full_file_at(AT_FDCWD, APPARMOR_ENABLED_PATH, 4096, &s, NULL) < 0 || s[0] != 'Y')
                return false;
        return access(APPARMOR_SECURITYFS_PATH, F_OK) >= 0;
}

bool apparmor_profiles_list_has(const char *list, const char *name) {
        size_t n = strlen(name);

        /* "NAME (enforce)\n": the name, then " (" and the mode; a name may itself hold " (" */
        for (const char *l = list; l && *l; ) {
                const char *end = strchrnul(l, '\n'), *mode = NULL;

                for (const char *p = l; p + 1 < end; p++)
                        if (p[0] == ' ' && p[1] == '(')
                                mode = p;
                if (mode && (size_t) (mode - l) == n && strneq(l, name, n))
                        return true;
                l = *end ? end + 1 : end;
        }
        return false;
}

int apparmor_profile_loaded(const char *name) {
        _cleanup_free_ char *list = NULL;
        int r;

        r = read_full_file_at(AT_FDCWD, APPARMOR_PROFILES_PATH, APPARMOR_PROFILES_MAX, &list, NULL);
        if (r < 0)
                return r;
        return apparmor_profiles_list_has(list, name);
}

int apparmor_profile_wanted(const char *setting, bool enabled, const char **ret) {
        if (!setting) {
                *ret = enabled ? APPARMOR_DEFAULT_PROFILE : NULL;
                return 0;
        }
        if (streq(setting, "unconfined")) {
                *ret = NULL;
                return 0;
        }
        if (!enabled)
                return -EPERM;
        *ret = setting;
        return 0;
}

const char *apparmor_profile_describe(const char *setting, bool enabled) {
        const char *p = NULL;

        if (setting && streq(setting, "unconfined"))
                return "unconfined";
        if (apparmor_profile_wanted(setting, enabled, &p) < 0)
                return "unavailable (AppArmorProfile= makes ctr-launch refuse the start)";
        return p ?: "unavailable";
}

/* The root of a procfs instance at /proc: not a directory of another filesystem mounted there, not a bind
 * mount of a directory below some procfs's root. */
static int open_proc_root(void) {
        _cleanup_close_ int fd = -EBADF;
        struct statfs sfs;
        struct stat st;

        fd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstatfs(fd, &sfs) < 0 || fstat(fd, &st) < 0)
                return negative_errno();
        if (sfs.f_type != PROC_SUPER_MAGIC || st.st_ino != PROC_ROOT_INO)
                return -EXDEV;
        return TAKE_FD(fd);
}

/* thread-self/attr/NAME below that root, never crossing a mount point on the way: the file is this thread's,
 * or the open fails. */
static int open_attr(int proc_fd, const char *name) {
        _cleanup_free_ char *path = strprintf("thread-self/attr/%s", name);
        struct open_how how = {
                .flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                .resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
        };
        long fd;

        if (!path)
                return -ENOMEM;
        fd = syscall(SYS_openat2, proc_fd, path, &how, sizeof(how));
        if (fd < 0 && errno == ENOSYS) {
                /* Linux before 5.6: the file itself must be procfs's, and a write to another task's fails */
                struct statfs sfs;

                fd = openat(proc_fd, path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0 && (fstatfs((int) fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC)) {
                        safe_close((int) fd);
                        return -EXDEV;
                }
        }
        if (fd < 0)
                return negative_errno();
        return (int) fd;
}

/* "COMMAND NAME" to this thread's attr/apparmor/FILE, or attr/FILE on kernels without the per-LSM directory
 * (before 5.8). */
static int write_attr(const char *file, const char *command, const char *profile) {
        _cleanup_free_ char *apparmor_file = strprintf("apparmor/%s", file),
                            *text = strprintf("%s %s", command, profile);
        _cleanup_close_ int proc_fd = -EBADF, fd = -EBADF;
        ssize_t n;

        if (!apparmor_file || !text)
                return -ENOMEM;
        if (isempty(profile))
                return -EINVAL;

        proc_fd = open_proc_root();
        if (proc_fd < 0)
                return proc_fd;
        fd = open_attr(proc_fd, apparmor_file);
        if (fd == -ENOENT)
                fd = open_attr(proc_fd, file);
        if (fd < 0)
                return fd;

        /* one write: the kernel takes the command whole or not at all */
        n = write(fd, text, strlen(text));
        if (n < 0)
                return negative_errno();
        if ((size_t) n != strlen(text))
                return -EIO;
        return 0;
}

int apparmor_exec_profile(const char *profile) {
        return write_attr("exec", "exec", profile);
}

int apparmor_change_profile(const char *profile) {
        return write_attr("current", "changeprofile", profile);
}

const ApparmorDeniedDev apparmor_default_denied_dev[] = {
        { "/dev/mem",    APPARMOR_DEV_EXACT },
        { "/dev/kmem",   APPARMOR_DEV_EXACT },
        { "/dev/port",   APPARMOR_DEV_EXACT },
        { "/dev/kmsg",   APPARMOR_DEV_EXACT },
        { "/dev/sd",     APPARMOR_DEV_NAME },
        { "/dev/hd",     APPARMOR_DEV_NAME },
        { "/dev/vd",     APPARMOR_DEV_NAME },
        { "/dev/xvd",    APPARMOR_DEV_NAME },
        { "/dev/nvme",   APPARMOR_DEV_NAME },
        { "/dev/mmcblk", APPARMOR_DEV_NAME },
        { "/dev/dm-",    APPARMOR_DEV_NAME },
        { "/dev/md",     APPARMOR_DEV_NAME },
        { "/dev/loop",   APPARMOR_DEV_NAME },
        { "/dev/nbd",    APPARMOR_DEV_NAME },
        { "/dev/sr",     APPARMOR_DEV_NAME },
        { "/dev/zram",   APPARMOR_DEV_NAME },
        { "/dev/disk",   APPARMOR_DEV_TREE },
        { "/dev/mapper", APPARMOR_DEV_TREE },
        { "/dev/bus",    APPARMOR_DEV_TREE },
        { "/dev/block",  APPARMOR_DEV_TREE },
        { "/dev/char",   APPARMOR_DEV_TREE },
};
const size_t apparmor_default_denied_dev_n = ELEMENTSOF(apparmor_default_denied_dev);

bool apparmor_default_denies_dev(const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(apparmor_default_denied_dev); i++) {
                const ApparmorDeniedDev *d = apparmor_default_denied_dev + i;
                const char *rest = startswith(path, d->path);

                if (!rest)
                        continue;
                if (d->match == APPARMOR_DEV_EXACT ? *rest == '\0' :
                    d->match == APPARMOR_DEV_NAME ? !strchr(rest, '/') :
                    rest[0] == '/' && rest[1] != '\0')
                        return true;
        }
        return false;
}
