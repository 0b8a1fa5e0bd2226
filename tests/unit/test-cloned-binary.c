/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "cloned-binary.h"
#include "fileio.h"
#include "string-util.h"
#include "test.h"

#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#define REEXEC_ENV "TEST_CLONED_BINARY_REEXEC"

/* The re-executed copy (see reexec below) lands here, before main(): it reports whether it runs from a
 * sealed copy, whether a second call returns at once, and what arguments it got. */
__attribute__((constructor)) static void reexeced(int argc, char *argv[]) {
        const char *fd = getenv(REEXEC_ENV);
        int out, running, again;

        if (!fd)
                return;
        out = atoi(fd);
        running = cloned_binary_is_running();
        again = cloned_binary_reexec("test-again");
        dprintf(out, "running=%d again=%d argc=%d last=%s\n", running, again, argc, argv[argc - 1]);
        _exit(0);
}

TEST(create) {
        _cleanup_free_ char *self = NULL, *copy = NULL;
        _cleanup_close_ int fd = -EBADF, plain = -EBADF;
        size_t self_size, copy_size;
        struct stat st;

        ASSERT_OK(cloned_binary_create("test", &fd));
        ASSERT_EQ(cloned_binary_fd_is_sealed(fd), 1);
        ASSERT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);

        ASSERT_OK(read_full_file_at(AT_FDCWD, "/proc/self/exe", 64U << 20, &self, &self_size));
        ASSERT_OK(fstat(fd, &st));
        ASSERT_EQ(st.st_size, (off_t) self_size);
        ASSERT_EQ(lseek(fd, 0, SEEK_SET), 0);
        ASSERT_OK(read_full_fd(fd, NULL, 64U << 20, &copy, &copy_size));
        ASSERT_EQ(copy_size, self_size);
        ASSERT_TRUE(memcmp(self, copy, self_size) == 0);

        /* no way to change it: not through this fd, not through a new one, not its size, not its seals */
        ASSERT_TRUE(pwrite(fd, "x", 1, 0) < 0 && errno == EPERM);
        ASSERT_TRUE(ftruncate(fd, 0) < 0 && errno == EPERM);
        ASSERT_TRUE(ftruncate(fd, st.st_size + 1) < 0 && errno == EPERM);
        ASSERT_TRUE(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE) < 0 && errno == EPERM);
        {
                char p[64];
                snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
                _cleanup_close_ int w = open(p, O_WRONLY | O_CLOEXEC);
                ASSERT_TRUE(w < 0 || (write(w, "x", 1) < 0 && errno == EPERM));
        }

        /* a file on a disk, and a memfd without every seal, are not copies */
        plain = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        ASSERT_TRUE(plain >= 0);
        ASSERT_EQ(cloned_binary_fd_is_sealed(plain), 0);
        ASSERT_EQ(cloned_binary_is_running(), 0);
        {
                _cleanup_close_ int m = memfd_create("half", MFD_CLOEXEC | MFD_ALLOW_SEALING);
                ASSERT_TRUE(m >= 0);
                ASSERT_OK(fcntl(m, F_ADD_SEALS, F_SEAL_WRITE));
                ASSERT_EQ(cloned_binary_fd_is_sealed(m), 0);
        }
}

TEST(reexec) {
        char buf[512] = {}, fdstr[16];
        int p[2], status;
        ssize_t n;
        pid_t pid;

        /* it cannot run a program from a memfd: ctrctl does not re-execute under it either (tools/run-tests
         * excludes this case from its valgrind stage) */
        if (RUNNING_ON_VALGRIND)
                TEST_SKIP("valgrind cannot execute a memfd");
        ASSERT_OK(pipe2(p, 0));
        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                close(p[0]);
                snprintf(fdstr, sizeof(fdstr), "%d", p[1]);
                setenv(REEXEC_ENV, fdstr, 1);
                dprintf(p[1], "failed=%d\n", cloned_binary_reexec("test"));
                _exit(1);
        }
        close(p[1]);
        n = read(p[0], buf, sizeof(buf) - 1);
        close(p[0]);
        ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
        ASSERT_TRUE(n > 0);
        /* the arguments are ours (none but the program), the environment carried the pipe's number */
        if (!startswith(buf, "running=1 again=0 argc=1 last=") || !strstr(buf, "test-cloned-binary"))
                TEST_FAIL("re-executed copy said: %s", buf);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
