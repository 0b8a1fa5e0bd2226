/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A tiny test harness: TEST(name) { … } registers a case, ASSERT_*() fail it and TEST_SKIP("why") skips it
 * (both return from it, so cleanup attributes still run). main() runs every case and prints one TAP line per
 * case ("ok N - name # SKIP why" for a skip) and a final "N passed, N failed, N skipped" line, which
 * tools/run-tests counts (a strict run fails on any skip). A program whose cases all skip exits 77, so meson
 * reports it as skipped. Include this once per test program.
 *
 * CTR_TEST_EXCLUDE="PROGRAM:CASE …" leaves the named cases out of the run (they are not reported at all):
 * tools/run-tests' valgrind stage names there the cases that cannot run under valgrind, and says why. */

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

/* Grown as cases register (from constructors, before main()): no limit to silently drop cases at. */
static TestCase *test_cases;
static unsigned test_n_cases, test_n_allocated;
static bool test_current_failed, test_current_skipped;
static char test_skip_reason[256];

static inline void test_register(const char *name, void (*func)(void)) {
        if (test_n_cases >= test_n_allocated) {
                unsigned n = test_n_allocated > 0 ? test_n_allocated * 2 : 64;
                TestCase *p = reallocarray(test_cases, n, sizeof(TestCase));

                if (!p) {
                        /* a case that cannot be registered would never run: never pass without it */
                        fprintf(stderr, "test: out of memory registering case %u (%s)\n", test_n_cases + 1, name);
                        abort();
                }
                test_cases = p;
                test_n_allocated = n;
        }
        test_cases[test_n_cases++] = (TestCase) { name, func };
}

/* The generated names (test_case_NAME, test_register_NAME) stay clear of helpers called test_NAME. */
#define TEST(n)                                                                 \
        static void test_case_##n(void);                                        \
        __attribute__((constructor)) static void test_register_##n(void) {      \
                test_register(#n, test_case_##n);                               \
        }                                                                       \
        static void test_case_##n(void)

/* This case cannot run here (not root, a missing tool): reported as a TAP skip with the reason, never as
 * a pass. Only for what the host lacks; a case that fails under a wrapper is excluded by the wrapper's
 * caller (CTR_TEST_EXCLUDE), not skipped. */
#define TEST_SKIP(...)                                                          \
        do {                                                                    \
                snprintf(test_skip_reason, sizeof(test_skip_reason), __VA_ARGS__); \
                test_current_skipped = true;                                    \
                return;                                                         \
        } while (0)

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

/* Whether CTR_TEST_EXCLUDE names PROGRAM:CASE for this program and |name|. */
static inline bool test_excluded(const char *name) {
        const char *list = getenv("CTR_TEST_EXCLUDE"), *prog = program_invocation_short_name;
        size_t lp = strlen(prog), ln = strlen(name);

        for (const char *p = list; p && *p;) {
                size_t l = strcspn(p, " ,\t\n");

                if (l == lp + 1 + ln && strncmp(p, prog, lp) == 0 && p[lp] == ':' && strncmp(p + lp + 1, name, ln) == 0)
                        return true;
                p += l;
                p += strspn(p, " ,\t\n");
        }
        return false;
}

int main(void) {
        unsigned passed = 0, failed = 0, skipped = 0, n = 0, excluded = 0;

        for (unsigned i = 0; i < test_n_cases; i++)
                if (test_excluded(test_cases[i].name)) {
                        test_cases[i].func = NULL;
                        excluded++;
                }
        printf("1..%u\n", test_n_cases - excluded);
        for (unsigned i = 0; i < test_n_cases; i++) {
                if (!test_cases[i].func) {
                        printf("# %s: excluded by CTR_TEST_EXCLUDE\n", test_cases[i].name);
                        continue;
                }
                n++;
                test_current_failed = test_current_skipped = false;
                test_cases[i].func();
                if (test_current_failed) {
                        failed++;
                        printf("not ok %u - %s\n", n, test_cases[i].name);
                } else if (test_current_skipped) {
                        skipped++;
                        printf("ok %u - %s # SKIP %s\n", n, test_cases[i].name, test_skip_reason);
                } else {
                        passed++;
                        printf("ok %u - %s\n", n, test_cases[i].name);
                }
                fflush(stdout);
        }
        printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
        free(test_cases);
        if (failed > 0)
                return EXIT_FAILURE;
        /* nothing ran: meson (and a strict run) must see a skip, not a pass */
        return passed > 0 ? EXIT_SUCCESS : 77;
}
