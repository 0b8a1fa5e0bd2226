/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "apparmor.h"
#include "overlay-util.h"
#include "path-util.h"
#include "paths.h"
#include "plan-internal.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"
#include "user-record.h"

/* What Docker masks and makes read-only in /proc and /sys, so a container sees the same here (its list of
 * 2024, with /proc/interrupts: per-CPU interrupt counts are a side channel on the host's other tenants). */
static const char *const masked_paths[] = {
        "/proc/acpi",
        "/proc/asound",
        "/proc/interrupts",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/sys/devices/virtual/powercap",
        "/sys/firmware",
};

static const char *const read_only_paths[] = {
        "/proc/bus",
        "/proc/fs",
        "/proc/irq",
        "/proc/sys",
        "/proc/sysrq-trigger",
};

#define HOSTNAME_MAX 64U

static const char *const dev_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };

/* Merged-/usr links of an Image=host root; the lib variants only where the host has them. */
static const char *const usr_links[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };

void plan_options_from_environment(PlanOptions *ret) {
        *ret = (PlanOptions) {
                .state_dir = state_dir(),
                .runtime_dir = runtime_dir(),
                .apparmor = apparmor_enabled(),
        };
}

static void strv_free_simple(char **l) {
        if (!l)
                return;
        for (char **i = l; *i; i++)
                free(*i);
        free(l);
}

static void plan_op_done(PlanOp *op) {
        free(op->target);
        free(op->source);
        free(op->options);
        free(op->content);
        free(op->condition);
        strv_free_simple(op->lowerdirs);
        free(op->upperdir);
        free(op->workdir);
        free(op->lowerdir_base);
}

Plan *plan_free(Plan *p) {
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_ops; i++)
                plan_op_done(p->ops + i);
        free(p->ops);
        free(p->staging);
        free(p->staging_host);
        free(p->runtime_dir);
        free(p->root);
        free(p->hostname);
        free(p->resolv_conf);
        free(p->resolv_conf_text);
        strv_free_simple(p->add_hosts);
        free(p->hosts_file);
        free(p->network_container);
        strv_free_simple(p->image_environment);
        free(p->apparmor_profile);
        return mfree(p);
}

static int strdup_or_null(const char *s, char **ret) {
        if (!s) {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(s);
        return *ret ? 0 : -ENOMEM;
}

PlanOp *plan_add(Plan *p, PlanOpType type, bool in_root, const char *target, const char *source,
                        const char *options, unsigned attr) {
        PlanOp *ops, *op;

        ops = reallocarray(p->ops, p->n_ops + 1, sizeof(PlanOp));
        if (!ops)
                return NULL;
        p->ops = ops;
        op = p->ops + p->n_ops;
        *op = (PlanOp) {
                .type = type,
                .in_root = in_root,
                .attr = attr,
                .mode = 0755,
        };
        if (strdup_or_null(target, &op->target) < 0 ||
            strdup_or_null(source, &op->source) < 0 ||
            strdup_or_null(options, &op->options) < 0) {
                plan_op_done(op);
                return NULL;
        }
        p->n_ops++;
        return op;
}

PlanOp *plan_add_host_path(Plan *p, PlanOpType type, const char *dir, const char *name) {
        _cleanup_free_ char *path = strprintf("%s/%s", dir, name);
        if (!path)
                return NULL;
        return plan_add(p, type, false, path, NULL, NULL, 0);
}

static int plan_add_write(Plan *p, const char *dir, const char *name, mode_t mode, char *content) {
        PlanOp *op;

        if (!content)
                return -ENOMEM;
        op = plan_add_host_path(p, PLAN_WRITE, dir, name);
        if (!op) {
                free(content);
                return -ENOMEM;
        }
        op->content = content;
        op->mode = mode;
        return 0;
}

static int plan_add_copy(Plan *p, const char *source, const char *dir, const char *name) {
        PlanOp *op = plan_add_host_path(p, PLAN_COPY, dir, name);
        if (!op)
                return -ENOMEM;
        op->source = strdup(source);
        if (!op->source)
                return -ENOMEM;
        op->optional = true;
        return 0;
}

/* The generated /etc of Image=host: just enough for programs to run, nothing of the host's secrets. */
/* /etc/resolv.conf into |etc|: the text DNS= and the others made, or a copy of the host's */
static int plan_resolv_conf(Plan *p, const char *etc) {
        if (p->resolv_conf_text)
                return plan_add_write(p, etc, "resolv.conf", 0644, strdup(p->resolv_conf_text));
        return plan_add_copy(p, p->resolv_conf, etc, "resolv.conf");
}

static int plan_host_etc(Plan *p, const Container *c, const char *etc) {
        char *passwd = NULL, *group = NULL;
        int r;

        if (!plan_add(p, PLAN_MKDIR, false, etc, NULL, NULL, 0))
                return -ENOMEM;

        /* the same text exec_credentials_resolve() looks names up in */
        r = user_record_host_passwd(c->user, c->group, &passwd);
        if (r < 0)
                return r;
        r = plan_add_write(p, etc, "passwd", 0644, passwd);
        if (r < 0)
                return r;
        r = user_record_host_group(c->user, c->group, &group);
        if (r < 0)
                return r;
        r = plan_add_write(p, etc, "group", 0644, group);
        if (r < 0)
                return r;

        r = plan_add_write(p, etc, "nsswitch.conf", 0644, strdup(
                "passwd:         files\n"
                "group:          files\n"
                "shadow:         files\n"
                "hosts:          files dns\n"
                "networks:       files\n"
                "protocols:      files\n"
                "services:       files\n"
                "ethers:         files\n"
                "rpc:            files\n"));
        if (r < 0)
                return r;
        r = plan_add_write(p, etc, "hostname", 0644, strprintf("%s\n", p->hostname));
        if (r < 0)
                return r;
        r = plan_add_write(p, etc, "hosts", 0644, plan_hosts_head(p->hostname, p->add_hosts));
        if (r < 0)
                return r;

        /* os-release is the host's, through the read-only /usr, as on any merged-/usr system */
        PlanOp *op = plan_add_host_path(p, PLAN_SYMLINK, etc, "os-release");
        if (!op || !(op->source = strdup("../usr/lib/os-release")))
                return -ENOMEM;

        static const char *const copies[] = {
                "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives",
        };
        r = plan_resolv_conf(p, etc);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(copies); i++) {
                _cleanup_free_ char *src = strprintf("/etc/%s", copies[i]);
                if (!src)
                        return -ENOMEM;
                r = plan_add_copy(p, src, etc, copies[i]);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Image=host: a lower layer on the staging tmpfs with the merged-/usr links, empty mount points and a generated
 * /etc; the host's /usr is bound on top read-only once the overlay is mounted (overlayfs does not show the
 * submounts of its layers). */
static int plan_host_skeleton(Plan *p, const Container *c, const char *skel) {
        static const struct {
                const char *name;
                mode_t mode;
        } dirs[] = {
                { "usr", 0755 }, { "dev", 0755 }, { "proc", 0555 }, { "sys", 0555 }, { "run", 0755 },
                { "tmp", 01777 }, { "var", 0755 }, { "var/tmp", 01777 }, { "root", 0700 }, { "mnt", 0755 },
                { "srv", 0755 }, { "opt", 0755 },
        };
        PlanOp *op;

        if (!plan_add(p, PLAN_MKDIR, false, skel, NULL, NULL, 0))
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                op = plan_add_host_path(p, PLAN_MKDIR, skel, dirs[i].name);
                if (!op)
                        return -ENOMEM;
                op->mode = dirs[i].mode;
        }
        for (size_t i = 0; i < ELEMENTSOF(usr_links); i++) {
                op = plan_add_host_path(p, PLAN_SYMLINK, skel, usr_links[i]);
                if (!op ||
                    !(op->source = strprintf("usr/%s", usr_links[i])) ||
                    !(op->condition = strprintf("/usr/%s", usr_links[i])))
                        return -ENOMEM;
        }

        _cleanup_free_ char *etc = strprintf("%s/etc", skel);
        if (!etc)
                return -ENOMEM;
        return plan_host_etc(p, c, etc);
}

static int plan_root(Plan *p, const Container *c, const PlanOptions *o, const char **reason) {
        _cleanup_free_ char *skel = NULL, *upper = NULL, *work = NULL;
        size_t n_lowers = 0, k = 0;
        PlanOp *op;
        int r;

        if (c->image && streq(c->image, "host")) {
                skel = strprintf("%s/host", p->staging);
                if (!skel)
                        return -ENOMEM;
                r = plan_host_skeleton(p, c, skel);
                if (r < 0)
                        return r;
        } else if (c->image) {
                if (!o->image) {
                        *reason = "Image= from the local image store needs the image resolved first "
                                  "(ctr-launch does that)";
                        return -EOPNOTSUPP;
                }
                return plan_image_root(p, c, o);
        } else if (!c->root_directory) {
                *reason = "The container has no root: set Image= or RootDirectory=";
                return -EINVAL;
        }

        for (char **l = c->layers; l && *l; l++)
                n_lowers++;
        n_lowers++;

        if ((c->ephemeral || c->read_only) && o->userns) {
                /* the launcher's tmpfs (PlanOp.tmpfs_upper) */
        } else if (c->ephemeral || c->read_only) {
                /* A tmpfs upper layer: for Ephemeral= that is the point; for ReadOnly= it only holds the
                 * mount points we create, and the root is made read-only before pivot_root. */
                upper = strprintf("%s/rw/upper", p->staging);
                work = strprintf("%s/rw/work", p->staging);
        } else {
                upper = strprintf("%s/containers/%s/upper", o->state_dir, c->name);
                work = strprintf("%s/containers/%s/work", o->state_dir, c->name);
        }
        if (upper && work &&
            (!plan_add(p, PLAN_MKDIR, false, upper, NULL, NULL, 0) ||
             !plan_add(p, PLAN_MKDIR, false, work, NULL, NULL, 0)))
                return -ENOMEM;
        if (!upper && !(o->userns && (c->ephemeral || c->read_only)))
                return -ENOMEM;

        /* nodev: the container keeps CAP_MKNOD (Docker's default set), and a node it creates in its root
         * must not open a host device; the usable nodes are our bind mounts in /dev, with their own flags. */
        op = plan_add(p, PLAN_OVERLAY, false, p->root, NULL, NULL, MOUNT_ATTR_NODEV);
        if (!op)
                return -ENOMEM;
        op->upperdir = TAKE_PTR(upper);
        op->workdir = TAKE_PTR(work);
        op->tmpfs_upper = !op->upperdir;
        op->lowerdirs = calloc(n_lowers + 1, sizeof(char *));
        if (!op->lowerdirs)
                return -ENOMEM;
        /* lowerdir= lists the top layer first: the last Layer= is on top, the root at the bottom */
        for (size_t i = n_lowers - 1; i > 0; i--)
                if (!(op->lowerdirs[k++] = strdup(c->layers[i - 1])))
                        return -ENOMEM;
        if (!(op->lowerdirs[k] = strdup(skel ?: c->root_directory)))
                return -ENOMEM;

        if (skel) {
                op = plan_add(p, PLAN_BIND, true, "/usr", "/usr", NULL, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV);
                if (!op)
                        return -ENOMEM;
                op->recursive = true;
        }
        return 0;
}

static int plan_proc_sys(Plan *p, const Container *c) {
        _cleanup_free_ char *mask = NULL;
        PlanOp *op;
        int r;

        if (!plan_add(p, PLAN_PROC, true, "/proc", NULL, NULL,
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                return -ENOMEM;
        /* Sysctl=: written through the fresh /proc, which shows the namespaces of the child writing, before
         * /proc/sys is made read-only for good */
        STRV_FOREACH(e, c->sysctls) {
                size_t n = strcspn(*e, "=");
                _cleanup_free_ char *path = strprintf("/proc/sys/%.*s", (int) n, *e);

                if (!path)
                        return -ENOMEM;
                for (char *d = path + strlen("/proc/sys/"); *d; d++)
                        if (*d == '.')
                                *d = '/';
                op = plan_add(p, PLAN_SYSCTL, true, path, NULL, NULL, 0);
                if (!op || !(op->content = strdup(*e + n + 1)))
                        return -ENOMEM;
        }
        for (size_t i = 0; i < ELEMENTSOF(read_only_paths); i++)
                if (!plan_add(p, PLAN_READ_ONLY, true, read_only_paths[i], NULL, NULL, MOUNT_ATTR_RDONLY))
                        return -ENOMEM;

        if (c->network == NETWORK_HOST) {
                /* A fresh sysfs needs a network namespace of our own: bind the host's, read-only. */
                op = plan_add(p, PLAN_BIND, true, "/sys", "/sys", NULL,
                              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
                if (!op)
                        return -ENOMEM;
                op->recursive = true;
        } else if (!plan_add(p, PLAN_SYSFS, true, "/sys", NULL, NULL,
                             MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                return -ENOMEM;

        op = plan_add(p, PLAN_CGROUP, true, "/sys/fs/cgroup", NULL, NULL,
                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (!op)
                return -ENOMEM;
        op->optional = true;

        /* A file is masked with an empty regular file, read-only: reading it gives nothing, as /dev/null
         * would, but writing fails with EROFS (a character device ignores a read-only mount), so a mask
         * never looks like a writable file to the container. */
        mask = strprintf("%s/mask", p->staging);
        if (!mask)
                return -ENOMEM;
        r = plan_add_write(p, p->staging, "mask", 0444, strdup(""));
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(masked_paths); i++)
                if (!plan_add(p, PLAN_MASK, true, masked_paths[i], mask, NULL,
                              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                        return -ENOMEM;
        return 0;
}

static int plan_dev(Plan *p) {
        static const struct {
                const char *path, *text;
        } links[] = {
                { "/dev/ptmx", "pts/ptmx" },
                { "/dev/fd", "/proc/self/fd" },
                { "/dev/stdin", "/proc/self/fd/0" },
                { "/dev/stdout", "/proc/self/fd/1" },
                { "/dev/stderr", "/proc/self/fd/2" },
                { "/dev/core", "/proc/kcore" },
        };
        PlanOp *op;

        /* nodev: the only usable nodes are the bind mounts of the host's, which keep their own flags */
        if (!plan_add(p, PLAN_TMPFS, true, "/dev", NULL, "mode=0755,size=64k,nr_inodes=64k",
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODEV))
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(dev_nodes); i++) {
                _cleanup_free_ char *path = strprintf("/dev/%s", dev_nodes[i]);
                if (!path || !plan_add(p, PLAN_BIND, true, path, path, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC))
                        return -ENOMEM;
        }
        if (!plan_add(p, PLAN_DEVPTS, true, "/dev/pts", NULL, "newinstance,ptmxmode=0666,mode=0620,gid=5",
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC))
                return -ENOMEM;
        if (!plan_add(p, PLAN_TMPFS, true, "/dev/shm", NULL, "mode=1777,size=64m",
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                return -ENOMEM;
        if (!plan_add(p, PLAN_MQUEUE, true, "/dev/mqueue", NULL, NULL,
                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(links); i++) {
                op = plan_add(p, PLAN_SYMLINK, true, links[i].path, links[i].text, NULL, 0);
                if (!op)
                        return -ENOMEM;
        }
        return 0;
}

/* Whether a Volume=, Tmpfs= or image volume planned so far is on |path| or on a directory above it. */
static bool plan_volume_covers(const Plan *p, const char *path) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].in_root && (p->ops[i].check_destination || p->ops[i].populate) &&
                    path_is_same_or_below(path, p->ops[i].target))
                        return true;
        return false;
}

/* DIR/hosts bound on /etc/hosts, unless a volume has it; p->hosts_file names it for the monitor. */
static int plan_hosts_bind(Plan *p, const char *dir) {
        _cleanup_free_ char *src = strprintf("%s/hosts", dir);
        PlanOp *op;

        if (!src)
                return -ENOMEM;
        if (plan_volume_covers(p, "/etc/hosts"))
                return 0;
        op = plan_add(p, PLAN_BIND, true, "/etc/hosts", src, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (!op)
                return -ENOMEM;
        op->launcher_file = true;
        p->hosts_file = TAKE_PTR(src);
        return 0;
}

/* /etc/hostname, /etc/hosts, /etc/resolv.conf for images: generated on the staging tmpfs, bound in. The
 * generated /etc of Image=host has them already. After the volumes: an image's /etc/resolv.conf may be a link
 * into /run (systemd-resolved's stub), and a Tmpfs=/run mounted after it would hide the bind. One that a
 * volume replaces (on the file or on /etc) is the volume's, as with Docker; and one whose path leads onto a
 * volume through the image's links is skipped by the launcher (PlanOp.launcher_file). */
static int plan_etc_binds(Plan *p, bool host_image) {
        static const char *const files[] = { "hostname", "hosts", "resolv.conf" };
        /* Network=bridge and its joiners: the monitor keeps /etc/hosts current (network-names.h), through a
         * file of its own also for Image=host, whose generated /etc is a layer of the overlay */
        bool names = p->network_bridge || p->network_container;
        _cleanup_free_ char *dir = NULL;
        PlanOp *op;
        int r;

        if (host_image && !names)
                return 0;

        dir = strprintf("%s/etc", p->staging);
        if (!dir || !plan_add(p, PLAN_MKDIR, false, dir, NULL, NULL, 0))
                return -ENOMEM;
        r = plan_add_write(p, dir, "hosts", 0644, plan_hosts_head(p->hostname, p->add_hosts));
        if (r < 0)
                return r;
        if (host_image)
                return plan_hosts_bind(p, dir);
        r = plan_add_write(p, dir, "hostname", 0644, strprintf("%s\n", p->hostname));
        if (r < 0)
                return r;
        /* an empty one first, so the bind below always has a source */
        r = plan_add_write(p, dir, "resolv.conf", 0644, strdup(""));
        if (r < 0)
                return r;
        r = plan_resolv_conf(p, dir);
        if (r < 0)
                return r;

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *src = strprintf("%s/%s", dir, files[i]),
                                    *dst = strprintf("/etc/%s", files[i]);
                if (!src || !dst)
                        return -ENOMEM;
                if (streq(files[i], "hosts") && names) {
                        r = plan_hosts_bind(p, dir);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (plan_volume_covers(p, dst))
                        continue;
                op = plan_add(p, PLAN_BIND, true, dst, src, NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
                if (!op)
                        return -ENOMEM;
                op->launcher_file = true;
        }
        return 0;
}

char *plan_hosts_head(const char *hostname, char *const *add_hosts) {
        _cleanup_free_ char *extra = NULL;

        if (!strv_isempty(add_hosts) && (strv_join(add_hosts, "\n", &extra) < 0 || !extra))
                return NULL;
        return strprintf("127.0.0.1\tlocalhost\n"
                         "::1\tlocalhost ip6-localhost ip6-loopback\n"
                         "127.0.1.1\t%s\n%s%s", hostname, strempty(extra), extra ? "\n" : "");
}


bool plan_destination_is_allowed(const char *d) {
        static const char *const proc_files[] = {
                "/proc/cpuinfo", "/proc/diskstats", "/proc/loadavg", "/proc/meminfo", "/proc/slabinfo",
                "/proc/stat", "/proc/swaps", "/proc/uptime",
        };

        if (streq(d, "/proc") || streq(d, "/sys"))
                return false;
        if (!strneq(d, "/proc/", 6))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(proc_files); i++)
                if (streq(d, proc_files[i]))
                        return true;
        return false;
}

static int plan_volumes(Plan *p, const Container *c, const PlanOptions *o) {
        PlanOp *op;

        for (size_t i = 0; i < c->n_volumes; i++) {
                const Volume *v = c->volumes + i;
                _cleanup_free_ char *src = NULL;
                unsigned attr = (v->read_only ? MOUNT_ATTR_RDONLY : 0) | (v->nosuid ? MOUNT_ATTR_NOSUID : 0) |
                                (v->nodev ? MOUNT_ATTR_NODEV : 0) | (v->noexec ? MOUNT_ATTR_NOEXEC : 0);

                if (v->type == VOLUME_NAMED) {
                        src = strprintf("%s/volumes/%s", o->state_dir, v->source);
                        if (!src || !plan_add(p, PLAN_MKDIR, false, src, NULL, NULL, 0))
                                return -ENOMEM;
                } else if (!(src = strdup(v->source)))
                        return -ENOMEM;

                op = plan_add(p, PLAN_BIND, true, v->destination, src, NULL, attr);
                if (!op)
                        return -ENOMEM;
                op->recursive = v->recursive;
                op->check_destination = true;
                /* a named volume is ctr's own directory: its root is the container's root */
                op->idmap = v->idmap || v->type == VOLUME_NAMED;
        }

        for (size_t i = 0; i < c->n_tmpfs; i++) {
                const Tmpfs *t = c->tmpfs + i;
                _cleanup_free_ char *opts = NULL;
                unsigned attr = (t->read_only ? MOUNT_ATTR_RDONLY : 0) | (t->nosuid ? MOUNT_ATTR_NOSUID : 0) |
                                (t->nodev ? MOUNT_ATTR_NODEV : 0) | (t->noexec ? MOUNT_ATTR_NOEXEC : 0);

                if (t->size != LIMIT_UNSET && t->size != LIMIT_INFINITY)
                        opts = strprintf("mode=%04o,size=%llu", (unsigned) t->mode, (unsigned long long) t->size);
                else
                        opts = strprintf("mode=%04o", (unsigned) t->mode);
                if (!opts || !(op = plan_add(p, PLAN_TMPFS, true, t->destination, NULL, opts, attr)))
                        return -ENOMEM;
                op->check_destination = true;
        }
        return 0;
}

int plan_build(const Container *c, const PlanOptions *o, Plan **ret, const char **ret_reason) {
        _cleanup_plan_free_ Plan *p = NULL;
        const char *reason = NULL;
        bool host_image;
        PlanOp *op;
        int r;

        if (!c || !c->name || !o || !ret)
                return -EINVAL;

        if (c->network == NETWORK_CONTAINER && isempty(c->network_container)) {
                if (ret_reason)
                        *ret_reason = "Network=container: names no container";
                return -EINVAL;
        }

        /* the model refuses this at load (container_keys_check()); a Container made otherwise is refused here */
        if (c->network == NETWORK_CONTAINER && c->n_ports > 0) {
                if (ret_reason)
                        *ret_reason = "PublishPort= cannot be used with Network=container:: the network namespace "
                                      "is the other container's, publish the ports there";
                return -EINVAL;
        }

        const char *apparmor = NULL;
        if (apparmor_profile_wanted(c->apparmor_profile, o->apparmor, &apparmor) < 0) {
                if (ret_reason)
                        *ret_reason = "AppArmorProfile= names a profile, but AppArmor is not enabled on this machine";
                return -EPERM;
        }

        if (o->userns && (reason = plan_private_users_refused(c))) {
                if (ret_reason)
                        *ret_reason = reason;
                return -EINVAL;
        }

        p = calloc(1, sizeof(Plan));
        if (!p)
                return -ENOMEM;
        p->staging_host = strprintf("%s/.staging", o->runtime_dir);
        if (o->userns) {
                p->staging = strdup(".staging");
                p->root = strdup(".staging/root");
                p->runtime_dir = strdup(o->runtime_dir);
                if (!p->runtime_dir)
                        return -ENOMEM;
        } else {
                p->staging = strdup(p->staging_host ?: "");
                p->root = strprintf("%s/.staging/root", o->runtime_dir);
        }
        /* A name may have 200 characters, a hostname 64 (sethostname() refuses more): cut, as a hostname
         * label would be, without a trailing '-' or '.'. */
        p->hostname = strndup(o->hostname ?: container_hostname(c), HOSTNAME_MAX);
        p->resolv_conf = strdup(o->resolv_conf ?: "/etc/resolv.conf");
        if ((o->resolv_conf_text && !(p->resolv_conf_text = strdup(o->resolv_conf_text))) ||
            strv_copy(c->add_hosts, &p->add_hosts) < 0)
                return -ENOMEM;
        if (!p->staging_host || !p->staging || !p->root || !p->hostname || !p->resolv_conf)
                return -ENOMEM;
        p->apparmor = o->apparmor;
        p->apparmor_unconfined = c->apparmor_profile && streq(c->apparmor_profile, "unconfined");
        if (apparmor && !(p->apparmor_profile = strdup(apparmor)))
                return -ENOMEM;
        for (size_t n = strlen(p->hostname); n > 1 && strchr("-.", p->hostname[n - 1]); n--)
                p->hostname[n - 1] = '\0';
        p->clone_flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
        if (c->network == NETWORK_NONE || c->network == NETWORK_BRIDGE) {
                /* bridge: eth0 is moved in and configured by the monitor before the release */
                p->clone_flags |= CLONE_NEWNET;
                p->network_loopback = true;
                p->network_bridge = c->network == NETWORK_BRIDGE;
        } else if (c->network == NETWORK_CONTAINER) {
                /* joined in the child with setns() before anything else; its sysfs is then ours to mount */
                p->network_container = strdup(c->network_container);
                if (!p->network_container)
                        return -ENOMEM;
                /* JoinNamespaces=: those are joined the same way instead of being new */
                p->join_namespaces = c->join_namespaces;
                if (p->join_namespaces & JOIN_NAMESPACE_IPC)
                        p->clone_flags &= ~(unsigned long) CLONE_NEWIPC;
                if (p->join_namespaces & JOIN_NAMESPACE_UTS)
                        p->clone_flags &= ~(unsigned long) CLONE_NEWUTS;
        }
        /* the parser refuses a sysctl of a namespace that is not the container's own; the plan does not rely
         * on it: such a write would change the host's (or another container's) */
        STRV_FOREACH(e, c->sysctls) {
                _cleanup_free_ char *name = strndup(*e, strcspn(*e, "="));
                unsigned long ns = name ? sysctl_namespace(name) : 0;

                if (!name)
                        return -ENOMEM;
                if (ns == 0 || !(p->clone_flags & ns)) {
                        if (ret_reason)
                                *ret_reason = "a Sysctl= of a namespace that is not the container's own";
                        return -EPERM;
                }
        }
        host_image = c->image && streq(c->image, "host");
        if (o->image && o->image->environment && strv_copy(o->image->environment, &p->image_environment) < 0)
                return -ENOMEM;

        if (!plan_add(p, PLAN_STAGING, false, p->staging, NULL, "mode=0700", 0) ||
            !plan_add(p, PLAN_MKDIR, false, p->root, NULL, NULL, 0))
                return -ENOMEM;

        r = plan_root(p, c, o, &reason);
        if (r < 0) {
                if (ret_reason)
                        *ret_reason = reason;
                return r;
        }
        r = plan_proc_sys(p, c);
        if (r < 0)
                return r;
        r = plan_dev(p);
        if (r >= 0)
                r = plan_devices(p, c);
        if (r < 0)
                return r;

        /* systemd's container interface: the host's os-release at /run/host/os-release */
        op = plan_add(p, PLAN_BIND, true, "/run/host/os-release", "/etc/os-release", NULL,
                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (!op)
                return -ENOMEM;
        op->optional = true;

        /* Notify=yes: the monitor's notify socket (created before clone(), see service.c) and nothing else:
         * its host directory would let the container fill the host's /run. Read-only, since sending to a
         * socket needs write permission on its inode, not a writable mount; the mount point stops the
         * container from unlinking or replacing it. */
        if (c->notify) {
                _cleanup_free_ char *sock = NULL;

                if (asprintf(&sock, "%s/%s/notify/notify", o->runtime_dir, c->name) < 0)
                        return -ENOMEM;
                op = plan_add(p, PLAN_BIND, true, NOTIFY_SOCKET_CONTAINER_PATH, sock, NULL,
                              MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
                if (!op)
                        return -ENOMEM;
        }

        /* Volumes last, so they may cover anything above (a Tmpfs=/dev/shm replaces ours) — except /proc and
         * /sys themselves. */
        for (size_t i = 0; i < c->n_volumes + c->n_tmpfs; i++) {
                const char *d = i < c->n_volumes ? c->volumes[i].destination : c->tmpfs[i - c->n_volumes].destination;
                if (d && !plan_destination_is_allowed(d)) {
                        if (ret_reason)
                                *ret_reason = "a Volume= or Tmpfs= on /proc, below /proc or on /sys would undo the "
                                              "container's masked and read-only paths";
                        return -EPERM;
                }
        }
        /* the image's first: a Volume= below one of them is mounted on top of it */
        r = plan_image_volumes(p, c, o);
        if (r < 0)
                return r;
        r = plan_volumes(p, c, o);
        if (r < 0)
                return r;
        r = plan_etc_binds(p, host_image);
        if (r < 0)
                return r;
        r = plan_secrets(p, c, o, &reason);
        if (r < 0) {
                if (ret_reason)
                        *ret_reason = reason;
                return r;
        }

        /* Mask=: over everything mounted above, with the default masks' empty file (or an empty tmpfs for a
         * directory), resolved in the root; a path that does not exist is left alone, as Docker does. */
        STRV_FOREACH(m, c->mask_paths) {
                _cleanup_free_ char *mask = strprintf("%s/mask", p->staging);
                if (!mask || !plan_add(p, PLAN_MASK, true, *m, mask, NULL,
                                       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC))
                        return -ENOMEM;
        }

        if (c->read_only && !plan_add(p, PLAN_ROOT_READ_ONLY, true, "/", NULL, NULL, MOUNT_ATTR_RDONLY))
                return -ENOMEM;
        if (!plan_add(p, PLAN_PIVOT_ROOT, false, p->root, NULL, NULL, 0))
                return -ENOMEM;

        if (o->userns)
                plan_private_users(p, o->userns);

        *ret = TAKE_PTR(p);
        return 0;
}
