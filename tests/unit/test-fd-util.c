/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/wait.h>

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
