/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A tiny test harness: TEST(name) { … } registers a case, ASSERT_*() fail it (and return from it, so
 * cleanup attributes still run). main() runs every case and prints one TAP-ish line per case and a final
 * "N passed, N failed" line. Include this once per test program. */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "macro.h"

typedef struct TestCase {
        const char *name;
        void (*func)(void);
} TestCase;

#define TEST_MAX 512
static TestCase test_cases[TEST_MAX];
static unsigned test_n_cases;
static bool test_current_failed;

/* The generated names (test_case_NAME, test_register_NAME) stay clear of helpers called test_NAME. */
#define TEST(n)                                                                 \
        static void test_case_##n(void);                                        \
        __attribute__((constructor)) static void test_register_##n(void) {      \
                if (test_n_cases < TEST_MAX)                                    \
                        test_cases[test_n_cases++] = (TestCase) { #n, test_case_##n }; \
        }                                                                       \
        static void test_case_##n(void)

#define TEST_FAIL(...)                                                          \
        do {                                                                    \
                fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                 \
                fprintf(stderr, __VA_ARGS__);                                   \
                fputc('\n', stderr);                                            \
                test_current_failed = true;                                     \
                return;                                                         \
        } while (0)

#define ASSERT_TRUE(e)                                                          \
        do {                                                                    \
                if (!(e))                                                       \
                        TEST_FAIL("Assertion failed: %s", #e);                  \
        } while (0)

#define ASSERT_FALSE(e) ASSERT_TRUE(!(e))

#define ASSERT_EQ(a, b)                                                         \
        do {                                                                    \
                long long _ta = (long long) (a), _tb = (long long) (b);          \
                if (_ta != _tb)                                                   \
                        TEST_FAIL("Assertion failed: %s == %s (%lld != %lld)", #a, #b, _ta, _tb); \
        } while (0)

#define ASSERT_EQ_U64(a, b)                                                     \
        do {                                                                    \
                uint64_t _ta = (uint64_t) (a), _tb = (uint64_t) (b);              \
                if (_ta != _tb)                                                   \
                        TEST_FAIL("Assertion failed: %s == %s (%" PRIu64 " != %" PRIu64 ")", #a, #b, _ta, _tb); \
        } while (0)

#define ASSERT_STREQ(a, b)                                                      \
        do {                                                                    \
                const char *_ta = (a), *_tb = (b);                                \
                if (!_ta || !_tb || strcmp(_ta, _tb) != 0)                          \
                        TEST_FAIL("Assertion failed: %s == %s ('%s' != '%s')", #a, #b, \
                                  _ta ?: "(null)", _tb ?: "(null)");              \
        } while (0)

#define ASSERT_NULL(a) ASSERT_TRUE((a) == NULL)
#define ASSERT_NOT_NULL(a) ASSERT_TRUE((a) != NULL)

/* r >= 0 */
#define ASSERT_OK(expr)                                                         \
        do {                                                                    \
                long long _tr = (long long) (expr);                              \
                if (_tr < 0)                                                     \
                        TEST_FAIL("Assertion failed: %s succeeds (got %lld, %s)", #expr, _tr, strerror((int) -_tr)); \
        } while (0)

/* r == -error */
#define ASSERT_ERROR(expr, error)                                               \
        do {                                                                    \
                long long _tr = (long long) (expr);                              \
                if (_tr != -(long long) (error))                                 \
                        TEST_FAIL("Assertion failed: %s fails with -%s (got %lld)", #expr, #error, _tr); \
        } while (0)

/* r < 0, any error */
#define ASSERT_FAIL(expr)                                                       \
        do {                                                                    \
                long long _tr = (long long) (expr);                              \
                if (_tr >= 0)                                                    \
                        TEST_FAIL("Assertion failed: %s fails (got %lld)", #expr, _tr); \
        } while (0)

/* Fixtures: a fresh temporary directory per test, removed afterwards. */

static int test_rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw) {
        (void) st;
        (void) ftw;
        return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static inline void test_rm_rf(const char *p) {
        if (p)
                (void) nftw(p, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static inline void test_tmpdir_cleanup(char **p) {
        if (*p) {
                test_rm_rf(*p);
                free(*p);
        }
}
#define _cleanup_tmpdir_ _cleanup_(test_tmpdir_cleanup)

static inline char *test_mkdtemp(void) {
        char *p = strdup("/tmp/ctr-test-XXXXXX");

        if (!p || !mkdtemp(p)) {
                free(p);
                return NULL;
        }
        return p;
}

/* Writes |contents| to DIR/RELPATH, creating parent directories. */
static inline int test_write(const char *dir, const char *relpath, const char *contents) {
        char path[4096];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, relpath);
        for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
                *s = '\0';
                (void) mkdir(path, 0755);
                *s = '/';
        }
        f = fopen(path, "we");
        if (!f)
                return -errno;
        fputs(contents, f);
        if (fclose(f) != 0)
                return -errno;
        return 0;
}

int main(void) {
        unsigned passed = 0, failed = 0;

        printf("1..%u\n", test_n_cases);
        for (unsigned i = 0; i < test_n_cases; i++) {
                test_current_failed = false;
                test_cases[i].func();
                if (test_current_failed) {
                        failed++;
                        printf("not ok %u - %s\n", i + 1, test_cases[i].name);
                } else {
                        passed++;
                        printf("ok %u - %s\n", i + 1, test_cases[i].name);
                }
                fflush(stdout);
        }
        printf("%u passed, %u failed\n", passed, failed);
        return failed > 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
