/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The launcher's privileged work, planned first: a Container becomes an ordered list of operations with every
 * path and option computed. Building a plan needs no privileges and touches nothing, so the unit tests check
 * plans directly; mount-setup.c applies one in the container's private mount namespace.
 *
 * Two kinds of targets: operations before PLAN_OVERLAY (and those with in_root = false) name host paths below
 * the staging directory, a tmpfs private to the container's mount namespace; operations with in_root = true
 * name paths inside the new root and are resolved with chase() (openat2(RESOLVE_IN_ROOT)), so a symlink in
 * an image can never send a mount onto the host. */

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "ctr-file.h"
#include "userns-range.h"

typedef enum PlanOpType {
        PLAN_STAGING,           /* tmpfs on the staging directory: everything below is private and vanishes */
        PLAN_MKDIR,             /* mkdir -p, mode; host path (state dirs, staging) or in_root */
        PLAN_WRITE,             /* a generated file with content */
        PLAN_COPY,              /* copy a host file, or a directory of files and symlinks; optional: skip missing */
        PLAN_SYMLINK,           /* symlink target -> source; condition: only when that host path exists */
        PLAN_OVERLAY,           /* the root filesystem: overlay of lowerdirs (+ upperdir/workdir) on the root */
        PLAN_BIND,              /* host source onto an in-root target, created as dir or file like the source */
        PLAN_TMPFS,
        PLAN_PROC,
        PLAN_SYSFS,             /* a fresh sysfs: needs a network namespace of our own */
        PLAN_CGROUP,            /* cgroup2 of the container's own cgroup namespace; optional */
        PLAN_DEVPTS,
        PLAN_MQUEUE,
        PLAN_MASK,              /* an empty read-only file over a file, an empty read-only tmpfs over a directory;
                                 * missing: skip */
        PLAN_READ_ONLY,         /* a path bound over itself read-only; missing: skip */
        PLAN_SECRETS,           /* the ramfs of the service's credentials (options), attr once filled; in the
                                 * first pass only its mount point is made: it is filled, sealed and attached
                                 * once the workload's user is known (mount_setup_secrets()) */
        PLAN_SECRET,            /* one credential (source: its name in $CREDENTIALS_DIRECTORY) as the file
                                 * target below the PLAN_SECRETS before it, mode, owned by the workload */
        PLAN_ROOT_READ_ONLY,    /* ReadOnly=yes: the root mount itself read-only, at the very end */
        PLAN_PIVOT_ROOT,        /* pivot_root into the root and detach the old one */
        PLAN_SYSCTL,            /* Sysctl=: content written to the in-root /proc/sys file, after the fresh /proc
                                 * is mounted and before /proc/sys is made read-only */
        _PLAN_OP_MAX,
} PlanOpType;

typedef struct PlanOp {
        PlanOpType type;
        bool in_root;           /* target is a path inside the new root */
        char *target;
        char *source;           /* host path (bind, copy, mask source), symlink text */
        char *options;          /* filesystem options "k=v,k2" passed one by one to fsconfig() */
        char *content;          /* PLAN_WRITE */
        char *condition;        /* PLAN_SYMLINK: only when this host path exists */
        unsigned attr;          /* MOUNT_ATTR_RDONLY | _NOSUID | _NODEV | _NOEXEC */
        bool recursive;         /* bind: AT_RECURSIVE, and attributes recursively */
        bool optional;          /* a failure (or a missing source) is skipped, logged at debug level */
        bool check_destination; /* Volume=, Tmpfs=: the target as resolved in the root must pass
                                 * plan_destination_is_allowed() too (a symlink /data -> /proc in the image) */
        bool launcher_file;     /* PLAN_BIND of /etc/hostname, hosts, resolv.conf: skipped when the target
                                 * resolves onto a volume (a filesystem other than the root's overlay or a
                                 * tmpfs): that directory is the user's, and gets no mount point of ours */
        bool populate;          /* PLAN_BIND of an image's volume: a source that does not exist yet is made
                                 * and filled with what the root has at the target (owners, modes), as Docker
                                 * fills a new anonymous volume; the plan has no mkdir for it */
        bool device;            /* PLAN_BIND of AddDevice=: the source, symlinks followed, must be a character
                                 * or block device (checked on the opened mount, so nothing else is bound) */
        mode_t mode;            /* PLAN_MKDIR, PLAN_WRITE */
        /* PLAN_OVERLAY */
        char **lowerdirs;       /* top first, unescaped; NULL-terminated */
        char *upperdir, *workdir;
        char *lowerdir_base;    /* relative lowerdirs (an image's layer@N) are below this directory: the
                                 * mount is done from it, so 128 layers fit in one page of lowerdir= */
        bool tmpfs_upper;       /* PrivateUsers= with Ephemeral=/ReadOnly=: upper and work on a tmpfs the
                                 * launcher makes (upperdir/workdir NULL) */
        /* PrivateUsers=: done by the launcher on the host side, before the release (userns-mount.h), since
         * root in the container's user namespace has no rights over host paths: PLAN_MKDIR of a host path,
         * PLAN_OVERLAY (over id-mapped layers) and PLAN_BIND of a host source (opened, attributes set, passed
         * to the child as a detached mount) */
        bool by_parent;
        bool idmap;             /* PLAN_BIND by_parent: id-mapped through the container's range */
} PlanOp;

/* An Image= from the store, as the launcher resolved and laid it out (src/image: image-root.h,
 * image-defaults.h): plain data, since this layer does not see the store. */
typedef struct PlanImage {
        const char *mstack;             /* STATE/containers/NAME.mstack: layer@0 (bottom) … layer@N-1, rw/ */
        size_t n_layers;
        char **environment;             /* the image's Env: under EnvironmentFile= and Environment= */
        char **volumes;                 /* the image's Volumes that apply, absolute and normalised */
        bool make_working_directory;    /* WorkingDirectory= is the image's: created when missing */
} PlanImage;

typedef struct PlanOptions {
        const char *state_dir;          /* default CTR_STATE_DIR, env CTR_STATE_DIR */
        const char *runtime_dir;        /* default CTR_RUNTIME_DIR, env CTR_RUNTIME_DIR */
        const char *resolv_conf;        /* the host file copied to /etc/resolv.conf; NULL = /etc/resolv.conf */
        const char *resolv_conf_text;   /* DNS=, DNSSearch=, DNSOption=: /etc/resolv.conf as resolv_conf_build()
                                         * made it from the host's, written instead of the copy; NULL: a copy */
        const PlanImage *image;         /* Image=REF (not host): required for such a container */
        const UsernsRange *userns;      /* PrivateUsers=: the container's range; NULL = no user namespace */
        const char *hostname;           /* JoinNamespaces=uts: the joined container's hostname, for /etc/hostname;
                                         * NULL = container_hostname() */
        char *const *credentials;       /* the names of the credentials systemd passed ($CREDENTIALS_DIRECTORY),
                                         * all of which appear in the container unless Secret= picks; NULL:
                                         * none (or not known: ctrctl validate) */
        bool apparmor;                  /* AppArmor is enabled on this machine (apparmor_enabled()) */
} PlanOptions;

typedef struct Plan {
        PlanOp *ops;
        size_t n_ops;
        char *staging;          /* RUNTIME/.staging: the host directory the staging tmpfs covers. One for all
                                 * containers: each mounts its own tmpfs on it in its own mount namespace, so
                                 * the host only ever sees an empty directory, and a start costs no mkdir */
        char *staging_host;     /* the staging directory as the launcher names it: = staging, but absolute also
                                 * with PrivateUsers=, where staging is ".staging", relative to runtime_dir:
                                 * root in the user namespace may not search the directories above the runtime
                                 * directory (a 0700 one of the tests), so the child changes into it while it
                                 * still has the launcher's ids and works from there */
        char *runtime_dir;      /* PrivateUsers=: the directory staging is relative to; NULL otherwise */
        char *root;             /* STAGING/root: where the new root is assembled */
        unsigned long clone_flags; /* CLONE_NEW* for clone3() */
        bool network_loopback;  /* bring lo up inside (Network=none, bridge) */
        bool network_bridge;    /* Network=bridge: the monitor adds eth0 before the release */
        char *network_container; /* Network=container:NAME: join that running container's network namespace */
        unsigned join_namespaces; /* JoinNamespaces=: JOIN_NAMESPACE_* of network_container's joined too */
        char *hostname;
        char *resolv_conf;      /* host source of /etc/resolv.conf */
        char *resolv_conf_text; /* PlanOptions.resolv_conf_text: written rather than copied */
        char **add_hosts;       /* AddHost=: "ADDRESS\tNAME" lines after the container's own in /etc/hosts */
        char *hosts_file;       /* Network=bridge or container:: the staging file bound on /etc/hosts, which the
                                 * monitor keeps current (network-names.h); NULL: none, or a volume's */
        char **image_environment; /* PlanImage.environment, for container_build_environment() */
        bool private_users;     /* CLONE_NEWUSER: container ids 0… are host ids userns.base… */
        UsernsRange userns;
        char *apparmor_profile; /* the AppArmor profile the container's processes enter (apparmor.h), NULL for
                                 * none; container_exec_apply() enters it */
        bool apparmor;          /* PlanOptions.apparmor */
        bool apparmor_unconfined; /* AppArmorProfile=unconfined */
} Plan;

/* Fills options from the environment (CTR_STATE_DIR, CTR_RUNTIME_DIR) or config.h defaults, and from the
 * machine: whether AppArmor is enabled (reads /sys). */
void plan_options_from_environment(PlanOptions *ret);

/* -EOPNOTSUPP for a store image without o->image (it must be resolved first), -EINVAL for a container
 * without a root, -EPERM for AppArmorProfile=NAME where AppArmor is off (isolation asked for that this machine
 * cannot give); *ret_reason then says why in a sentence (static string, may be NULL). */
int plan_build(const Container *c, const PlanOptions *o, Plan **ret, const char **ret_reason);
Plan *plan_free(Plan *p);
/* A container's own lines of /etc/hosts (localhost, |hostname| on 127.0.1.1, then AddHost='s |add_hosts|),
 * newly allocated; NULL when out of memory. */
char *plan_hosts_head(const char *hostname, char *const *add_hosts);
DEFINE_TRIVIAL_CLEANUP_FUNC(Plan *, plan_free);
#define _cleanup_plan_free_ _cleanup_(plan_freep)

const char *plan_op_type_to_string(PlanOpType t) _const_;
/* One line per operation: "TYPE TARGET [SOURCE] [OPTIONS] [FLAGS]", stable for tests and --print-plan. */
int plan_op_format(const PlanOp *op, char **ret);
int plan_dump(const Plan *p, FILE *f);

/* A Volume= or Tmpfs= on /proc or /sys (or inside /proc) would undo what is masked and read-only there; runc
 * refuses the same. The files lxcfs provides are the exception. Checked on the text at plan time, and on the
 * path the target resolves to inside the root when mounting. */
bool plan_destination_is_allowed(const char *d);

/* "lowerdir=A:B,upperdir=U,workdir=W" with escaping (overlay-util.h), for messages. */
int overlay_options_format(const PlanOp *op, char **ret);

/* The directory name of an image volume for |path| (absolute, normalised) below STATE/containers/NAME.volumes,
 * as systemd-escape --path makes it: "/var/lib/mysql" → "var-lib-mysql", "/a-b" → "a\x2db". */
int plan_volume_name(const char *path, char **ret);
