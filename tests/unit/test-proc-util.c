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

#define ASSERT_CGROUP_DIR(text, upto, want)                             \
        do {                                                            \
                _cleanup_free_ char *_d = NULL;                         \
                ASSERT_OK(cgroup_text_dir(text, upto, &_d));            \
                ASSERT_STREQ(_d, want);                                 \
        } while (0)

TEST(cgroup_text_dir) {
        char *d = NULL;

        ASSERT_CGROUP_DIR("0::/machine.slice/ctr-web.scope\n", NULL, "/machine.slice/ctr-web.scope");
        ASSERT_CGROUP_DIR("0::/machine.slice/ctr-web.scope\n", "ctr-web.scope", "/machine.slice/ctr-web.scope");
        /* an init that made cgroups of its own below its scope (a guest's systemd) */
        ASSERT_CGROUP_DIR("0::/machine.slice/ctr-web.scope/init.scope\n", "ctr-web.scope",
                          "/machine.slice/ctr-web.scope");
        /* a hybrid system: the unified line is a later one */
        ASSERT_CGROUP_DIR("12:pids:/x\n1:name=systemd:/y\n0::/a.slice/ctr-db.scope/payload\n", "ctr-db.scope",
                          "/a.slice/ctr-db.scope");
        ASSERT_CGROUP_DIR("0::/\n", NULL, "/");
        /* whole components only, and only on the unified line */
        ASSERT_ERROR(cgroup_text_dir("0::/machine.slice/ctr-web.scopex\n", "ctr-web.scope", &d), ENODATA);
        ASSERT_ERROR(cgroup_text_dir("0::/machine.slice/xctr-web.scope\n", "ctr-web.scope", &d), ENODATA);
        ASSERT_ERROR(cgroup_text_dir("1:name=systemd:/ctr-web.scope\n0::/system.slice\n", "ctr-web.scope", &d),
                     ENODATA);
        ASSERT_ERROR(cgroup_text_dir("0::/system.slice\n1:name=x:/ctr-web.scope\n", "ctr-web.scope", &d), ENODATA);
        ASSERT_ERROR(cgroup_text_dir("12:pids:/x\n", NULL, &d), ENODATA);
        ASSERT_NULL(d);
}
