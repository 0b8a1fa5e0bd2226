/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "alloc-util.h"
#include "fd-util.h"
#include "layer-stream.h"
#include "layer-unpack.h"
#include "log.h"
#include "path-util.h"
#include "rm-rf.h"
#include "string-util.h"

#define WHITEOUT_PREFIX ".wh."
#define WHITEOUT_META_PREFIX ".wh..wh."
#define WHITEOUT_OPAQUE ".wh..wh..opq"
#define OPAQUE_XATTR "trusted.overlay.opaque"

/* A directory's times, set once everything in it is made (each entry made in it changes its mtime). */
typedef struct DirTime {
        char *path;                     /* normalized, "" for the layer's root */
        struct timespec ts[2];
} DirTime;

typedef struct Unpacker {
        int root_fd;
        LayerLimits limits;
        LayerStream *stream;
        const char *entry;              /* the entry being made, as the tar names it (for errors) */
        int error;
        char *error_text;
        /* The last directory an entry was made in, and its path: a tar lists a directory's entries together,
         * so most entries need no walk at all, and a subdirectory's a walk of one component. Dropped when
         * anything at or above it is removed. */
        char *parent_path;
        int parent_fd;
        DirTime *dir_times;
        size_t n_dir_times, n_allocated;
} Unpacker;

static void unpacker_done(Unpacker *u) {
        u->stream = layer_stream_free(u->stream);
        free(u->error_text);
        free(u->parent_path);
        safe_close(u->parent_fd);
        for (size_t i = 0; i < u->n_dir_times; i++)
                free(u->dir_times[i].path);
        free(u->dir_times);
}

/* Records the failure with the entry named (the first one only: later ones are consequences). -error. */
_printf_(3, 4)
static int fail(Unpacker *u, int error, const char *format, ...) {
        _cleanup_free_ char *msg = NULL, *name = NULL;
        va_list ap;
        int r;

        if (u->error < 0)
                return u->error;
        u->error = -error;

        va_start(ap, format);
        r = vasprintf(&msg, format, ap);
        va_end(ap);
        if (r < 0)
                return -error;
        /* the name is a stranger's bytes: shown escaped, as it would be on a terminal */
        if (u->entry && escape_non_printable(u->entry, SIZE_MAX, &name) >= 0)
                u->error_text = strprintf("entry '%s': %s", name, msg);
        else
                u->error_text = TAKE_PTR(msg);
        return -error;
}

static int fail_errno(Unpacker *u, int error, const char *what, const char *path) {
        return fail(u, error, "%s '%s': %s", what, path, strerror(error));
}

/* "a/b" of "a/b/c"; "" for a name at the top. */
static char *path_dirname_dup(const char *path) {
        const char *slash = strrchr(path, '/');

        return slash ? strndup(path, (size_t) (slash - path)) : strdup("");
}

/* "./a//b/" → "a/b", "./" → "": refused when absolute or with a ".." component. */
static int entry_path(Unpacker *u, const char *what, const char *raw, char **ret) {
        _cleanup_free_ char *abs = NULL, *norm = NULL;
        bool own = streq(what, "name");
        int r;

        if (isempty(raw))
                return fail(u, EINVAL, "empty %s", what);
        if (strlen(raw) > u->limits.max_path_length)
                return fail(u, ENAMETOOLONG, "%s of %zu bytes, over the limit of %" PRIu64, what, strlen(raw),
                            u->limits.max_path_length);
        /* the entry's own name is in the message already */
        if (raw[0] == '/')
                return own ? fail(u, EINVAL, "an absolute name: refused") :
                        fail(u, EINVAL, "%s '%s' is absolute: refused", what, raw);

        abs = strprintf("/%s", raw);
        if (!abs)
                return -ENOMEM;
        r = path_normalize_absolute(abs, &norm);
        if (r < 0)
                return own ? fail(u, EINVAL, "a '..' component: refused") :
                        fail(u, EINVAL, "%s '%s' has a '..' component: refused", what, raw);

        *ret = strdup(norm + 1);
        return *ret ? 0 : -ENOMEM;
}

/* Opens directory |path| below |start_fd|, |path| from offset |skip| on (the part before it is |start_fd|),
 * each component with O_NOFOLLOW|O_DIRECTORY: a symlink on the way fails the open, it is never followed.
 * With |create|, missing directories are made 0755 root. */
static int walk(Unpacker *u, int start_fd, const char *path, size_t skip, bool create, int *ret_fd) {
        _cleanup_close_ int fd = -EBADF;
        const char *p = path + skip;

        fd = openat(start_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return fail_errno(u, errno, "cannot open directory", skip > 0 ? path : ".");

        while (*p != '\0') {
                _cleanup_free_ char *upto = NULL;
                size_t k = strcspn(p, "/");
                char comp[NAME_MAX + 1];
                struct stat st;
                bool whiteout;
                int nfd, error;

                if (k > NAME_MAX)
                        return fail(u, ENAMETOOLONG, "a component of '%s' is over %d bytes", path, NAME_MAX);
                memcpy(comp, p, k);
                comp[k] = '\0';
                upto = strndup(path, (size_t) (p - path) + k);
                if (!upto)
                        return -ENOMEM;

                nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                error = nfd < 0 ? errno : 0;
                /* a whiteout this layer made, and now entries below the same name: its own entries win, in a
                 * directory that hides what was below (as if the tar had listed the directory itself) */
                whiteout = error == ENOTDIR && create &&
                        fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) >= 0 && S_ISCHR(st.st_mode) &&
                        st.st_rdev == makedev(0, 0);
                if (whiteout && unlinkat(fd, comp, 0) < 0)
                        return fail_errno(u, errno, "cannot replace whiteout", upto);
                if ((whiteout || error == ENOENT) && create) {
                        if (mkdirat(fd, comp, 0700) < 0)
                                return fail_errno(u, errno, "cannot make directory", upto);
                        nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        error = nfd < 0 ? errno : 0;
                        if (nfd >= 0 && (fchown(nfd, 0, 0) < 0 || fchmod(nfd, 0755) < 0 ||
                                         (whiteout && fsetxattr(nfd, OPAQUE_XATTR, "y", 1, 0) < 0))) {
                                error = errno;
                                safe_close(nfd);
                                return fail_errno(u, error, "cannot set up directory", upto);
                        }
                }
                if (nfd < 0) {
                        if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) >= 0 && S_ISLNK(st.st_mode))
                                return fail(u, ELOOP, "'%s' is a symlink: nothing is made through one", upto);
                        if (error == ENOTDIR || error == ELOOP)
                                return fail(u, ENOTDIR, "'%s' is not a directory", upto);
                        return fail_errno(u, error, "cannot open directory", upto);
                }
                safe_close(fd);
                fd = nfd;
                p += k;
                p += strspn(p, "/");
        }

        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* The directory |dir| (normalized, "" the root) as a descriptor the Unpacker keeps (the caller must not
 * close it): the last one again, or a walk from it when |dir| is below it, else from the root. */
static int open_dir(Unpacker *u, const char *dir, bool create, int *ret_fd) {
        _cleanup_free_ char *p = NULL;
        int fd, r;

        if (u->parent_path && streq(u->parent_path, dir)) {
                *ret_fd = u->parent_fd;
                return 0;
        }

        p = strdup(dir);
        if (!p)
                return -ENOMEM;
        if (u->parent_path && u->parent_path[0] != '\0' && startswith(dir, u->parent_path) &&
            dir[strlen(u->parent_path)] == '/')
                r = walk(u, u->parent_fd, dir, strlen(u->parent_path) + 1, create, &fd);
        else
                r = walk(u, u->root_fd, dir, 0, create, &fd);
        if (r < 0)
                return r;

        safe_close(u->parent_fd);
        free(u->parent_path);
        u->parent_fd = fd;
        u->parent_path = TAKE_PTR(p);
        *ret_fd = fd;
        return 0;
}

/* |path| was removed: the kept directory is no longer reachable if it was at or below it. */
static void forget_dir(Unpacker *u, const char *path) {
        const char *rest;

        if (!u->parent_path)
                return;
        rest = startswith(u->parent_path, path);
        if (rest && (rest[0] == '\0' || rest[0] == '/')) {
                u->parent_fd = safe_close(u->parent_fd);
                u->parent_path = mfree(u->parent_path);
        }
}

/* Makes room for the new entry |name| in |dir_fd|. 1: a directory is there and the new entry is one too
 * (kept, its metadata updated). 0: nothing is there (any old entry is removed). *ret_whiteout says whether
 * what was there was a whiteout. */
static int make_room(Unpacker *u, int dir_fd, const char *path, const char *name, bool want_dir,
                     bool *ret_whiteout) {
        struct stat st;
        int r;

        if (ret_whiteout)
                *ret_whiteout = false;
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno == ENOENT)
                        return 0;
                return fail_errno(u, errno, "cannot stat", path);
        }
        if (ret_whiteout)
                *ret_whiteout = S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
        if (S_ISDIR(st.st_mode)) {
                if (want_dir)
                        return 1;
                forget_dir(u, path);
                r = rm_rf_at(dir_fd, name);
                if (r < 0)
                        return fail_errno(u, -r, "cannot replace directory", path);
                return 0;
        }
        if (unlinkat(dir_fd, name, 0) < 0)
                return fail_errno(u, errno, "cannot replace", path);
        return 0;
}

static int entry_owner(Unpacker *u, struct archive_entry *e, uid_t *ret_uid, gid_t *ret_gid) {
        la_int64_t uid = archive_entry_uid(e), gid = archive_entry_gid(e);

        /* (uid_t) -1 means "unchanged" to chown(): never an owner */
        if (uid < 0 || uid >= UINT32_MAX || gid < 0 || gid >= UINT32_MAX)
                return fail(u, EINVAL, "invalid owner %" PRId64 ":%" PRId64, (int64_t) uid, (int64_t) gid);
        *ret_uid = (uid_t) uid;
        *ret_gid = (gid_t) gid;
        return 0;
}

static void entry_times(struct archive_entry *e, struct timespec ret[2]) {
        ret[1] = archive_entry_mtime_is_set(e) ?
                (struct timespec) { archive_entry_mtime(e), archive_entry_mtime_nsec(e) } :
                (struct timespec) { 0, UTIME_OMIT };
        ret[0] = archive_entry_atime_is_set(e) ?
                (struct timespec) { archive_entry_atime(e), archive_entry_atime_nsec(e) } : ret[1];
}

/* overlayfs's own metadata: only whiteouts may say what is opaque or deleted, nothing may redirect */
static bool xattr_is_dropped(const char *name) {
        return startswith(name, "trusted.overlay.") || startswith(name, "user.overlay.") ||
                streq(name, "security.selinux");
}

/* On |fd| (a file or directory we opened) or, for symlinks, devices and FIFOs (which cannot be opened
 * safely), on |name| in |dir_fd| through /proc/self/fd: the last component is not followed (lsetxattr). */
static int set_xattrs(Unpacker *u, struct archive_entry *e, int fd, int dir_fd, const char *name) {
        const char *xname;
        const void *value;
        size_t size;

        archive_entry_xattr_reset(e);
        while (archive_entry_xattr_next(e, &xname, &value, &size) == ARCHIVE_OK) {
                int r;

                if (isempty(xname))
                        return fail(u, EINVAL, "xattr without a name");
                if (xattr_is_dropped(xname)) {
                        log_debug("Layer entry '%s': xattr %s dropped", u->entry, xname);
                        continue;
                }
                if (fd >= 0)
                        r = fsetxattr(fd, xname, value, size, 0);
                else {
                        char p[PATH_MAX];

                        snprintf(p, sizeof(p), "/proc/self/fd/%i/%s", dir_fd, name);
                        r = lsetxattr(p, xname, value, size, 0);
                }
                if (r < 0)
                        return fail(u, errno, "cannot set xattr %s: %s", xname, strerror(errno));
        }
        return 0;
}

/* Owner, then mode (chown clears setuid/setgid), then xattrs (chown clears security.capability): on |fd|
 * (a file or directory opened here) or, when it is negative, on |name| in |dir_fd|, never followed. A
 * symlink has no mode of its own. */
static int set_metadata(Unpacker *u, struct archive_entry *e, int fd, int dir_fd, const char *name) {
        mode_t mode = archive_entry_mode(e) & 07777;
        uid_t uid = 0;
        gid_t gid = 0;
        int r;

        r = entry_owner(u, e, &uid, &gid);
        if (r < 0)
                return r;
        r = fd >= 0 ? fchown(fd, uid, gid) : fchownat(dir_fd, name, uid, gid, AT_SYMLINK_NOFOLLOW);
        if (r < 0)
                return fail(u, errno, "cannot chown: %s", strerror(errno));
        if (archive_entry_filetype(e) != AE_IFLNK) {
                r = fd >= 0 ? fchmod(fd, mode) : fchmodat(dir_fd, name, mode, AT_SYMLINK_NOFOLLOW);
                if (r < 0)
                        return fail(u, errno, "cannot chmod: %s", strerror(errno));
        }
        return set_xattrs(u, e, fd, dir_fd, name);
}

static int set_times_at(Unpacker *u, struct archive_entry *e, int dir_fd, const char *name) {
        struct timespec ts[2];

        entry_times(e, ts);
        if (utimensat(dir_fd, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
                return fail(u, errno, "cannot set times: %s", strerror(errno));
        return 0;
}

static int set_opaque(Unpacker *u, int dir_fd, const char *name, const char *path) {
        char p[PATH_MAX];

        snprintf(p, sizeof(p), "/proc/self/fd/%i/%s", dir_fd, name ?: ".");
        if (lsetxattr(p, OPAQUE_XATTR, "y", 1, 0) < 0)
                return fail(u, errno, "cannot make '%s' opaque: %s", isempty(path) ? "/" : path,
                            strerror(errno));
        return 0;
}

static int remember_dir_time(Unpacker *u, const char *path, struct archive_entry *e) {
        if (ARRAY_RESERVE(u->dir_times, u->n_allocated, u->n_dir_times + 1) < 0)
                return -ENOMEM;
        DirTime *t = &u->dir_times[u->n_dir_times];
        t->path = strdup(path);
        if (!t->path)
                return -ENOMEM;
        entry_times(e, t->ts);
        u->n_dir_times++;
        return 0;
}

static int make_directory(Unpacker *u, struct archive_entry *e, int dir_fd, const char *path, const char *name) {
        _cleanup_close_ int fd = -EBADF;
        bool whiteout = false;
        int r;

        if (!name)      /* the layer's root itself ("./") */
                fd = openat(u->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        else {
                r = make_room(u, dir_fd, path, name, /* want_dir= */ true, &whiteout);
                if (r < 0)
                        return r;
                if (r == 0 && mkdirat(dir_fd, name, 0700) < 0)
                        return fail(u, errno, "cannot make directory: %s", strerror(errno));
                fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        }
        if (fd < 0)
                return fail(u, errno, "cannot open directory: %s", strerror(errno));

        r = set_metadata(u, e, fd, -EBADF, NULL);
        if (r < 0)
                return r;
        /* this layer whited NAME out and has NAME too: what was below is gone, what it has stays */
        if (name && whiteout) {
                r = set_opaque(u, dir_fd, name, path);
                if (r < 0)
                        return r;
        }
        return remember_dir_time(u, path, e);
}

static int write_data(Unpacker *u, int fd, la_int64_t size) {
        la_int64_t pos = 0;

        for (;;) {
                const void *buf;
                size_t n;
                la_int64_t offset;
                int r;

                r = archive_read_data_block(u->stream->tar, &buf, &n, &offset);
                if (r == ARCHIVE_EOF)
                        break;
                if (r < ARCHIVE_WARN) {
                        _cleanup_free_ char *t = NULL;

                        r = layer_stream_error(u->stream, &t);
                        return fail(u, -r, "%s", strna(t));
                }
                if (offset < 0 || (uint64_t) offset > (uint64_t) size || n > (uint64_t) (size - offset))
                        return fail(u, EBADMSG, "data past the entry's size");
                if (offset != pos && lseek(fd, offset, SEEK_SET) < 0)    /* a hole (sparse file) */
                        return fail(u, errno, "cannot seek: %s", strerror(errno));
                r = loop_write(fd, buf, n);
                if (r < 0)
                        return fail(u, -r, "cannot write: %s", strerror(-r));
                pos = offset + (la_int64_t) n;
        }
        if (pos != size && ftruncate(fd, size) < 0)     /* a hole at the end */
                return fail(u, errno, "cannot set size: %s", strerror(errno));
        return 0;
}

static int make_file(Unpacker *u, struct archive_entry *e, int dir_fd, const char *path, const char *name) {
        _cleanup_close_ int fd = -EBADF;
        struct timespec ts[2];
        la_int64_t size = archive_entry_size(e);
        int r;

        if (size < 0 || (uint64_t) size > u->limits.max_file_bytes)
                return fail(u, EFBIG, "a file of %" PRId64 " bytes, over the limit of %" PRIu64, (int64_t) size,
                            u->limits.max_file_bytes);
        r = make_room(u, dir_fd, path, name, false, NULL);
        if (r < 0)
                return r;
        fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return fail(u, errno, "cannot create: %s", strerror(errno));
        r = write_data(u, fd, size);
        if (r < 0)
                return r;
        r = set_metadata(u, e, fd, -EBADF, NULL);
        if (r < 0)
                return r;
        entry_times(e, ts);
        if (futimens(fd, ts) < 0)
                return fail(u, errno, "cannot set times: %s", strerror(errno));
        return 0;
}

static int make_symlink(Unpacker *u, struct archive_entry *e, int dir_fd, const char *path, const char *name) {
        const char *target = archive_entry_symlink(e);
        int r;

        if (isempty(target))
                return fail(u, EINVAL, "symlink without a target");
        if (strlen(target) > u->limits.max_path_length)
                return fail(u, ENAMETOOLONG, "symlink target of %zu bytes, over the limit of %" PRIu64,
                            strlen(target), u->limits.max_path_length);
        r = make_room(u, dir_fd, path, name, false, NULL);
        if (r < 0)
                return r;
        /* the target is text, stored as it is: it is resolved inside the container, never here */
        if (symlinkat(target, dir_fd, name) < 0)
                return fail(u, errno, "cannot make symlink: %s", strerror(errno));
        r = set_metadata(u, e, -EBADF, dir_fd, name);
        if (r < 0)
                return r;
        return set_times_at(u, e, dir_fd, name);
}

static int make_node(Unpacker *u, struct archive_entry *e, int dir_fd, const char *path, const char *name) {
        mode_t type = archive_entry_filetype(e);
        dev_t dev = type == AE_IFIFO ? 0 : makedev(archive_entry_rdevmajor(e), archive_entry_rdevminor(e));
        int r;

        r = make_room(u, dir_fd, path, name, false, NULL);
        if (r < 0)
                return r;
        if (mknodat(dir_fd, name, type | 0600, dev) < 0)
                return fail(u, errno, "cannot make node: %s", strerror(errno));
        r = set_metadata(u, e, -EBADF, dir_fd, name);
        if (r < 0)
                return r;
        return set_times_at(u, e, dir_fd, name);
}

static int make_hardlink(Unpacker *u, struct archive_entry *e, int dir_fd, const char *path, const char *name) {
        _cleanup_free_ char *target = NULL, *tdir = NULL;
        _cleanup_close_ int tfd = -EBADF;
        const char *tname;
        struct stat st;
        int r;

        r = entry_path(u, "hardlink target", archive_entry_hardlink(e), &target);
        if (r < 0)
                return r;
        if (isempty(target))
                return fail(u, EPERM, "hardlink to the layer's root directory: refused");
        if (streq(target, path))
                return fail(u, ENOENT, "hardlink to itself");

        tdir = path_dirname_dup(target);
        if (!tdir)
                return -ENOMEM;
        tname = path_basename(target);
        /* our own descriptor: the entry's directory (dir_fd) is the Unpacker's, and stays open */
        r = walk(u, u->root_fd, tdir, 0, /* create= */ false, &tfd);
        if (r < 0)
                return r;
        if (fstatat(tfd, tname, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno == ENOENT)
                        return fail(u, ENOENT, "hardlink to '%s', which is not in the layer (yet): refused",
                                    target);
                return fail_errno(u, errno, "cannot stat hardlink target", target);
        }
        if (S_ISDIR(st.st_mode))
                return fail(u, EPERM, "hardlink to directory '%s': refused", target);

        r = make_room(u, dir_fd, path, name, false, NULL);
        if (r < 0)
                return r;
        /* flags 0: a target that is a symlink is linked itself, never followed */
        if (linkat(tfd, tname, dir_fd, name, 0) < 0)
                return fail(u, errno, "cannot hardlink to '%s': %s", target, strerror(errno));
        return 0;
}

/* ".wh.NAME": NAME in the lower layers is deleted, unless this layer has NAME itself. */
static int make_whiteout(Unpacker *u, int dir_fd, const char *dir, const char *name) {
        _cleanup_free_ char *path = NULL;
        struct stat st;

        if (isempty(name) || streq(name, ".") || streq(name, ".."))
                return fail(u, EINVAL, "whiteout of '%s': refused", name);
        path = isempty(dir) ? strdup(name) : strprintf("%s/%s", dir, name);
        if (!path)
                return -ENOMEM;

        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) >= 0) {
                /* a directory this layer has and deletes too: only what this layer has in it stays */
                if (S_ISDIR(st.st_mode))
                        return set_opaque(u, dir_fd, name, path);
                return 0;
        }
        if (errno != ENOENT)
                return fail_errno(u, errno, "cannot stat", path);

        if (mknodat(dir_fd, name, S_IFCHR | 0000, makedev(0, 0)) < 0)
                return fail(u, errno, "cannot make whiteout '%s': %s", path, strerror(errno));
        /* a setgid parent would have handed its group down */
        if (fchownat(dir_fd, name, 0, 0, AT_SYMLINK_NOFOLLOW) < 0)
                return fail(u, errno, "cannot chown whiteout '%s': %s", path, strerror(errno));
        return 0;
}

static int unpack_entry(Unpacker *u, struct archive_entry *e) {
        _cleanup_free_ char *path = NULL, *dir = NULL;
        const char *name;
        mode_t type;
        int dir_fd, r;

        r = entry_path(u, "name", archive_entry_pathname(e), &path);
        if (r < 0)
                return r;
        type = archive_entry_filetype(e);

        if (isempty(path)) {
                if (type != AE_IFDIR || archive_entry_hardlink(e))
                        return fail(u, EINVAL, "the layer's root as something else than a directory");
                return make_directory(u, e, u->root_fd, "", NULL);
        }

        dir = path_dirname_dup(path);
        if (!dir)
                return -ENOMEM;
        name = path_basename(path);

        r = open_dir(u, dir, /* create= */ true, &dir_fd);
        if (r < 0)
                return r;

        if (streq(name, WHITEOUT_OPAQUE))
                return set_opaque(u, dir_fd, NULL, dir);
        if (startswith(name, WHITEOUT_META_PREFIX)) {
                log_debug("Layer entry '%s': AUFS metadata, skipped", u->entry);
                return 0;
        }
        if (startswith(name, WHITEOUT_PREFIX))
                return make_whiteout(u, dir_fd, dir, name + strlen(WHITEOUT_PREFIX));

        if (archive_entry_hardlink(e))
                return make_hardlink(u, e, dir_fd, path, name);

        switch (type) {
        case AE_IFDIR:
                return make_directory(u, e, dir_fd, path, name);
        case AE_IFREG:
                return make_file(u, e, dir_fd, path, name);
        case AE_IFLNK:
                return make_symlink(u, e, dir_fd, path, name);
        case AE_IFCHR:
        case AE_IFBLK:
        case AE_IFIFO:
                return make_node(u, e, dir_fd, path, name);
        default:
                return fail(u, EOPNOTSUPP, "unsupported type 0%o", (unsigned) type);
        }
}

/* Directories' times, now that nothing more is made in them, in the order the tar gave them (a directory
 * listed twice: the later wins). One replaced since by something else is skipped. */
static int apply_dir_times(Unpacker *u) {
        u->entry = NULL;
        for (size_t i = 0; i < u->n_dir_times; i++) {
                _cleanup_free_ char *dir = NULL;
                _cleanup_close_ int fd = -EBADF;
                const DirTime *t = &u->dir_times[i];
                int dir_fd;

                if (t->path[0] == '\0')
                        fd = openat(u->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                else {
                        dir = path_dirname_dup(t->path);
                        if (!dir)
                                return -ENOMEM;
                        if (open_dir(u, dir, false, &dir_fd) < 0) {
                                /* not an error of the layer's: gone by a later entry */
                                u->error = 0;
                                u->error_text = mfree(u->error_text);
                                continue;
                        }
                        fd = openat(dir_fd, path_basename(t->path), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                }
                if (fd < 0)
                        continue;
                if (futimens(fd, t->ts) < 0)
                        return fail(u, errno, "cannot set the times of '%s': %s", t->path, strerror(errno));
        }
        return 0;
}

static int unpack_entries(Unpacker *u) {
        uint64_t n = 0;

        for (;;) {
                struct archive_entry *e;
                int r;

                u->entry = NULL;
                r = archive_read_next_header(u->stream->tar, &e);
                if (r == ARCHIVE_EOF)
                        return 0;
                if (r < ARCHIVE_WARN) {
                        _cleanup_free_ char *t = NULL;

                        r = layer_stream_error(u->stream, &t);
                        return fail(u, -r, "%s", strna(t));
                }
                u->entry = archive_entry_pathname(e) ?: "";
                if (++n > u->limits.max_entries)
                        return fail(u, E2BIG, "more than %" PRIu64 " entries (the limit)", u->limits.max_entries);
                r = unpack_entry(u, e);
                if (r < 0)
                        return r;
        }
}

int layer_unpack(
                int input_fd,
                int dest_dir_fd,
                const LayerLimits *limits,
                const char *expected_diff_id,
                char ret_diff_id[DIGEST_STRING_MAX],
                char **ret_error) {

        _cleanup_(unpacker_done) Unpacker u = {
                .root_fd = dest_dir_fd,
                .limits = limits ? *limits : LAYER_LIMITS_DEFAULT,
                .parent_fd = -EBADF,
        };
        int r;

        r = layer_stream_open(input_fd, &u.limits, expected_diff_id, &u.stream, &u.error_text);
        if (r >= 0)
                r = unpack_entries(&u);
        if (r >= 0)
                r = apply_dir_times(&u);
        if (r >= 0) {
                u.entry = NULL;
                r = layer_stream_finish(u.stream, ret_diff_id, &u.error_text);
        }
        if (r < 0) {
                if (ret_error)
                        *ret_error = TAKE_PTR(u.error_text);
                return r;
        }
        return 0;
}
