/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The exposure score (src/model/exposure.c): a locked-down container scores 0; each setting that weakens
 * isolation, added to it alone, raises the score by its weight and names itself; settings that do not weaken
 * it change nothing; the total stops at 10. */

#include "exposure.h"
#include "string-util.h"
#include "test-load.h"
#include "test.h"

/* a store image, its own user, a read-only root and a memory limit: nothing to report */
#define LOCKED "[Container]\nImage=registry.example.org/app:1\nUser=101\nReadOnly=yes\nMemoryMax=256M\n"

static unsigned score(const char *extra, Exposure *ret) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = strprintf("%s%s", LOCKED, extra);
        Exposure e = {};

        if (!text || test_load_ctr_text("web", text, &c) < 0 || !c || container_exposure(c, true, &e) < 0)
                return UINT32_MAX;
        *ret = e;
        return e.total;
}

static bool has_item(const Exposure *e, const char *id, const char *setting, unsigned weight) {
        for (size_t i = 0; i < e->n; i++)
                if (streq(e->items[i].id, id) && streq(e->items[i].setting, setting) && e->items[i].weight == weight)
                        return true;
        return false;
}

TEST(locked_down_is_zero) {
        _cleanup_(exposure_done) Exposure e = {};

        ASSERT_EQ(score("", &e), 0);
        ASSERT_EQ(e.n, 0);
        ASSERT_STREQ(exposure_level(e.total), "SAFE");
}

/* one setting at a time: the score rises by exactly its weight, and the item says which setting */
TEST(each_setting_moves_the_score) {
        static const struct {
                const char *line, *id, *setting;
                unsigned weight;
        } cases[] = {
                { "PrivateUsers=no\n",                 "private-users",      "PrivateUsers=no",                20 },
                { "NoNewPrivileges=no\n",              "no-new-privileges",  "NoNewPrivileges=no",             10 },
                { "SeccompProfile=unconfined\n",       "seccomp-unconfined", "SeccompProfile=unconfined",      30 },
                { "SeccompProfile=/etc/p.json\n",      "seccomp-custom",     "SeccompProfile=/etc/p.json",      5 },
                { "AppArmorProfile=unconfined\n",      "apparmor-unconfined", "AppArmorProfile=unconfined",    10 },
                { "AppArmorProfile=web\n",             "apparmor-custom",    "AppArmorProfile=web",             2 },
                { "AddCapability=CAP_SYS_ADMIN\n",     "capability",         "AddCapability=CAP_SYS_ADMIN",    40 },
                { "AddCapability=CAP_NET_RAW\n",       "capability",         "AddCapability=CAP_NET_RAW",       5 },
                { "AddCapability=CAP_SYS_PTRACE\n",    "capability",         "AddCapability=CAP_SYS_PTRACE",   25 },
                { "Network=host\n",                    "network-host",       "Network=host",                   20 },
                { "Network=container:db\n",            "network-container",  "Network=container:db",            2 },
                { "Network=bridge\nPublishPort=8080:80\n", "publish-all",    "PublishPort=8080:80",             2 },
                { "Volume=/etc:/host-etc:ro\n",        "volume-system",      "Volume=/etc:/host-etc",          40 },
                { "Volume=/:/host:ro\n",               "volume-system",      "Volume=/:/host",                 40 },
                { "Volume=/srv/data:/data\n",          "volume-writable",    "Volume=/srv/data:/data",          5 },
                { "Volume=/srv/data:/data:ro,dev\n",   "volume-dev",         "Volume=/srv/data:/data:dev",     15 },
                { "Volume=/srv/data:/data:ro,suid\n",  "volume-suid",        "Volume=/srv/data:/data:suid",    10 },
                { "Tmpfs=/scratch:dev\n",              "tmpfs-dev",          "Tmpfs=/scratch:dev",              5 },
                { "Tmpfs=/scratch:suid\n",             "tmpfs-suid",         "Tmpfs=/scratch:suid",             5 },
                { "AddDevice=/dev/net/tun\n",          "device",             "AddDevice=/dev/net/tun:/dev/net/tun:rwm", 15 },
                { "AddDevice=-/dev/sda:/dev/disk:r\n", "device",             "AddDevice=/dev/sda:/dev/disk:r",  5 },
                { "ReadOnly=no\n",                     "writable-root",      "ReadOnly=no",                     3 },
                { "MemoryMax=\n",                      "no-memory-limit",    "MemoryMax= (unset)",              5 },
                { "MemoryMax=infinity\n",              "no-memory-limit",    "MemoryMax= (unset)",              5 },
                { "TasksMax=infinity\n",               "no-tasks-limit",     "TasksMax=infinity",               5 },
                { "User=\n",                           "user-root",          "User= (unset)",                   3 },
                { "User=root\n",                       "user-root",          "User=root",                       3 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(exposure_done) Exposure e = {};
                unsigned s = score(cases[i].line, &e);

                if (s != cases[i].weight || e.n != 1 || !has_item(&e, cases[i].id, cases[i].setting, cases[i].weight))
                        TEST_FAIL("%s: score %u with %zu items (%s), expected %u from %s", cases[i].line, s, e.n,
                                  e.n > 0 ? e.items[0].setting : "-", cases[i].weight, cases[i].setting);
        }
}

/* root weighs more without a user namespace; an image whose User is not known counts as root */
TEST(root_without_user_namespace_weighs_more) {
        _cleanup_(exposure_done) Exposure e = {}, e2 = {};
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_EQ(score("PrivateUsers=no\nUser=0\n", &e), 20 + 10);
        ASSERT_TRUE(has_item(&e, "user-root", "User=root", 10) || has_item(&e, "user-root", "User=0", 10));

        ASSERT_OK(test_load_ctr_text("web", "[Container]\nImage=registry.example.org/app:1\nReadOnly=yes\n"
                                     "MemoryMax=1G\n", &c));
        ASSERT_OK(container_exposure(c, false, &e2));
        ASSERT_EQ(e2.total, 3);
        ASSERT_NOT_NULL(strstr(e2.items[0].reason, "root assumed"));
}

/* what does not weaken isolation changes nothing: limits, a bound address, a named volume read-only,
 * dropped capabilities, Network=none and bridge without ports */
TEST(harmless_settings_change_nothing) {
        static const char *const lines[] = {
                "CPUQuota=50%\nTasksMax=100\nMemoryHigh=128M\n",
                "Network=bridge\nPublishPort=127.0.0.1:8080:80\n",
                "Volume=cache:/cache:ro\n",
                "DropCapability=CAP_CHOWN CAP_KILL\n",
                "Network=none\n",
                "Tmpfs=/scratch\n",
                "PrivateUsers=pick\n",
                "AppArmorProfile=ctr-default\n",
        };

        for (size_t i = 0; i < ELEMENTSOF(lines); i++) {
                _cleanup_(exposure_done) Exposure e = {};

                if (score(lines[i], &e) != 0)
                        TEST_FAIL("%s: score %u (%s)", lines[i], e.total, e.n > 0 ? e.items[0].setting : "-");
        }
}

/* Image=host has no user namespace by default; the total stops at 10 */
TEST(defaults_and_the_ceiling) {
        _cleanup_(exposure_done) Exposure e = {}, e2 = {};
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(test_load_ctr_text("web", "[Container]\nImage=host\n", &c));
        ASSERT_OK(container_exposure(c, true, &e));
        /* no user namespace, root, no memory limit, a writable root */
        ASSERT_EQ(e.total, 20 + 10 + 5 + 3);
        ASSERT_STREQ(exposure_level(e.total), "OK");

        ASSERT_EQ(score("AddCapability=CAP_SYS_ADMIN CAP_SYS_MODULE CAP_SYS_RAWIO\nSeccompProfile=unconfined\n",
                        &e2), EXPOSURE_MAX);
        ASSERT_STREQ(exposure_level(e2.total), "UNSAFE");
        ASSERT_EQ(e2.n, 4);
}
