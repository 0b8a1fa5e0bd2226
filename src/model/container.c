/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Container's lifecycle: a new one with every default the keys document, and its free; the small questions
 * asked of a loaded one. The loader (ctr-file.c) and the key parsers (keys-*.c) both build on this. */

#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "image-ref.h"
#include "string-util.h"
#include "strv.h"

PrivateUsers container_private_users(const Container *c) {
        if (c->private_users != PRIVATE_USERS_DEFAULT)
                return c->private_users;
        return c->image && !streq(c->image, "host") ? PRIVATE_USERS_PICK : PRIVATE_USERS_NO;
}

const char *private_users_to_string(PrivateUsers p) {
        static const char *const table[_PRIVATE_USERS_MAX] = {
                [PRIVATE_USERS_DEFAULT] = "default",
                [PRIVATE_USERS_NO] = "no",
                [PRIVATE_USERS_PICK] = "pick",
                [PRIVATE_USERS_FIXED] = "fixed",
        };
        return p >= 0 && p < _PRIVATE_USERS_MAX ? table[p] : NULL;
}

const char *auto_update_to_string(AutoUpdate a) {
        static const char *const table[_AUTO_UPDATE_MAX] = {
                [AUTO_UPDATE_NO] = "no",
                [AUTO_UPDATE_REGISTRY] = "registry",
                [AUTO_UPDATE_LOCAL] = "local",
        };
        return a >= 0 && a < _AUTO_UPDATE_MAX ? table[a] : NULL;
}

const char *health_on_failure_to_string(HealthOnFailure h) {
        static const char *const table[_HEALTH_ON_FAILURE_MAX] = {
                [HEALTH_ON_FAILURE_NONE] = "none",
                [HEALTH_ON_FAILURE_KILL] = "kill",
                [HEALTH_ON_FAILURE_RESTART] = "restart",
                [HEALTH_ON_FAILURE_STOP] = "stop",
        };
        return h >= 0 && h < _HEALTH_ON_FAILURE_MAX ? table[h] : NULL;
}

const char *pull_policy_to_string(PullPolicy p) {
        static const char *const table[_PULL_MAX] = {
                [PULL_MISSING] = "missing",
                [PULL_NEVER] = "never",
                [PULL_ALWAYS] = "always",
                [PULL_NEWER] = "newer",
        };
        return p >= 0 && p < _PULL_MAX ? table[p] : NULL;
}

bool container_may_pull(const Container *c) {
        /* an id ("sha256:…", or 12+ hex digits) names what the store holds, no registry */
        return c->image && !streq(c->image, "host") && !image_reference_digest_prefix(c->image) &&
               c->pull != PULL_NEVER;
}

bool container_may_check_health(const Container *c) {
        /* a store image's Healthcheck is only known when the launcher resolves the image */
        return c->health_cmd || (!c->health_cmd_none && c->image && !streq(c->image, "host"));
}

Container *container_new(const char *name) {
        Container *c;

        c = calloc(1, sizeof(Container));
        if (!c)
                return NULL;

        *c = (Container) {
                .network = NETWORK_NONE,
                .no_new_privileges = true,
                .memory_max = LIMIT_UNSET,
                .memory_high = LIMIT_UNSET,
                .memory_swap_max = LIMIT_UNSET,
                .cpu_weight = LIMIT_UNSET,
                .cpu_quota_per_sec_usec = LIMIT_UNSET,
                .tasks_max = LIMIT_UNSET,
                .io_weight = LIMIT_UNSET,
                .stop_signal = SIGTERM,
                .stop_timeout_usec = CTR_STOP_TIMEOUT_DEFAULT_USEC,
                .reload_signal = SIGHUP,
                .health_interval_usec = CTR_HEALTH_INTERVAL_DEFAULT_USEC,
                .health_timeout_usec = CTR_HEALTH_TIMEOUT_DEFAULT_USEC,
                .health_retries = CTR_HEALTH_RETRIES_DEFAULT,
        };

        if (name) {
                c->name = strdup(name);
                if (!c->name)
                        return mfree(c);
        }
        return c;
}

static void unit_settings_free(UnitSetting *u, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(u[i].section);
                free(u[i].key);
                free(u[i].value);
                free(u[i].file);
        }
        free(u);
}

Container *container_free(Container *c) {
        if (!c)
                return NULL;

        free(c->name);
        free(c->source_path);
        strv_free(c->dropin_paths);
        free(c->config);
        free(c->config_stamp);
        free(c->image);
        free(c->root_directory);
        strv_free(c->layers);
        strv_free(c->mask_paths);
        strv_free(c->labels);
        strv_free(c->sysctls);
        strv_free(c->add_hosts);
        strv_free(c->dns_servers);
        strv_free(c->dns_search);
        strv_free(c->dns_options);
        strv_free(c->exec);
        strv_free(c->entrypoint);
        strv_free(c->health_cmd);
        strv_free(c->environment);
        strv_free(c->environment_files);
        free(c->working_directory);
        free(c->user);
        free(c->group);
        strv_free(c->supplementary_groups);
        free(c->hostname);
        volume_free_many(c->volumes, c->n_volumes);
        tmpfs_free_many(c->tmpfs, c->n_tmpfs);
        secret_free_many(c->secrets, c->n_secrets);
        device_free_many(c->devices, c->n_devices);
        free(c->network_container);
        port_mapping_free_many(c->ports, c->n_ports);
        free(c->ip_address_allow);
        free(c->ip_address_deny);
        free(c->socket_bind_allow);
        free(c->socket_bind_deny);
        free(c->seccomp_profile);
        free(c->apparmor_profile);
        free(c->allowed_cpus);
        free(c->slice);
        unit_settings_free(c->unit_settings, c->n_unit_settings);
        return mfree(c);
}

const char *container_hostname(const Container *c) {
        return c->hostname ?: c->name;
}

bool container_has_cgroup_firewall(const Container *c) {
        return c->n_ip_address_allow > 0 || c->n_ip_address_deny > 0 || c->n_socket_bind_allow > 0 ||
                c->n_socket_bind_deny > 0;
}

const char *container_joins(const Container *c) {
        return c->network == NETWORK_CONTAINER ? c->network_container : NULL;
}

const char *join_namespaces_to_string(unsigned j) {
        static const char *const s[] = { "", "ipc", "uts", "ipc uts" };
        return s[j & (JOIN_NAMESPACE_IPC | JOIN_NAMESPACE_UTS)];
}

const char *container_slice(const Container *c) {
        return c->slice ?: "machine.slice";
}

bool container_name_is_valid(const char *name) {
        size_t l;

        if (!name)
                return false;
        l = strlen(name);
        if (l == 0 || l > CTR_NAME_MAX)
                return false;
        if (name[0] == '.')
                return false;
        /* systemd's unit name characters; '@' and '/' are not among them. */
        return alnum_or(name, ":-_.\\");
}

void volume_free_many(Volume *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(v[i].source);
                free(v[i].destination);
        }
        free(v);
}

void tmpfs_free_many(Tmpfs *t, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(t[i].destination);
        free(t);
}

void secret_free_many(Secret *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(s[i].name);
                free(s[i].target);
                free(s[i].file);
        }
        free(s);
}

void device_free_many(Device *d, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(d[i].source);
                free(d[i].target);
                free(d[i].file);
        }
        free(d);
}

void port_mapping_free_many(PortMapping *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(p[i].host_address);
        free(p);
}

unsigned long sysctl_namespace(const char *name) {
        /* runc's list of the IPC namespace's sysctls; everything below net. is the network namespace's (the
         * kernel shows a namespace only its own, so a global one is not there to be written) */
        static const char *const ipc[] = {
                "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
                "kernel.shmmni", "kernel.shm_rmid_forced",
        };
        const char *last = NULL;

        if (isempty(name) || strlen(name) > 255 || !alnum_or(name, "_.-") || name[0] == '.' ||
            endswith(name, ".") || strstr(name, ".."))
                return 0;
        for (const char *p = name; (p = strchr(p, '.')); p++)
                last = p;
        if (startswith(name, "net.") && last)
                return CLONE_NEWNET;
        if (startswith(name, "fs.mqueue.") && !strchr(name + strlen("fs.mqueue."), '.'))
                return CLONE_NEWIPC;
        for (size_t i = 0; i < ELEMENTSOF(ipc); i++)
                if (streq(name, ipc[i]))
                        return CLONE_NEWIPC;
        return 0;
}
