/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "chdir-util.h"
#include "test.h"

/* Runs |check| in a child chrooted to a fixture root (with /proc bound in, as a container has it), given an
 * O_PATH fd of a host directory outside that root; the child's exit status is the result (0 = fine,
 * otherwise the line of the failed step). */
static int in_chroot(const char *root, int (*check)(int host_fd)) {
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return -errno;
        if (pid == 0) {
                char proc[4096];
                int host_fd = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);

                snprintf(proc, sizeof(proc), "%s/proc", root);
                if (host_fd < 0 || unshare(CLONE_NEWNS) < 0 ||
                    mount("", "/", "", MS_REC | MS_PRIVATE, NULL) < 0 ||
                    mount("/proc", proc, "", MS_BIND | MS_REC, NULL) < 0 || chroot(root) < 0 || chdir("/") < 0)
                        _exit(200);
                _exit(check(host_fd));
        }
        if (waitpid(pid, &status, 0) != pid)
                return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

#define CHECK(e) do { if (!(e)) return __LINE__ % 200; } while (0)

static int check_paths(int host_fd) {
        struct open_how how = { .flags = O_PATH | O_CLOEXEC };
        long fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
        bool have_openat2 = fd >= 0 || errno != ENOSYS;
        char buf[4096], p[64];
        int r;

        CHECK(chdir_in_root("/a/b") == 0);
        CHECK(getcwd(buf, sizeof(buf)) && streq(buf, "/a/b"));
        /* an absolute symlink and ".." beyond the top stay inside */
        CHECK(chdir_in_root("/abs") == 0);
        CHECK(getcwd(buf, sizeof(buf)) && streq(buf, "/a/b"));
        CHECK(chdir_in_root("/a/../../../../a") == 0);
        CHECK(getcwd(buf, sizeof(buf)) && streq(buf, "/a"));
        CHECK(chdir_in_root("/missing") == -ENOENT);
        CHECK(chdir_in_root("/a/file") == -ENOTDIR);
        CHECK(cwd_check_in_root() == 0);

        /* A descriptor of the host, named through /proc, is refused: never a working directory outside. With
         * openat2 as a magic link (-ELOOP); without (valgrind), by the check after chdir() (-EXDEV). */
        r = chdir_in_root("/proc/self/cwd");
        CHECK(r == -ELOOP || (!have_openat2 && r == 0));
        CHECK(cwd_check_in_root() == 0);
        snprintf(p, sizeof(p), "/proc/self/fd/%d", host_fd);
        r = chdir_in_root(p);
        CHECK(r == -ELOOP || (!have_openat2 && r == -EXDEV));

        /* and where one got there anyway (the chdir() fallback without openat2), the check says so */
        CHECK(fchdir(host_fd) == 0);
        CHECK(cwd_check_in_root() == -EXDEV);
        return 0;
}

TEST(chdir_in_root) {
        static char root[64];   /* not on the heap: the forked child would leak it */
        char *t = test_mkdtemp();
        char p[4096];
        int r;

        if (geteuid() != 0) {
                test_rm_rf(t);
                free(t);
                TEST_SKIP("needs root (chroot, a mount namespace)");
        }
        ASSERT_NOT_NULL(t);
        snprintf(root, sizeof(root), "%s", t);
        free(t);
        ASSERT_OK(test_write(root, "a/b/keep", ""));
        ASSERT_OK(test_write(root, "a/file", ""));
        snprintf(p, sizeof(p), "%s/proc", root);
        ASSERT_OK(mkdir(p, 0755));
        snprintf(p, sizeof(p), "%s/abs", root);
        ASSERT_OK(symlink("/a/b", p));

        r = in_chroot(root, check_paths);
        test_rm_rf(root);
        ASSERT_EQ(r, 0);
}
