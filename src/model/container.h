/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The Container struct itself: what one .ctr file (with its drop-ins) means, its defaults, its lifecycle
 * (new, free) and the small questions asked of it (host name, slice, whether a name is valid). The layer
 * underneath both the key parsers (ctr-keys.h) and the loader (ctr-file.h): it knows nothing about files.
 *
 * Library code: returns negative errno, never logs. */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"
#include "ip-access.h"
#include "parse-util.h"
#include "port-mapping.h"
#include "time-util.h"

/* StopTimeoutSec= when not set; systemd's TimeoutStopSec= of the service gets this margin on top. */
#define CTR_STOP_TIMEOUT_DEFAULT_USEC (10 * USEC_PER_SEC)
#define CTR_STOP_TIMEOUT_MARGIN_USEC (20 * USEC_PER_SEC)

/* The health check's defaults (HealthInterval=, HealthTimeout=, HealthRetries=) and bounds. */
#define CTR_HEALTH_INTERVAL_DEFAULT_USEC (30 * USEC_PER_SEC)
#define CTR_HEALTH_TIMEOUT_DEFAULT_USEC (30 * USEC_PER_SEC)
#define CTR_HEALTH_RETRIES_DEFAULT 3U
#define CTR_HEALTH_RETRIES_MAX 10000U
/* ctr-launch's exit status after HealthOnFailure=restart stopped an unhealthy container: the generator names
 * it in RestartForceExitStatus=, so systemd restarts the unit whatever Restart= says. Not one of the shell's
 * (125-127, 128+N), systemd's (200-243) or sysexits.h's (64-78). */
#define CTR_EXIT_UNHEALTHY 122

#define CTR_NAME_MAX 200U  /* so "ctr-NAME.scope" and "ctr@NAME.service" stay within systemd's 255 */

typedef enum NetworkMode {
        NETWORK_NONE,           /* private network namespace, loopback up (default) */
        NETWORK_HOST,           /* the host's network namespace */
        NETWORK_BRIDGE,         /* private namespace with a veth on the ctr bridge */
        NETWORK_CONTAINER,      /* join the namespace of another running container: network_container */
        _NETWORK_MODE_MAX,
} NetworkMode;

/* JoinNamespaces=: the namespaces of Network=container:NAME's init joined besides its network namespace. */
typedef enum JoinNamespace {
        JOIN_NAMESPACE_IPC = 1U << 0,
        JOIN_NAMESPACE_UTS = 1U << 1,
} JoinNamespace;

typedef enum VolumeType {
        VOLUME_BIND,            /* source is an absolute host path */
        VOLUME_NAMED,           /* source is a volume name: /var/lib/ctr/volumes/NAME, created on first use */
} VolumeType;

typedef struct Volume {
        VolumeType type;
        char *source;           /* absolute normalised host path, or the volume name */
        char *destination;      /* absolute normalised path inside the container */
        bool read_only;         /* "ro"; default rw */
        bool nosuid, nodev;     /* default true; "suid", "dev" turn them off */
        bool noexec;
        bool recursive;         /* default true; "norbind" turns it off */
        bool idmap;             /* "idmap": with PrivateUsers=, host ids appear as the same ids inside */
} Volume;

/* Pull=: when ctr-launch pulls Image= from its registry before starting (Quadlet's policies of the same names) */
typedef enum PullPolicy {
        PULL_MISSING,           /* default: when the store does not have it */
        PULL_NEVER,
        PULL_ALWAYS,            /* every start; a failure fails the start */
        PULL_NEWER,             /* every start; the registry unreachable keeps the local image */
        _PULL_MAX,
} PullPolicy;

typedef enum PrivateUsers {
        PRIVATE_USERS_DEFAULT,  /* not set: pick for an image from the store, no otherwise */
        PRIVATE_USERS_NO,
        PRIVATE_USERS_PICK,     /* a range of 65536 allocated from the pool (userns-range.h) */
        PRIVATE_USERS_FIXED,    /* UID[:COUNT] as given */
        _PRIVATE_USERS_MAX,
} PrivateUsers;

/* HealthOnFailure=: what the monitor does once the container turned unhealthy */
typedef enum HealthOnFailure {
        HEALTH_ON_FAILURE_NONE,         /* default: report it (STATUS=, ctrctl status), nothing more */
        HEALTH_ON_FAILURE_KILL,         /* SIGKILL the container: the unit fails */
        HEALTH_ON_FAILURE_RESTART,      /* stop it, exit with EXIT_UNHEALTHY (RestartForceExitStatus=) */
        HEALTH_ON_FAILURE_STOP,         /* stop it as systemctl stop would */
        _HEALTH_ON_FAILURE_MAX,
} HealthOnFailure;

/* AutoUpdate=: what ctrctl auto-update does with the container (podman's policies of the same names) */
typedef enum AutoUpdate {
        AUTO_UPDATE_NO,         /* default */
        AUTO_UPDATE_REGISTRY,   /* pull when the tag points at another digest in the registry, then restart */
        AUTO_UPDATE_LOCAL,      /* restart when the store's tag points at another digest than the running one */
        _AUTO_UPDATE_MAX,
} AutoUpdate;

typedef struct Tmpfs {
        char *destination;      /* absolute normalised path inside the container */
        uint64_t size;          /* bytes, LIMIT_UNSET = kernel default */
        mode_t mode;            /* default 01777 */
        bool read_only, noexec;
        bool nosuid, nodev;     /* default true; "suid", "dev" turn them off */
} Tmpfs;

/* Where the service's credentials appear in the container (Secret=, plan-secrets.c); the size of one at
 * most (systemd's CREDENTIAL_SIZE_MAX) and how many the launcher passes in at most. */
#define CTR_SECRETS_DIR "/run/secrets"
#define CTR_CREDENTIAL_SIZE_MAX (1024U * 1024U)
#define CTR_SECRETS_MAX 256U

/* Secret=NAME[:TARGET]: the credential NAME systemd passed to ctr@NAME.service ($CREDENTIALS_DIRECTORY) as
 * the file TARGET in the container. */
typedef struct Secret {
        char *name;             /* the credential's name (credential_name_is_valid()) */
        char *target;           /* absolute, normalised, below CTR_SECRETS_DIR */
        char *file;             /* where it was set: the launcher names it when systemd did not pass NAME */
        unsigned line;
} Secret;

/* AddDevice=[-]HOSTPATH[:CONTAINERPATH][:PERMISSIONS]: a device node of the host in the container's /dev, and
 * the scope's DeviceAllow= for it. The host path is resolved (symlinks followed) and checked at start, by the
 * launcher (src/launch/devices.c): it must be a character or block device. */
typedef struct Device {
        char *source;           /* absolute, normalised host path, as written (a symlink is followed at start) */
        char *target;           /* absolute, normalised, below /dev (not /dev/pts, /dev/shm, /dev/mqueue) */
        char access[4];         /* PERMISSIONS in the order "rwm", default "rwm": systemd's DeviceAllow= access */
        bool optional;          /* a leading '-': a host node that does not exist is skipped */
        char *file;             /* where it was set: the launcher names it when the node is refused */
        unsigned line;
} Device;

/* One "Key=Value" of a pass-through section ([Unit], [Service], [Install]), in file order after drop-ins,
 * with specifiers NOT expanded (systemd expands them itself in the unit). An empty value is kept: it
 * resets a list in systemd as well. */
typedef struct UnitSetting {
        char *section;          /* "Unit", "Service", "Install" */
        char *key;
        char *value;
        char *file;             /* where it came from, for ctrctl cat and messages */
        unsigned line;
} UnitSetting;

typedef struct Container {
        char *name;             /* the instance name: web for ctr@web.service */
        char *source_path;      /* the main .ctr file (after resolving the search path), NULL if only drop-ins */
        char **dropin_paths;    /* NAME.ctr.d/ *.conf, in the order they were applied */
        char *config;           /* what container_config_hash() hashes: "ctr-config-v1\n" NAME "\n", then for
                                 * every file applied, in order (main file, then drop-ins): PATH "\n" SIZE "\n"
                                 * CONTENTS "\n". Changes with any edit, rename or added/removed drop-in. */
        size_t config_size;
        char *config_stamp;     /* what was read, cheaply compared: "INODE:SIZE:MTIME_NS" per file in the order
                                 * applied, comma-separated; the generated unit carries it (CTR_CONFIG_STAMP=) so
                                 * that ctr-launch sees an edit without daemon-reload without hashing anything,
                                 * as systemd decides NeedDaemonReload= by modification times */

        /* [Container] — image and root */
        char *image;            /* "host", or an image reference for the local store; NULL when root_directory */
        PullPolicy pull;        /* Pull=, default missing */
        char *root_directory;   /* RootDirectory=: a directory used as the lowest layer */
        char **layers;          /* Layer=: more lower directories, in file order; see ctr.ctr(5) for stacking */
        bool read_only;         /* ReadOnly=, default no */
        bool ephemeral;         /* Ephemeral=, default no */
        char **labels;          /* Label=: "KEY=VALUE" entries, metadata shown by ctrctl inspect, not applied */
        char **mask_paths;      /* Mask=: more paths made inaccessible (absolute, normalised, not /), in file
                                 * order; masked over everything else mounted */
        AutoUpdate auto_update; /* AutoUpdate=, default no */

        /* process */
        char **exec;            /* Exec= split as systemd does; NULL = the image's Cmd (or /bin/sh for host);
                                 * with an image it replaces the Cmd, after the entrypoint */
        char **entrypoint;      /* Entrypoint= split likewise; replaces the image's Entrypoint when */
        bool entrypoint_set;    /* set, even to nothing (Entrypoint= empty, as docker run --entrypoint '') */
        char **environment;     /* Environment=, "KEY=VALUE" entries, later ones override earlier */
        char **environment_files; /* EnvironmentFile=, absolute, a leading '-' means "ignore if missing" */
        bool environment_host;  /* EnvironmentHost=: the launcher's own environment under the image's and
                                 * these (env-host.h says which variables), default no */
        char *working_directory; /* WorkingDirectory=, absolute; NULL = the user's home or "/" */
        char *user;             /* User=, name or number, resolved in the container's /etc/passwd; NULL = root */
        char *group;            /* Group=, likewise in /etc/group; NULL = the user's primary group */
        char **supplementary_groups;
        char *hostname;         /* Hostname=, NULL = the container name */
        bool init;              /* Init=: a minimal reaping init as PID 1, default no */

        /* mounts */
        Volume *volumes;
        size_t n_volumes;
        Tmpfs *tmpfs;
        size_t n_tmpfs;
        Secret *secrets;        /* Secret=, in file order; none: every credential the service was given */
        size_t n_secrets;
        Device *devices;        /* AddDevice=, in file order; a later one on the same target replaces it */
        size_t n_devices;

        /* network */
        NetworkMode network;    /* Network=, default none */
        char *network_container; /* for NETWORK_CONTAINER */
        PortMapping *ports;     /* PublishPort= */
        size_t n_ports;
        unsigned join_namespaces; /* JoinNamespaces=: JOIN_NAMESPACE_* of network_container also joined */
        char **add_hosts;       /* AddHost=: "ADDRESS\tNAME" lines for /etc/hosts, in file order */
        char **dns_servers;     /* DNS=: nameserver addresses of /etc/resolv.conf; NULL: the host's */
        char **dns_search;      /* DNSSearch=: its search domains; NULL: the host's; { "." }: none */
        char **dns_options;     /* DNSOption=: its options; NULL: the host's */
        char **sysctls;         /* Sysctl=: "NAME=VALUE" (NAME dotted, one of the container's own namespaces:
                                 * sysctl_namespace()), in file order, a later NAME replacing an earlier one */
        /* the scope's cgroup firewall (keys-firewall.c), in file order; empty = the key not set */
        IPAddressPrefix *ip_address_allow;      /* IPAddressAllow= */
        size_t n_ip_address_allow;
        IPAddressPrefix *ip_address_deny;       /* IPAddressDeny= */
        size_t n_ip_address_deny;
        SocketBindRule *socket_bind_allow;      /* SocketBindAllow= */
        size_t n_socket_bind_allow;
        SocketBindRule *socket_bind_deny;       /* SocketBindDeny= */
        size_t n_socket_bind_deny;

        /* privileges: capability bitmasks, bit N = capability number N */
        uint64_t add_capabilities;     /* AddCapability= */
        uint64_t drop_capabilities;    /* DropCapability= */
        bool no_new_privileges;        /* NoNewPrivileges=, default yes */
        char *seccomp_profile;         /* SeccompProfile=: NULL = the default filter, "unconfined" = none */
        char *apparmor_profile;        /* AppArmorProfile=: NULL = ctr-default where AppArmor is enabled,
                                        * "unconfined" = none, else the name of a loaded profile */
        PrivateUsers private_users;    /* PrivateUsers=; see container_private_users() for the default */
        uint32_t private_users_uid;    /* PRIVATE_USERS_FIXED: the first host id of the range */
        uint32_t private_users_count;  /* PRIVATE_USERS_FIXED: its length */

        /* resources: passed to the scope */
        uint64_t memory_max;            /* bytes, LIMIT_INFINITY, or LIMIT_UNSET */
        uint64_t memory_high;
        uint64_t memory_swap_max;
        uint32_t memory_max_scale;      /* when given as a percentage: scaled to UINT32_MAX, 0 = not used */
        uint32_t memory_high_scale;
        uint32_t memory_swap_max_scale;
        uint64_t cpu_weight;            /* 1–10000, LIMIT_UNSET */
        uint64_t cpu_quota_per_sec_usec; /* CPUQuota=: 50% → 500000; LIMIT_UNSET */
        char *allowed_cpus;             /* AllowedCPUs=, normalised list "0-3,6" */
        uint64_t tasks_max;             /* number, LIMIT_INFINITY or LIMIT_UNSET */
        uint32_t tasks_max_scale;       /* when given as a percentage */
        uint64_t io_weight;             /* 1–10000, LIMIT_UNSET */
        char *slice;                    /* Slice=, NULL = machine.slice */

        /* lifecycle */
        int stop_signal;                /* StopSignal=, default SIGTERM (or the image's StopSignal) */
        bool stop_signal_set;           /* StopSignal= was given a signal: the image's does not apply */
        uint64_t stop_timeout_usec;     /* StopTimeoutSec=, default 10 s; USEC_INFINITY allowed */
        bool notify;                    /* Notify=yes: the workload says READY=1 itself; default no */
        bool notify_healthy;            /* Notify=healthy: READY=1 once the first health check passes */

        /* the health check the monitor runs (keys-health.c) */
        char **health_cmd;              /* HealthCmd=, NULL = none */
        bool health_cmd_none;           /* HealthCmd=none: none, whatever an image would say */
        uint64_t health_interval_usec;  /* HealthInterval=, default 30 s */
        uint64_t health_timeout_usec;   /* HealthTimeout=, default 30 s */
        uint64_t health_start_period_usec; /* HealthStartPeriod=, default 0 */
        unsigned health_retries;        /* HealthRetries=, default 3 */
        HealthOnFailure health_on_failure; /* HealthOnFailure=, default none */
        /* which of the four the .ctr set: the others take an image's Healthcheck values (image-defaults.c) */
        bool health_interval_set, health_timeout_set, health_start_period_set, health_retries_set;
        int reload_signal;              /* ReloadSignal=, default SIGHUP */

        /* pass-through sections */
        UnitSetting *unit_settings;
        size_t n_unit_settings;
} Container;

Container *container_new(const char *name);
Container *container_free(Container *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(Container *, container_free);
#define _cleanup_container_free_ _cleanup_(container_freep)

/* Hostname the container gets: Hostname= or the name. */
const char *container_hostname(const Container *c);
/* The container whose namespaces this one joins (Network=container:NAME, and JoinNamespaces=), NULL if none:
 * its unit is what ours binds to. */
const char *container_joins(const Container *c) _pure_;
/* "ipc uts": the JoinNamespaces= flags |j| as the key takes them, "" for none. */
const char *join_namespaces_to_string(unsigned j) _const_;
/* Whether any of IPAddressAllow=, IPAddressDeny=, SocketBindAllow=, SocketBindDeny= is set: the firewall only
 * the scope's cgroup can carry. */
bool container_has_cgroup_firewall(const Container *c) _pure_;
/* Slice the scope goes into: Slice= or machine.slice. */
const char *container_slice(const Container *c);

/* PrivateUsers= in effect: the key, or pick for an image from the store and no for Image=host and
 * RootDirectory= (whose trees belong to the host). Never PRIVATE_USERS_DEFAULT. */
PrivateUsers container_private_users(const Container *c) _pure_;
const char *private_users_to_string(PrivateUsers p) _const_;
const char *pull_policy_to_string(PullPolicy p) _const_;
/* Whether ctr-launch may pull c's image: Image= names a registry's image (not host, not an image id) and
 * Pull= is not never. */
bool container_may_pull(const Container *c) _pure_;
/* Whether the monitor may run a health check: HealthCmd=, or Image= of the store without HealthCmd=none
 * (the image's config may have a Healthcheck, src/image/image-defaults.c). */
bool container_may_check_health(const Container *c) _pure_;
const char *auto_update_to_string(AutoUpdate a) _const_;
const char *health_on_failure_to_string(HealthOnFailure h) _const_;

/* Which of the container's namespaces the sysctl NAME ("net.ipv4.ip_forward") belongs to: CLONE_NEWNET for
 * net.*, CLONE_NEWIPC for the System V IPC and POSIX message queue ones, as Docker and runc allow them; 0 for
 * any other (the host's, or not namespaced: never set from a container) or an invalid name. */
unsigned long sysctl_namespace(const char *name) _pure_;

/* Valid container name: a valid systemd unit instance name, at most CTR_NAME_MAX, no '/' '@' or leading '.'. */
bool container_name_is_valid(const char *name);

/* Free arrays of the list keys' entries (and what each entry owns). */
void volume_free_many(Volume *v, size_t n);
void tmpfs_free_many(Tmpfs *t, size_t n);
void secret_free_many(Secret *s, size_t n);
void device_free_many(Device *d, size_t n);
void port_mapping_free_many(PortMapping *p, size_t n);
