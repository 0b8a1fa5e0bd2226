/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "test.h"

static bool is_open(int fd) {
        return fcntl(fd, F_GETFD) >= 0;
}

/* in a child, which may close what the test harness (or valgrind) holds */
static int check(void) {
        int fds[8], keep[4];

        for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                if ((fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
                        return 1;
        if (dup2(fds[0], 200) < 0)
                return 2;
        /* unsorted, with a duplicate, a negative entry and stdio */
        keep[0] = fds[5];
        keep[1] = fds[2];
        keep[2] = -EBADF;
        keep[3] = fds[5];
        if (close_all_fds_except(keep, ELEMENTSOF(keep)) < 0)
                return 3;
        for (size_t i = 0; i < ELEMENTSOF(fds); i++)
                if (is_open(fds[i]) != (i == 2 || i == 5))
                        return 10 + (int) i;
        if (is_open(200) || !is_open(STDIN_FILENO) || !is_open(STDERR_FILENO))
                return 4;
        /* nothing kept: everything above stdio */
        if (close_all_fds_except(NULL, 0) < 0 || is_open(fds[2]) || is_open(fds[5]))
                return 5;
        return 0;
}

TEST(close_all_fds_except) {
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0)
                _exit(check());
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
}

/* stdio_fd_classify() on any descriptor number: 0 hand in, 1 relay, -EISDIR refuse */
TEST(stdio_fd_classify) {
        char dir[] = "/tmp/test-fd-util.XXXXXX", file[PATH_MAX];
        int fd, p[2], s[2], closed;

        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(file, sizeof(file), "%s/f", dir);

        ASSERT_TRUE(pipe2(p, O_CLOEXEC) == 0);
        ASSERT_EQ(stdio_fd_classify(p[0]), 0);
        ASSERT_EQ(stdio_fd_classify(p[1]), 0);
        ASSERT_TRUE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, s) == 0);
        ASSERT_EQ(stdio_fd_classify(s[0]), 0);
        ASSERT_TRUE((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0);
        ASSERT_EQ(stdio_fd_classify(fd), 0);
        close(fd);
        /* a closed descriptor hands nothing in */
        closed = p[1];
        close(p[1]);
        ASSERT_EQ(stdio_fd_classify(closed), 0);

        /* a file (to read or to write) and a device other than /dev/null are relayed */
        ASSERT_TRUE((fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) >= 0);
        ASSERT_EQ(stdio_fd_classify(fd), 1);
        close(fd);
        ASSERT_TRUE((fd = open("/dev/zero", O_RDONLY | O_CLOEXEC)) >= 0);
        ASSERT_EQ(stdio_fd_classify(fd), 1);
        close(fd);

        /* a directory, or any O_PATH handle, is refused */
        ASSERT_TRUE((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0);
        ASSERT_ERROR(stdio_fd_classify(fd), EISDIR);
        close(fd);
        ASSERT_TRUE((fd = open(file, O_PATH | O_CLOEXEC)) >= 0);
        ASSERT_ERROR(stdio_fd_classify(fd), EISDIR);
        close(fd);

        close(p[0]);
        close(s[0]);
        close(s[1]);
        ASSERT_EQ(unlink(file), 0);
        ASSERT_EQ(rmdir(dir), 0);
}
