/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* AddDevice=: the key (keys-device.c) and its plan (plan-devices.c); EnvironmentHost=: the key and which of
 * the launcher's variables pass (env-host.c). */

#include <sys/mount.h>

#include "ctr-file.h"
#include "env-host.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"
#include "test-load.h"
#include "test.h"

#define HEADER "[Container]\nImage=host\n"

/* Loads |text| as web.ctr; *ret_message gets the first diagnostic as "web.ctr:LINE: MESSAGE" (static). */
static int load(const char *text, Container **ret, const char **ret_message) {
        return test_load_ctr_text_message("web", text, ret, ret_message);
}

/* A bad AddDevice= rejects the file, with |message| when given. */
static int check_bad(const char *line, const char *message) {
        return test_load_line_rejected(line, "web.ctr:3: AddDevice=", message);
}

TEST(add_device_values) {
        _cleanup_container_free_ Container *c = NULL;
        const char *m;

        ASSERT_OK(load(HEADER "AddDevice=/dev/net/tun\n"
                       "AddDevice=-/dev/dri/renderD128:/dev/dri/card0:rw\n"
                       "AddDevice=/dev/fuse:mr\n"
                       "AddDevice=/dev/disk/by-id/%i:/dev/xvda\n"
                       "AddDevice=/dev//loop0/.:/dev/loop7:r\n", &c, &m));
        ASSERT_STREQ(m, "(none)");
        ASSERT_EQ(c->n_devices, 5);
        /* the container path defaults to the host's; the permissions to rwm */
        ASSERT_STREQ(c->devices[0].source, "/dev/net/tun");
        ASSERT_STREQ(c->devices[0].target, "/dev/net/tun");
        ASSERT_STREQ(c->devices[0].access, "rwm");
        ASSERT_FALSE(c->devices[0].optional);
        ASSERT_EQ(c->devices[0].line, 3);
        ASSERT_TRUE(endswith(c->devices[0].file, "/web.ctr"));
        ASSERT_STREQ(c->devices[1].source, "/dev/dri/renderD128");
        ASSERT_STREQ(c->devices[1].target, "/dev/dri/card0");
        ASSERT_STREQ(c->devices[1].access, "rw");
        ASSERT_TRUE(c->devices[1].optional);
        /* HOST:PERMISSIONS, in rwm order whatever the order written */
        ASSERT_STREQ(c->devices[2].target, "/dev/fuse");
        ASSERT_STREQ(c->devices[2].access, "rm");
        /* specifiers, normalised paths */
        ASSERT_STREQ(c->devices[3].source, "/dev/disk/by-id/web");
        ASSERT_STREQ(c->devices[3].target, "/dev/xvda");
        ASSERT_STREQ(c->devices[4].source, "/dev/loop0");
        ASSERT_STREQ(c->devices[4].access, "r");
        c = container_free(c);

        /* a later one for the same container path replaces the earlier; empty resets */
        ASSERT_OK(load(HEADER "AddDevice=/dev/loop0:/dev/x\nAddDevice=/dev/fuse\nAddDevice=/dev/loop1:/dev/x:r\n",
                       &c, NULL));
        ASSERT_EQ(c->n_devices, 2);
        ASSERT_STREQ(c->devices[0].target, "/dev/fuse");
        ASSERT_STREQ(c->devices[1].source, "/dev/loop1");
        ASSERT_STREQ(c->devices[1].access, "r");
        ASSERT_EQ(c->devices[1].line, 5);
        c = container_free(c);
        ASSERT_OK(load(HEADER "AddDevice=/dev/fuse\nAddDevice=\n", &c, NULL));
        ASSERT_EQ(c->n_devices, 0);
}

TEST(add_device_bad_values) {
        ASSERT_OK(check_bad("AddDevice=nvidia.com/gpu=all", "web.ctr:3: AddDevice= needs an absolute host path "
                            "without '..', got 'nvidia.com/gpu=all' (a CDI device name is not supported)."));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/fuse:rx", "web.ctr:3: AddDevice= permissions are a "
                            "combination of r, w and m, got 'rx'."));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:rr", "web.ctr:3: AddDevice= takes a container path or "
                            "permissions (a combination of r, w and m) after the host path, got 'rr'."));
        ASSERT_OK(check_bad("AddDevice=/srv/disk", "web.ctr:3: AddDevice= puts the node at '/srv/disk' in the "
                            "container; it must be below /dev (not /dev/pts, /dev/shm or /dev/mqueue): give a "
                            "container path there."));
        ASSERT_OK(check_bad("AddDevice=/dev/a:/dev/b:rw:x", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/../etc/passwd", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/../etc/x", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/pts/0", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/shm/fuse", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/mqueue/x", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:", NULL));
        ASSERT_OK(check_bad("AddDevice=-", NULL));
        ASSERT_OK(check_bad("AddDevice=/dev/fuse:/dev/fuse:", NULL));
}

static const PlanOptions opts = {
        .state_dir = "/state",
        .runtime_dir = "/run/ctr",
};

static ssize_t op_index(const Plan *p, PlanOpType t, const char *target) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == t && (!target || streq(p->ops[i].target, target)))
                        return (ssize_t) i;
        return -1;
}

TEST(plan_devices) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_plan_free_ Plan *p = NULL;
        _cleanup_free_ char *line = NULL;
        ssize_t dev, tun, card;

        ASSERT_OK(load(HEADER "ReadOnly=yes\nAddDevice=/dev/net/tun\nAddDevice=-/dev/dri/renderD128:/dev/dri/card0:r\n",
                       &c, NULL));
        ASSERT_OK(plan_build(c, &opts, &p, NULL));
        dev = op_index(p, PLAN_TMPFS, "/dev");
        tun = op_index(p, PLAN_BIND, "/dev/net/tun");
        card = op_index(p, PLAN_BIND, "/dev/dri/card0");
        ASSERT_TRUE(dev >= 0 && tun > dev && card > tun);
        /* a bind of the host's node, not nodev (unlike /dev itself), checked to be a device when bound */
        ASSERT_STREQ(p->ops[tun].source, "/dev/net/tun");
        ASSERT_TRUE(p->ops[tun].in_root);
        ASSERT_TRUE(p->ops[tun].device);
        ASSERT_TRUE(p->ops[tun].check_destination);
        ASSERT_FALSE(p->ops[tun].optional);
        ASSERT_EQ(p->ops[tun].attr, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        ASSERT_FALSE(p->ops[tun].recursive);
        ASSERT_STREQ(p->ops[card].source, "/dev/dri/renderD128");
        ASSERT_TRUE(p->ops[card].optional);
        ASSERT_OK(plan_op_format(p->ops + card, &line));
        ASSERT_STREQ(line, "bind root:/dev/dri/card0 from /dev/dri/renderD128 (nosuid,noexec) optional device");
        /* before the root turns read-only and the pivot */
        ASSERT_TRUE(card < op_index(p, PLAN_ROOT_READ_ONLY, NULL));
        ASSERT_TRUE(card < op_index(p, PLAN_PIVOT_ROOT, NULL));
}

TEST(environment_host_key) {
        _cleanup_container_free_ Container *c = NULL;
        const char *m;

        ASSERT_OK(load(HEADER, &c, NULL));
        ASSERT_FALSE(c->environment_host);
        c = container_free(c);
        ASSERT_OK(load(HEADER "EnvironmentHost=yes\n", &c, NULL));
        ASSERT_TRUE(c->environment_host);
        c = container_free(c);
        ASSERT_OK(load(HEADER "EnvironmentHost=true\nEnvironmentHost=\n", &c, NULL));
        ASSERT_FALSE(c->environment_host);
        c = container_free(c);
        /* a bad value warns and leaves the default, no: nothing more than asked for enters */
        ASSERT_OK(load(HEADER "EnvironmentHost=sometimes\n", &c, &m));
        ASSERT_FALSE(c->environment_host);
        ASSERT_TRUE(startswith(m, "web.ctr:3: "));
        ASSERT_TRUE(strstr(m, "sometimes") && endswith(m, ", ignoring."));
}

TEST(environment_host_filter) {
        char *env[] = {
                (char *) "LANG=C.UTF-8", (char *) "MODE=prod", (char *) "HTTP_PROXY=http://proxy:3128",
                (char *) "NOTIFY_SOCKET=/run/systemd/notify", (char *) "LISTEN_FDS=1", (char *) "LISTEN_PID=7",
                (char *) "LISTEN_FDNAMES=web", (char *) "INVOCATION_ID=abc", (char *) "JOURNAL_STREAM=8:123",
                (char *) "CREDENTIALS_DIRECTORY=/run/credentials/ctr@web.service", (char *) "MAINPID=1",
                (char *) "SYSTEMD_EXEC_PID=9", (char *) "WATCHDOG_USEC=100", (char *) "WATCHDOG_PID=9",
                (char *) "CTR_CONFIG_STAMP=1:2:3", (char *) "CTR_LAUNCH_CHILD_FD=3", (char *) "PATH=/home/u/bin",
                (char *) "HOME=/root", (char *) "USER=root", (char *) "TERM=xterm", (char *) "container=podman",
                (char *) "RUNTIME_DIRECTORY=/run/web", (char *) "MONITOR_UNIT=x.service",
                (char *) "BASH_FUNC_f%%=() {  :; }", (char *) "NOEQUALS", (char *) "EMPTY=",
                NULL,
        };
        _cleanup_strv_free_ char **out = NULL;

        ASSERT_OK(env_host_filter(env, &out));
        ASSERT_EQ(strv_length(out), 4);
        ASSERT_STREQ(out[0], "LANG=C.UTF-8");
        ASSERT_STREQ(out[1], "MODE=prod");
        ASSERT_STREQ(out[2], "HTTP_PROXY=http://proxy:3128");
        ASSERT_STREQ(out[3], "EMPTY=");
        ASSERT_TRUE(env_host_is_passed("LD_LIBRARY_PATH"));
        ASSERT_FALSE(env_host_is_passed("CTR_STATE_DIR"));
        ASSERT_FALSE(env_host_is_passed("NOTIFY_SOCKET"));
        ASSERT_FALSE(env_host_is_passed("1X"));

        /* nothing passed: NULL */
        out = strv_free(out);
        ASSERT_OK(env_host_filter((char *[]) { (char *) "NOTIFY_SOCKET=/x", NULL }, &out));
        ASSERT_NULL(out);
}
