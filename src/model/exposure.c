/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The exposure score (exposure.h). Each check below is one setting that weakens isolation; the weights
 * (tenths of a point) say how much of the container's confinement it gives up: the ones that amount to an
 * escape on their own (no seccomp filter, CAP_SYS_ADMIN, the host's root directory as a volume) weigh 3 to 4
 * points, the ones that make an escape easier or widen what a compromised workload reaches 1 to 2, the
 * hygiene ones (a writable root, no memory limit) a few tenths. ctrctl(1) lists them; keep the two in step. */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "alloc-util.h"
#include "caps-util.h"
#include "exposure.h"
#include "path-util.h"
#include "string-util.h"

/* The capabilities beyond ctr's default set, by what they give a compromised workload; any other: 1.0. */
static const struct {
        unsigned cap;
        unsigned weight;
} capability_weights[] = {
        { CAP_SYS_ADMIN,          40 },  /* mounts, namespaces, most of the kernel's privileged interfaces */
        { CAP_SYS_MODULE,         40 },  /* loads kernel code */
        { CAP_SYS_RAWIO,          35 },  /* raw I/O ports and memory */
        { CAP_MAC_ADMIN,          30 },
        { CAP_MAC_OVERRIDE,       30 },
        { CAP_BPF,                30 },
        { CAP_SYS_PTRACE,         25 },  /* with a shared namespace: other processes' memory */
        { CAP_DAC_READ_SEARCH,    25 },  /* open_by_handle_at(): the "shocker" escape */
        { CAP_NET_ADMIN,          20 },
        { CAP_SYS_BOOT,           15 },
        { CAP_SYS_TIME,           15 },
        { CAP_PERFMON,            15 },
        { CAP_CHECKPOINT_RESTORE, 15 },
        { CAP_AUDIT_CONTROL,      15 },
        { CAP_SYSLOG,             10 },
        { CAP_SYS_RESOURCE,       10 },
        { CAP_IPC_OWNER,          10 },
        { CAP_LINUX_IMMUTABLE,    10 },
        { CAP_NET_RAW,             5 },  /* raw packets: ARP and DNS spoofing on a shared bridge */
        { CAP_MKNOD,               5 },
        { CAP_AUDIT_READ,          5 },
        { CAP_IPC_LOCK,            5 },
        { CAP_SYS_NICE,            5 },
        { CAP_SYS_PACCT,           5 },
        { CAP_SYS_TTY_CONFIG,      5 },
        { CAP_AUDIT_WRITE,         3 },
        { CAP_LEASE,               3 },
        { CAP_WAKE_ALARM,          3 },
        { CAP_BLOCK_SUSPEND,       3 },
        { CAP_NET_BROADCAST,       3 },
};

/* Host directories whose contents are the host's own configuration, state or kernel interfaces: a volume of
 * one of them (or of a directory above them) hands the container the machine. */
static const char *const system_paths[] = {
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run", "/sbin", "/sys", "/usr",
        "/var/lib", "/var/run", "/var/log",
};

void exposure_done(Exposure *e) {
        for (size_t i = 0; i < e->n; i++) {
                free(e->items[i].setting);
                free(e->items[i].reason);
        }
        free(e->items);
        *e = (Exposure) {};
}

/* Adds one item; |setting| and |reason| are taken (freed on failure). */
static int add(Exposure *e, const char *id, char *setting, unsigned weight, char *reason) {
        if (!setting || !reason || ARRAY_RESERVE(e->items, e->n_allocated, e->n + 1) < 0) {
                free(setting);
                free(reason);
                return -ENOMEM;
        }
        e->items[e->n++] = (ExposureItem) { .id = id, .setting = setting, .weight = weight, .reason = reason };
        return 0;
}

static unsigned capability_weight(unsigned cap) {
        for (size_t i = 0; i < ELEMENTSOF(capability_weights); i++)
                if (capability_weights[i].cap == cap)
                        return capability_weights[i].weight;
        return 10;
}

static int check_capabilities(const Container *c, Exposure *e) {
        uint64_t extra = capability_set_compute(c->add_capabilities, c->drop_capabilities) & ~CAPABILITY_SET_DEFAULT;
        int r;

        for (unsigned cap = 0; cap < 64; cap++) {
                _cleanup_free_ char *name = NULL;

                if (!(extra & CAP_MASK(cap)))
                        continue;
                r = capability_set_to_string(CAP_MASK(cap), &name);
                if (r < 0)
                        return r;
                for (char *p = name; *p; p++)
                        *p = (char) toupper((unsigned char) *p);
                r = add(e, "capability", strprintf("AddCapability=%s", name), capability_weight(cap),
                        strprintf("%s in the bounding set, beyond ctr's default set", name));
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool is_system_path(const char *path) {
        if (streq(path, "/"))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(system_paths); i++)
                if (path_is_same_or_below(path, system_paths[i]) || path_is_same_or_below(system_paths[i], path))
                        return true;
        return false;
}

static int check_volumes(const Container *c, Exposure *e) {
        int r = 0;

        for (size_t i = 0; i < c->n_volumes && r >= 0; i++) {
                const Volume *v = &c->volumes[i];

                if (v->type == VOLUME_BIND && is_system_path(v->source))
                        r = add(e, "volume-system", strprintf("Volume=%s:%s", v->source, v->destination), 40,
                                strprintf("the host's %s, a system directory, %s", v->source,
                                          v->read_only ? "readable" : "writable"));
                else if (v->type == VOLUME_BIND && !v->read_only)
                        r = add(e, "volume-writable", strprintf("Volume=%s:%s", v->source, v->destination), 5,
                                strprintf("the host's %s writable", v->source));
                if (r >= 0 && !v->nodev)
                        r = add(e, "volume-dev", strprintf("Volume=%s:%s:dev", v->source, v->destination), 15,
                                strdup("device nodes on the volume open host devices"));
                if (r >= 0 && !v->nosuid)
                        r = add(e, "volume-suid", strprintf("Volume=%s:%s:suid", v->source, v->destination), 10,
                                strdup("set-user-ID programs on the volume take effect"));
        }
        for (size_t i = 0; i < c->n_tmpfs && r >= 0; i++) {
                const Tmpfs *t = &c->tmpfs[i];

                if (!t->nodev)
                        r = add(e, "tmpfs-dev", strprintf("Tmpfs=%s:dev", t->destination), 5,
                                strdup("device nodes made on the tmpfs open host devices"));
                if (r >= 0 && !t->nosuid)
                        r = add(e, "tmpfs-suid", strprintf("Tmpfs=%s:suid", t->destination), 5,
                                strdup("set-user-ID programs on the tmpfs take effect"));
        }
        return r;
}

/* AddDevice=: the host device itself, behind the scope's DeviceAllow= for it; what a device gives depends on the
 * device (a disk's raw blocks, a GPU's memory), so one weight per device, more when it can be written */
static int check_devices(const Container *c, Exposure *e) {
        int r = 0;

        for (size_t i = 0; i < c->n_devices && r >= 0; i++) {
                const Device *d = &c->devices[i];
                bool write = strchr(d->access, 'w');

                r = add(e, "device", strprintf("AddDevice=%s:%s:%s", d->source, d->target, d->access),
                        write ? 15 : 5, strprintf("the host device %s %s", d->source,
                                                  write ? "readable and writable" : "readable"));
        }
        return r;
}

static int check_network(const Container *c, Exposure *e) {
        int r = 0;

        if (c->network == NETWORK_HOST)
                return add(e, "network-host", strdup("Network=host"), 20,
                           strdup("the host's network namespace: its interfaces and its loopback-only services"));
        if (c->network == NETWORK_CONTAINER)
                r = add(e, "network-container", strprintf("Network=container:%s", c->network_container), 2,
                        strprintf("shares the network namespace of %s", c->network_container));
        if (r >= 0 && (c->join_namespaces & JOIN_NAMESPACE_IPC))
                r = add(e, "join-ipc", strdup("JoinNamespaces=ipc"), 3,
                        strprintf("shares the IPC namespace (shared memory, semaphores) of %s", c->network_container));
        for (size_t i = 0; i < c->n_ports && r >= 0; i++)
                if (!c->ports[i].host_address)
                        r = add(e, "publish-all", strprintf("PublishPort=%u:%u", c->ports[i].host_port,
                                                            c->ports[i].container_port), 2,
                                strdup("published on every address of the host, not one"));
        return r;
}

static bool is_root(const char *user) {
        return !user || streq(user, "root") || streq(user, "0");
}

int container_exposure(const Container *c, bool user_known, Exposure *ret) {
        Exposure e = {};
        bool userns = container_private_users(c) != PRIVATE_USERS_NO;
        unsigned total = 0;
        int r = 0;

        if (!userns)
                r = add(&e, "private-users", strdup("PrivateUsers=no"), 20,
                        strdup("no user namespace: root in the container is root on the host"));
        if (r >= 0 && is_root(c->user))
                r = add(&e, "user-root", strdup(c->user ? "User=root" : "User= (unset)"), userns ? 3 : 10,
                        strdup(!user_known ? "the image's User is not known (not in the store): root assumed" :
                               userns ? "runs as root (of the user namespace)" : "runs as root"));
        if (r >= 0 && !c->no_new_privileges)
                r = add(&e, "no-new-privileges", strdup("NoNewPrivileges=no"), 10,
                        strdup("set-user-ID programs can gain privileges"));
        if (r >= 0 && c->seccomp_profile && streq(c->seccomp_profile, "unconfined"))
                r = add(&e, "seccomp-unconfined", strdup("SeccompProfile=unconfined"), 30,
                        strdup("no system call filter: every system call the kernel has"));
        else if (r >= 0 && c->seccomp_profile)
                r = add(&e, "seccomp-custom", strprintf("SeccompProfile=%s", c->seccomp_profile), 5,
                        strdup("a profile of your own: what it allows is not judged here"));
        if (r >= 0 && c->apparmor_profile && streq(c->apparmor_profile, "unconfined"))
                r = add(&e, "apparmor-unconfined", strdup("AppArmorProfile=unconfined"), 10,
                        strdup("no AppArmor profile: mounts and writes to /proc/sys and /sys rest on the "
                               "capabilities and the filter alone"));
        else if (r >= 0 && c->apparmor_profile && !streq(c->apparmor_profile, "ctr-default"))
                r = add(&e, "apparmor-custom", strprintf("AppArmorProfile=%s", c->apparmor_profile), 2,
                        strdup("an AppArmor profile of your own: what it allows is not judged here"));
        if (r >= 0)
                r = check_capabilities(c, &e);
        if (r >= 0)
                r = check_network(c, &e);
        if (r >= 0)
                r = check_volumes(c, &e);
        if (r >= 0)
                r = check_devices(c, &e);
        if (r >= 0 && !c->read_only)
                r = add(&e, "writable-root", strdup("ReadOnly=no"), 3,
                        strdup("the root file system is writable"));
        if (r >= 0 && (c->memory_max == LIMIT_UNSET || c->memory_max == LIMIT_INFINITY) && c->memory_max_scale == 0)
                r = add(&e, "no-memory-limit", strdup("MemoryMax= (unset)"), 5,
                        strdup("no memory limit: it can push the host into its OOM killer"));
        if (r >= 0 && c->tasks_max == LIMIT_INFINITY)
                r = add(&e, "no-tasks-limit", strdup("TasksMax=infinity"), 5,
                        strdup("no limit on processes: a fork bomb reaches the host's"));
        if (r < 0) {
                exposure_done(&e);
                return r;
        }

        for (size_t i = 0; i < e.n; i++)
                total += e.items[i].weight;
        e.total = total > EXPOSURE_MAX ? EXPOSURE_MAX : total;
        *ret = e;
        return 0;
}

const char *exposure_level(unsigned total) {
        return total < 20 ? "SAFE" : total < 50 ? "OK" : total < 75 ? "MEDIUM" : total < 90 ? "EXPOSED" : "UNSAFE";
}
