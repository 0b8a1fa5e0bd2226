/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The launcher's plan, without privileges: .ctr text in, the ordered list of operations out. */

#include <sched.h>
#include <sys/mount.h>

#include "ctr-file.h"
#include "overlay-util.h"
#include "plan.h"
#include "string-util.h"
#include "test-load.h"
#include "strv.h"
#include "test.h"

static const PlanOptions opts = {
        .state_dir = "/state",
        .runtime_dir = "/run/ctr",
};

/* Parses |text| as /tmp/…/NAME.ctr and plans it with |o|. Returns plan_build()'s result. */
static int plan_text_with(const char *name, const char *text, const PlanOptions *o, Plan **ret,
                          const char **ret_reason) {
        _cleanup_container_free_ Container *c = NULL;
        int r;

        r = test_load_ctr_text(name, text, &c);
        if (r < 0)
                return r;
        return plan_build(c, o, ret, ret_reason);
}

static int plan_text(const char *name, const char *text, Plan **ret, const char **ret_reason) {
        return plan_text_with(name, text, &opts, ret, ret_reason);
}

static const PlanOp *find_op(const Plan *p, PlanOpType t, const char *target) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == t && (!target || streq(p->ops[i].target, target)))
                        return p->ops + i;
        return NULL;
}

static ssize_t op_index(const Plan *p, PlanOpType t, const char *target) {
        const PlanOp *op = find_op(p, t, target);
        return op ? op - p->ops : -1;
}

static size_t strv_len(char **l) {
        size_t n = 0;
        while (l && l[n])
                n++;
        return n;
}

TEST(root_directory) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("web", "[Container]\nRootDirectory=/srv/root\n", &p, NULL), 0);
        ASSERT_STREQ(p->staging, "/run/ctr/.staging");
        ASSERT_STREQ(p->root, "/run/ctr/.staging/root");
        ASSERT_STREQ(p->hostname, "web");
        ASSERT_EQ(p->ops[0].type, PLAN_STAGING);
        ASSERT_EQ(p->ops[p->n_ops - 1].type, PLAN_PIVOT_ROOT);
        ASSERT_STREQ(p->ops[p->n_ops - 1].target, p->root);

        o = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->target, "/run/ctr/.staging/root");
        ASSERT_EQ(strv_len(o->lowerdirs), 1);
        ASSERT_STREQ(o->lowerdirs[0], "/srv/root");
        ASSERT_STREQ(o->upperdir, "/state/containers/web/upper");
        ASSERT_STREQ(o->workdir, "/state/containers/web/work");
        /* the upper and work directories are created before the overlay */
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/containers/web/upper") >= 0);
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/containers/web/upper") < op_index(p, PLAN_OVERLAY, NULL));
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/containers/web/work") < op_index(p, PLAN_OVERLAY, NULL));
        /* no read-only root without ReadOnly= */
        ASSERT_NULL(find_op(p, PLAN_ROOT_READ_ONLY, NULL));
}

TEST(in_root_after_overlay) {
        _cleanup_plan_free_ Plan *p = NULL;
        ssize_t overlay;

        ASSERT_EQ(plan_text("web", "[Container]\nRootDirectory=/srv/root\nVolume=/a:/b\n", &p, NULL), 0);
        overlay = op_index(p, PLAN_OVERLAY, NULL);
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].in_root)
                        ASSERT_TRUE((ssize_t) i > overlay);
        /* host-side operations stay below the staging directory or the state directory */
        for (size_t i = 0; i < p->n_ops; i++)
                if (!p->ops[i].in_root)
                        ASSERT_TRUE(strneq(p->ops[i].target, "/run/ctr/.staging", 17) ||
                                    strneq(p->ops[i].target, "/state/", 7));
}

TEST(layers_order) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("l", "[Container]\nRootDirectory=/r\nLayer=/l1\nLayer=/l2\nLayer=/l3\n", &p, NULL), 0);
        o = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(o);
        ASSERT_EQ(strv_len(o->lowerdirs), 4);
        /* lowerdir= is top first: the last Layer= on top, the root at the bottom */
        ASSERT_STREQ(o->lowerdirs[0], "/l3");
        ASSERT_STREQ(o->lowerdirs[1], "/l2");
        ASSERT_STREQ(o->lowerdirs[2], "/l1");
        ASSERT_STREQ(o->lowerdirs[3], "/r");
}

TEST(ephemeral) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("e", "[Container]\nRootDirectory=/r\nEphemeral=yes\n", &p, NULL), 0);
        o = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->upperdir, "/run/ctr/.staging/rw/upper");
        ASSERT_STREQ(o->workdir, "/run/ctr/.staging/rw/work");
        for (size_t i = 0; i < p->n_ops; i++)
                ASSERT_FALSE(strneq(p->ops[i].target, "/state/", 7));
        ASSERT_NULL(find_op(p, PLAN_ROOT_READ_ONLY, NULL));
}

TEST(read_only) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("ro", "[Container]\nRootDirectory=/r\nReadOnly=yes\n", &p, NULL), 0);
        o = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(o);
        /* no persistent layer; the tmpfs upper only holds mount points */
        ASSERT_STREQ(o->upperdir, "/run/ctr/.staging/rw/upper");
        ASSERT_EQ(op_index(p, PLAN_ROOT_READ_ONLY, NULL), (ssize_t) p->n_ops - 2);
        ASSERT_EQ(find_op(p, PLAN_ROOT_READ_ONLY, NULL)->attr, MOUNT_ATTR_RDONLY);
}

TEST(host_image) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("h", "[Container]\nImage=host\nHostname=box\n", &p, NULL), 0);
        o = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(o);
        ASSERT_EQ(strv_len(o->lowerdirs), 1);
        ASSERT_STREQ(o->lowerdirs[0], "/run/ctr/.staging/host");

        o = find_op(p, PLAN_SYMLINK, "/run/ctr/.staging/host/bin");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->source, "usr/bin");
        ASSERT_STREQ(o->condition, "/usr/bin");
        ASSERT_NOT_NULL(find_op(p, PLAN_SYMLINK, "/run/ctr/.staging/host/lib64"));

        o = find_op(p, PLAN_BIND, "/usr");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(o->in_root);
        ASSERT_TRUE(o->recursive);
        ASSERT_TRUE(o->attr & MOUNT_ATTR_RDONLY);
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/usr") > op_index(p, PLAN_OVERLAY, NULL));

        o = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/passwd");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(strstr(o->content, "root:x:0:0:") != NULL);
        ASSERT_TRUE(strstr(o->content, "nobody:x:65534:") != NULL);
        o = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/hostname");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->content, "box\n");
        o = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/hosts");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(strstr(o->content, "127.0.1.1\tbox\n") != NULL);

        o = find_op(p, PLAN_COPY, "/run/ctr/.staging/host/etc/ld.so.cache");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(o->optional);
        ASSERT_NOT_NULL(find_op(p, PLAN_COPY, "/run/ctr/.staging/host/etc/alternatives"));
        ASSERT_NOT_NULL(find_op(p, PLAN_COPY, "/run/ctr/.staging/host/etc/resolv.conf"));

        /* never anything of the host's secrets or data */
        for (size_t i = 0; i < p->n_ops; i++) {
                const char *s = p->ops[i].source;
                if (!s)
                        continue;
                ASSERT_FALSE(strstr(s, "shadow"));
                ASSERT_FALSE(strstr(s, "ssh"));
                ASSERT_FALSE(streq(s, "/root") || streq(s, "/home") || strneq(s, "/var/lib/ctr", 12));
        }
        /* the skeleton has its own /etc files: no binds of generated ones on top */
        ASSERT_NULL(find_op(p, PLAN_BIND, "/etc/hostname"));
}

TEST(host_image_numeric_user) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("h", "[Container]\nImage=host\nUser=1001\nGroup=1002\n", &p, NULL), 0);
        o = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/passwd");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(strstr(o->content, "ctr-1001:x:1001:1002:") != NULL);
        o = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/group");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(strstr(o->content, "ctr-1002:x:1002:") != NULL);
}

TEST(network_none) {
        _cleanup_plan_free_ Plan *p = NULL;

        ASSERT_EQ(plan_text("n", "[Container]\nRootDirectory=/r\n", &p, NULL), 0);
        ASSERT_EQ(p->clone_flags, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET);
        ASSERT_TRUE(p->network_loopback);
        ASSERT_NOT_NULL(find_op(p, PLAN_SYSFS, "/sys"));
        ASSERT_NULL(find_op(p, PLAN_BIND, "/sys"));
}

TEST(network_host) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("n", "[Container]\nRootDirectory=/r\nNetwork=host\n", &p, NULL), 0);
        ASSERT_EQ(p->clone_flags, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC);
        ASSERT_FALSE(p->network_loopback);
        ASSERT_NULL(find_op(p, PLAN_SYSFS, NULL));
        o = find_op(p, PLAN_BIND, "/sys");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(o->recursive);
        ASSERT_TRUE(o->attr & MOUNT_ATTR_RDONLY);
}

TEST(network_container) {
        _cleanup_plan_free_ Plan *p = NULL;

        ASSERT_EQ(plan_text("n", "[Container]\nRootDirectory=/r\nNetwork=container:db\n", &p, NULL), 0);
        ASSERT_EQ(p->clone_flags, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC);
        ASSERT_FALSE(p->network_loopback);
        ASSERT_STREQ(p->network_container, "db");
        /* the joined namespace is ours to mount a sysfs for, as with a private one */
        ASSERT_NOT_NULL(find_op(p, PLAN_SYSFS, "/sys"));
}

TEST(long_name_hostname) {
        _cleanup_plan_free_ Plan *p = NULL;
        char name[CTR_NAME_MAX + 1], text[256];

        /* 63 'a', then '-', then more: the hostname is cut to 64 and loses the trailing '-' */
        memset(name, 'a', sizeof(name) - 1);
        name[63] = '-';
        name[sizeof(name) - 1] = '\0';
        snprintf(text, sizeof(text), "[Container]\nRootDirectory=/r\n");
        ASSERT_EQ(plan_text(name, text, &p, NULL), 0);
        ASSERT_EQ(strlen(p->hostname), 63);
        ASSERT_TRUE(strspn(p->hostname, "a") == 63);
}

TEST(api_destinations_refused) {
        static const char *const bad[] = {
                "Volume=/x:/proc\n", "Volume=/x:/sys\n", "Volume=/x:/proc/sys\n", "Tmpfs=/proc/sys/kernel\n",
                "Volume=/x:/proc/1/root\n",
        };
        static const char *const good[] = {
                "Volume=/x:/proc/cpuinfo\n", "Volume=/x:/sys/fs/cgroup\n", "Volume=/x:/dev/fuse\n", "Tmpfs=/procfoo\n",
        };
        char text[256];

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_plan_free_ Plan *p = NULL;
                const char *reason = NULL;
                snprintf(text, sizeof(text), "[Container]\nRootDirectory=/r\n%s", bad[i]);
                ASSERT_EQ(plan_text("d", text, &p, &reason), -EPERM);
                ASSERT_NOT_NULL(reason);
        }
        for (size_t i = 0; i < ELEMENTSOF(good); i++) {
                _cleanup_plan_free_ Plan *p = NULL;
                snprintf(text, sizeof(text), "[Container]\nRootDirectory=/r\n%s", good[i]);
                ASSERT_EQ(plan_text("d", text, &p, NULL), 0);
        }
}

/* The text check happens at plan time; the resolved one at mount time, for the operations marked here. */
TEST(destinations_checked_when_resolved) {
        _cleanup_plan_free_ Plan *p = NULL;

        ASSERT_EQ(plan_text("d", "[Container]\nRootDirectory=/r\nVolume=/x:/data/sys\nVolume=v:/v\n"
                                 "Tmpfs=/data/t\n", &p, NULL), 0);
        ASSERT_TRUE(find_op(p, PLAN_BIND, "/data/sys")->check_destination);
        ASSERT_TRUE(find_op(p, PLAN_BIND, "/v")->check_destination);
        ASSERT_TRUE(find_op(p, PLAN_TMPFS, "/data/t")->check_destination);
        /* our own mounts on /proc, /sys and /dev are not volumes */
        for (size_t i = 0; i < p->n_ops; i++)
                if (!p->ops[i].target || !(streq(p->ops[i].target, "/data/sys") || streq(p->ops[i].target, "/v") ||
                                           streq(p->ops[i].target, "/data/t")))
                        ASSERT_FALSE(p->ops[i].check_destination);

        /* what mount-setup applies to the resolved path */
        ASSERT_FALSE(plan_destination_is_allowed("/proc"));
        ASSERT_FALSE(plan_destination_is_allowed("/proc/sys"));
        ASSERT_FALSE(plan_destination_is_allowed("/sys"));
        ASSERT_TRUE(plan_destination_is_allowed("/proc/cpuinfo"));
        ASSERT_TRUE(plan_destination_is_allowed("/sys/fs/cgroup"));
        ASSERT_TRUE(plan_destination_is_allowed("/"));
        ASSERT_TRUE(plan_destination_is_allowed("/data/sys"));
}

/* Notify=yes binds the socket alone, read-only: the directory would let the container fill the host's /run. */
TEST(notify_socket) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("n", "[Container]\nRootDirectory=/r\nNotify=yes\n", &p, NULL), 0);
        o = find_op(p, PLAN_BIND, "/run/host/notify/notify");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->source, "/run/ctr/n/notify/notify");
        ASSERT_TRUE(o->attr & MOUNT_ATTR_RDONLY);
        ASSERT_NULL(find_op(p, PLAN_BIND, "/run/host/notify"));
        p = plan_free(p);

        ASSERT_EQ(plan_text("n", "[Container]\nRootDirectory=/r\n", &p, NULL), 0);
        ASSERT_NULL(find_op(p, PLAN_BIND, "/run/host/notify/notify"));
}

TEST(network_bridge) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *op;

        /* a network namespace of our own with lo, eth0 added by the monitor; resolv.conf from the options */
        ASSERT_EQ(plan_text("b", "[Container]\nImage=host\nNetwork=bridge\nPublishPort=8080:80\n", &p, NULL), 0);
        ASSERT_TRUE(p->clone_flags & CLONE_NEWNET);
        ASSERT_TRUE(p->network_loopback);
        ASSERT_TRUE(p->network_bridge);
        op = find_op(p, PLAN_COPY, "/run/ctr/.staging/host/etc/resolv.conf");
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->source, "/etc/resolv.conf");
        p = plan_free(p);

        ASSERT_EQ(plan_text("n", "[Container]\nImage=host\n", &p, NULL), 0);
        ASSERT_FALSE(p->network_bridge);
        ASSERT_NULL(p->hosts_file);
}

/* Network=bridge and its joiners: /etc/hosts is a staging file of its own, bound in, which the monitor keeps
 * current (network-names.h); also for Image=host, whose generated /etc is a layer; never a volume's. */
TEST(network_bridge_hosts_file) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *op;

        ASSERT_EQ(plan_text("b", "[Container]\nImage=host\nNetwork=bridge\nHostname=alpha\n", &p, NULL), 0);
        ASSERT_STREQ(p->hosts_file, "/run/ctr/.staging/etc/hosts");
        op = find_op(p, PLAN_BIND, "/etc/hosts");
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->source, p->hosts_file);
        ASSERT_TRUE(op->launcher_file);
        op = find_op(p, PLAN_WRITE, p->hosts_file);
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->content, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\talpha\n");
        /* the other generated files stay the skeleton's */
        ASSERT_NULL(find_op(p, PLAN_BIND, "/etc/hostname"));
        p = plan_free(p);

        ASSERT_EQ(plan_text("r", "[Container]\nRootDirectory=/r\nNetwork=bridge\n", &p, NULL), 0);
        ASSERT_STREQ(p->hosts_file, "/run/ctr/.staging/etc/hosts");
        ASSERT_STREQ(find_op(p, PLAN_BIND, "/etc/hosts")->source, p->hosts_file);
        p = plan_free(p);

        ASSERT_EQ(plan_text("j", "[Container]\nImage=host\nNetwork=container:b\n", &p, NULL), 0);
        ASSERT_STREQ(p->hosts_file, "/run/ctr/.staging/etc/hosts");
        p = plan_free(p);

        ASSERT_EQ(plan_text("r", "[Container]\nRootDirectory=/r\n", &p, NULL), 0);
        ASSERT_NULL(p->hosts_file);
        p = plan_free(p);

        ASSERT_EQ(plan_text("v", "[Container]\nImage=host\nNetwork=bridge\nVolume=/srv/hosts:/etc/hosts\n", &p,
                            NULL), 0);
        ASSERT_NULL(p->hosts_file);
        ASSERT_STREQ(find_op(p, PLAN_BIND, "/etc/hosts")->source, "/srv/hosts");
        p = plan_free(p);

        ASSERT_EQ(plan_text("e", "[Container]\nRootDirectory=/r\nNetwork=bridge\nTmpfs=/etc\n", &p, NULL), 0);
        ASSERT_NULL(p->hosts_file);
        ASSERT_EQ(op_index(p, PLAN_BIND, "/etc/hosts"), -1);
}

TEST(unsupported) {
        _cleanup_plan_free_ Plan *p = NULL;
        const char *reason = NULL;

        ASSERT_EQ(plan_text("i", "[Container]\nImage=docker.io/library/nginx:1.25\n", &p, &reason), -EOPNOTSUPP);
        ASSERT_NOT_NULL(reason);
}

TEST(no_root) {
        _cleanup_container_free_ Container *c = container_new("x");
        _cleanup_plan_free_ Plan *p = NULL;
        const char *reason = NULL;

        /* the parser rejects such a file already; the plan does not rely on it */
        ASSERT_NOT_NULL(c);
        ASSERT_EQ(plan_build(c, &opts, &p, &reason), -EINVAL);
        ASSERT_NULL(p);
        ASSERT_NOT_NULL(reason);
}

TEST(mask_paths) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("a", "[Container]\nRootDirectory=/r\nVolume=/srv/data:/data\n"
                            "Mask=/data/secret /etc/shadow\nMask=/proc/cpuinfo\n", &p, NULL), 0);
        FOREACH_STRING(path, "/data/secret", "/etc/shadow", "/proc/cpuinfo") {
                o = find_op(p, PLAN_MASK, path);
                ASSERT_NOT_NULL(o);
                ASSERT_TRUE(o->in_root);
                ASSERT_STREQ(o->source, "/run/ctr/.staging/mask");
                ASSERT_TRUE(o->attr & MOUNT_ATTR_RDONLY);
                /* over the volumes and the default masks, before the root is made read-only and pivoted to */
                ASSERT_TRUE(op_index(p, PLAN_MASK, path) > op_index(p, PLAN_BIND, "/data"));
                ASSERT_TRUE(op_index(p, PLAN_MASK, path) > op_index(p, PLAN_MASK, "/proc/kcore"));
                ASSERT_TRUE(op_index(p, PLAN_MASK, path) < op_index(p, PLAN_PIVOT_ROOT, "/run/ctr/.staging/root"));
        }
}

TEST(sysctls) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;
        const char *reason = NULL;

        ASSERT_EQ(plan_text("a", "[Container]\nRootDirectory=/r\nSysctl=net.ipv4.ip_forward=1 kernel.sem=\"1 2 3 4\"\n"
                            "Sysctl=fs.mqueue.msg_max=20\n", &p, NULL), 0);
        o = find_op(p, PLAN_SYSCTL, "/proc/sys/net/ipv4/ip_forward");
        ASSERT_NOT_NULL(o);
        ASSERT_TRUE(o->in_root);
        ASSERT_STREQ(o->content, "1");
        ASSERT_STREQ(find_op(p, PLAN_SYSCTL, "/proc/sys/kernel/sem")->content, "1 2 3 4");
        ASSERT_NOT_NULL(find_op(p, PLAN_SYSCTL, "/proc/sys/fs/mqueue/msg_max"));
        /* through the fresh /proc, before /proc/sys is read-only */
        ASSERT_TRUE(op_index(p, PLAN_SYSCTL, "/proc/sys/net/ipv4/ip_forward") > op_index(p, PLAN_PROC, "/proc"));
        ASSERT_TRUE(op_index(p, PLAN_SYSCTL, "/proc/sys/kernel/sem") < op_index(p, PLAN_READ_ONLY, "/proc/sys"));
        p = plan_free(p);

        /* the host's network namespace: refused by the plan too, not only by the parser */
        {
                _cleanup_container_free_ Container *c = container_new("h");
                ASSERT_NOT_NULL(c);
                ASSERT_OK(free_and_strdup(&c->image, "host"));
                c->network = NETWORK_HOST;
                ASSERT_OK(strv_extend(&c->sysctls, "net.ipv4.ip_forward=1"));
                ASSERT_EQ(plan_build(c, &opts, &p, &reason), -EPERM);
                ASSERT_NULL(p);
                ASSERT_NOT_NULL(reason);
        }
}

TEST(hosts_and_resolv_conf) {
        _cleanup_plan_free_ Plan *p = NULL;
        PlanOptions o = opts;
        const PlanOp *op;

        /* AddHost= after the container's own lines; DNS= and the others: the launcher's text written, not copied */
        o.resolv_conf_text = "nameserver 10.0.0.53\n";
        ASSERT_EQ(plan_text_with("a", "[Container]\nRootDirectory=/r\nAddHost=db.example:10.0.0.5\nDNS=10.0.0.53\n",
                                 &o, &p, NULL), 0);
        op = find_op(p, PLAN_WRITE, "/run/ctr/.staging/etc/hosts");
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->content, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\ta\n"
                                  "10.0.0.5\tdb.example\n");
        op = find_op(p, PLAN_WRITE, "/run/ctr/.staging/etc/resolv.conf");
        ASSERT_NOT_NULL(op);
        ASSERT_NULL(find_op(p, PLAN_COPY, "/run/ctr/.staging/etc/resolv.conf"));
        p = plan_free(p);

        /* Image=host: into its generated /etc */
        ASSERT_EQ(plan_text_with("h", "[Container]\nImage=host\nAddHost=db.example:10.0.0.5\n", &o, &p, NULL), 0);
        op = find_op(p, PLAN_WRITE, "/run/ctr/.staging/host/etc/hosts");
        ASSERT_NOT_NULL(op);
        ASSERT_NOT_NULL(strstr(op->content, "\n10.0.0.5\tdb.example\n"));
}

TEST(api_filesystems) {
        _cleanup_plan_free_ Plan *p = NULL;
        /* Docker's list (2024) */
        static const char *const masked[] = { "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
                                              "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                                              "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                                              "/sys/firmware", "/sys/devices/virtual/powercap" };
        const PlanOp *mask_file;
        static const char *const ro[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs" };
        static const char *const nodes[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
                                             "/dev/tty" };

        ASSERT_EQ(plan_text("a", "[Container]\nRootDirectory=/r\n", &p, NULL), 0);
        ASSERT_NOT_NULL(find_op(p, PLAN_PROC, "/proc"));
        /* a file is masked with an empty regular file of our own, read-only: /dev/null stays writable under a
         * read-only mount, being a device */
        mask_file = find_op(p, PLAN_WRITE, "/run/ctr/.staging/mask");
        ASSERT_NOT_NULL(mask_file);
        ASSERT_STREQ(mask_file->content, "");
        ASSERT_EQ(mask_file->mode, 0444);
        for (size_t i = 0; i < ELEMENTSOF(masked); i++) {
                const PlanOp *o = find_op(p, PLAN_MASK, masked[i]);
                ASSERT_NOT_NULL(o);
                ASSERT_TRUE(op_index(p, PLAN_MASK, masked[i]) > op_index(p, PLAN_PROC, "/proc"));
                ASSERT_TRUE(op_index(p, PLAN_MASK, masked[i]) > mask_file - p->ops);
                ASSERT_STREQ(o->source, "/run/ctr/.staging/mask");
                ASSERT_TRUE(o->attr & MOUNT_ATTR_RDONLY);
                ASSERT_FALSE(o->check_destination);
        }
        for (size_t i = 0; i < ELEMENTSOF(ro); i++)
                ASSERT_NOT_NULL(find_op(p, PLAN_READ_ONLY, ro[i]));
        for (size_t i = 0; i < ELEMENTSOF(nodes); i++) {
                const PlanOp *o = find_op(p, PLAN_BIND, nodes[i]);
                ASSERT_NOT_NULL(o);
                ASSERT_STREQ(o->source, nodes[i]);
                ASSERT_TRUE(op_index(p, PLAN_BIND, nodes[i]) > op_index(p, PLAN_TMPFS, "/dev"));
        }
        ASSERT_TRUE(strstr(find_op(p, PLAN_DEVPTS, "/dev/pts")->options, "ptmxmode=0666") != NULL);
        ASSERT_STREQ(find_op(p, PLAN_SYMLINK, "/dev/ptmx")->source, "pts/ptmx");
        ASSERT_NOT_NULL(find_op(p, PLAN_MQUEUE, "/dev/mqueue"));
        ASSERT_NOT_NULL(find_op(p, PLAN_TMPFS, "/dev/shm"));
        ASSERT_TRUE(find_op(p, PLAN_CGROUP, "/sys/fs/cgroup")->attr & MOUNT_ATTR_RDONLY);
        ASSERT_TRUE(find_op(p, PLAN_SYSFS, "/sys")->attr & MOUNT_ATTR_RDONLY);
        ASSERT_NOT_NULL(find_op(p, PLAN_BIND, "/etc/hostname"));
        ASSERT_NOT_NULL(find_op(p, PLAN_BIND, "/etc/hosts"));
        ASSERT_NOT_NULL(find_op(p, PLAN_BIND, "/etc/resolv.conf"));
        ASSERT_STREQ(find_op(p, PLAN_BIND, "/run/host/os-release")->source, "/etc/os-release");
}

TEST(volumes) {
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *o;

        ASSERT_EQ(plan_text("v", "[Container]\nRootDirectory=/r\n"
                                 "Volume=/srv/www:/www:ro\n"
                                 "Volume=cache:/var/cache\n"
                                 "Volume=/x:/y:noexec,nosuid,nodev,norbind\n"
                                 "Tmpfs=/run:size=1M,mode=0700\n", &p, NULL), 0);
        o = find_op(p, PLAN_BIND, "/www");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->source, "/srv/www");
        ASSERT_EQ(o->attr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        ASSERT_TRUE(o->recursive);
        ASSERT_TRUE(o->in_root);

        o = find_op(p, PLAN_BIND, "/var/cache");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->source, "/state/volumes/cache");
        ASSERT_EQ(o->attr, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/volumes/cache") >= 0);
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/volumes/cache") < op_index(p, PLAN_BIND, "/var/cache"));

        o = find_op(p, PLAN_BIND, "/y");
        ASSERT_NOT_NULL(o);
        ASSERT_EQ(o->attr, MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        ASSERT_FALSE(o->recursive);

        o = find_op(p, PLAN_TMPFS, "/run");
        ASSERT_NOT_NULL(o);
        ASSERT_STREQ(o->options, "mode=0700,size=1048576");

        /* volumes come after the API filesystems, so they may cover them */
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/www") > op_index(p, PLAN_TMPFS, "/dev/shm"));
        /* /etc/hostname, hosts and resolv.conf after the volumes: the image's /etc/resolv.conf may link into
         * /run, which the Tmpfs=/run would otherwise hide (it was bound before, and covered) */
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/etc/resolv.conf") > op_index(p, PLAN_TMPFS, "/run"));
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/etc/hostname") > op_index(p, PLAN_TMPFS, "/run"));
}

/* A volume on one of the files, or on /etc, replaces ours: nothing of ours is bound there. */
TEST(volumes_replace_etc_files) {
        _cleanup_plan_free_ Plan *p = NULL, *q = NULL;

        ASSERT_EQ(plan_text("v", "[Container]\nRootDirectory=/r\nVolume=/srv/resolv:/etc/resolv.conf:ro\n", &p, NULL),
                  0);
        size_t n = 0;
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == PLAN_BIND && streq(p->ops[i].target, "/etc/resolv.conf")) {
                        ASSERT_STREQ(p->ops[i].source, "/srv/resolv");
                        n++;
                }
        ASSERT_EQ(n, 1);
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/etc/hosts") >= 0);

        ASSERT_EQ(plan_text("v", "[Container]\nRootDirectory=/r\nTmpfs=/etc\n", &q, NULL), 0);
        ASSERT_EQ(op_index(q, PLAN_BIND, "/etc/resolv.conf"), -1);
        ASSERT_EQ(op_index(q, PLAN_BIND, "/etc/hosts"), -1);
        ASSERT_EQ(op_index(q, PLAN_BIND, "/etc/hostname"), -1);
}

TEST(overlay_options) {
        _cleanup_free_ char *s = NULL;
        char *lowers[] = { (char *) "/l:2", (char *) "/l,1", NULL };
        PlanOp op = {
                .type = PLAN_OVERLAY,
                .lowerdirs = lowers,
                .upperdir = (char *) "/u",
                .workdir = (char *) "/w",
        };

        ASSERT_EQ(overlay_options_format(&op, &s), 0);
        ASSERT_STREQ(s, "lowerdir=/l\\:2:/l\\,1,upperdir=/u,workdir=/w");
}

/* Image=REF: the image's layers from its mstack directory, relative to it, bottom last; Layer= above them;
 * the writable layer in rw/; the image's Env, WorkingDir and Volumes. */
TEST(store_image_root) {
        _cleanup_plan_free_ Plan *p = NULL;
        char *env[] = { (char *) "A=1", (char *) "PATH=/image/bin", NULL };
        char *vols[] = { (char *) "/data", (char *) "/var/lib/a-b", NULL };
        PlanImage img = {
                .mstack = "/state/containers/web.mstack",
                .n_layers = 3,
                .environment = env,
                .volumes = vols,
                .make_working_directory = true,
        };
        PlanOptions o = opts;
        const PlanOp *op;

        o.image = &img;
        ASSERT_EQ(plan_text_with("web", "[Container]\nImage=docker.io/library/x:1\nLayer=/extra\n"
                                        "WorkingDirectory=/app\nVolume=/srv:/data/sub\n", &o, &p, NULL), 0);
        op = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_NOT_NULL(op);
        ASSERT_EQ(strv_len(op->lowerdirs), 4);
        ASSERT_STREQ(op->lowerdirs[0], "/extra");
        ASSERT_STREQ(op->lowerdirs[1], "layer@2");
        ASSERT_STREQ(op->lowerdirs[2], "layer@1");
        ASSERT_STREQ(op->lowerdirs[3], "layer@0");
        ASSERT_STREQ(op->lowerdir_base, "/state/containers/web.mstack");
        ASSERT_STREQ(op->upperdir, "/state/containers/web.mstack/rw/data");
        ASSERT_STREQ(op->workdir, "/state/containers/web.mstack/rw/work");
        ASSERT_EQ(op->attr, MOUNT_ATTR_NODEV);
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/state/containers/web.mstack/rw/data") < op_index(p, PLAN_OVERLAY, NULL));
        /* the image's WorkingDir is made inside the root, after the overlay */
        ASSERT_TRUE(op_index(p, PLAN_MKDIR, "/app") > op_index(p, PLAN_OVERLAY, NULL));
        ASSERT_TRUE(find_op(p, PLAN_MKDIR, "/app")->in_root);
        ASSERT_EQ(strv_len(p->image_environment), 2);
        ASSERT_STREQ(p->image_environment[1], "PATH=/image/bin");

        /* volumes: persistent, escaped names, filled on first use, before the .ctr's own (one below /data) */
        op = find_op(p, PLAN_BIND, "/data");
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->source, "/state/containers/web.volumes/data");
        ASSERT_TRUE(op->populate);
        ASSERT_TRUE(op->check_destination);
        ASSERT_EQ(op->attr, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        op = find_op(p, PLAN_BIND, "/var/lib/a-b");
        ASSERT_NOT_NULL(op);
        ASSERT_STREQ(op->source, "/state/containers/web.volumes/var-lib-a\\x2db");
        ASSERT_TRUE(op_index(p, PLAN_BIND, "/data") < op_index(p, PLAN_BIND, "/data/sub"));
        ASSERT_FALSE(find_op(p, PLAN_BIND, "/data/sub")->populate);
        /* no mkdir of a populated volume: its first use makes it */
        ASSERT_NULL(find_op(p, PLAN_MKDIR, "/state/containers/web.volumes/data"));
}

/* Ephemeral=yes and ReadOnly=yes: no writable layer on the disk; Ephemeral's volumes are on the tmpfs too */
TEST(store_image_ephemeral_read_only) {
        _cleanup_plan_free_ Plan *p = NULL, *p2 = NULL;
        char *vols[] = { (char *) "/data", NULL };
        PlanImage img = { .mstack = "/state/containers/e.mstack", .n_layers = 1, .volumes = vols };
        PlanOptions o = opts;
        const PlanOp *op;

        o.image = &img;
        ASSERT_EQ(plan_text_with("e", "[Container]\nImage=x\nEphemeral=yes\n", &o, &p, NULL), 0);
        op = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_STREQ(op->upperdir, "/run/ctr/.staging/rw/upper");
        ASSERT_STREQ(op->lowerdirs[0], "layer@0");
        ASSERT_STREQ(find_op(p, PLAN_BIND, "/data")->source, "/run/ctr/.staging/volumes/data");
        for (size_t i = 0; i < p->n_ops; i++)
                ASSERT_FALSE(strneq(p->ops[i].target, "/state/", 7));

        ASSERT_EQ(plan_text_with("e", "[Container]\nImage=x\nReadOnly=yes\n", &o, &p2, NULL), 0);
        op = find_op(p2, PLAN_OVERLAY, NULL);
        ASSERT_STREQ(op->upperdir, "/run/ctr/.staging/rw/upper");
        ASSERT_NOT_NULL(find_op(p2, PLAN_ROOT_READ_ONLY, NULL));
        /* a read-only root keeps its volumes writable and persistent, as docker run --read-only */
        op = find_op(p2, PLAN_BIND, "/data");
        ASSERT_STREQ(op->source, "/state/containers/e.volumes/data");
        ASSERT_FALSE(op->attr & MOUNT_ATTR_RDONLY);
}

/* PrivateUsers=: a user namespace; what root in it cannot do is the launcher's (by_parent): host directories,
 * the overlay, binds of host sources; the staging paths relative to the runtime directory; the image's
 * volumes through an id-mapped view of their directory on the staging tmpfs; named volumes id-mapped */
TEST(store_image_private_users) {
        _cleanup_plan_free_ Plan *p = NULL, *p2 = NULL, *p3 = NULL;
        char *vols[] = { (char *) "/data", NULL };
        PlanImage img = { .mstack = "/state/containers/u.mstack", .n_layers = 2, .volumes = vols };
        UsernsRange range = { .base = 1879048192, .count = 65536 };
        PlanOptions o = opts;
        const PlanOp *op;
        const char *reason = NULL;

        o.image = &img;
        o.userns = &range;
        ASSERT_EQ(plan_text_with("u", "[Container]\nImage=x\nVolume=cache:/cache\nVolume=/srv:/srv\n", &o, &p, NULL), 0);
        ASSERT_TRUE(p->clone_flags & CLONE_NEWUSER);
        ASSERT_TRUE(p->private_users);
        ASSERT_EQ(p->userns.base, 1879048192U);
        ASSERT_STREQ(p->staging, ".staging");
        ASSERT_STREQ(p->staging_host, "/run/ctr/.staging");
        ASSERT_STREQ(p->runtime_dir, "/run/ctr");
        ASSERT_TRUE(find_op(p, PLAN_OVERLAY, NULL)->by_parent);
        ASSERT_TRUE(find_op(p, PLAN_MKDIR, "/state/containers/u.mstack/rw/data")->by_parent);
        ASSERT_FALSE(find_op(p, PLAN_MKDIR, ".staging/root")->by_parent);
        ASSERT_TRUE(find_op(p, PLAN_BIND, "/dev/null")->by_parent);
        ASSERT_FALSE(find_op(p, PLAN_BIND, "/dev/null")->idmap);
        ASSERT_FALSE(find_op(p, PLAN_BIND, "/etc/hostname")->by_parent);
        op = find_op(p, PLAN_BIND, ".staging/volumes");
        ASSERT_NOT_NULL(op);
        ASSERT_FALSE(op->in_root);
        ASSERT_TRUE(op->by_parent && op->idmap);
        ASSERT_STREQ(op->source, "/state/containers/u.volumes");
        op = find_op(p, PLAN_BIND, "/data");
        ASSERT_STREQ(op->source, ".staging/volumes/data");
        ASSERT_TRUE(op->populate && !op->by_parent);
        op = find_op(p, PLAN_BIND, "/cache");
        ASSERT_TRUE(op->by_parent && op->idmap);
        op = find_op(p, PLAN_BIND, "/srv");
        ASSERT_TRUE(op->by_parent && !op->idmap);

        /* ReadOnly=: the launcher's tmpfs for the upper layer, nothing made on the staging tmpfs for it */
        ASSERT_EQ(plan_text_with("u", "[Container]\nImage=x\nReadOnly=yes\n", &o, &p2, NULL), 0);
        op = find_op(p2, PLAN_OVERLAY, NULL);
        ASSERT_TRUE(op->tmpfs_upper);
        ASSERT_NULL(op->upperdir);
        ASSERT_NULL(find_op(p2, PLAN_MKDIR, ".staging/rw/upper"));

        o.image = NULL;
        ASSERT_EQ(plan_text_with("u", "[Container]\nImage=host\n", &o, &p3, &reason), -EINVAL);
        ASSERT_TRUE(strstr(reason, "Image=host") != NULL);
}

/* 128 layers: their relative names fit in one page of mount(2) options; the same as absolute paths would
 * not, and are refused (E2BIG), never cut. */
TEST(store_image_128_layers) {
        _cleanup_plan_free_ Plan *p = NULL;
        _cleanup_free_ char *s = NULL, *t = NULL;
        PlanImage img = { .mstack = "/var/lib/ctr/containers/a-rather-long-container-name.mstack", .n_layers = 128 };
        PlanOptions o = opts;
        const PlanOp *op;
        char *abs[129] = {};

        o.image = &img;
        ASSERT_EQ(plan_text_with("n", "[Container]\nImage=x\n", &o, &p, NULL), 0);
        op = find_op(p, PLAN_OVERLAY, NULL);
        ASSERT_EQ(strv_len(op->lowerdirs), 128);
        ASSERT_STREQ(op->lowerdirs[0], "layer@127");
        ASSERT_STREQ(op->lowerdirs[127], "layer@0");
        ASSERT_EQ(overlay_mount_options_format(op->lowerdirs, "rw/data", "rw/work", 4096, &s), 0);
        ASSERT_TRUE(strlen(s) < 4096);
        for (size_t i = 0; i < 128; i++)
                ASSERT_NOT_NULL(abs[i] = strprintf("/var/lib/ctr/images/layers/sha256/%064zu", i));
        ASSERT_EQ(overlay_mount_options_format(abs, NULL, NULL, 4096, &t), -E2BIG);
        ASSERT_NULL(t);
        for (size_t i = 0; i < 128; i++)
                free(abs[i]);
}

TEST(format_and_dump) {
        _cleanup_plan_free_ Plan *p = NULL;
        _cleanup_free_ char *s = NULL, *dump = NULL;
        size_t len = 0;
        FILE *f;

        ASSERT_EQ(plan_text("d", "[Container]\nRootDirectory=/r\nVolume=/a:/b:ro\n", &p, NULL), 0);
        ASSERT_EQ(plan_op_format(find_op(p, PLAN_BIND, "/b"), &s), 0);
        ASSERT_STREQ(s, "bind root:/b from /a (ro,nosuid,nodev,rec)");

        f = open_memstream(&dump, &len);
        ASSERT_NOT_NULL(f);
        ASSERT_EQ(plan_dump(p, f), 0);
        fclose(f);
        ASSERT_TRUE(strneq(dump, "# namespaces: mnt pid uts ipc net\n# hostname: d\n", 47));
        ASSERT_TRUE(strstr(dump, "\noverlay /run/ctr/.staging/root lowerdir=/r,upperdir=/state/containers/d/upper,"
                                 "workdir=/state/containers/d/work (nodev)\n") != NULL);
        ASSERT_TRUE(strstr(dump, "\npivot-root /run/ctr/.staging/root\n") != NULL);
}

/* AppArmorProfile=: in the plan (and --print-plan) as this machine will apply it */
TEST(apparmor) {
        PlanOptions on = opts;
        const char *reason = NULL;
        on.apparmor = true;

        static const struct {
                const char *line;
                bool enabled;
                const char *profile, *dump;
        } cases[] = {
                { "",                                 false, NULL,          "# apparmor: none (AppArmor is not enabled on this machine)\n" },
                { "",                                 true,  "ctr-default", "# apparmor: ctr-default\n" },
                { "AppArmorProfile=unconfined\n",     false, NULL,          "# apparmor: none (AppArmorProfile=unconfined)\n" },
                { "AppArmorProfile=unconfined\n",     true,  NULL,          "# apparmor: none (AppArmorProfile=unconfined)\n" },
                { "AppArmorProfile=web\n",            true,  "web",         "# apparmor: web\n" },
                { "AppArmorProfile=ctr-default\n",    true,  "ctr-default", "# apparmor: ctr-default\n" },
        };
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_plan_free_ Plan *p = NULL;
                _cleanup_free_ char *text = strprintf("[Container]\nRootDirectory=/r\n%s", cases[i].line);
                _cleanup_free_ char *dump = NULL;
                size_t len = 0;
                FILE *f;

                ASSERT_NOT_NULL(text);
                ASSERT_EQ(plan_text_with("a", text, cases[i].enabled ? &on : &opts, &p, NULL), 0);
                ASSERT_STREQ(strna(p->apparmor_profile), strna(cases[i].profile));
                f = open_memstream(&dump, &len);
                ASSERT_NOT_NULL(f);
                ASSERT_EQ(plan_dump(p, f), 0);
                fclose(f);
                if (!strstr(dump, cases[i].dump))
                        TEST_FAIL("'%s' (AppArmor %s): no '%s' in\n%s", cases[i].line, cases[i].enabled ? "on" : "off",
                                  cases[i].dump, dump);
        }

        /* a profile named where AppArmor is off: isolation asked for that cannot be given, refused */
        _cleanup_plan_free_ Plan *p = NULL;
        ASSERT_EQ(plan_text("a", "[Container]\nRootDirectory=/r\nAppArmorProfile=ctr-default\n", &p, &reason), -EPERM);
        ASSERT_NULL(p);
        ASSERT_STREQ(reason, "AppArmorProfile= names a profile, but AppArmor is not enabled on this machine");
}

TEST(op_names) {
        for (int t = 0; t < _PLAN_OP_MAX; t++)
                ASSERT_NOT_NULL(plan_op_type_to_string((PlanOpType) t));
        ASSERT_NULL(plan_op_type_to_string(_PLAN_OP_MAX));
}
