/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* test.h itself: more cases than the old fixed table held (512) all run, and a skip is reported as a TAP
 * skip, counted apart, with exit status 77 when every case skipped. */

#include <sys/wait.h>

#include "string-util.h"
#include "test.h"

/* 600 cases, many_000 … many_599 */
#define MANY_CASES 600
static unsigned many_ran;
#define MANY1(n) TEST(many_##n) { many_ran++; }
#define MANY10(n) MANY1(n##0) MANY1(n##1) MANY1(n##2) MANY1(n##3) MANY1(n##4) \
                  MANY1(n##5) MANY1(n##6) MANY1(n##7) MANY1(n##8) MANY1(n##9)
#define MANY100(n) MANY10(n##0) MANY10(n##1) MANY10(n##2) MANY10(n##3) MANY10(n##4) \
                   MANY10(n##5) MANY10(n##6) MANY10(n##7) MANY10(n##8) MANY10(n##9)
MANY100(0) MANY100(1) MANY100(2) MANY100(3) MANY100(4) MANY100(5)

/* After main(): a case dropped at registration never ran, and no case of this program can say so. */
__attribute__((destructor)) static void many_check(void) {
        if (many_ran != MANY_CASES) {
                fprintf(stderr, "test-harness: %u of %u registered cases ran\n", many_ran, MANY_CASES);
                _exit(EXIT_FAILURE);
        }
}

/* Runs test-harness-skips with |env| ("NAME=VALUE" or NULL) into |out|; returns its exit status. */
static int run_skips(const char *env, char *out, size_t size) {
        const char *helper = getenv("CTR_TEST_HARNESS_SKIPS");
        int p[2], status;
        size_t n = 0;
        ssize_t k;
        pid_t pid;

        if (!helper || pipe2(p, O_CLOEXEC) < 0)
                return -1;
        fflush(stdout);
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                if (dup2(p[1], STDOUT_FILENO) < 0)
                        _exit(126);
                unsetenv("CTR_TEST_EXCLUDE");
                if (env)
                        putenv((char *) env);
                execl(helper, helper, (char *) NULL);
                _exit(127);
        }
        close(p[1]);
        while (n + 1 < size && (k = read(p[0], out + n, size - 1 - n)) > 0)
                n += (size_t) k;
        out[n] = '\0';
        close(p[0]);
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

TEST(skip_is_reported) {
        char out[4096];

        /* every case skipped: a TAP skip with the reason, counted apart, and meson's skip status */
        ASSERT_EQ(run_skips(NULL, out, sizeof(out)), 77);
        ASSERT_STREQ(out, "1..2\n"
                          "ok 1 - first # SKIP needs a unicorn\n"
                          "ok 2 - second # SKIP needs root\n"
                          "0 passed, 0 failed, 2 skipped\n");

        /* one passes: the program passes, the skip is still counted */
        ASSERT_EQ(run_skips("TEST_HARNESS_PASS=1", out, sizeof(out)), 0);
        ASSERT_TRUE(endswith(out, "ok 2 - second\n1 passed, 0 failed, 1 skipped\n"));
}

TEST(exclude) {
        char out[4096];

        /* an excluded case is neither run nor counted; another program's exclusions do not apply */
        ASSERT_EQ(run_skips("CTR_TEST_EXCLUDE=test-harness-skips:first,other:second test-harness-skips:third",
                            out, sizeof(out)), 77);
        ASSERT_STREQ(out, "1..1\n"
                          "# first: excluded by CTR_TEST_EXCLUDE\n"
                          "ok 1 - second # SKIP needs root\n"
                          "0 passed, 0 failed, 1 skipped\n");
}
