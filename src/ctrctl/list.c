/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl list [--all] [--json]
 *
 * Every container defined by a .ctr on the search path, running or not, plus containers that only exist at
 * runtime (a state directory in /run/ctr without a .ctr, e.g. "ctrctl run --no-scope"): the unit's state from
 * systemd over sd-bus, the monitor's PID, uptime, the scope's memory and CPU time, image and file. --all adds
 * masked names. Without systemd (PID 1 is something else) the states are "unknown" and a note says why. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "ctr-file.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "fileio.h"
#include "image-store.h"
#include "json.h"
#include "log.h"
#include "pager.h"
#include "proc-util.h"
#include "paths.h"
#include "runtime-state.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"

static bool arg_all = false;
static bool arg_json = false;

enum {
        ARG_JSON = VERB_OPTION_BASE,
};

static int handle_option(int c, _unused_ const char *value) {
        switch (c) {
        case 'a':
                arg_all = true;
                return 0;
        case ARG_JSON:
                arg_json = true;
                return 0;
        default:
                return -EINVAL;
        }
}

typedef struct Row {
        char *name;
        char *source_path;
        char **dropins;
        bool masked;
        bool invalid;
        bool runtime_only;
        char *image;            /* Image=, or "dir:PATH" for RootDirectory= */
        bool image_missing;     /* Image= names no image of the store (the start would fail) */
        UnitInfo service;
        UnitInfo scope;
        RuntimeState state;
        bool have_state;
        Container *container;   /* the loaded file, for config_changed; NULL when invalid, masked, none */
        bool listed;            /* states known from ListUnitsByPatterns() (or: not loaded, so inactive) */
        bool service_known;     /* the service's properties this list shows, known without asking systemd */
        bool scope_known;       /* the scope's counters, read from its cgroup */
} Row;

static void row_done(Row *r) {
        free(r->name);
        free(r->source_path);
        strv_free(r->dropins);
        free(r->image);
        unit_info_done(&r->service);
        unit_info_done(&r->scope);
        runtime_state_done(&r->state);
        container_free(r->container);
}

static int rows_add(Row **rows, size_t *n, Row **ret) {
        Row *a = realloc(*rows, (*n + 1) * sizeof(Row));

        if (!a)
                return -ENOMEM;
        *rows = a;
        a[*n] = (Row) {};
        *ret = &a[(*n)++];
        return 0;
}

static int row_compare(const void *a, const void *b) {
        return strcmp(((const Row *) a)->name, ((const Row *) b)->name);
}

/* Whether the store has |reference|: opened once for all rows (NULL store: none on this machine). */
static bool store_has_image(ImageStore **store, const char *reference) {
        _cleanup_image_free_ Image *i = NULL;
        static bool tried = false;

        if (!*store && !tried) {
                tried = true;
                (void) image_store_open(NULL, false, store);
        }
        return *store && image_store_resolve(*store, reference, &i, NULL) >= 0;
}

static Row *find_row(Row *rows, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(rows[i].name, name))
                        return rows + i;
        return NULL;
}

typedef struct RowList {
        Row *rows;
        size_t n;
} RowList;

static int on_unit_listed(const char *name, const char *description, const char *load, const char *active,
                          const char *sub, void *userdata) {
        RowList *l = userdata;
        _cleanup_free_ char *c = NULL;
        Row *row;
        int r;

        r = container_name_from_service(name, &c);
        if (r <= 0)
                return r;
        row = find_row(l->rows, l->n, c);
        if (!row)
                return 0;
        unit_info_done(&row->service);
        row->service.load_state = strdup(load);
        row->service.active_state = strdup(active);
        row->service.sub_state = strdup(sub);
        row->service.description = strdup(description);
        if (!row->service.load_state || !row->service.active_state || !row->service.sub_state ||
            !row->service.description)
                return -ENOMEM;
        row->listed = true;
        return 0;
}

static int list_unit_states(sd_bus *bus, Row *rows, size_t n) {
        RowList l = { rows, n };
        int r;

        r = bus_list_units(bus, "ctr@*.service", on_unit_listed, &l);
        if (r < 0)
                return r;

        /* not loaded: systemd has nothing running for it, i.e. inactive (loading it just to say so is slow) */
        for (size_t i = 0; i < n; i++)
                if (!rows[i].listed && !rows[i].masked && !rows[i].runtime_only) {
                        unit_info_done(&rows[i].service);
                        rows[i].service.load_state = strdup("not-loaded");
                        rows[i].service.active_state = strdup("inactive");
                        rows[i].service.sub_state = strdup("dead");
                        if (!rows[i].service.load_state || !rows[i].service.active_state ||
                            !rows[i].service.sub_state)
                                return -ENOMEM;
                        rows[i].listed = true;
                }
        return 0;
}

static const char *state_color(const char *active) {
        if (!active)
                return NULL;
        if (streq(active, "active"))
                return ANSI_GREEN;
        if (streq(active, "failed"))
                return ANSI_RED;
        if (streq(active, "activating") || streq(active, "deactivating") || streq(active, "reloading"))
                return ANSI_YELLOW;
        return NULL;
}

static bool row_active(const Row *r) {
        return r->service.active_state && (streq(r->service.active_state, "active") ||
                                           streq(r->service.active_state, "reloading") ||
                                           streq(r->service.active_state, "deactivating"));
}

/* The properties of the services that are doing something (the rest stay as the unit list had them), then
 * of the scopes of the active ones: every call of a batch sent before the first reply is read. */
static int rows_unit_infos(sd_bus *bus, Row *rows, size_t n_rows, bool scopes) {
        _cleanup_free_ UnitInfo *infos = NULL;
        _cleanup_free_ size_t *of = NULL;
        _cleanup_free_ int *errors = NULL;
        char **units = NULL;
        size_t n = 0;
        int r = 0;

        infos = calloc(n_rows, sizeof(UnitInfo));
        of = calloc(n_rows, sizeof(size_t));
        errors = calloc(n_rows, sizeof(int));
        units = calloc(n_rows + 1, sizeof(char *));
        if (!infos || !of || !errors || !units) {
                free(units);
                return -ENOMEM;
        }
        for (size_t k = 0; k < n_rows && r >= 0; k++) {
                Row *row = rows + k;

                if (row->masked)
                        continue;
                if (scopes ? !row_active(row) || row->scope_known :
                             row->service_known || (row->listed && streq_ptr(row->service.active_state, "inactive")))
                        continue;
                r = scopes ? container_scope_name(row->name, &units[n]) : container_service_name(row->name, &units[n]);
                if (r >= 0)
                        of[n++] = k;
        }
        if (r >= 0)
                r = bus_unit_infos(bus, units, n, infos, errors);
        for (size_t i = 0; i < n; i++) {
                Row *row = rows + of[i];
                UnitInfo *to = scopes ? &row->scope : &row->service;

                if (r >= 0 && errors[i] >= 0) {
                        unit_info_done(to);
                        *to = infos[i];
                } else {
                        if (errors[i] < 0)
                                log_debug_errno(errors[i], "Failed to read the properties of %s: %m", units[i]);
                        unit_info_done(&infos[i]);
                }
        }
        strv_free(units);
        return r;
}

/* What the list shows of a running container, from its runtime state and the files of the kernel, so that
 * 1,000 running containers cost no call to systemd each (its GetAll() of ~300 properties is what made a list
 * slow): with the service listed as active and the state's init alive, the main PID is the monitor (when it
 * is in ctr@NAME.service), the uptime the state's start, and the Result "success" (systemd resets it when
 * a unit starts; only a unit that failed or is stopping has another); the scope's counters are its
 * cgroup's memory.current, cpu.stat usage_usec and pids.current, which systemd's MemoryCurrent,
 * CPUUsageNSec and TasksCurrent read. Whatever cannot be read so is asked for as before. */
static int row_from_state(Row *row) {
        _cleanup_free_ char *service = NULL, *cg = NULL, *monitor_cg = NULL;
        uint64_t memory, cpu_usec, tasks;
        int r;

        if (!row->have_state || !row->listed || !streq_ptr(row->service.active_state, "active"))
                return 0;
        r = container_state_cgroup_dir(&row->state, &cg);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        r = container_service_name(row->name, &service);
        if (r < 0)
                return r;
        r = pid_cgroup_dir(row->state.monitor_pid, service, &monitor_cg);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                row->service.main_pid = (uint32_t) row->state.monitor_pid;
                if (free_and_strdup(&row->service.result, "success") < 0)
                        return -ENOMEM;
                row->service_known = true;
        }
        if (cgroup_read_u64(cg, "memory.current", &memory) >= 0 &&
            cgroup_read_keyed(cg, "cpu.stat", "usage_usec", &cpu_usec) >= 0 &&
            cgroup_read_u64(cg, "pids.current", &tasks) >= 0 && cpu_usec <= UINT64_MAX / 1000) {
                row->scope.memory_current = memory;
                row->scope.cpu_usage_nsec = cpu_usec * 1000;
                row->scope.tasks_current = tasks;
                row->scope_known = true;
        }
        return 0;
}

static uint64_t row_uptime(const Row *r, uint64_t now) {
        if (row_active(r) && r->service.active_enter_usec > 0 && r->service.active_enter_usec <= now)
                return now - r->service.active_enter_usec;
        if (r->have_state && r->state.started_usec > 0 && r->state.started_usec <= now)
                return now - r->state.started_usec;
        return UINT64_MAX;
}

static void print_json(Row *rows, size_t n, bool have_bus) {
        uint64_t now = now_realtime_usec();
        JsonWriter w;

        json_writer_init(&w, stdout);
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
                Row *r = rows + i;
                uint64_t up = row_uptime(r, now);
                int changed;

                json_begin_object(&w);
                json_field_string(&w, "name", r->name);
                json_key(&w, "unit");
                {
                        _cleanup_free_ char *u = NULL;
                        (void) container_service_name(r->name, &u);
                        json_string(&w, u);
                }
                json_field_string(&w, "load_state", have_bus ? r->service.load_state : "unknown");
                json_field_string(&w, "active_state", have_bus ? r->service.active_state : "unknown");
                json_field_string(&w, "sub_state", have_bus ? r->service.sub_state : (r->have_state ? "running" : "unknown"));
                json_key(&w, "main_pid");
                if (r->service.main_pid > 0)
                        json_unsigned(&w, r->service.main_pid);
                else if (r->have_state && r->state.monitor_pid > 0)
                        json_unsigned(&w, (uint64_t) r->state.monitor_pid);
                else
                        json_null(&w);
                json_key(&w, "init_pid");
                if (r->have_state && r->state.init_pid > 0)
                        json_unsigned(&w, (uint64_t) r->state.init_pid);
                else
                        json_null(&w);
                json_field_limit(&w, "uptime_usec", up, UINT64_MAX);
                json_field_limit(&w, "memory_bytes", r->scope.memory_current, UINT64_MAX);
                json_field_limit(&w, "cpu_usage_nsec", r->scope.cpu_usage_nsec, UINT64_MAX);
                json_field_limit(&w, "tasks", r->scope.tasks_current, UINT64_MAX);
                json_field_string(&w, "health", r->have_state ? r->state.health : NULL);
                json_field_string(&w, "image", r->image);
                json_field_string(&w, "image_digest", r->have_state ? r->state.image_digest : NULL);
                json_field_bool(&w, "image_present", !r->image_missing);
                json_field_string(&w, "source_path", r->source_path);
                json_field_strv(&w, "dropins", r->dropins);
                json_field_bool(&w, "masked", r->masked);
                json_field_bool(&w, "valid", !r->invalid && !r->masked);
                json_field_bool(&w, "runtime_only", r->runtime_only);
                /* as inspect's runtime.config_changed: null without a launcher's state (as init_pid) */
                changed = r->have_state && r->state.init_pid > 0 && r->container ?
                          runtime_config_changed(r->container, &r->state) : -ENODATA;
                json_key(&w, "config_changed");
                if (changed >= 0)
                        json_boolean(&w, changed > 0);
                else
                        json_null(&w);
                json_field_string(&w, "result", have_bus ? r->service.result : NULL);
                /* pods, from the rows' own files (as inspect's joins and joined_by) */
                json_field_string(&w, "joins", r->container ? container_joins(r->container) : NULL);
                json_key(&w, "joined_by");
                json_begin_array(&w);
                for (size_t k = 0; k < n; k++)
                        if (rows[k].container && streq_ptr(container_joins(rows[k].container), r->name))
                                json_string(&w, rows[k].name);
                json_end_array(&w);
                json_end_object(&w);
        }
        json_end_array(&w);
}

static const char *health_color(const char *health) {
        if (streq_ptr(health, "unhealthy"))
                return ANSI_RED;
        if (streq_ptr(health, "starting"))
                return ANSI_YELLOW;
        return NULL;
}

static int print_table(Row *rows, size_t n, bool have_bus) {
        static const char *const headers[] = {
                "NAME", "STATE", "SUB", ">PID", ">UPTIME", ">MEMORY", ">CPU", "IMAGE", "FILE", NULL
        };
        /* with HEALTH after SUB: only when a running container has a health check, so a host without any
         * keeps its columns (ctrctl(1)) */
        static const char *const headers_health[] = {
                "NAME", "STATE", "SUB", "HEALTH", ">PID", ">UPTIME", ">MEMORY", ">CPU", "IMAGE", "FILE", NULL
        };
        _cleanup_table_free_ Table *t = NULL;
        uint64_t now = now_realtime_usec();
        bool health = false;
        int r;

        for (size_t i = 0; i < n; i++)
                if (rows[i].have_state && rows[i].state.health)
                        health = true;
        r = table_new(health ? headers_health : headers, &t);
        if (r < 0)
                return log_oom();

        for (size_t i = 0; i < n; i++) {
                Row *row = rows + i;
                char b1[FORMAT_TIMESPAN_MAX], b2[FORMAT_BYTES_MAX], b3[FORMAT_TIMESPAN_MAX];
                const char *active = have_bus ? row->service.active_state : "unknown";
                const char *sub = have_bus ? row->service.sub_state : (row->have_state ? "running" : "-");
                uint64_t up = row_uptime(row, now), pid = 0;
                _cleanup_free_ char *missing = row->image_missing ?
                        strprintf("%s (not in the store)", row->image) : NULL;

                if (row->masked) {
                        active = "masked";
                        sub = "-";
                }
                if (row->service.main_pid > 0)
                        pid = row->service.main_pid;
                else if (row->have_state)
                        pid = (uint64_t) row->state.monitor_pid;

                if (table_add(t, row->name) < 0 ||
                    table_add_color(t, active, state_color(active)) < 0 ||
                    table_add(t, sub) < 0 ||
                    (health && table_add_color(t, row->have_state ? row->state.health : NULL,
                                               health_color(row->have_state ? row->state.health : NULL)) < 0) ||
                    (pid > 0 ? table_addf(t, "%" PRIu64, pid) : table_add(t, NULL)) < 0 ||
                    table_add(t, up != UINT64_MAX ? format_timespan(b1, sizeof(b1), up) : NULL) < 0 ||
                    table_add(t, row->scope.memory_current != UINT64_MAX ?
                                 format_bytes(b2, sizeof(b2), row->scope.memory_current) : NULL) < 0 ||
                    table_add(t, row->scope.cpu_usage_nsec != UINT64_MAX ?
                                 format_timespan(b3, sizeof(b3), row->scope.cpu_usage_nsec / 1000) : NULL) < 0 ||
                    table_add_color(t, row->invalid ? "(invalid)" : row->image_missing ? missing : row->image,
                                    row->invalid || row->image_missing ? ANSI_RED : NULL) < 0 ||
                    table_add(t, row->source_path) < 0)
                        return log_oom();
        }

        r = table_print(t, stdout, !arg_no_legend, colors_enabled());
        if (r < 0)
                return r;
        if (!arg_no_legend)
                printf("\n%zu container%s listed.\n", n, n == 1 ? "" : "s");
        return 0;
}

int verb_list(int argc, char *argv[]) {
        static const struct option options[] = {
                { "all",  no_argument, NULL, 'a'      },
                { "json", no_argument, NULL, ARG_JSON },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_strv_free_ char **search = NULL, **runtime = NULL;
        _cleanup_image_store_free_ ImageStore *store = NULL;
        ContainerSource *sources = NULL;
        size_t n_sources = 0, n_rows = 0;
        Row *rows = NULL;
        bool have_bus;
        int i, r;

        i = verb_parse_options(argc, argv, options, "a", handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;

        r = ctr_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");
        r = container_enumerate(search, &sources, &n_sources);
        if (r < 0)
                return log_error_errno(r, "Failed to enumerate containers: %m");

        r = bus_connect(NULL, &bus);
        have_bus = r >= 0;
        if (!have_bus) {
                if (r == -EHOSTDOWN)
                        log_notice("systemd is not running on this machine: unit states are unknown.");
                else
                        log_warning_errno(r, "Failed to connect to systemd, unit states are unknown: %m");
        }

        for (size_t k = 0; k < n_sources; k++) {
                _cleanup_container_free_ Container *c = NULL;
                Diagnostics diag = {};
                Row *row;

                if (sources[k].masked && !arg_all)
                        continue;
                r = rows_add(&rows, &n_rows, &row);
                if (r < 0)
                        goto oom;
                row->name = strdup(sources[k].name);
                row->source_path = sources[k].path ? strdup(sources[k].path) : NULL;
                if (!row->name || (sources[k].path && !row->source_path) ||
                    strv_copy(sources[k].dropins, &row->dropins) < 0)
                        goto oom;
                row->masked = sources[k].masked;
                if (!row->masked) {
                        r = container_load_source(sources + k, &diag, &c);
                        diagnostics_clear(&diag);
                        if (r < 0)
                                row->invalid = true;
                        else if (c->image && !streq(c->image, "host")) {
                                row->image_missing = !store_has_image(&store, c->image);
                                row->image = strdup(c->image);
                        }
                        else if (c->image)
                                row->image = strdup(c->image);
                        else if (c->root_directory)
                                r = asprintf(&row->image, "dir:%s", c->root_directory) < 0 ? -ENOMEM : 0;
                        if (r == -ENOMEM)
                                goto oom;
                        row->container = TAKE_PTR(c);
                }
        }

        r = runtime_names(&runtime);
        if (r < 0)
                log_warning_errno(r, "Failed to read %s: %m", runtime_dir());
        STRV_FOREACH(name, runtime) {
                Row *row;

                if (find_row(rows, n_rows, *name))
                        continue;
                if (rows_add(&rows, &n_rows, &row) < 0 || !(row->name = strdup(*name)))
                        goto oom;
                row->runtime_only = true;
        }

        if (n_rows > 0)
                qsort(rows, n_rows, sizeof(Row), row_compare);

        /* One ListUnitsByPatterns() for the states of every loaded ctr@ unit; the per-unit properties only for
         * units that are doing something (a machine may define hundreds of containers). */
        if (have_bus) {
                r = list_unit_states(bus, rows, n_rows);
                if (r < 0)
                        log_warning_errno(r, "Failed to list the units, asking one by one: %m");
        }

        for (size_t k = 0; k < n_rows; k++) {
                Row *row = rows + k;

                if (runtime_state_read(row->name, &row->state) >= 0) {
                        row->have_state = true;

                        if (row->runtime_only && !row->source_path && row->state.source_path)
                                row->source_path = strdup(row->state.source_path);
                }
                row->scope = (UnitInfo) { .memory_current = UINT64_MAX, .cpu_usage_nsec = UINT64_MAX,
                                          .tasks_current = UINT64_MAX };
                if (have_bus && row_from_state(row) == -ENOMEM)
                        goto oom;
        }
        if (have_bus) {
                r = rows_unit_infos(bus, rows, n_rows, false);
                if (r >= 0)
                        r = rows_unit_infos(bus, rows, n_rows, true);
                if (r == -ENOMEM)
                        goto oom;
                if (r < 0)
                        log_debug_errno(r, "Failed to read the units' properties: %m");
        }

        if (arg_json)
                print_json(rows, n_rows, have_bus);
        else {
                (void) pager_open(arg_no_pager);
                r = print_table(rows, n_rows, have_bus);
        }

        for (size_t k = 0; k < n_rows; k++)
                row_done(rows + k);
        free(rows);
        container_source_free_many(sources, n_sources);
        return r < 0 ? r : 0;

oom:
        for (size_t k = 0; k < n_rows; k++)
                row_done(rows + k);
        free(rows);
        container_source_free_many(sources, n_sources);
        return log_oom();
}
