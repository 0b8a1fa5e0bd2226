/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Container] key table: every key, its parser (keys-*.c), whether it guards isolation and whether it
 * takes specifiers; looking a key up, suggesting one for a misspelling, and applying one assignment. The
 * loader (ctr-file.c) calls container_key_assign() for every assignment of a [Container] section. */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "ctr-keys.h"
#include "key-parser.h"
#include "quadlet-convert.h"
#include "string-util.h"
#include "strv.h"

typedef struct KeyDef {
        const char *name;
        KeyParser parse;
        bool isolation;         /* a bad value rejects the file */
        bool specifiers;        /* %-specifiers are expanded (strings and paths; not numbers, where "50%" is a
                                 * percentage) */
        bool list;              /* every assignment adds an entry (an empty one resets the list); otherwise the
                                 * last assignment wins: what the effective config (config-canonical.c) keeps */
} KeyDef;

/* Sorted by name (container_key_nth() lists them in this order). */
static const KeyDef key_table[] = {
        { "AddCapability",       key_add_capability,        true,  false, true  },
        { "AddDevice",           key_add_device,            true,  true,  true  },
        { "AddHost",             key_add_host,              false, true,  true  },
        { "AllowedCPUs",         key_allowed_cpus,          false, false, false },
        { "AppArmorProfile",     key_apparmor_profile,      true,  false, false },
        { "AutoUpdate",          key_auto_update,           false, false, false },
        { "CPUQuota",            key_cpu_quota,             false, false, false },
        { "CPUWeight",           key_cpu_weight,            false, false, false },
        { "DNS",                 key_dns,                   false, false, true  },
        { "DNSOption",           key_dns_option,            false, false, true  },
        { "DNSSearch",           key_dns_search,            false, true,  true  },
        { "DropCapability",      key_drop_capability,       true,  false, true  },
        { "Entrypoint",          key_entrypoint,            false, true,  false },
        { "Environment",         key_environment,           false, true,  true  },
        { "EnvironmentFile",     key_environment_file,      false, true,  true  },
        { "EnvironmentHost",     key_environment_host,      false, false, false },
        { "Ephemeral",           key_ephemeral,             true,  false, false },
        { "Exec",                key_exec,                  false, true,  false },
        { "Group",               key_group,                 true,  true,  false },
        { "HealthCmd",           key_health_cmd,            false, true,  false },
        { "HealthInterval",      key_health_interval,       false, false, false },
        { "HealthOnFailure",     key_health_on_failure,     false, false, false },
        { "HealthRetries",       key_health_retries,        false, false, false },
        { "HealthStartPeriod",   key_health_start_period,   false, false, false },
        { "HealthTimeout",       key_health_timeout,        false, false, false },
        { "Hostname",            key_hostname,              false, true,  false },
        { "IOWeight",            key_io_weight,             false, false, false },
        { "IPAddressAllow",      key_ip_address_allow,      true,  false, true  },
        { "IPAddressDeny",       key_ip_address_deny,       true,  false, true  },
        { "Image",               key_image,                 true,  true,  false },
        { "Init",                key_init,                  false, false, false },
        { "JoinNamespaces",      key_join_namespaces,       true,  false, false },
        { "Label",               key_label,                 false, true,  true  },
        { "Layer",               key_layer,                 true,  true,  true  },
        { "Mask",                key_mask,                  true,  true,  true  },
        { "MemoryHigh",          key_memory_high,           false, false, false },
        { "MemoryMax",           key_memory_max,            false, false, false },
        { "MemorySwapMax",       key_memory_swap_max,       false, false, false },
        { "Network",             key_network,               true,  true,  false },
        { "NoNewPrivileges",     key_no_new_privileges,     true,  false, false },
        { "Notify",              key_notify,                false, false, false },
        { "PrivateUsers",        key_private_users,         true,  false, false },
        { "PublishPort",         key_publish_port,          true,  false, true  },
        { "Pull",                key_pull,                  false, false, false },
        { "ReadOnly",            key_read_only,             true,  false, false },
        { "ReloadSignal",        key_reload_signal,         false, false, false },
        { "RootDirectory",       key_root_directory,        true,  true,  false },
        { "SeccompProfile",      key_seccomp_profile,       true,  true,  false },
        { "Secret",              key_secret,                true,  true,  true  },
        { "Slice",               key_slice,                 false, true,  false },
        { "SocketBindAllow",     key_socket_bind_allow,     true,  false, true  },
        { "SocketBindDeny",      key_socket_bind_deny,      true,  false, true  },
        { "StopSignal",          key_stop_signal,           false, false, false },
        { "StopTimeoutSec",      key_stop_timeout_sec,      false, false, false },
        { "SupplementaryGroups", key_supplementary_groups,  true,  true,  true  },
        { "Sysctl",              key_sysctl,                true,  false, true  },
        { "TasksMax",            key_tasks_max,             false, false, false },
        { "Tmpfs",               key_tmpfs,                 true,  true,  true  },
        { "User",                key_user,                  true,  true,  false },
        { "Volume",              key_volume,                true,  true,  true  },
        { "WorkingDirectory",    key_working_directory,     false, true,  false },
};

/* Every assignment looks its key up, some twice: a hash table over key_table (open addressing, built on first
 * use) costs one hash and one strcmp() where a binary search cost seven strcmp() calls. */
#define KEY_HASH_SIZE 512U
static_assert(ELEMENTSOF(key_table) <= KEY_HASH_SIZE / 2, "KEY_HASH_SIZE too small for key_table");
static uint16_t key_hash_slots[KEY_HASH_SIZE];  /* index into key_table + 1; 0 an empty slot */
static pthread_once_t key_hash_once = PTHREAD_ONCE_INIT;

/* FNV-1a */
static uint32_t key_hash(const char *s) {
        uint32_t h = UINT32_C(2166136261);

        for (; *s; s++)
                h = (h ^ (uint8_t) *s) * UINT32_C(16777619);
        return h;
}

static void key_hash_build(void) {
        for (size_t i = 0; i < ELEMENTSOF(key_table); i++) {
                uint32_t h = key_hash(key_table[i].name) & (KEY_HASH_SIZE - 1);

                while (key_hash_slots[h] != 0)
                        h = (h + 1) & (KEY_HASH_SIZE - 1);
                key_hash_slots[h] = (uint16_t) (i + 1);
        }
}

static const KeyDef *key_lookup(const char *key) {
        (void) pthread_once(&key_hash_once, key_hash_build);
        for (uint32_t h = key_hash(key) & (KEY_HASH_SIZE - 1); key_hash_slots[h] != 0;
             h = (h + 1) & (KEY_HASH_SIZE - 1)) {
                const KeyDef *d = &key_table[key_hash_slots[h] - 1];

                if (streq(d->name, key))
                        return d;
        }
        return NULL;
}

const char *container_key_suggest(const char *key) {
        const char *best = NULL;
        unsigned best_distance, max;

        /* A third of the key's length, at least 1 and at most 3: "Imagee" → "Image", "Volumes" → "Volume",
         * but "Foo" suggests nothing. */
        max = MIN(MAX((unsigned) strlen(key) / 3, 1U), 3U);
        best_distance = max + 1;
        for (size_t i = 0; i < ELEMENTSOF(key_table); i++) {
                unsigned d = strcase_distance(key, key_table[i].name, max + 1);

                if (d < best_distance) {
                        best = key_table[i].name;
                        best_distance = d;
                }
        }
        return best;
}

/* An unknown key rejects the file: it may be a misspelt isolation key, or a setting another tool would
 * have applied, and either way the container would start with less than its author asked for. */
static int key_unknown(KeyState *lc, const char *file, unsigned line, const char *key, const char *value) {
        const char *s, *ctr;
        bool quadlet;
        int r;

        lc->failed = true;
        quadlet = quadlet_key_lookup(key, &ctr);
        if (quadlet && ctr)
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Quadlet's '%s=' is not supported by ctr, did you mean '%s='?", key, ctr);
        else if (quadlet)
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Quadlet's '%s=' is not supported by ctr.", key);
        else if ((s = container_key_suggest(key)))
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Unknown key '%s' in [Container], did you mean '%s'?", key, s);
        else
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Unknown key '%s' in [Container].", key);
        return r < 0 ? r : 0;
}

bool container_key_is_known(const char *key) {
        return key && key_lookup(key);
}

bool container_key_is_isolation(const char *key) {
        const KeyDef *d = key ? key_lookup(key) : NULL;
        return d && d->isolation;
}

bool container_key_is_list(const char *key) {
        const KeyDef *d = key ? key_lookup(key) : NULL;
        return d && d->list;
}

bool container_key_takes_specifiers(const char *key) {
        const KeyDef *d = key ? key_lookup(key) : NULL;
        return d && d->specifiers;
}

const char *container_key_nth(size_t i) {
        return i < ELEMENTSOF(key_table) ? key_table[i].name : NULL;
}

int container_key_assign(KeyState *lc, const char *file, unsigned line, const char *key, const char *value) {
        _cleanup_free_ char *expanded = NULL;
        const KeyDef *d;
        KeyContext k;
        int r;

        d = key_lookup(key);
        if (!d)
                return key_unknown(lc, file, line, key, value);

        k = (KeyContext) {
                .lc = lc,
                .file = file,
                .line = line,
                .key = key,
                .raw = value,
                .level = d->isolation ? DIAGNOSTIC_ERROR : DIAGNOSTIC_WARNING,
        };

        if (!utf8_is_valid(value))
                return key_invalid(&k, EINVAL, "%s= value is not valid UTF-8", key);

        if (d->specifiers && strchr(value, '%')) {
                char bad = 0;

                r = specifier_expand(value, &lc->spec, &expanded, &bad);
                if (r == -EBADMSG) {
                        if (bad == '\0')
                                return key_invalid(&k, EBADMSG, "Lone '%%' at the end of '%s' for %s=", value, key);
                        return key_invalid(&k, EBADMSG, "Unknown specifier '%%%c' in '%s' for %s=", bad, value, key);
                }
                if (r < 0)
                        return r;
                value = expanded;
        }

        r = d->parse(&k, value);
        if (r >= 0 && d->parse == key_private_users) {
                lc->users_file = file;
                lc->users_line = line;
        }
        return r;
}

/* Network=container:NAME shares NAME's network namespace, so its ports are NAME's: a port published here
 * would be a second forward into the same namespace, owned by whichever of the two started last. And
 * JoinNamespaces= has nothing to join without it; =uts makes NAME's hostname ours, so Hostname= could only be
 * ignored or change NAME's. */
static int container_pod_check(KeyState *s) {
        const Container *c = s->c;
        const char *joins = container_joins(c);
        int r;

        if (joins && c->n_ports > 0 && s->ports_file) {
                s->failed = true;
                r = diagnostics_add(s->diag, DIAGNOSTIC_ERROR, EINVAL, s->ports_file, s->ports_line, "Container",
                                    "PublishPort", s->ports_value,
                                    "PublishPort=%s cannot be used with Network=container:%s: publish it on %s: "
                                    "the network namespace is %s's.",
                                    strempty(s->ports_value), joins, joins, joins);
                if (r < 0)
                        return r;
        }
        if (c->join_namespaces == 0 || !s->join_file)
                return 0;
        if (!joins) {
                s->failed = true;
                r = diagnostics_add(s->diag, DIAGNOSTIC_ERROR, EINVAL, s->join_file, s->join_line, "Container",
                                    "JoinNamespaces", join_namespaces_to_string(c->join_namespaces),
                                    "JoinNamespaces=%s needs Network=container:NAME, the container whose "
                                    "namespaces it joins.", join_namespaces_to_string(c->join_namespaces));
                return r < 0 ? r : 0;
        }
        if ((c->join_namespaces & JOIN_NAMESPACE_UTS) && c->hostname) {
                s->failed = true;
                r = diagnostics_add(s->diag, DIAGNOSTIC_ERROR, EINVAL, s->join_file, s->join_line, "Container",
                                    "JoinNamespaces", join_namespaces_to_string(c->join_namespaces),
                                    "JoinNamespaces=uts shares %s's hostname, so Hostname=%s cannot be set.",
                                    joins, c->hostname);
                return r < 0 ? r : 0;
        }
        return 0;
}

/* A sysctl is set in the container's own namespace: with Network=host the network namespace is the host's,
 * with Network=container:NAME (and JoinNamespaces=ipc) NAME's, which others share. */
static int container_sysctl_check(KeyState *s) {
        const Container *c = s->c;
        int r;

        STRV_FOREACH(e, c->sysctls) {
                _cleanup_free_ char *name = strndup(*e, strcspn(*e, "="));
                unsigned long ns;
                const char *whose = NULL;

                if (!name)
                        return -ENOMEM;
                ns = sysctl_namespace(name);
                if (ns == CLONE_NEWNET && c->network == NETWORK_HOST)
                        whose = "the host's (Network=host)";
                else if (ns == CLONE_NEWNET && c->network == NETWORK_CONTAINER)
                        whose = "another container's (Network=container:)";
                else if (ns == CLONE_NEWIPC && c->network == NETWORK_CONTAINER &&
                         (c->join_namespaces & JOIN_NAMESPACE_IPC))
                        whose = "another container's (JoinNamespaces=ipc)";
                if (!whose)
                        continue;
                s->failed = true;
                r = diagnostics_add(s->diag, DIAGNOSTIC_ERROR, EINVAL, s->sysctl_file, s->sysctl_line, "Container",
                                    "Sysctl", *e, "Sysctl=%s cannot be set: the namespace is %s.", *e, whose);
                return r < 0 ? r : 0;
        }
        return 0;
}

int container_keys_check(KeyState *s) {
        const Container *c = s->c;
        _cleanup_free_ char *value = NULL;
        int r;

        r = container_pod_check(s);
        if (r < 0)
                return r;
        r = container_sysctl_check(s);
        if (r < 0)
                return r;

        /* Image=host's trees are the host's own, bound as they are: in a user namespace host root's files
         * (/usr, /etc) would belong to nobody. The default for Image=host is no; asking for more is refused
         * before anything runs, rather than when the launcher plans the start. */
        if (!c->image || !streq(c->image, "host") ||
            c->private_users == PRIVATE_USERS_DEFAULT || c->private_users == PRIVATE_USERS_NO)
                return 0;
        if (c->private_users == PRIVATE_USERS_FIXED)
                value = strprintf("%" PRIu32 ":%" PRIu32, c->private_users_uid, c->private_users_count);
        else
                value = strdup(private_users_to_string(c->private_users));
        if (!value)
                return -ENOMEM;
        s->failed = true;
        r = diagnostics_add(s->diag, DIAGNOSTIC_ERROR, EINVAL, s->users_file, s->users_line, "Container",
                            "PrivateUsers", value, "PrivateUsers=%s cannot be used with Image=host: the host's "
                            "files would belong to nobody in the container (leave PrivateUsers= unset, or no).",
                            value);
        return r < 0 ? r : 0;
}
