/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* journal-stream.h against the protocol and against libsystemd's sd_journal_stream_fd(), which it stands in for
 * in the monitor: the same header, byte for byte, then the lines as written. */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <unistd.h>

#include "journal-stream.h"
#include "test.h"

static int listen_at(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

        if (fd < 0)
                return -errno;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        (void) unlink(path);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || listen(fd, 4) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

/* what the peer of the one connection on LISTENER sent until it closed, NUL-terminated */
static const char *received(int listener) {
        static char buf[4096];
        size_t n = 0;
        ssize_t k;
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

        if (fd < 0)
                return "";
        while (n < sizeof(buf) - 1 && (k = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
                n += (size_t) k;
        close(fd);
        buf[n] = '\0';
        return buf;
}

TEST(header_then_lines) {
        char path[64];
        int l, fd;

        snprintf(path, sizeof(path), "/tmp/ctr-test-journal-%d", (int) getpid());
        l = listen_at(path);
        ASSERT_TRUE(l >= 0);
        fd = journal_stream_open_at(path, "web", LOG_INFO);
        ASSERT_TRUE(fd >= 0);
        ASSERT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
        ASSERT_EQ(write(fd, "hello\n", 6), 6);
        close(fd);
        ASSERT_STREQ(received(l), "web\n\n6\n0\n0\n0\n0\nhello\n");

        fd = journal_stream_open_at(path, NULL, LOG_ERR);
        ASSERT_TRUE(fd >= 0);
        close(fd);
        ASSERT_STREQ(received(l), "\n\n3\n0\n0\n0\n0\n");
        close(l);
        unlink(path);
}

TEST(refused) {
        ASSERT_ERROR(journal_stream_open_at("/tmp/ctr-test-journal-none/stdout", "web", LOG_INFO), ENOENT);
        ASSERT_ERROR(journal_stream_open_at("/tmp/x", "two\nlines", LOG_INFO), EINVAL);
        ASSERT_ERROR(journal_stream_open_at("/tmp/x", "web", 8), EINVAL);
        ASSERT_ERROR(journal_stream_open_at("/tmp/x", "web", -1), EINVAL);
        ASSERT_ERROR(journal_stream_open_at(NULL, "web", LOG_INFO), EINVAL);
}

/* libsystemd's own client against ours, both to journald's path (/run/systemd/journal/stdout), which a child makes in
 * a mount namespace of its own (a tmpfs on /run): the same header for each identifier and priority */
static int compare_in_namespace(void) {
        const struct { const char *identifier; int priority; } cases[] = {
                { "web", LOG_INFO }, { "db-1", LOG_ERR }, { "", LOG_DEBUG }, { "x", LOG_EMERG },
        };
        char ours[4096];
        int l, fd;

        if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") < 0 || mkdir("/run/systemd", 0755) < 0 ||
            mkdir("/run/systemd/journal", 0755) < 0)
                return 2;
        l = listen_at("/run/systemd/journal/stdout");
        if (l < 0)
                return 2;
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                fd = journal_stream_open(cases[i].identifier, cases[i].priority);
                if (fd < 0)
                        return 1;
                close(fd);
                snprintf(ours, sizeof(ours), "%s", received(l));
                fd = sd_journal_stream_fd(cases[i].identifier, cases[i].priority, false);
                if (fd < 0)
                        return 1;
                close(fd);
                if (strcmp(ours, received(l)) != 0) {
                        fprintf(stderr, "case %zu: ours '%s', libsystemd's differs\n", i, ours);
                        return 1;
                }
        }
        return 0;
}

TEST(same_bytes_as_libsystemd) {
        int status;
        pid_t pid;

        if (geteuid() != 0)
                TEST_SKIP("needs root for a mount namespace with its own /run");
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0)
                _exit(compare_in_namespace());
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        if (WEXITSTATUS(status) == 2)
                TEST_SKIP("no mount namespace with a tmpfs on /run here");
        ASSERT_EQ(WEXITSTATUS(status), 0);
}
