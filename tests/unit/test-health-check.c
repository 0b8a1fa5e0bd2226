/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What of a health check needs no container: the status line's share of its output, and the health fields
 * of the runtime state with the health-output file beside it (written, read back, removed). The check itself
 * runs in tests/launch/run-health. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "health-check.h"
#include "macro.h"
#include "runtime-state.h"
#include "string-util.h"
#include "test.h"

TEST(first_line) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        ASSERT_NOT_NULL(a = health_output_first_line("connection refused\nsecond\n", 200));
        ASSERT_STREQ(a, "connection refused");
        ASSERT_NOT_NULL(b = health_output_first_line("", 200));
        ASSERT_STREQ(b, "");
        /* control characters of the container's output never reach a status line or a terminal */
        ASSERT_NOT_NULL(c = health_output_first_line("a\033[2Jb\tc\r", 200));
        ASSERT_STREQ(c, "a [2Jb c ");
        ASSERT_NOT_NULL(d = health_output_first_line("0123456789", 4));
        ASSERT_STREQ(d, "0123");
}

TEST(state_round_trip) {
        char dir[] = "/tmp/test-health-check.XXXXXX";
        _cleanup_(runtime_state_done) RuntimeState r = {}, plain = {};
        _cleanup_free_ char *out = NULL, *path = NULL;
        uint64_t mtime = 0;

        ASSERT_NOT_NULL(mkdtemp(dir));
        ASSERT_OK(setenv("CTR_RUNTIME_DIR", dir, 1) < 0 ? -errno : 0);

        RuntimeState s = {
                .name = (char *) "web", .init_pid = 10, .monitor_pid = 9, .started_usec = 1,
                .health = (char *) "unhealthy", .health_failing_streak = 7,
        };
        ASSERT_OK(runtime_state_write(&s));
        ASSERT_ERROR(runtime_state_read_health_output("web", HEALTH_OUTPUT_MAX, &out, &mtime), ENOENT);
        ASSERT_OK(runtime_state_write_health_output("web", "refused\n", 8));
        ASSERT_OK(runtime_state_read(s.name, &r));
        ASSERT_STREQ(r.health, "unhealthy");
        ASSERT_EQ(r.health_failing_streak, 7U);
        ASSERT_OK(runtime_state_read_health_output("web", HEALTH_OUTPUT_MAX, &out, &mtime));
        ASSERT_STREQ(out, "refused\n");
        ASSERT_TRUE(mtime > 0);

        /* without a check: no HEALTH= at all */
        s.health = NULL;
        ASSERT_OK(runtime_state_write(&s));
        ASSERT_OK(runtime_state_read(s.name, &plain));
        ASSERT_NULL(plain.health);
        ASSERT_EQ(plain.health_failing_streak, 0U);

        /* a value that would break the format is refused */
        s.health = (char *) "healthy\nINIT_PID=1";
        ASSERT_ERROR(runtime_state_write(&s), EINVAL);

        /* a stop removes the output with the state: nothing of the container is left */
        ASSERT_OK(runtime_state_remove("web"));
        ASSERT_NOT_NULL(path = strprintf("%s/web", dir));
        ASSERT_TRUE(access(path, F_OK) < 0);
        ASSERT_OK(rmdir(dir) < 0 ? -errno : 0);
}
