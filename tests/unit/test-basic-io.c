/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The one growable buffer, mkdir_p, loop_write and sigset_make (src/basic). */

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buffer.h"
#include "fd-util.h"
#include "mkdir-util.h"
#include "signal-util.h"
#include "test.h"

TEST(buffer_grows_and_stays_terminated) {
        _cleanup_buffer_ Buffer b = {};
        _cleanup_free_ char *s = NULL;

        ASSERT_OK(buffer_puts(&b, "Key"));
        ASSERT_OK(buffer_putc(&b, '='));
        for (unsigned i = 0; i < 1000; i++)
                ASSERT_OK(buffer_append(&b, "0123456789", 10));
        ASSERT_EQ(b.size, 4 + 10000);
        ASSERT_EQ(b.data[b.size], '\0');
        ASSERT_TRUE(strneq(b.data, "Key=0123", 8));
        buffer_reset(&b);
        ASSERT_EQ(b.size, 0);
        ASSERT_STREQ(b.data, "");
        ASSERT_OK(buffer_append(&b, "x\0y", 3));   /* bytes, not strings */
        ASSERT_EQ(b.size, 3);
        s = buffer_steal(&b);
        ASSERT_TRUE(memcmp(s, "x\0y", 4) == 0);
        ASSERT_NULL(b.data);
        ASSERT_EQ(b.size, 0);
}

TEST(buffer_steal_empty_is_a_string) {
        Buffer b = {};
        _cleanup_free_ char *s = buffer_steal(&b);

        ASSERT_STREQ(s, "");
}

TEST(buffer_bounded) {
        _cleanup_buffer_ Buffer b = { .max = 4 };

        ASSERT_OK(buffer_puts(&b, "abcd"));
        ASSERT_ERROR(buffer_putc(&b, 'e'), EFBIG);
        ASSERT_STREQ(b.data, "abcd");
}

TEST(buffer_reserve_allocates_once) {
        _cleanup_buffer_ Buffer b = {};
        const char *d;

        ASSERT_OK(buffer_reserve(&b, 1000));
        ASSERT_TRUE(b.allocated >= 1001);
        ASSERT_STREQ(b.data, "");
        d = b.data;
        for (unsigned i = 0; i < 100; i++)
                ASSERT_OK(buffer_append(&b, "0123456789", 10));
        ASSERT_TRUE(b.data == d);       /* no reallocation on the way */
        ASSERT_EQ(b.size, 1000);
        ASSERT_OK(buffer_reserve(&b, 0));
        ASSERT_TRUE(b.data == d);
}

/* As printf formats them: the stamp of every file the loader reads is written with these, and must not change. */
TEST(buffer_put_numbers_as_printf) {
        static const uint64_t u[] = { 0, 1, 9, 10, 99, 100, 123456789, 999999999, 1000000000, UINT32_MAX,
                                      (uint64_t) INT64_MAX, UINT64_MAX - 1, UINT64_MAX };
        static const int64_t s[] = { 0, 1, -1, 9, -10, 1700000000, -1700000000, INT64_MAX, INT64_MIN + 1,
                                     INT64_MIN };

        for (size_t i = 0; i < ELEMENTSOF(u); i++)
                for (unsigned width = 0; width <= 21; width += 3) {
                        _cleanup_buffer_ Buffer b = {};
                        char want[64];

                        snprintf(want, sizeof(want), "%0*" PRIu64, (int) width, u[i]);
                        ASSERT_OK(buffer_put_u64(&b, u[i], width));
                        ASSERT_STREQ(b.data, want);
                }
        for (size_t i = 0; i < ELEMENTSOF(s); i++) {
                _cleanup_buffer_ Buffer b = {};
                char want[64];

                snprintf(want, sizeof(want), "x%" PRId64, s[i]);
                ASSERT_OK(buffer_putc(&b, 'x'));
                ASSERT_OK(buffer_put_i64(&b, s[i]));
                ASSERT_STREQ(b.data, want);
        }

        /* a bounded buffer says so, whether the padding or the digits overflow it */
        _cleanup_buffer_ Buffer small = { .max = 4 };
        ASSERT_ERROR(buffer_put_u64(&small, 12345, 0), EFBIG);
        ASSERT_ERROR(buffer_put_u64(&small, 1, 9), EFBIG);
        ASSERT_ERROR(buffer_put_i64(&small, -12345), EFBIG);
}

TEST(mkdir_p_modes) {
        _cleanup_tmpdir_ char *d = test_mkdtemp();
        char p[4096], q[4096];
        struct stat st;
        mode_t old = umask(077);

        ASSERT_NOT_NULL(d);
        snprintf(p, sizeof(p), "%s/a//b/c/", d);
        ASSERT_EQ(mkdir_p(p, 0711, 01777), 1);
        umask(old);
        snprintf(q, sizeof(q), "%s/a", d);
        ASSERT_OK(stat(q, &st));
        ASSERT_EQ(st.st_mode & 07777, 0711);
        snprintf(q, sizeof(q), "%s/a/b/c", d);
        ASSERT_OK(stat(q, &st));
        ASSERT_EQ(st.st_mode & 07777, 01777);
        /* exists: 0, and its mode is left alone */
        ASSERT_EQ(mkdir_p(q, 0700, 0700), 0);
        ASSERT_OK(stat(q, &st));
        ASSERT_EQ(st.st_mode & 07777, 01777);
        /* a file on the way, or as the last component */
        snprintf(q, sizeof(q), "%s/f", d);
        ASSERT_OK(test_write(d, "f", "x"));
        ASSERT_ERROR(mkdir_p(q, 0755, 0755), ENOTDIR);
        snprintf(q, sizeof(q), "%s/f/g", d);
        ASSERT_ERROR(mkdir_p(q, 0755, 0755), ENOTDIR);
}

TEST(loop_write_across_short_writes) {
        static char big[1 << 20];
        int pfd[2];
        pid_t pid;
        int status;

        for (size_t i = 0; i < sizeof(big); i++)
                big[i] = (char) (i * 7);
        ASSERT_OK(pipe2(pfd, O_CLOEXEC));
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                /* the reader takes small bites, so the writer sees many short writes */
                static char got[1 << 20];
                size_t n = 0;

                close(pfd[1]);
                for (;;) {
                        ssize_t k = read(pfd[0], got + n, MIN(sizeof(got) - n, (size_t) 1000));
                        if (k <= 0)
                                break;
                        n += (size_t) k;
                }
                _exit(n == sizeof(big) && memcmp(got, big, n) == 0 ? 0 : 1);
        }
        close(pfd[0]);
        ASSERT_OK(loop_write(pfd[1], big, sizeof(big)));
        close(pfd[1]);
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(loop_write_error) {
        int pfd[2];
        struct sigaction sa = { .sa_handler = SIG_IGN }, old;

        ASSERT_OK(pipe2(pfd, O_CLOEXEC));
        close(pfd[0]);
        ASSERT_OK(sigaction(SIGPIPE, &sa, &old));
        ASSERT_ERROR(loop_write(pfd[1], "x", 1), EPIPE);
        (void) sigaction(SIGPIPE, &old, NULL);
        close(pfd[1]);
        ASSERT_ERROR(loop_write(-1, "x", 1), EBADF);
}

TEST(sigset_make_exactly_those) {
        sigset_t s;

        ASSERT_OK(sigset_make(&s, SIGCHLD, SIGTERM, -1));
        ASSERT_TRUE(sigismember(&s, SIGCHLD) == 1);
        ASSERT_TRUE(sigismember(&s, SIGTERM) == 1);
        ASSERT_TRUE(sigismember(&s, SIGINT) == 0);
        ASSERT_OK(sigset_make(&s, -1));
        ASSERT_TRUE(sigismember(&s, SIGCHLD) == 0);
        ASSERT_ERROR(sigset_make(&s, SIGINT, 100000, -1), EINVAL);
        ASSERT_TRUE(sigismember(&s, SIGINT) == 1);
}
