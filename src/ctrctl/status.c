/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl status NAME…
 *
 * As systemctl status ctr@NAME, plus what a container's user needs: image and root, writable layer, volumes,
 * network, limits configured (the .ctr) against current use (the scope's cgroup files), the scope's processes
 * as a tree, and the last journal lines. Exit status as systemctl's: 0 all running, 3 one is not running,
 * 4 no such container. What the container controls (its command lines, its journal lines, the cgroup its init
 * is in) is printed escaped, terminal or not: status is for reading, no escape sequence of a container's
 * reaches the operator's terminal. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus-util.h"
#include "container-image.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "fileio.h"
#include "health-check.h"
#include "log.h"
#include "logs.h"
#include "mounts.h"
#include "pager.h"
#include "pod.h"
#include "parse-util.h"
#include "paths.h"
#include "plan.h"
#include "proc-util.h"
#include "string-util.h"
#include "strv.h"
#include "userns-range.h"
#include "version.h"

#define PROCS_MAX 4096U
#define CGROUP_DEPTH_MAX 32U
/* a container may create thousands of mounts; status shows where they start */
#define MOUNTS_SHOWN_MAX 100U

static uint64_t arg_lines = 10;

static int handle_option(int c, const char *value) {
        switch (c) {
        case 'n':
                if (safe_atou64(value, &arg_lines) < 0 || arg_lines > 100000) {
                        log_error("Invalid number of lines '%s'.", value);
                        return -EINVAL;
                }
                return 0;
        default:
                return -EINVAL;
        }
}

typedef struct Proc {
        pid_t pid, ppid;
        bool shown;
} Proc;

static int collect_procs(const char *dir, unsigned depth, Proc **procs, size_t *n) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        const struct dirent64 *de;
        DirIter it;
        int r;

        if (depth > CGROUP_DEPTH_MAX)
                return 0;
        if (asprintf(&path, "%s/cgroup.procs", dir) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 1024 * 1024, &contents, NULL);
        if (r < 0)
                return r;
        for (char *w = strtok(contents, "\n"); w && *n < PROCS_MAX; w = strtok(NULL, "\n")) {
                unsigned pid;
                Proc *a;

                if (safe_atou(w, &pid) < 0 || pid == 0 || pid > INT32_MAX)
                        continue;
                a = realloc(*procs, (*n + 1) * sizeof(Proc));
                if (!a)
                        return -ENOMEM;
                *procs = a;
                a[(*n)++] = (Proc) { .pid = (pid_t) pid };
        }

        /* sub-cgroups of a delegated scope */
        if (dir_iter_open(AT_FDCWD, dir, &it) < 0)
                return 0;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                _cleanup_free_ char *sub = NULL;

                if (de->d_type != DT_DIR)
                        continue;
                if (asprintf(&sub, "%s/%s", dir, de->d_name) < 0) {
                        r = -ENOMEM;
                        break;
                }
                r = collect_procs(sub, depth + 1, procs, n);
                if (r < 0 && r != -ENOENT)
                        break;
                r = 0;
        }
        dir_iter_close(&it);
        return r < 0 ? r : 0;
}

static pid_t read_ppid(pid_t pid) {
        unsigned long long ppid;

        return pid_stat_field(pid, 4, &ppid) >= 0 ? (pid_t) ppid : 0;
}

static void print_proc_tree(Proc *procs, size_t n, pid_t parent, const char *prefix, unsigned depth) {
        size_t last = SIZE_MAX;

        if (depth > 64)
                return;
        for (size_t i = 0; i < n; i++)
                if (!procs[i].shown && procs[i].ppid == parent)
                        last = i;
        for (size_t i = 0; i < n && last != SIZE_MAX; i++) {
                _cleanup_free_ char *cmd = NULL, *shown = NULL, *sub = NULL;

                if (procs[i].shown || procs[i].ppid != parent)
                        continue;
                procs[i].shown = true;
                /* the container writes its own command lines: no escape sequence of its reaches the terminal */
                if (pid_cmdline(procs[i].pid, 200, &cmd) >= 0)
                        (void) escape_non_printable(cmd, SIZE_MAX, &shown);
                printf("%s%s%s%i %s%s\n", prefix, ansi(ANSI_GREY), i == last ? "└─" : "├─", (int) procs[i].pid,
                       ansi(ANSI_NORMAL), strna(shown));
                if (asprintf(&sub, "%s%s", prefix, i == last ? "  " : "│ ") < 0)
                        return;
                print_proc_tree(procs, n, procs[i].pid, sub, depth + 1);
        }
}

static void print_cgroup(const char *cgroup_dir) {
        _cleanup_free_ Proc *procs = NULL;
        size_t n = 0;

        if (collect_procs(cgroup_dir, 0, &procs, &n) < 0 || n == 0)
                return;
        for (size_t i = 0; i < n; i++)
                procs[i].ppid = read_ppid(procs[i].pid);
        /* roots: processes whose parent is not in the cgroup get parent 0 */
        for (size_t i = 0; i < n; i++) {
                bool found = false;
                for (size_t k = 0; k < n; k++)
                        if (procs[k].pid == procs[i].ppid)
                                found = true;
                if (!found)
                        procs[i].ppid = 0;
        }
        print_proc_tree(procs, n, 0, "             ", 0);
}

static const char *active_color(const char *s) {
        if (!s)
                return ANSI_NORMAL;
        if (streq(s, "active") || streq(s, "reloading"))
                return ANSI_GREEN;
        if (streq(s, "failed"))
                return ANSI_RED;
        return ANSI_NORMAL;
}

static void print_limit(const char *label, uint64_t current, const char *cgroup_dir, const char *max_file,
                        uint64_t configured, uint32_t scale, bool bytes, const char *key) {
        char cur[FORMAT_BYTES_MAX + 8], conf[FORMAT_BYTES_MAX + 8], eff[FORMAT_BYTES_MAX + 8];
        uint64_t max = UINT64_MAX - 1;

        if (current == UINT64_MAX)
                snprintf(cur, sizeof(cur), "-");
        else if (bytes)
                format_bytes(cur, sizeof(cur), current);
        else
                snprintf(cur, sizeof(cur), "%" PRIu64, current);
        format_limit(conf, sizeof(conf), configured, scale, bytes);

        if (cgroup_dir && max_file && cgroup_read_u64(cgroup_dir, max_file, &max) >= 0)
                format_limit(eff, sizeof(eff), max, 0, bytes);
        else
                snprintf(eff, sizeof(eff), "-");

        printf("%11s: %s (limit: %s; %s=%s)\n", label, cur, eff, key, conf);
}

static void print_volumes(const Container *c) {
        for (size_t i = 0; i < c->n_volumes; i++) {
                const Volume *v = c->volumes + i;

                printf("%11s %s%s → %s%s\n", i == 0 ? "Volumes:" : "", v->type == VOLUME_NAMED ? "volume " : "",
                       v->source, v->destination, v->read_only ? " (ro)" : "");
        }
        for (size_t i = 0; i < c->n_tmpfs; i++)
                printf("%11s tmpfs → %s\n", i == 0 && c->n_volumes == 0 ? "Volumes:" : "", c->tmpfs[i].destination);
        /* Secret=: credentials of the service by name (none set: every credential it is given) */
        for (size_t i = 0; i < c->n_secrets; i++)
                printf("%11s credential %s → %s\n", i == 0 ? "Secrets:" : "", c->secrets[i].name,
                       c->secrets[i].target);
}

/* One "LABEL: VALUE (ORIGIN)" line; the value escaped, since an image's config is a stranger's text. */
static void print_origin(const char *label, const char *value, SettingOrigin o) {
        _cleanup_free_ char *shown = NULL;

        (void) escape_non_printable(value, SIZE_MAX, &shown);
        printf("%11s%c %s (%s)\n", label, *label ? ':' : ' ', shown ?: value, setting_origin_to_string(o));
}

static void print_origin_strv(const char *label, char *const *l, SettingOrigin o) {
        _cleanup_free_ char *j = NULL;

        if (strv_join(l, " ", &j) >= 0)
                print_origin(label, strv_isempty(l) ? "(none)" : j, o);
}

/* PrivateUsers= in effect (the default shown as such) and the range recorded for the container */
static void print_private_users(const Container *c) {
        PrivateUsers mode = container_private_users(c);
        UsernsRange r;

        if (mode == PRIVATE_USERS_NO) {
                printf("%11s: PrivateUsers=no%s\n", "Users", c->private_users == PRIVATE_USERS_DEFAULT ? " (default)" : "");
                return;
        }
        if (userns_range_read(state_dir(), c->name, &r) < 0) {
                if (mode == PRIVATE_USERS_FIXED)
                        r = (UsernsRange) { .base = c->private_users_uid, .count = c->private_users_count };
                else {
                        printf("%11s: PrivateUsers=pick%s, a range picked at the first start\n", "Users",
                               c->private_users == PRIVATE_USERS_DEFAULT ? " (default)" : "");
                        return;
                }
        }
        printf("%11s: PrivateUsers=%s%s, host ids %u-%u\n", "Users", private_users_to_string(mode),
               c->private_users == PRIVATE_USERS_DEFAULT ? " (default)" : "", r.base, r.base + (r.count - 1));
}

/* A store image: which one, and each setting in effect with where it came from (ctr-launch's rules). */
static void print_image(const Container *c, const ContainerImage *ci) {
        _cleanup_free_ char *desc = NULL;
        const ImageDefaults *d = &ci->defaults;
        const Container *e = ci->effective;
        bool first = true;

        if (container_image_describe(c, ci, &desc) >= 0)
                printf("%11s: %s\n", "Image", desc);
        if (ci->image && ci->recorded[0] && !streq(ci->recorded, ci->image->manifest_digest))
                printf("%11s  writable layer made on %.19s: moved aside at the next start\n", "",
                       ci->recorded);
        if (ci->store && !ci->image) {
                printf("%11s  import it with 'ctrctl image import SOURCE %s' or 'ctrctl image pull %s'\n", "",
                       c->image, c->image);
                return;
        }
        if (ci->defaults_error < 0) {
                printf("%11s: %s\n", "Settings", strna(ci->defaults_message));
                return;
        }
        print_origin_strv("Entrypoint", d->entrypoint, d->entrypoint_origin);
        print_origin_strv("Command", d->command, d->command_origin);
        print_origin("User", e->user ?: "root", d->user_origin);
        print_origin("WorkingDir", e->working_directory ?: "(the user's home)", d->working_directory_origin);
        print_origin("StopSignal", signal_to_string(e->stop_signal), d->stop_signal_origin);
        STRV_FOREACH(v, d->environment) {
                size_t n = strcspn(*v, "=");
                bool overridden = false;

                STRV_FOREACH(x, c->environment)
                        overridden = overridden || (strneq(*x, *v, n) && (*x)[n] == '=');
                if (!overridden) {
                        print_origin(first ? "Env" : "", *v, SETTING_IMAGE);
                        first = false;
                }
        }
        STRV_FOREACH(x, c->environment) {
                print_origin(first ? "Env" : "", *x, SETTING_CTR);
                first = false;
        }
        first = true;
        STRV_FOREACH(v, d->volumes) {
                _cleanup_free_ char *name = NULL, *shown = NULL;

                (void) escape_non_printable(*v, SIZE_MAX, &shown);
                if (c->ephemeral || plan_volume_name(*v, &name) < 0)
                        printf("%11s tmpfs → %s (image)\n", first ? "Image vol.:" : "", shown ?: *v);
                else
                        printf("%11s %s/containers/%s.volumes/%s → %s (image)\n", first ? "Image vol.:" : "",
                               state_dir(), c->name, name, shown ?: *v);
                first = false;
        }
        if (ci->image && !strv_isempty(ci->image->config.exposed_ports)) {
                _cleanup_free_ char *j = NULL;
                if (strv_join(ci->image->config.exposed_ports, " ", &j) >= 0)
                        print_origin("Exposes", j, SETTING_IMAGE);
        }
}

/* A line only when the launcher running the container is not the one installed now: a package upgrade
 * restarts no container, so the new launcher runs from the next restart on. */
static void print_launcher(const RuntimeState *s) {
        const char *installed = ctrctl_launcher_path();
        int r;

        r = runtime_launcher_replaced(s, installed);
        if (r == -ENOENT)
                printf("%11s: %s (running), none installed at %s: it cannot start again\n", "Launcher",
                       strna(s->launcher_version), installed);
        else if (r > 0 && streq_ptr(s->launcher_version, PACKAGE_VERSION))
                printf("%11s: %s (running), another build of %s installed: the next restart runs the new one\n",
                       "Launcher", s->launcher_version, PACKAGE_VERSION);
        else if (r > 0)
                printf("%11s: %s (running), %s installed: the next restart runs the new one\n", "Launcher",
                       strna(s->launcher_version), PACKAGE_VERSION);
}

/* HealthCmd=: "healthy", "unhealthy, 3 failures in a row: <first line of the last output>", "starting", and
 * how long ago the last check ended. The output is the container's: control characters are replaced. */
static void print_health(const char *name, const RuntimeState *s) {
        _cleanup_free_ char *output = NULL, *line = NULL;
        char span[FORMAT_TIMESPAN_MAX];
        uint64_t checked = 0, now = now_realtime_usec();

        if (!s->health)
                return;
        if (runtime_state_read_health_output(name, HEALTH_OUTPUT_MAX, &output, &checked) >= 0)
                line = health_output_first_line(output, 200);
        printf("%11s: %s", "Health", s->health);
        if (s->health_failing_streak > 0)
                printf(", %u failure%s in a row", s->health_failing_streak, s->health_failing_streak == 1 ? "" : "s");
        if (checked > 0 && now >= checked + USEC_PER_SEC)
                printf(" (checked %s ago)", format_timespan(span, sizeof(span),
                                                             (now - checked) / USEC_PER_SEC * USEC_PER_SEC));
        else if (checked > 0)
                printf(" (checked just now)");
        if (s->health_failing_streak > 0 && !isempty(line))
                printf(": %s", line);
        putchar('\n');
}

/* 0 running, 3 not running, 4 no such container, < 0 error */
static int show_one(sd_bus *bus, const char *name, bool first) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(unit_info_done) UnitInfo service = {}, scope = {};
        _cleanup_(runtime_state_done) RuntimeState state = {};
        _cleanup_free_ char *unit = NULL, *scope_name = NULL, *cgroup_dir = NULL, *layer = NULL;
        char buf[FORMAT_TIMESTAMP_MAX], span[FORMAT_TIMESPAN_MAX], net[CTR_NAME_MAX + 16];
        const char *active;
        bool running, have_state;
        pid_t init = 0;
        int r, load_r;

        if (container_service_name(name, &unit) < 0 || container_scope_name(name, &scope_name) < 0)
                return log_oom();

        /* a runtime-only container has no file: that is shown below, not logged */
        {
                int level = log_get_max_level();
                log_set_max_level(LOG_CRIT);
                load_r = ctrctl_load_container(name, false, &c);
                log_set_max_level(level);
        }
        if (load_r == -ENOMEM)
                return load_r;
        have_state = container_init_pid(bus, name, &state, &init) >= 0;

        scope = (UnitInfo) { .memory_current = UINT64_MAX, .cpu_usage_nsec = UINT64_MAX,
                             .tasks_current = UINT64_MAX };
        if (bus) {
                r = bus_unit_info(bus, unit, &service);
                if (r < 0)
                        return log_error_errno(r, "Failed to read the state of %s: %m", unit);
                (void) bus_unit_info(bus, scope_name, &scope);
        }

        /* The template makes every ctr@NAME.service loadable: without a file, a runtime state or a unit that
         * is doing something (or failed), there is no such container. */
        if ((load_r == -ENOENT || load_r == -ERFKILL) && !have_state &&
            (!service.active_state || streq(service.active_state, "inactive")))
                return CTRCTL_EXIT_NO_SUCH;

        active = bus ? service.active_state : (have_state ? "active" : "inactive");
        running = active && (streq(active, "active") || streq(active, "reloading") || streq(active, "deactivating"));

        if (!first)
                putchar('\n');
        printf("%s●%s %s - %s\n", ansi(active_color(active)), ansi(ANSI_NORMAL), unit,
               service.description ?: (c ? c->name : name));
        if (bus)
                printf("%11s: %s (%s%s%s)\n", "Loaded", strna(service.load_state), strna(service.fragment_path),
                       service.unit_file_state ? "; " : "", strempty(service.unit_file_state));
        printf("%11s: %s%s%s%s%s%s", "Active", ansi(active_color(active)), bus ? strna(active) : "unknown",
               service.sub_state ? " (" : "", strempty(service.sub_state), service.sub_state ? ")" : "",
               ansi(ANSI_NORMAL));
        if (!bus)
                printf(" (systemd is not running%s)", have_state ? "; a runtime state exists" : "");
        if (running && service.active_enter_usec > 0)
                printf(" since %s; %s ago", format_timestamp(buf, sizeof(buf), service.active_enter_usec),
                       format_timespan(span, sizeof(span),
                                       (now_realtime_usec() - service.active_enter_usec) / 1000000 * 1000000));
        else if (!running && service.result && !streq(service.result, "success"))
                printf(" (Result: %s)", service.result);
        putchar('\n');

        if (service.main_pid > 0)
                printf("%11s: %" PRIu32 " (monitor)\n", "Main PID", service.main_pid);
        if (have_state && init > 0)
                printf("%11s: %i (container PID 1)\n", "Init PID", (int) init);
        if (have_state) {
                print_launcher(&state);
                print_health(name, &state);
        }

        if (load_r < 0)
                printf("%11s: %s\n", "Config", load_r == -ENOENT ? "no .ctr file" :
                                                load_r == -ERFKILL ? "masked" : "invalid, see 'ctrctl validate'");
        if (c) {
                printf("%11s: %s\n", "File", strna(c->source_path));
                STRV_FOREACH(d, c->dropin_paths)
                        printf("%11s  %s\n", "", *d);
                /* the effective hash (ctrctl hash), so an edit of a comment is no change */
                if (have_state && runtime_config_changed(c, &state) > 0)
                        printf("%11s: %schanged since the start%s ('ctrctl restart %s' applies it)\n", "Config",
                               ansi(ANSI_YELLOW), ansi(ANSI_NORMAL), c->name);
                _cleanup_(container_image_done) ContainerImage ci = {};

                if (c->image && !streq(c->image, "host")) {
                        if (container_image_load(c, &ci) < 0)
                                return log_oom();
                        print_image(c, &ci);
                } else if (c->image)
                        printf("%11s: %s\n", "Image", c->image);
                if (c->root_directory)
                        printf("%11s: %s\n", "Root", c->root_directory);
                STRV_FOREACH(l, c->layers)
                        printf("%11s: %s\n", "Layer", *l);
                if (container_writable_layer(c, &layer) < 0)
                        return log_oom();
                printf("%11s: %s\n", "Writable", layer);
                print_volumes(c);
                if (have_state && state.address)
                        printf("%11s: %s, address %s%s%s\n", "Network", network_mode_string(c, net, sizeof(net)),
                               state.address, state.address6 ? " and " : "", strempty(state.address6));
                else if (container_joins(c))
                        printf("%11s: %s (joins %s%s%s)\n", "Network", network_mode_string(c, net, sizeof(net)),
                               container_joins(c), c->join_namespaces ? ", and its " : "",
                               c->join_namespaces ? join_namespaces_to_string(c->join_namespaces) : "");
                else
                        printf("%11s: %s\n", "Network", network_mode_string(c, net, sizeof(net)));
                _cleanup_strv_free_ char **joiners = NULL;
                if (container_joined_by(c->name, &joiners) >= 0 && joiners) {
                        _cleanup_free_ char *j = NULL;
                        if (strv_join(joiners, ", ", &j) >= 0)
                                printf("%11s: %s\n", "Joined by", j);
                }
                for (size_t i = 0; i < c->n_ports; i++)
                        printf("%11s  port %s%s%u→%u/%s\n", "", strempty(c->ports[i].host_address),
                               c->ports[i].host_address ? ":" : "", c->ports[i].host_port,
                               c->ports[i].container_port, c->ports[i].protocol == 17 ? "udp" : "tcp");
                print_private_users(c);
                if (!ci.store)
                        printf("%11s: %s\n", "User", c->user ?: "root");
        }

        if (running || have_state)
                (void) container_cgroup_dir(bus, name, &cgroup_dir);

        if (c && (running || have_state)) {
                uint64_t mem = scope.memory_current, tasks = scope.tasks_current, cpu = UINT64_MAX;

                if (cgroup_dir) {
                        if (mem == UINT64_MAX)
                                (void) cgroup_read_u64(cgroup_dir, "memory.current", &mem);
                        if (tasks == UINT64_MAX)
                                (void) cgroup_read_u64(cgroup_dir, "pids.current", &tasks);
                        if (cgroup_read_keyed(cgroup_dir, "cpu.stat", "usage_usec", &cpu) < 0)
                                cpu = UINT64_MAX;
                }
                print_limit("Memory", mem, cgroup_dir, "memory.max", c->memory_max, c->memory_max_scale, true,
                            "MemoryMax");
                if (c->memory_high != LIMIT_UNSET || c->memory_high_scale > 0)
                        print_limit("Mem. high", UINT64_MAX, cgroup_dir, "memory.high", c->memory_high,
                                    c->memory_high_scale, true, "MemoryHigh");
                print_limit("Tasks", tasks, cgroup_dir, "pids.max", c->tasks_max, c->tasks_max_scale, false,
                            "TasksMax");
                if (cpu == UINT64_MAX && scope.cpu_usage_nsec != UINT64_MAX)
                        cpu = scope.cpu_usage_nsec / 1000;
                {
                        _cleanup_free_ char *cpumax = NULL, *path = NULL;
                        char weight[24] = "-", quota[24] = "-";

                        if (c->cpu_weight != LIMIT_UNSET)
                                snprintf(weight, sizeof(weight), "%" PRIu64, c->cpu_weight);
                        if (c->cpu_quota_per_sec_usec != LIMIT_UNSET)
                                snprintf(quota, sizeof(quota), "%" PRIu64 "%%", c->cpu_quota_per_sec_usec / 10000);
                        if (cgroup_dir && asprintf(&path, "%s/cpu.max", cgroup_dir) >= 0 &&
                            read_full_file_at(AT_FDCWD, path, 256, &cpumax, NULL) >= 0)
                                strstrip(cpumax);
                        printf("%11s: %s (cpu.max: %s; CPUWeight=%s CPUQuota=%s)\n", "CPU",
                               cpu != UINT64_MAX ? format_timespan(span, sizeof(span), cpu) : "-", strna(cpumax),
                               weight, quota);
                }
        }

        /* what its processes see, from its init's mountinfo (gone when it just stopped: nothing shown) */
        if (have_state && init > 0 && container_mounts_show(init, MOUNTS_SHOWN_MAX) == -ENOMEM)
                return log_oom();

        if (cgroup_dir) {
                _cleanup_free_ char *shown = NULL;

                /* read from the init's /proc/PID/cgroup without systemd: a delegated container names its own
                 * sub-cgroups */
                if (escape_non_printable(cgroup_dir + strlen("/sys/fs/cgroup"), SIZE_MAX, &shown) < 0)
                        return log_oom();
                printf("%11s: %s\n", "CGroup", shown);
                print_cgroup(cgroup_dir);
        }

        if (arg_lines > 0) {
                JournalOptions o = { .lines = arg_lines, .mode = OUTPUT_SHORT, .escape = true };

                putchar('\n');
                fflush(stdout);
                (void) journal_show(name, &o);
        }

        return running ? 0 : CTRCTL_EXIT_NOT_RUNNING;
}

int verb_status(int argc, char *argv[]) {
        static const struct option options[] = {
                { "lines", required_argument, NULL, 'n' },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        int i, r, ret = 0;

        i = verb_parse_options(argc, argv, options, "n:", handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        for (int k = i; k < argc; k++)
                if (ctrctl_check_name(argv[k]) < 0)
                        return CTRCTL_EXIT_USAGE;

        r = bus_connect(NULL, &bus);
        if (r < 0) {
                if (r != -EHOSTDOWN)
                        log_warning_errno(r, "Failed to connect to systemd, unit states are unknown: %m");
                bus = NULL;
        }

        (void) pager_open(arg_no_pager);

        for (int k = i; k < argc; k++) {
                r = show_one(bus, argv[k], k == i);
                if (r == CTRCTL_EXIT_NO_SUCH) {
                        fflush(stdout);
                        log_error("No container '%s': no .ctr file, no runtime state, no unit.", argv[k]);
                }
                if (r < 0)
                        r = CTRCTL_EXIT_FAILURE;
                /* the worst one wins, as systemctl: failure over not-found over not-running */
                if (r == CTRCTL_EXIT_FAILURE || (r > ret && ret != CTRCTL_EXIT_FAILURE))
                        ret = r;
        }
        return ret;
}
