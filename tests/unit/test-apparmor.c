/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* AppArmor without libapparmor (src/runtime/apparmor.c): the profile list, which profile a setting means on a
 * machine with and without AppArmor, and that the attr write cannot be redirected by a mount over /proc. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor.h"
#include "string-util.h"
#include "test.h"

TEST(profiles_list) {
        const char *list = "docker-default (enforce)\n"
                           "ctr-default (enforce)\n"
                           "/usr/bin/man (complain)\n"
                           "odd (name) (enforce)\n"
                           ":ns:inner (enforce)\n";

        ASSERT_TRUE(apparmor_profiles_list_has(list, "ctr-default"));
        ASSERT_TRUE(apparmor_profiles_list_has(list, "docker-default"));
        ASSERT_TRUE(apparmor_profiles_list_has(list, "/usr/bin/man"));
        ASSERT_TRUE(apparmor_profiles_list_has(list, "odd (name)"));
        ASSERT_TRUE(apparmor_profiles_list_has(list, ":ns:inner"));
        /* whole names only */
        ASSERT_FALSE(apparmor_profiles_list_has(list, "ctr"));
        ASSERT_FALSE(apparmor_profiles_list_has(list, "ctr-default (enforce)"));
        ASSERT_FALSE(apparmor_profiles_list_has(list, "odd"));
        ASSERT_FALSE(apparmor_profiles_list_has(list, "inner"));
        ASSERT_FALSE(apparmor_profiles_list_has("", "ctr-default"));
        ASSERT_FALSE(apparmor_profiles_list_has("ctr-default", "ctr-default"));        /* no mode: not a line */
        ASSERT_TRUE(apparmor_profiles_list_has("ctr-default (enforce)", "ctr-default")); /* no final newline */
}

TEST(profile_wanted) {
        const char *p = "x";

        ASSERT_OK(apparmor_profile_wanted(NULL, true, &p));
        ASSERT_STREQ(p, "ctr-default");
        ASSERT_OK(apparmor_profile_wanted(NULL, false, &p));
        ASSERT_NULL(p);
        ASSERT_OK(apparmor_profile_wanted("unconfined", true, &p));
        ASSERT_NULL(p);
        p = "x";
        ASSERT_OK(apparmor_profile_wanted("unconfined", false, &p));
        ASSERT_NULL(p);
        ASSERT_OK(apparmor_profile_wanted("web", true, &p));
        ASSERT_STREQ(p, "web");
        /* named where AppArmor is off: refused, not dropped */
        p = "x";
        ASSERT_ERROR(apparmor_profile_wanted("web", false, &p), EPERM);
        ASSERT_ERROR(apparmor_profile_wanted("ctr-default", false, &p), EPERM);
        ASSERT_STREQ(p, "x");

        ASSERT_STREQ(apparmor_profile_describe(NULL, true), "ctr-default");
        ASSERT_STREQ(apparmor_profile_describe(NULL, false), "unavailable");
        ASSERT_STREQ(apparmor_profile_describe("unconfined", true), "unconfined");
        ASSERT_STREQ(apparmor_profile_describe("unconfined", false), "unconfined");
        ASSERT_STREQ(apparmor_profile_describe("web", true), "web");
        ASSERT_TRUE(startswith(apparmor_profile_describe("web", false), "unavailable (AppArmorProfile= makes"));
}

/* In a child of its own mount namespace: |setup| mounts something over /proc or a file in it, then the
 * exec write must fail with EXDEV rather than land elsewhere. Returns the child's errno, or -1. */
static int write_after(int (*setup)(void)) {
        pid_t pid = fork();
        int status;

        if (pid < 0)
                return -1;
        if (pid == 0) {
                if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
                    setup() < 0)
                        _exit(255);
                int r = apparmor_exec_profile("ctr-default");
                _exit(r < 0 ? -r : 0);
        }
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

static int tmpfs_on_proc(void) {
        return mount("tmpfs", "/proc", "tmpfs", 0, "mode=0755");
}

/* a regular file over this process's own attr files: the write would vanish into it */
static int file_over_attr(void) {
        char path[] = "/tmp/ctr-test-apparmor.XXXXXX";
        int fd = mkstemp(path), r = 0;

        if (fd < 0)
                return -1;
        close(fd);
        /* both: where the kernel has attr/apparmor/ and where it has only attr/exec */
        if (mount(path, "/proc/thread-self/attr/exec", "none", MS_BIND, NULL) < 0)
                r = -1;
        (void) mount(path, "/proc/thread-self/attr/apparmor/exec", "none", MS_BIND, NULL);
        unlink(path);
        return r;
}

TEST(exec_write_not_redirected) {
        if (geteuid() != 0)
                TEST_SKIP("needs root for a mount namespace");
        if (access("/proc/thread-self/attr/exec", F_OK) < 0)
                TEST_SKIP("the kernel has no /proc/PID/attr (CONFIG_SECURITY off)");

        ASSERT_EQ(write_after(tmpfs_on_proc), EXDEV);
        ASSERT_EQ(write_after(file_over_attr), EXDEV);
}

/* Where AppArmor is off the write is refused by the kernel (no LSM takes "exec NAME"): never a silent
 * success. Where it is on, a profile that is not loaded is refused. */
TEST(exec_write_refused) {
        if (apparmor_enabled())
                ASSERT_ERROR(apparmor_exec_profile("ctr-test-no-such-profile"), ENOENT);
        else
                ASSERT_TRUE(apparmor_exec_profile("ctr-default") < 0);
        ASSERT_ERROR(apparmor_exec_profile(""), EINVAL);
}
