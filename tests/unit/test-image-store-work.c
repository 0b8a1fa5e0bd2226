/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* An importer's temporary directory against another importer's cleaning (image-store-work.c). Every import
 * begins by removing the directories in tmp/ whose lock is free, and a new directory's lock is free between
 * its mkdir and its flock(): three imports at once into an empty store once failed with "Cannot prepare
 * the store …: No such file or directory" (tests/image/run-import, under load). The window is forced here:
 * this program's mkdirat() and flock() take the store's calls (a definition in the executable wins over
 * libc's) and, for a directory made in tmp/, let another importer in at the worst moment:
 *
 *   - right after the mkdir, another import begins: its cleaning locks and removes the new directory;
 *   - right after the mkdir, a cleaner locks it and is still busy when ours tries to;
 *   - between our openat() and our flock(), a cleaner locks, removes and lets go of it, so that our flock()
 *     succeeds on a directory that is no longer in tmp/. */

#include <dirent.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/syscall.h>

#include "test.h"

#include "image-store.h"
#include "rm-rf.h"
#include "string-util.h"

enum spy_mode { SPY_NONE, SPY_IMPORT_CLEANS, SPY_CLEANER_HOLDS, SPY_REMOVED_BEFORE_LOCK };

static struct {
        enum spy_mode mode;
        unsigned times;         /* how many of the next work directories the other importer takes */
        unsigned made;          /* work directories made in tmp/ */
        bool inside;            /* the other importer is running: leave its calls alone */
        ImageStore *other;      /* its handle on the same store */
        int held[8];            /* SPY_CLEANER_HOLDS: the locked directories, and their names */
        char held_name[8][NAME_MAX + 1];
        unsigned n_held;
        int tmp_fd;             /* tmp/, for the cleaner that held them (-1: none yet) */
} spy;

/* Whether |fd| is the store's tmp/ (|child| false) or a directory directly in it (true). */
static bool fd_is_tmp(int fd, bool child) {
        char link[64], target[PATH_MAX];
        const char *p;
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        n = readlink(link, target, sizeof(target) - 1);
        if (n < 0)
                return false;
        target[n] = '\0';
        if (!child)
                return endswith(target, "/images/tmp") != NULL;
        p = strstr(target, "/images/tmp/");
        return p && !strchr(p + strlen("/images/tmp/"), '/');
}

/* Another import begins (and at once ends): its cleaning takes every directory in tmp/ whose lock is free. */
static void other_import(void) {
        ImageStoreWork *w = NULL;

        spy.inside = true;
        if (image_store_work_begin(spy.other, &w) >= 0)
                image_store_work_end(w);
        spy.inside = false;
}

int mkdirat(int dir_fd, const char *path, mode_t mode) {
        int r = (int) syscall(SYS_mkdirat, dir_fd, path, mode);

        if (r < 0 || spy.inside || !fd_is_tmp(dir_fd, false))
                return r;
        spy.made++;
        if (spy.times == 0)
                return r;
        if (spy.mode == SPY_IMPORT_CLEANS) {
                spy.times--;
                other_import();
        } else if (spy.mode == SPY_CLEANER_HOLDS && spy.n_held < ELEMENTSOF(spy.held)) {
                int fd = (int) syscall(SYS_openat, dir_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                spy.times--;
                if (fd >= 0 && syscall(SYS_flock, fd, LOCK_EX | LOCK_NB) == 0) {
                        snprintf(spy.held_name[spy.n_held], NAME_MAX + 1, "%s", path);
                        spy.held[spy.n_held++] = fd;
                        if (spy.tmp_fd < 0)
                                spy.tmp_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
                } else if (fd >= 0)
                        close(fd);
        }
        return r;
}

int flock(int fd, int operation) {
        if (spy.mode == SPY_REMOVED_BEFORE_LOCK && spy.times > 0 && !spy.inside &&
            operation == (LOCK_EX | LOCK_NB) && fd_is_tmp(fd, true)) {
                spy.times--;
                other_import();
        }
        return (int) syscall(SYS_flock, fd, operation);
}

/* The cleaner that held directories finishes: removes them and lets go. */
static void cleaner_finish(void) {
        for (unsigned i = 0; i < spy.n_held; i++) {
                (void) rm_rf_at(spy.tmp_fd, spy.held_name[i]);
                close(spy.held[i]);
        }
        spy.n_held = 0;
        if (spy.tmp_fd >= 0)
                close(spy.tmp_fd);
        spy.tmp_fd = -1;
}

/* The entries of the store's tmp/; -1 if it cannot be read. */
static int tmp_entries(ImageStore *s) {
        _cleanup_free_ char *path = strprintf("%s/tmp", image_store_path(s));
        int n = 0;
        DIR *d;

        d = path ? opendir(path) : NULL;
        if (!d)
                return -1;
        for (struct dirent *de; (de = readdir(d));)
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        n++;
        closedir(d);
        return n;
}

/* Begins a work with the other importer set to |mode| for |times| directories: it takes that many, so ours is
 * the |times|+1-th made. Checks that ours is whole: locked, in tmp/ (a subdirectory can be made in it), and
 * alone there once the others are done. */
static void check_begin(ImageStore *s, enum spy_mode mode, unsigned times) {
        _cleanup_image_store_work_ ImageStoreWork *w = NULL;

        spy.mode = mode;
        spy.times = times;
        spy.made = 0;
        ASSERT_OK(image_store_work_begin(s, &w));
        spy.mode = SPY_NONE;
        ASSERT_EQ(spy.made, times + 1);
        cleaner_finish();
        ASSERT_OK(mkdirat(image_store_work_fd(w), "member", 0700));
        ASSERT_EQ(tmp_entries(s), 1);

        /* a cleaning now leaves ours alone: it is locked */
        other_import();
        ASSERT_EQ(tmp_entries(s), 1);
        ASSERT_OK(mkdirat(image_store_work_fd(w), "member2", 0700));
        w = image_store_work_end(w);
        ASSERT_EQ(tmp_entries(s), 0);
}

static void open_two(const char *dir, ImageStore **a, ImageStore **b) {
        _cleanup_free_ char *state = strprintf("%s/state", dir);

        ASSERT_NOT_NULL(state);
        ASSERT_OK(image_store_open(state, true, a));
        ASSERT_OK(image_store_open(state, false, b));
        spy = (__typeof__(spy)) { .other = *b, .tmp_fd = -1 };
}

/* In a fresh store, the other importer takes our first directory, then |more| in a row. */
static void check_mode(enum spy_mode mode, unsigned more) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_image_store_free_ ImageStore *s = NULL, *other = NULL;

        ASSERT_NOT_NULL(dir);
        open_two(dir, &s, &other);
        check_begin(s, mode, 1);
        check_begin(s, mode, more);
}

TEST(work_dir_removed_by_another_import_after_mkdir) {
        check_mode(SPY_IMPORT_CLEANS, 5);
}

TEST(work_dir_locked_by_a_cleaner_after_mkdir) {
        check_mode(SPY_CLEANER_HOLDS, 3);
}

TEST(work_dir_removed_between_open_and_lock) {
        check_mode(SPY_REMOVED_BEFORE_LOCK, 4);
}

TEST(work_dir_lost_every_time_gives_up) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_image_store_free_ ImageStore *s = NULL, *other = NULL;
        ImageStoreWork *w = NULL;

        ASSERT_NOT_NULL(dir);
        open_two(dir, &s, &other);
        spy.mode = SPY_IMPORT_CLEANS;
        spy.times = UINT_MAX;
        ASSERT_ERROR(image_store_work_begin(s, &w), EAGAIN);
        ASSERT_NULL(w);
        ASSERT_TRUE(spy.made > 1);
        spy.mode = SPY_NONE;
        ASSERT_EQ(tmp_entries(s), 0);
        /* the store's lock was let go: a work begins again */
        check_begin(s, SPY_NONE, 0);
}
