/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <sys/prctl.h>
#include <unistd.h>

#include "proc-util.h"
#include "test.h"

TEST(pid_stat_field) {
        unsigned long long v = 0, start = 0;

        ASSERT_OK(pid_stat_field(getpid(), 4, &v));
        ASSERT_EQ(v, (unsigned long long) getppid());
        ASSERT_OK(pid_stat_field(getpid(), 22, &start));
        ASSERT_TRUE(start > 0);
        ASSERT_ERROR(pid_stat_field(getpid(), 2, &v), EINVAL);
}

TEST(pid_stat_field_odd_name) {
        unsigned long long v = 0;

        /* a command name with spaces and a ')' must not shift the fields */
        ASSERT_OK(prctl(PR_SET_NAME, "a) b c (d") < 0 ? -errno : 0);
        ASSERT_OK(pid_stat_field(getpid(), 4, &v));
        ASSERT_EQ(v, (unsigned long long) getppid());
}
