/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "alloc-util.h"
#include "chase.h"
#include "macro.h"
#include "string-util.h"

#define CHASE_SYMLINKS_MAX 40U  /* the kernel's MAXSYMLINKS: the same answer either way */
#define CHASE_RETRIES_MAX 32U   /* lookups raced by a rename (openat2's -EAGAIN) or an entry made meanwhile */

static bool force_walk;
static bool openat2_missing;

void chase_force_walk(bool force) {
        force_walk = force;
}

/* The fd, or -errno; -ENOSYS also when the walk is forced. */
static int openat2_in_root(int root_fd, const char *path, int flags) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        if (force_walk || openat2_missing)
                return -ENOSYS;
        for (unsigned i = 0; i < CHASE_RETRIES_MAX; i++) {
                long fd = syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
                if (fd >= 0)
                        return (int) fd;
                if (errno == ENOSYS)
                        openat2_missing = true;
                if (errno != EAGAIN)
                        return negative_errno();
        }
        return -EAGAIN;
}

/* ENOSYS: no openat2 (kernel before 5.6, valgrind). EPERM: a seccomp filter of an older container runtime
 * around us that does not know openat2 — or a real EPERM, which the walk reports again. EAGAIN: renames
 * kept racing the kernel's lookup. */
static bool walk_instead(int r) {
        return r == -ENOSYS || r == -EPERM || r == -EAGAIN;
}

/* A magic link does not resolve by its text: the kernel jumps to the object (another process's root, a
 * descriptor of the host). Only procfs has them, and there the plain links (self, thread-self, mounts,
 * net) read as relative names, while a magic one reads as an absolute path or "type:[id]". */
static bool symlink_is_magic(int fd, const char *text) {
        struct statfs sfs;

        if (fstatfs(fd, &sfs) < 0)
                return true;    /* cannot tell: refuse, as openat2 would */
        if (sfs.f_type != PROC_SUPER_MAGIC)
                return false;
        return text[0] == '/' || strchr(text, ':');
}

typedef struct FileId {
        dev_t dev;
        ino_t ino;
} FileId;

typedef struct Walk {
        int dir_fd;             /* the directory holding the result; -EBADF when the result has no name */
        char *name;             /* the result's name there; NULL for "/" or a path ending in "." or ".." */
        int fd;                 /* O_PATH of the result, when it exists */
        struct stat st;         /* of the result, when it exists */
} Walk;

static void walk_done(Walk *w) {
        w->dir_fd = safe_close(w->dir_fd);
        w->fd = safe_close(w->fd);
        w->name = mfree(w->name);
}

static int push_id(FileId **ids, size_t *n_allocated, size_t depth, const struct stat *st) {
        if (ARRAY_RESERVE(*ids, *n_allocated, depth + 1) < 0)
                return -ENOMEM;
        (*ids)[depth] = (FileId) { st->st_dev, st->st_ino };
        return 0;
}

/* The walk, with the rules of chase.h. "todo" is what is left to resolve: a symlink's text replaces the
 * component it was found at. One directory descriptor is held; the identities of the directories above it
 * are kept, so ".." (opened from the current one) is checked to be the directory we came from: one moved
 * out from under us is -EXDEV, never a way out of the root. On success 1 (the result exists) or 0 (it does
 * not: CHASE_PARENT only). */
static int walk(int root_fd, const char *path, ChaseFlags flags, mode_t mode, Walk *ret) {
        _cleanup_free_ char *todo = NULL;
        _cleanup_free_ FileId *ids = NULL;
        _cleanup_close_ int root = -EBADF, cur = -EBADF;
        size_t depth = 0, n_ids = 0;
        unsigned links = 0, retries = 0;
        struct stat st;
        const char *p;
        int r;

        if (isempty(path))
                return -ENOENT;
        if (strlen(path) >= PATH_MAX)
                return -ENAMETOOLONG;
        todo = strdup(path);
        if (!todo)
                return -ENOMEM;

        root = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return negative_errno();
        if (fstat(root, &st) < 0)
                return negative_errno();
        r = push_id(&ids, &n_ids, 0, &st);
        if (r < 0)
                return r;
        cur = fcntl(root, F_DUPFD_CLOEXEC, 3);
        if (cur < 0)
                return negative_errno();

        for (p = todo;;) {
                _cleanup_close_ int fd = -EBADF;
                char comp[NAME_MAX + 1];
                size_t n;
                bool last;

                p += strspn(p, "/");
                n = strcspn(p, "/");
                if (n == 0) {
                        /* the path ends at the directory we stand in, with no name of its own */
                        if (fstat(cur, &st) < 0)
                                return negative_errno();
                        *ret = (Walk) { .dir_fd = -EBADF, .fd = TAKE_FD(cur), .st = st };
                        return 1;
                }
                if (n > NAME_MAX)
                        return -ENAMETOOLONG;
                memcpy(comp, p, n);
                comp[n] = '\0';
                p += n;
                last = *p == '\0';      /* "a/b/" has no last component: b must be a directory */

                if (streq(comp, "."))
                        continue;
                if (streq(comp, "..")) {
                        if (depth == 0)
                                continue;       /* ".." of the root is the root */
                        fd = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (fd < 0)
                                return negative_errno();
                        if (fstat(fd, &st) < 0)
                                return negative_errno();
                        if (st.st_dev != ids[depth - 1].dev || st.st_ino != ids[depth - 1].ino)
                                return -EXDEV;
                        safe_close(cur);
                        cur = TAKE_FD(fd);
                        depth--;
                        continue;
                }

                fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                        if (errno != ENOENT)
                                return negative_errno();
                        if (last && (flags & CHASE_PARENT)) {
                                char *name = strdup(comp);
                                if (!name)
                                        return -ENOMEM;
                                *ret = (Walk) { .dir_fd = TAKE_FD(cur), .name = name, .fd = -EBADF };
                                return 0;
                        }
                        if (!(flags & CHASE_MKDIR))
                                return -ENOENT;
                        /* EEXIST: made meanwhile by someone else; either way, look at it again */
                        if (mkdirat(cur, comp, mode) < 0 && errno != EEXIST)
                                return negative_errno();
                        if (++retries > CHASE_RETRIES_MAX)
                                return -EAGAIN;
                        p -= n;
                        continue;
                }
                if (fstat(fd, &st) < 0)
                        return negative_errno();

                if (S_ISLNK(st.st_mode) && !(last && (flags & CHASE_NOFOLLOW))) {
                        char text[PATH_MAX];
                        ssize_t k;
                        char *t;

                        if (++links > CHASE_SYMLINKS_MAX)
                                return -ELOOP;
                        k = readlinkat(fd, "", text, sizeof(text));
                        if (k < 0)
                                return negative_errno();
                        if ((size_t) k >= sizeof(text))
                                return -ENAMETOOLONG;
                        text[k] = '\0';
                        if (k == 0)
                                return -ENOENT;         /* what the kernel says of an empty symlink */
                        if (symlink_is_magic(fd, text))
                                return -ELOOP;          /* RESOLVE_NO_MAGICLINKS */

                        /* the link's text in place of its name, before what is left ("/…" or "") */
                        t = strprintf("%s%s", text, p);
                        if (!t)
                                return -ENOMEM;
                        free(todo);
                        todo = t;
                        p = todo;
                        if (text[0] == '/') {
                                safe_close(cur);
                                cur = fcntl(root, F_DUPFD_CLOEXEC, 3);
                                if (cur < 0)
                                        return negative_errno();
                                depth = 0;
                        }
                        continue;
                }

                if (!last) {
                        if (!S_ISDIR(st.st_mode))
                                return -ENOTDIR;
                        r = push_id(&ids, &n_ids, ++depth, &st);
                        if (r < 0)
                                return r;
                        safe_close(cur);
                        cur = TAKE_FD(fd);
                        continue;
                }

                {
                        char *name = strdup(comp);
                        if (!name)
                                return -ENOMEM;
                        *ret = (Walk) { .dir_fd = TAKE_FD(cur), .name = name, .fd = TAKE_FD(fd), .st = st };
                        return 1;
                }
        }
}

/* CHASE_PARENT in the common case, with two calls instead of a walk: the directory resolves with one
 * openat2() and the last component is not a symlink to follow. Returns 1 or 0 as chase() does, or -EAGAIN
 * when the walk must answer (no openat2, the directory is missing or not one, the name is a symlink, ".",
 * ".." or empty): the walk then also gives the errors their usual form. */
static int chase_parent_quick(int root_fd, const char *path, ChaseFlags flags, int *ret_fd, char **ret_name) {
        _cleanup_free_ char *dir = NULL, *name = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *slash = strrchr(path, '/');
        struct stat st;
        int r;

        name = strdup(slash ? slash + 1 : path);
        if (!name)
                return -ENOMEM;
        if (isempty(name) || streq(name, ".") || streq(name, ".."))
                return -EAGAIN;
        dir = slash ? strndup(path, (size_t) (slash - path)) : strdup(".");
        if (!dir)
                return -ENOMEM;

        fd = openat2_in_root(root_fd, isempty(dir) ? "/" : dir, O_PATH | O_DIRECTORY);
        if (fd < 0)
                return -EAGAIN;
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno != ENOENT)
                        return -EAGAIN;
                r = 0;
        } else {
                if (S_ISLNK(st.st_mode) && !(flags & CHASE_NOFOLLOW))
                        return -EAGAIN;
                r = 1;
        }
        *ret_fd = TAKE_FD(fd);
        *ret_name = TAKE_PTR(name);
        return r;
}

int chase(int root_fd, const char *path, ChaseFlags flags, mode_t mode, int *ret_fd, char **ret_name) {
        _cleanup_(walk_done) Walk w = { .dir_fd = -EBADF, .fd = -EBADF };
        int r;

        if ((flags & CHASE_PARENT) && (!ret_fd || !ret_name))
                return -EINVAL;

        /* The kernel's lookup first, where it can answer: the common case (the path exists) costs one call */
        if (!(flags & CHASE_PARENT)) {
                int fd = openat2_in_root(root_fd, path, O_PATH | ((flags & CHASE_NOFOLLOW) ? O_NOFOLLOW : 0) |
                                                        ((flags & CHASE_MKDIR) ? O_DIRECTORY : 0));
                if (fd >= 0) {
                        if (ret_fd)
                                *ret_fd = fd;
                        else
                                safe_close(fd);
                        return 1;
                }
                if (!walk_instead(fd) && !(fd == -ENOENT && (flags & CHASE_MKDIR)))
                        return fd;
        }

        if (flags & CHASE_PARENT) {
                r = chase_parent_quick(root_fd, path, flags, ret_fd, ret_name);
                if (r != -EAGAIN)
                        return r;
        }

        r = walk(root_fd, path, flags, mode, &w);
        if (r < 0)
                return r;

        if (flags & CHASE_PARENT) {
                if (!w.name)
                        return -EISDIR;
                *ret_fd = TAKE_FD(w.dir_fd);
                *ret_name = TAKE_PTR(w.name);
                return r;
        }
        if ((flags & CHASE_MKDIR) && !S_ISDIR(w.st.st_mode))
                return -ENOTDIR;
        if (ret_fd)
                *ret_fd = TAKE_FD(w.fd);
        return 1;
}

int chase_open(int root_fd, const char *path, int flags, int *ret_fd) {
        _cleanup_(walk_done) Walk w = { .dir_fd = -EBADF, .fd = -EBADF };
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
                return -EINVAL;

        fd = openat2_in_root(root_fd, path, flags);
        if (fd >= 0) {
                *ret_fd = TAKE_FD(fd);
                return 0;
        }
        if (!walk_instead(fd))
                return fd;

        r = walk(root_fd, path, (flags & O_NOFOLLOW) ? CHASE_NOFOLLOW : 0, 0, &w);
        if (r < 0)
                return r;
        if ((flags & O_DIRECTORY) && !S_ISDIR(w.st.st_mode))
                return -ENOTDIR;
        if (flags & O_PATH) {
                *ret_fd = TAKE_FD(w.fd);
                return 0;
        }

        /* Opened for real below the directory we hold, refusing a symlink swapped in since, and only if it
         * is still the inode the walk found. */
        if (w.name)
                fd = openat(w.dir_fd, w.name, flags | O_NOFOLLOW | O_CLOEXEC);
        else
                fd = openat(w.fd, ".", flags | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (st.st_dev != w.st.st_dev || st.st_ino != w.st.st_ino)
                return -ESTALE;
        *ret_fd = TAKE_FD(fd);
        return 0;
}

int mkdir_in_root(int root_fd, const char *path, mode_t mode, int *ret_fd) {
        int r = chase(root_fd, path, CHASE_MKDIR, mode, ret_fd, NULL);
        return r < 0 ? r : 0;
}
