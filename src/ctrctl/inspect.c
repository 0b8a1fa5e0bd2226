/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl inspect [--json] NAME…
 *
 * For scripts: the configuration (every field of the Container model, after drop-ins, as the generator
 * sees it), the image (image_store) and the settings in effect with where each came from (effective: the
 * .ctr, the image's config or ctr's default, as the launcher applies them), and the runtime state, one JSON object per container in an array. JSON
 * is the only format; --json is accepted so scripts can say what they expect. */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor.h"
#include "bus-util.h"
#include "caps-util.h"
#include "container-exec.h"
#include "config-hash.h"
#include "container-image.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "health-check.h"
#include "json.h"
#include "log.h"
#include "pager.h"
#include "pod.h"
#include "parse-util.h"
#include "paths.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"
#include "userns-range.h"

enum {
        ARG_JSON = VERB_OPTION_BASE,
};

static int handle_option(int c, _unused_ const char *value) {
        return c == ARG_JSON ? 0 : -EINVAL;
}

static void json_caps(JsonWriter *w, const char *key, uint64_t set) {
        json_key(w, key);
        json_begin_array(w);
        for (unsigned i = 0; i < 64; i++)
                if (set & (UINT64_C(1) << i)) {
                        _cleanup_free_ char *s = NULL;

                        if (capability_set_to_string(UINT64_C(1) << i, &s) >= 0)
                                json_string(w, s);
                        else
                                json_unsigned(w, i);
                }
        json_end_array(w);
}

static void json_scaled(JsonWriter *w, const char *key, uint64_t v, uint32_t scale) {
        if (scale > 0) {
                char buf[32];
                snprintf(buf, sizeof(buf), "%" PRIu64 "%%", ((uint64_t) scale * 100 + UINT32_MAX / 2) / UINT32_MAX);
                json_field_string(w, key, buf);
        } else
                json_field_limit(w, key, v, LIMIT_UNSET);
}

/* The cgroup firewall keys as systemd prints them: ["10.0.0.0/8", "::1/128"], ["ipv4:tcp:8080", "any"]; []
 * when not set. One of |p| and |b| is given. */
static void json_firewall(JsonWriter *w, const char *key, const IPAddressPrefix *p, const SocketBindRule *b,
                          size_t n) {
        char buf[IP_ACCESS_STRING_MAX];

        json_key(w, key);
        json_begin_array(w);
        for (size_t i = 0; i < n; i++)
                json_string(w, p ? ip_address_prefix_to_string(p + i, buf, sizeof(buf)) :
                                   socket_bind_rule_to_string(b + i, buf, sizeof(buf)));
        json_end_array(w);
}

/* "private_users": the mode in effect and the range recorded for the container (null before its first start) */
static void print_private_users(JsonWriter *w, const Container *c) {
        PrivateUsers mode = container_private_users(c);
        UsernsRange r;
        bool have;

        have = mode != PRIVATE_USERS_NO && userns_range_read(state_dir(), c->name, &r) >= 0;
        if (!have && mode == PRIVATE_USERS_FIXED) {
                r = (UsernsRange) { .base = c->private_users_uid, .count = c->private_users_count };
                have = true;
        }
        json_key(w, "private_users");
        json_begin_object(w);
        json_field_string(w, "mode", private_users_to_string(mode));
        json_key(w, "base");
        if (have)
                json_unsigned(w, r.base);
        else
                json_null(w);
        json_key(w, "count");
        if (have)
                json_unsigned(w, r.count);
        else
                json_null(w);
        json_end_object(w);
}

/* "health_check": null without one, else its command and settings; |origin| (the effective one's) or NULL */
static void json_health_check(JsonWriter *w, const Container *c, const char *origin) {
        json_key(w, "health_check");
        if (!c->health_cmd) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        json_field_strv(w, "command", c->health_cmd);
        json_field_unsigned(w, "interval_usec", c->health_interval_usec);
        json_field_unsigned(w, "timeout_usec", c->health_timeout_usec);
        json_field_unsigned(w, "start_period_usec", c->health_start_period_usec);
        json_field_unsigned(w, "retries", c->health_retries);
        json_field_string(w, "on_failure", health_on_failure_to_string(c->health_on_failure));
        if (origin)
                json_field_string(w, "origin", origin);
        json_end_object(w);
}

static void print_container(JsonWriter *w, const Container *c) {
        char net[CTR_NAME_MAX + 16];

        json_field_string(w, "name", c->name);
        json_field_string(w, "source_path", c->source_path);
        json_field_strv(w, "dropin_paths", c->dropin_paths);
        char hash[65];

        json_field_string(w, "config_hash", container_config_hash(c, hash) >= 0 ? hash : NULL);

        json_field_string(w, "image", c->image);
        json_field_string(w, "root_directory", c->root_directory);
        json_field_strv(w, "layers", c->layers);
        json_field_strv(w, "masks", c->mask_paths);
        json_field_strv(w, "labels", c->labels);
        json_field_strv(w, "sysctls", c->sysctls);
        json_field_strv(w, "add_hosts", c->add_hosts);
        json_field_strv(w, "dns", c->dns_servers);
        json_field_strv(w, "dns_search", c->dns_search);
        json_field_strv(w, "dns_options", c->dns_options);
        json_field_bool(w, "read_only", c->read_only);
        json_field_bool(w, "ephemeral", c->ephemeral);
        print_private_users(w, c);

        json_field_strv(w, "exec", c->exec);
        json_key(w, "entrypoint");
        if (c->entrypoint_set)
                json_strv(w, c->entrypoint);
        else
                json_null(w);
        json_field_strv(w, "environment", c->environment);
        json_field_strv(w, "environment_files", c->environment_files);
        json_field_bool(w, "environment_host", c->environment_host);
        json_field_string(w, "working_directory", c->working_directory);
        json_field_string(w, "user", c->user);
        json_field_string(w, "group", c->group);
        json_field_strv(w, "supplementary_groups", c->supplementary_groups);
        json_field_string(w, "hostname", container_hostname(c));
        json_field_bool(w, "init", c->init);

        json_key(w, "volumes");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_volumes; i++) {
                const Volume *v = c->volumes + i;

                json_begin_object(w);
                json_field_string(w, "type", v->type == VOLUME_NAMED ? "named" : "bind");
                json_field_string(w, "source", v->source);
                json_field_string(w, "destination", v->destination);
                json_field_bool(w, "read_only", v->read_only);
                json_field_bool(w, "nosuid", v->nosuid);
                json_field_bool(w, "nodev", v->nodev);
                json_field_bool(w, "noexec", v->noexec);
                json_field_bool(w, "recursive", v->recursive);
                json_end_object(w);
        }
        json_end_array(w);

        json_key(w, "tmpfs");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_tmpfs; i++) {
                const Tmpfs *t = c->tmpfs + i;
                char mode[8];

                snprintf(mode, sizeof(mode), "%04o", (unsigned) t->mode);
                json_begin_object(w);
                json_field_string(w, "destination", t->destination);
                json_field_limit(w, "size", t->size, LIMIT_UNSET);
                json_field_string(w, "mode", mode);
                json_field_bool(w, "read_only", t->read_only);
                json_field_bool(w, "nosuid", t->nosuid);
                json_field_bool(w, "nodev", t->nodev);
                json_field_bool(w, "noexec", t->noexec);
                json_end_object(w);
        }
        json_end_array(w);

        /* AddDevice=: the host path as written (the launcher follows its symlinks at start) */
        json_key(w, "devices");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_devices; i++) {
                json_begin_object(w);
                json_field_string(w, "source", c->devices[i].source);
                json_field_string(w, "target", c->devices[i].target);
                json_field_string(w, "access", c->devices[i].access);
                json_field_bool(w, "optional", c->devices[i].optional);
                json_end_object(w);
        }
        json_end_array(w);

        /* Secret=: names and places only; an empty list means every credential the service is given */
        json_key(w, "secrets");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_secrets; i++) {
                json_begin_object(w);
                json_field_string(w, "name", c->secrets[i].name);
                json_field_string(w, "target", c->secrets[i].target);
                json_end_object(w);
        }
        json_end_array(w);

        json_field_string(w, "network", network_mode_string(c, net, sizeof(net)));
        /* pods: whom this one joins (null: nobody), which of its namespaces besides the network, who joins it */
        json_field_string(w, "joins", container_joins(c));
        json_key(w, "join_namespaces");
        json_begin_array(w);
        if (c->join_namespaces & JOIN_NAMESPACE_IPC)
                json_string(w, "ipc");
        if (c->join_namespaces & JOIN_NAMESPACE_UTS)
                json_string(w, "uts");
        json_end_array(w);
        _cleanup_strv_free_ char **joiners = NULL;
        (void) container_joined_by(c->name, &joiners);
        json_key(w, "joined_by");
        json_begin_array(w);
        STRV_FOREACH(j, joiners)
                json_string(w, *j);
        json_end_array(w);
        json_key(w, "ports");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_ports; i++) {
                const PortMapping *p = c->ports + i;

                json_begin_object(w);
                json_field_string(w, "host_address", p->host_address);
                json_field_unsigned(w, "host_port", p->host_port);
                json_field_unsigned(w, "container_port", p->container_port);
                json_field_unsigned(w, "count", p->count);
                json_field_string(w, "protocol", p->protocol == IPPROTO_UDP ? "udp" : "tcp");
                json_end_object(w);
        }
        json_end_array(w);

        json_caps(w, "add_capabilities", c->add_capabilities);
        json_caps(w, "drop_capabilities", c->drop_capabilities);
        json_caps(w, "capability_bounding_set", container_capability_set(c));
        json_field_bool(w, "no_new_privileges", c->no_new_privileges);
        json_field_string(w, "seccomp_profile", c->seccomp_profile ?: "default");
        /* the key as written, and what it means on this machine ("unavailable" where AppArmor is off) */
        json_field_string(w, "apparmor_profile", c->apparmor_profile ?: "default");
        json_field_string(w, "apparmor", apparmor_profile_describe(c->apparmor_profile, apparmor_enabled()));

        json_scaled(w, "memory_max", c->memory_max, c->memory_max_scale);
        json_scaled(w, "memory_high", c->memory_high, c->memory_high_scale);
        json_scaled(w, "memory_swap_max", c->memory_swap_max, c->memory_swap_max_scale);
        json_field_limit(w, "cpu_weight", c->cpu_weight, LIMIT_UNSET);
        json_field_limit(w, "cpu_quota_per_sec_usec", c->cpu_quota_per_sec_usec, LIMIT_UNSET);
        json_field_string(w, "allowed_cpus", c->allowed_cpus);
        json_scaled(w, "tasks_max", c->tasks_max, c->tasks_max_scale);
        json_field_limit(w, "io_weight", c->io_weight, LIMIT_UNSET);
        json_field_string(w, "slice", container_slice(c));
        json_firewall(w, "ip_address_allow", c->ip_address_allow, NULL, c->n_ip_address_allow);
        json_firewall(w, "ip_address_deny", c->ip_address_deny, NULL, c->n_ip_address_deny);
        json_firewall(w, "socket_bind_allow", NULL, c->socket_bind_allow, c->n_socket_bind_allow);
        json_firewall(w, "socket_bind_deny", NULL, c->socket_bind_deny, c->n_socket_bind_deny);

        json_field_string(w, "stop_signal", signal_to_string(c->stop_signal > 0 ? c->stop_signal : SIGTERM));
        json_field_limit(w, "stop_timeout_usec", c->stop_timeout_usec, UINT64_MAX - 1);
        json_field_bool(w, "notify", c->notify);
        json_field_bool(w, "notify_healthy", c->notify_healthy);
        /* HealthCmd= and its keys; null without a check */
        json_health_check(w, c, NULL);
        json_field_string(w, "reload_signal", signal_to_string(c->reload_signal > 0 ? c->reload_signal : SIGHUP));

        json_key(w, "unit_settings");
        json_begin_array(w);
        for (size_t i = 0; i < c->n_unit_settings; i++) {
                const UnitSetting *u = c->unit_settings + i;

                json_begin_object(w);
                json_field_string(w, "section", u->section);
                json_field_string(w, "key", u->key);
                json_field_string(w, "value", u->value);
                json_field_string(w, "file", u->file);
                json_field_unsigned(w, "line", u->line);
                json_end_object(w);
        }
        json_end_array(w);
}

/* Where a variable of the effective environment comes from: the .ctr (Environment=) or the image's Env. */
static const char *env_origin(const Container *c, const char *assignment) {
        size_t n = strcspn(assignment, "=");

        STRV_FOREACH(e, c->environment)
                if (strneq(*e, assignment, n) && (*e)[n] == '=')
                        return setting_origin_to_string(SETTING_CTR);
        return setting_origin_to_string(SETTING_IMAGE);
}

static void json_origin_strv(JsonWriter *w, const char *key, char *const *l, SettingOrigin o) {
        json_key(w, key);
        json_begin_object(w);
        json_field_strv(w, "value", l);
        json_field_string(w, "origin", setting_origin_to_string(o));
        json_end_object(w);
}

static void json_origin_string(JsonWriter *w, const char *key, const char *v, SettingOrigin o) {
        json_key(w, key);
        json_begin_object(w);
        json_field_string(w, "value", v);
        json_field_string(w, "origin", setting_origin_to_string(o));
        json_end_object(w);
}

/* "image_store": what Image= resolves to now, and what the writable layer was made on; "effective": the
 * settings as ctr-launch applies them, each with its origin (".ctr", "image" or "default"). */
static void print_image(JsonWriter *w, const Container *c, const ContainerImage *ci) {
        const Container *e = ci->effective;
        const ImageDefaults *d = &ci->defaults;

        json_key(w, "image_store");
        if (!ci->store)
                json_null(w);
        else {
                json_begin_object(w);
                json_field_string(w, "reference", c->image);
                json_field_bool(w, "present", ci->image);
                json_field_string(w, "error", ci->image ? NULL : ci->error == -ENOENT ? "not in the store" :
                                  ci->error_message ?: strerror(-ci->error));
                if (ci->image) {
                        json_field_string(w, "name", ci->image->name);
                        json_field_string(w, "manifest_digest", ci->image->manifest_digest);
                        json_field_string(w, "config_digest", ci->image->config_digest);
                        json_field_strv(w, "diff_ids", ci->image->diff_ids);
                        json_field_strv(w, "exposed_ports", ci->image->config.exposed_ports);
                        json_field_strv(w, "labels", ci->image->config.labels);
                }
                json_field_string(w, "writable_layer_made_on", ci->recorded[0] ? ci->recorded : NULL);
                json_end_object(w);
        }

        json_key(w, "effective");
        if (!e || ci->defaults_error < 0 || (ci->store && !ci->image)) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        json_field_strv(w, "exec", e->exec);
        json_origin_strv(w, "entrypoint", d->entrypoint, d->entrypoint_origin);
        json_origin_strv(w, "command", d->command, d->command_origin);
        json_key(w, "environment");
        json_begin_array(w);
        /* as the launcher layers them: the image's, then the .ctr's (which win by name) */
        STRV_FOREACH(v, d->environment)
                if (streq(env_origin(c, *v), "image")) {
                        json_begin_object(w);
                        json_field_string(w, "assignment", *v);
                        json_field_string(w, "origin", "image");
                        json_end_object(w);
                }
        STRV_FOREACH(v, c->environment) {
                json_begin_object(w);
                json_field_string(w, "assignment", *v);
                json_field_string(w, "origin", ".ctr");
                json_end_object(w);
        }
        json_end_array(w);
        json_origin_string(w, "user", e->user, d->user_origin);
        json_origin_string(w, "group", e->group, c->group ? SETTING_CTR : e->group ? d->user_origin : SETTING_DEFAULT);
        json_origin_string(w, "working_directory", e->working_directory, d->working_directory_origin);
        json_origin_string(w, "stop_signal", signal_to_string(e->stop_signal), d->stop_signal_origin);
        json_health_check(w, e, setting_origin_to_string(d->health_origin));
        json_key(w, "image_volumes");
        json_begin_array(w);
        STRV_FOREACH(v, d->volumes) {
                _cleanup_free_ char *name = NULL;

                json_begin_object(w);
                json_field_string(w, "destination", *v);
                if (!c->ephemeral && plan_volume_name(*v, &name) >= 0) {
                        _cleanup_free_ char *src = strprintf("%s/containers/%s.volumes/%s", state_dir(), c->name,
                                                             name);
                        json_field_string(w, "source", src);
                } else
                        json_field_string(w, "source", NULL);
                json_field_string(w, "origin", "image");
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

/* "health": what the monitor last found (null without a check, or not running): the state, the failures in
 * a row, when the last check ended and what it wrote (at most 4 KiB). */
static void print_health(JsonWriter *w, const char *name, const RuntimeState *s) {
        _cleanup_free_ char *output = NULL;
        uint64_t checked = 0;

        json_key(w, "health");
        if (!s || !s->health) {
                json_null(w);
                return;
        }
        json_begin_object(w);
        json_field_string(w, "state", s->health);
        json_field_unsigned(w, "failing_streak", s->health_failing_streak);
        (void) runtime_state_read_health_output(name, HEALTH_OUTPUT_MAX, &output, &checked);
        json_key(w, "last_check_usec");
        if (checked > 0)
                json_unsigned(w, checked);
        else
                json_null(w);
        json_field_string(w, "output", output);
        json_end_object(w);
}

static void print_runtime(JsonWriter *w, sd_bus *bus, const Container *c) {
        const char *name = c->name;
        char hash[65];
        int changed, replaced;
        _cleanup_(runtime_state_done) RuntimeState s = {};
        _cleanup_(unit_info_done) UnitInfo service = {}, scope = {};
        _cleanup_free_ char *unit = NULL, *scope_name = NULL, *cgroup = NULL;
        pid_t init = 0;
        bool running;

        running = container_init_pid(bus, name, &s, &init) >= 0;
        json_key(w, "runtime");
        json_begin_object(w);
        json_field_bool(w, "running", running);
        json_key(w, "init_pid");
        if (running)
                json_unsigned(w, (uint64_t) init);
        else
                json_null(w);
        json_key(w, "monitor_pid");
        if (running && s.monitor_pid > 0)
                json_unsigned(w, (uint64_t) s.monitor_pid);
        else
                json_null(w);
        json_field_string(w, "scope", s.scope);
        json_field_string(w, "address", running ? s.address : NULL);
        json_field_string(w, "address6", running ? s.address6 : NULL);
        json_field_string(w, "image_digest", running ? s.image_digest : NULL);
        json_field_string(w, "config_hash", runtime_config_hash(c, &s, hash) ? hash : NULL);
        json_key(w, "config_changed");
        changed = running ? runtime_config_changed(c, &s) : -ENODATA;
        if (changed >= 0)
                json_boolean(w, changed > 0);
        else
                json_null(w);
        json_field_string(w, "launcher_version", running ? s.launcher_version : NULL);
        json_key(w, "launcher_replaced");
        /* true also when none is installed any more: what runs is not what would start */
        replaced = running ? runtime_launcher_replaced(&s, ctrctl_launcher_path()) : -ENODATA;
        if (replaced >= 0 || replaced == -ENOENT)
                json_boolean(w, replaced != 0);
        else
                json_null(w);
        json_key(w, "started_usec");
        if (s.started_usec > 0)
                json_unsigned(w, s.started_usec);
        else
                json_null(w);
        if (running)
                (void) container_cgroup_dir(bus, name, &cgroup);
        json_field_string(w, "cgroup", cgroup);
        print_health(w, name, running ? &s : NULL);
        json_end_object(w);

        json_key(w, "unit");
        json_begin_object(w);
        if (container_service_name(name, &unit) >= 0)
                json_field_string(w, "name", unit);
        if (bus && bus_unit_info(bus, unit, &service) >= 0) {
                json_field_bool(w, "systemd", true);
                json_field_string(w, "load_state", service.load_state);
                json_field_string(w, "active_state", service.active_state);
                json_field_string(w, "sub_state", service.sub_state);
                json_field_string(w, "result", service.result);
                json_field_string(w, "unit_file_state", service.unit_file_state);
                json_field_unsigned(w, "main_pid", service.main_pid);
                json_field_unsigned(w, "n_restarts", service.n_restarts);
                if (container_scope_name(name, &scope_name) >= 0 && bus_unit_info(bus, scope_name, &scope) >= 0) {
                        json_field_string(w, "scope_active_state", scope.active_state);
                        json_field_limit(w, "memory_current", scope.memory_current, UINT64_MAX);
                        json_field_limit(w, "cpu_usage_nsec", scope.cpu_usage_nsec, UINT64_MAX);
                        json_field_limit(w, "tasks_current", scope.tasks_current, UINT64_MAX);
                }
        } else {
                json_field_bool(w, "systemd", false);
                json_field_string(w, "active_state", "unknown");
        }
        json_end_object(w);
}

int verb_inspect(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json", no_argument, NULL, ARG_JSON },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        JsonWriter w;
        int i, r, ret = 0;
        size_t n = 0;
        Container **cs = NULL;

        i = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        for (int k = i; k < argc; k++)
                if (ctrctl_check_name(argv[k]) < 0)
                        return CTRCTL_EXIT_USAGE;

        /* load everything first: a missing name fails before half an array is printed */
        cs = calloc(argc > i ? (size_t) (argc - i) : 1, sizeof(Container *));
        if (!cs)
                return log_oom();
        for (int k = i; k < argc; k++) {
                r = ctrctl_load_container(argv[k], false, &cs[n]);
                if (r < 0) {
                        ret = ctrctl_load_exit_status(r);
                        goto finish;
                }
                n++;
        }

        if (bus_connect(NULL, &bus) < 0)
                bus = NULL;

        (void) pager_open(arg_no_pager);
        json_writer_init(&w, stdout);
        json_begin_array(&w);
        for (size_t k = 0; k < n; k++) {
                _cleanup_(container_image_done) ContainerImage ci = {};

                if (container_image_load(cs[k], &ci) < 0) {
                        ret = log_oom();
                        break;
                }
                json_begin_object(&w);
                print_container(&w, cs[k]);
                print_image(&w, cs[k], &ci);
                print_runtime(&w, bus, cs[k]);
                json_end_object(&w);
        }
        json_end_array(&w);
        if (fflush(stdout) != 0)
                ret = CTRCTL_EXIT_FAILURE;

finish:
        for (size_t k = 0; k < n; k++)
                container_free(cs[k]);
        free(cs);
        return ret;
}
