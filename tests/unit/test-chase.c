/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* chase.c, the one in-root resolver. Every check runs twice: through the kernel (openat2 RESOLVE_IN_ROOT)
 * and through the userspace walk forced with chase_force_walk(), which must give the same answers. */

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "chase.h"
#include "test.h"

/* The fixture: BASE/root is the root, BASE/outside a host directory next to it that links in the root name,
 * absolutely or through "..", and that must never be reached or written. */
static char *make_fixture(void) {
        char *base = test_mkdtemp();
        char p[PATH_MAX], text[PATH_MAX];
        static const struct {
                const char *name, *text;
        } links[] = {
                { "root/etc/abs", "/etc/passwd" },
                { "root/etc/rel", "../etc/passwd" },
                { "root/etc/up", "../../../../../etc/passwd" },
                { "root/d", "etc" },
                { "root/dangling", "/nonexistent/file" },
                { "root/dangling-dir", "/made/here" },
                { "root/outrel", "../outside/secret" },
                { "root/escrel", "../../outside/new-rel/file" },
                { "root/loop1", "loop2" },
                { "root/loop2", "loop1" },
                { "root/self", "self" },
                { "root/empty-target", "/etc/missing" },
        };

        if (!base)
                return NULL;
        if (test_write(base, "root/etc/passwd", "inside\n") < 0 ||
            test_write(base, "root/outside/secret", "decoy inside the root\n") < 0 ||
            test_write(base, "outside/secret", "host secret\n") < 0)
                return base;
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                snprintf(p, sizeof(p), "%s/%s", base, links[i].name);
                (void) symlink(links[i].text, p);
        }
        /* absolute host paths: outside the root they name the host's files, inside nothing (or a new one) */
        snprintf(p, sizeof(p), "%s/root/out", base);
        snprintf(text, sizeof(text), "%s/outside/secret", base);
        (void) symlink(text, p);
        snprintf(p, sizeof(p), "%s/root/escabs", base);
        snprintf(text, sizeof(text), "%s/outside/new-abs/file", base);
        (void) symlink(text, p);
        /* c0 -> c1 -> … -> c40 -> /etc/passwd: from c1 40 links (the most the kernel follows), c0 41 */
        for (unsigned i = 0; i <= 40; i++) {
                snprintf(p, sizeof(p), "%s/root/c%u", base, i);
                if (i < 40)
                        snprintf(text, sizeof(text), "c%u", i + 1);
                else
                        snprintf(text, sizeof(text), "/etc/passwd");
                (void) symlink(text, p);
        }
        return base;
}

static int open_root(const char *base) {
        char p[PATH_MAX];

        snprintf(p, sizeof(p), "%s/root", base);
        return open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* chase_open(O_RDONLY) of |path|: 0 and the file starts with |contents|, or the error */
static int read_in_root(int root_fd, const char *path, const char *contents) {
        char buf[256] = {};
        int fd, r;

        r = chase_open(root_fd, path, O_RDONLY, &fd);
        if (r < 0)
                return r;
        r = read(fd, buf, sizeof(buf) - 1) < 0 ? -errno : 0;
        close(fd);
        if (r < 0)
                return r;
        if (!strneq(buf, contents, strlen(contents))) {
                fprintf(stderr, "  %s: read '%s'\n", path, buf);
                return -EBADMSG;
        }
        return 0;
}

static bool host_exists(const char *base, const char *rel) {
        char p[PATH_MAX * 2];

        snprintf(p, sizeof(p), "%s/%s", base, rel);
        return access(p, F_OK) == 0;
}

static void check_resolve(void) {
        _cleanup_tmpdir_ char *base = make_fixture();
        _cleanup_close_ int root = -EBADF;

        ASSERT_NOT_NULL(base);
        root = open_root(base);
        ASSERT_OK(root);

        ASSERT_OK(read_in_root(root, "/etc/passwd", "inside"));
        ASSERT_OK(read_in_root(root, "etc//./passwd", "inside"));
        /* ".." stops at the root */
        ASSERT_OK(read_in_root(root, "/../../../etc/passwd", "inside"));
        ASSERT_OK(read_in_root(root, "/etc/../../etc/passwd", "inside"));
        /* absolute and relative links, a link ".." beyond the top, a directory link then ".." */
        ASSERT_OK(read_in_root(root, "/etc/abs", "inside"));
        ASSERT_OK(read_in_root(root, "/etc/rel", "inside"));
        ASSERT_OK(read_in_root(root, "/etc/up", "inside"));
        ASSERT_OK(read_in_root(root, "/d/passwd", "inside"));
        ASSERT_OK(read_in_root(root, "/d/../etc/passwd", "inside"));
        /* links that lead out of the root, by an absolute host path or by "..": inside, never the host's */
        ASSERT_ERROR(read_in_root(root, "/out", ""), ENOENT);
        ASSERT_OK(read_in_root(root, "/outrel", "decoy inside the root"));
        /* dangling, loops, not a directory, missing */
        ASSERT_ERROR(read_in_root(root, "/dangling", ""), ENOENT);
        ASSERT_ERROR(read_in_root(root, "/empty-target", ""), ENOENT);
        ASSERT_ERROR(read_in_root(root, "/loop1", ""), ELOOP);
        ASSERT_ERROR(read_in_root(root, "/self", ""), ELOOP);
        ASSERT_ERROR(read_in_root(root, "/etc/passwd/x", ""), ENOTDIR);
        ASSERT_ERROR(read_in_root(root, "/etc/missing", ""), ENOENT);
        ASSERT_ERROR(read_in_root(root, "", ""), ENOENT);
}

static void check_limits(void) {
        _cleanup_tmpdir_ char *base = make_fixture();
        _cleanup_close_ int root = -EBADF;
        _cleanup_free_ char *long_path = NULL;
        char name[NAME_MAX + 2];

        ASSERT_NOT_NULL(base);
        root = open_root(base);
        ASSERT_OK(root);

        /* at most 40 symlinks, as the kernel */
        ASSERT_OK(read_in_root(root, "/c1", "inside"));
        ASSERT_ERROR(read_in_root(root, "/c0", ""), ELOOP);
        /* a name longer than NAME_MAX, a path of PATH_MAX */
        memset(name, 'n', sizeof(name) - 1);
        name[sizeof(name) - 1] = '\0';
        ASSERT_ERROR(read_in_root(root, name, ""), ENAMETOOLONG);
        long_path = malloc(PATH_MAX + 1);
        ASSERT_NOT_NULL(long_path);
        for (size_t i = 0; i < PATH_MAX; i += 2)
                memcpy(long_path + i, "./", 2);
        long_path[PATH_MAX] = '\0';
        ASSERT_ERROR(read_in_root(root, long_path, ""), ENAMETOOLONG);
}

static void check_flags(void) {
        _cleanup_tmpdir_ char *base = make_fixture();
        _cleanup_close_ int root = -EBADF;
        struct stat st, st_root;
        int fd;

        ASSERT_NOT_NULL(base);
        root = open_root(base);
        ASSERT_OK(root);
        ASSERT_OK(fstat(root, &st_root));

        /* "/" and ".." of it are the root itself */
        ASSERT_EQ(chase(root, "/..", 0, 0, &fd, NULL), 1);
        ASSERT_OK(fstat(fd, &st));
        close(fd);
        ASSERT_TRUE(st.st_ino == st_root.st_ino && st.st_dev == st_root.st_dev);

        /* CHASE_NOFOLLOW / O_NOFOLLOW: the last link itself */
        ASSERT_EQ(chase(root, "/etc/abs", CHASE_NOFOLLOW, 0, &fd, NULL), 1);
        ASSERT_OK(fstat(fd, &st));
        close(fd);
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_OK(chase_open(root, "/d/abs", O_PATH | O_NOFOLLOW, &fd));
        ASSERT_OK(fstat(fd, &st));
        close(fd);
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_ERROR(chase_open(root, "/etc/abs", O_RDONLY | O_NOFOLLOW, &fd), ELOOP);

        /* directories open, O_DIRECTORY refuses a file, creating is not chase_open's */
        ASSERT_OK(chase_open(root, "/d", O_RDONLY | O_DIRECTORY, &fd));
        ASSERT_OK(fstat(fd, &st));
        close(fd);
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_ERROR(chase_open(root, "/etc/passwd", O_PATH | O_DIRECTORY, &fd), ENOTDIR);
        ASSERT_ERROR(chase_open(root, "/new", O_WRONLY | O_CREAT, &fd), EINVAL);
}

static void check_parent(void) {
        _cleanup_tmpdir_ char *base = make_fixture();
        _cleanup_close_ int root = -EBADF;
        char *name = NULL;
        int fd;

        ASSERT_NOT_NULL(base);
        root = open_root(base);
        ASSERT_OK(root);

        /* an existing file: its directory and name */
        ASSERT_EQ(chase(root, "/d/rel", CHASE_PARENT, 0, &fd, &name), 1);
        ASSERT_STREQ(name, "passwd");
        name = mfree(name);
        ASSERT_OK(faccessat(fd, "passwd", F_OK, 0));
        close(fd);

        /* a dangling link: where its target would be; with CHASE_MKDIR its directories are made, inside */
        ASSERT_ERROR(chase(root, "/dangling", CHASE_PARENT, 0, &fd, &name), ENOENT);
        ASSERT_EQ(chase(root, "/dangling", CHASE_PARENT | CHASE_MKDIR, 0755, &fd, &name), 0);
        ASSERT_STREQ(name, "file");
        name = mfree(name);
        close(fd);
        ASSERT_TRUE(host_exists(base, "root/nonexistent"));

        /* links out of the root, absolute or by "..": what is made is made inside, nothing outside */
        ASSERT_EQ(chase(root, "/escabs", CHASE_PARENT | CHASE_MKDIR, 0755, &fd, &name), 0);
        ASSERT_STREQ(name, "file");
        name = mfree(name);
        close(fd);
        ASSERT_FALSE(host_exists(base, "outside/new-abs"));
        {
                char p[PATH_MAX];
                snprintf(p, sizeof(p), "root%s/outside/new-abs", base);
                ASSERT_TRUE(host_exists(base, p));
        }
        ASSERT_EQ(chase(root, "/escrel", CHASE_PARENT | CHASE_MKDIR, 0755, &fd, &name), 0);
        name = mfree(name);
        close(fd);
        ASSERT_FALSE(host_exists(base, "outside/new-rel"));
        ASSERT_TRUE(host_exists(base, "root/outside/new-rel"));

        /* CHASE_NOFOLLOW: the link's own name */
        ASSERT_EQ(chase(root, "/etc/abs", CHASE_PARENT | CHASE_NOFOLLOW, 0, &fd, &name), 1);
        ASSERT_STREQ(name, "abs");
        name = mfree(name);
        close(fd);

        /* no name of its own */
        ASSERT_ERROR(chase(root, "/", CHASE_PARENT, 0, &fd, &name), EISDIR);
        ASSERT_ERROR(chase(root, "/etc/..", CHASE_PARENT, 0, &fd, &name), EISDIR);
        ASSERT_ERROR(chase(root, "/loop1", CHASE_PARENT, 0, &fd, &name), ELOOP);
}

static void check_mkdir(void) {
        _cleanup_tmpdir_ char *base = make_fixture();
        _cleanup_close_ int root = -EBADF;
        struct stat st;
        int fd;

        ASSERT_NOT_NULL(base);
        root = open_root(base);
        ASSERT_OK(root);

        ASSERT_OK(mkdir_in_root(root, "/a/b/c", 0755, &fd));
        ASSERT_OK(fstat(fd, &st));
        close(fd);
        ASSERT_TRUE(S_ISDIR(st.st_mode) && host_exists(base, "root/a/b/c"));
        ASSERT_OK(mkdir_in_root(root, "/a/b/c", 0755, NULL));
        ASSERT_OK(mkdir_in_root(root, "/", 0755, NULL));
        ASSERT_ERROR(mkdir_in_root(root, "/etc/passwd", 0755, NULL), ENOTDIR);
        ASSERT_ERROR(mkdir_in_root(root, "/etc/passwd/x", 0755, NULL), ENOTDIR);
        ASSERT_ERROR(mkdir_in_root(root, "/loop1/x", 0755, NULL), ELOOP);
        /* through a dangling link to a directory: its target is made, inside the root */
        ASSERT_OK(mkdir_in_root(root, "/dangling-dir/sub", 0700, NULL));
        ASSERT_TRUE(host_exists(base, "root/made/here/sub"));
        ASSERT_FALSE(access("/made/here", F_OK) == 0);
        /* "..": never above the root */
        ASSERT_OK(mkdir_in_root(root, "/../../x/../y", 0755, NULL));
        ASSERT_TRUE(host_exists(base, "root/y") && !host_exists(base, "root/x/y"));
        ASSERT_FALSE(host_exists(base, "y"));
}

/* Magic links: with the process's real root as the root, /proc/self/fd/N and /proc/self/root are refused
 * (RESOLVE_NO_MAGICLINKS), while the plain links of procfs (self, mounts) are followed. */
static void check_magic(void) {
        _cleanup_close_ int root = -EBADF, host = -EBADF;
        char p[64];
        int fd;

        if (access("/proc/self/status", F_OK) < 0)
                return;
        root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        host = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
        ASSERT_OK(root);
        ASSERT_OK(host);

        snprintf(p, sizeof(p), "/proc/self/fd/%d", host);
        ASSERT_ERROR(chase_open(root, p, O_PATH, &fd), ELOOP);
        ASSERT_ERROR(chase_open(root, "/proc/self/root/etc", O_PATH, &fd), ELOOP);
        ASSERT_ERROR(chase_open(root, "/proc/self/cwd", O_PATH | O_DIRECTORY, &fd), ELOOP);
        ASSERT_ERROR(chase(root, "/proc/self/exe", 0, 0, &fd, NULL), ELOOP);
        /* the magic link itself, not followed, is fine */
        ASSERT_OK(chase_open(root, "/proc/self/exe", O_PATH | O_NOFOLLOW, &fd));
        close(fd);
        ASSERT_OK(chase_open(root, "/proc/self/status", O_RDONLY, &fd));
        close(fd);
        ASSERT_OK(chase_open(root, "/proc/mounts", O_RDONLY, &fd));
        close(fd);
}

#define BOTH_WAYS(name)                         \
        TEST(name##_kernel) {                   \
                check_##name();                 \
        }                                       \
        TEST(name##_walk) {                     \
                chase_force_walk(true);         \
                check_##name();                 \
                chase_force_walk(false);        \
        }

BOTH_WAYS(resolve)
BOTH_WAYS(limits)
BOTH_WAYS(flags)
BOTH_WAYS(parent)
BOTH_WAYS(mkdir)
BOTH_WAYS(magic)
