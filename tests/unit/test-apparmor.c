/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* AppArmor without libapparmor (src/runtime/apparmor.c): the profile list, which profile a setting means on a
 * machine with and without AppArmor, that the attr write cannot be redirected by a mount over /proc, and
 * that the device names ctr-default denies are the profile's own rules. */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor.h"
#include "fileio.h"
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

TEST(default_denies_dev) {
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/sdb"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/sd"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/nvme0n1"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/loop7"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/kmsg"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/disk/by-id/x"));
        ASSERT_TRUE(apparmor_default_denies_dev("/dev/mapper/vg-lv"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/kmsg2"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/net/tun"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/disk0"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/ctr-sdb"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/fuse"));
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/sdb/x"));        /* a '*' stays in its directory */
        ASSERT_FALSE(apparmor_default_denies_dev("/dev/disk"));
}

/* Each "deny /dev/{A,B…}SUFFIX" rule of apparmor.d/ctr-default (CTR_APPARMOR_PROFILE) is the table's, and the
 * table has nothing else: SUFFIX "" an exact name, "*" a name prefix, "/ and two stars" a tree. */
TEST(default_denied_dev_table_is_the_profile) {
        const char *path = getenv("CTR_APPARMOR_PROFILE");
        _cleanup_free_ char *text = NULL;
        size_t n_rules = 0;

        if (!path)
                TEST_SKIP("CTR_APPARMOR_PROFILE is not set (meson sets it)");
        ASSERT_EQ(read_text_file(path, 1 << 20, &text, NULL), 0);
        for (const char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
                const char *p = line + strspn(line, " \t"), *open, *close, *suffix_end;
                ApparmorDevMatch match;

                p = startswith(p, "deny /dev/{");
                if (!p)
                        continue;
                open = p;
                close = strchr(open, '}');
                ASSERT_TRUE(close);
                suffix_end = close + 1 + strcspn(close + 1, " \t");
                if (suffix_end == close + 1)
                        match = APPARMOR_DEV_EXACT;
                else if (suffix_end - (close + 1) == 1 && close[1] == '*')
                        match = APPARMOR_DEV_NAME;
                else {
                        ASSERT_TRUE(suffix_end - (close + 1) == 3 && strneq(close + 1, "/**", 3));
                        match = APPARMOR_DEV_TREE;
                }
                for (const char *a = open; a < close;) {
                        size_t len = strcspn(a, ",}");
                        _cleanup_free_ char *want = strprintf("/dev/%.*s", (int) len, a);
                        bool found = false;

                        ASSERT_TRUE(want);
                        for (size_t i = 0; i < apparmor_default_denied_dev_n; i++)
                                if (streq(apparmor_default_denied_dev[i].path, want)) {
                                        ASSERT_EQ((int) apparmor_default_denied_dev[i].match, (int) match);
                                        found = true;
                                }
                        if (!found)
                                fprintf(stderr, "profile rule %s is not in the table\n", want);
                        ASSERT_TRUE(found);
                        n_rules++;
                        a += len + (a[len] == ',');
                }
        }
        ASSERT_EQ(n_rules, apparmor_default_denied_dev_n);
}
