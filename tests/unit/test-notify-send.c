/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* notify-send.h against the protocol and against libsystemd's sd_notify() and sd_watchdog_enabled(), which it
 * stands in for in the monitor: the same return values and the same datagrams, case by case. */

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>

#include "fd-util.h"
#include "notify-send.h"
#include "test.h"

/* A datagram socket bound to PATH, or to the abstract NAME when PATH starts with "@". */
static int listen_at(const char *path) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        size_t n = strlen(path);
        int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

        if (fd < 0)
                return -errno;
        memcpy(sa.sun_path, path, n);
        if (path[0] == '@')
                sa.sun_path[0] = '\0';
        else
                (void) unlink(path);
        if (bind(fd, (struct sockaddr *) &sa, offsetof(struct sockaddr_un, sun_path) + n) < 0) {
                int r = -errno;
                close(fd);
                return r;
        }
        return fd;
}

/* the next datagram on FD, NUL-terminated, or "" if none is queued */
static const char *received(int fd) {
        static char buf[16384];
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

        buf[n < 0 ? 0 : n] = '\0';
        return buf;
}

static void check_delivery(const char *address) {
        _cleanup_close_ int fd = listen_at(address);

        ASSERT_TRUE(fd >= 0);
        ASSERT_OK(setenv("NOTIFY_SOCKET", address, 1));
        ASSERT_EQ(notify_send("READY=1\nSTATUS=Container web running."), 1);
        ASSERT_STREQ(received(fd), "READY=1\nSTATUS=Container web running.");
        ASSERT_EQ(sd_notify(false, "READY=1\nSTATUS=Container web running."), 1);
        ASSERT_STREQ(received(fd), "READY=1\nSTATUS=Container web running.");
        ASSERT_EQ(notify_sendf("STATUS=%s exited with status %i.", "web", 3), 1);
        ASSERT_STREQ(received(fd), "STATUS=web exited with status 3.");
        /* nothing more than what was sent */
        ASSERT_STREQ(received(fd), "");
        ASSERT_OK(unsetenv("NOTIFY_SOCKET"));
}

TEST(notify_path) {
        char path[64];

        snprintf(path, sizeof(path), "/tmp/ctr-test-notify.%i", (int) getpid());
        check_delivery(path);
        (void) unlink(path);
}

TEST(notify_abstract) {
        char name[64];

        snprintf(name, sizeof(name), "@ctr-test-notify.%i", (int) getpid());
        check_delivery(name);
}

/* longer than any fixed buffer a formatter might use: arrives whole */
TEST(notify_long_status) {
        _cleanup_free_ char *line = malloc(12001);
        char name[64];
        _cleanup_close_ int fd = -EBADF;

        ASSERT_NOT_NULL(line);
        memset(line, 'x', 12000);
        line[12000] = '\0';
        snprintf(name, sizeof(name), "@ctr-test-notify-long.%i", (int) getpid());
        fd = listen_at(name);
        ASSERT_TRUE(fd >= 0);
        ASSERT_OK(setenv("NOTIFY_SOCKET", name, 1));
        ASSERT_EQ(notify_sendf("STATUS=%s", line), 1);
        ASSERT_EQ(strlen(received(fd)), 12007);
        ASSERT_OK(unsetenv("NOTIFY_SOCKET"));
}

/* what sd_notify() returns, we return: unset, not an address, nobody listening, an empty state */
TEST(notify_errors_as_libsystemd) {
        static const char *const addresses[] = { NULL, "relative/path", "@", "/", "/nonexistent/ctr/notify" };

        for (size_t i = 0; i < ELEMENTSOF(addresses); i++) {
                if (addresses[i])
                        ASSERT_OK(setenv("NOTIFY_SOCKET", addresses[i], 1));
                else
                        ASSERT_OK(unsetenv("NOTIFY_SOCKET"));
                ASSERT_EQ(notify_send("READY=1"), sd_notify(false, "READY=1"));
        }
        ASSERT_OK(unsetenv("NOTIFY_SOCKET"));
        ASSERT_EQ(notify_send("READY=1"), 0);
        ASSERT_ERROR(notify_send(""), EINVAL);
        ASSERT_OK(setenv("NOTIFY_SOCKET", "/nonexistent/ctr/notify", 1));
        ASSERT_ERROR(notify_send("READY=1"), ENOENT);
        ASSERT_OK(unsetenv("NOTIFY_SOCKET"));
}

TEST(watchdog_as_libsystemd) {
        static const struct {
                const char *usec, *pid; /* "self": our PID */
                int expected;
                uint64_t interval;
        } cases[] = {
                { NULL, NULL, 0, 0 },
                { "5000000", NULL, 1, 5000000 },
                { "5000000", "self", 1, 5000000 },
                { "5000000", "1", 0, 0 },
                { "0", NULL, -EINVAL, 0 },
                { "five", NULL, -EINVAL, 0 },
                { "5000000", "x", -EINVAL, 0 },
        };
        char self[16];

        snprintf(self, sizeof(self), "%i", (int) getpid());
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint64_t ours = 0, theirs = 0;
                int r;

                if (cases[i].usec)
                        ASSERT_OK(setenv("WATCHDOG_USEC", cases[i].usec, 1));
                else
                        ASSERT_OK(unsetenv("WATCHDOG_USEC"));
                if (cases[i].pid)
                        ASSERT_OK(setenv("WATCHDOG_PID", streq(cases[i].pid, "self") ? self : cases[i].pid, 1));
                else
                        ASSERT_OK(unsetenv("WATCHDOG_PID"));
                r = notify_watchdog_usec(&ours);
                ASSERT_EQ(r, cases[i].expected);
                ASSERT_EQ(r, sd_watchdog_enabled(false, &theirs));
                if (r > 0) {
                        ASSERT_EQ_U64(ours, cases[i].interval);
                        ASSERT_EQ_U64(ours, theirs);
                }
        }
        ASSERT_OK(unsetenv("WATCHDOG_USEC"));
        ASSERT_OK(unsetenv("WATCHDOG_PID"));
}
