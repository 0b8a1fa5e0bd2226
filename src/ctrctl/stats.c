/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl stats [--json] [--interval SEC] [NAME…]
 * ctrctl top [-d SEC] [-n ITERATIONS] [NAME…]
 *
 * Resource use of running containers from their scopes' cgroup files: CPU % (cpu.stat usage_usec sampled
 * twice, 100% = one CPU), memory.current against memory.max, pids.current, and bytes read and written
 * (io.stat, summed over devices). "stats" prints once; "top" refreshes until q or Ctrl-C. */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bus-util.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "json.h"
#include "log.h"
#include "pager.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"

static bool arg_json = false;
static uint64_t arg_interval_usec = 1000000;
static uint64_t arg_iterations = 0;     /* top: 0 = until q */

enum {
        ARG_JSON = VERB_OPTION_BASE,
        ARG_INTERVAL,
};

static int handle_option(int c, const char *value) {
        switch (c) {
        case ARG_JSON:
                arg_json = true;
                return 0;
        case 'd':
        case ARG_INTERVAL:
                if (parse_sec(value, &arg_interval_usec) < 0 || arg_interval_usec < 100000 ||
                    arg_interval_usec > 3600U * 1000000ULL) {
                        log_error("Invalid interval '%s', expected 0.1s … 1h.", value);
                        return -EINVAL;
                }
                return 0;
        case 'n':
                if (safe_atou64(value, &arg_iterations) < 0 || arg_iterations == 0) {
                        log_error("Invalid number of iterations '%s'.", value);
                        return -EINVAL;
                }
                return 0;
        default:
                return -EINVAL;
        }
}

typedef struct Sample {
        char *name;
        char *cgroup;
        uint64_t cpu_usec;      /* cumulative */
        uint64_t cpu_percent_x100;      /* over the last interval, UINT64_MAX = unknown */
        uint64_t memory, memory_max, tasks, tasks_max, io_read, io_write;
        uint64_t at;            /* CLOCK_MONOTONIC of cpu_usec */
} Sample;

static void samples_free(Sample *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(s[i].name);
                free(s[i].cgroup);
        }
        free(s);
}

static int on_unit_listed(const char *unit, _unused_ const char *description, _unused_ const char *load,
                          const char *active, _unused_ const char *sub, void *userdata) {
        char ***names = userdata;
        char *name = NULL;
        int r;

        if (!streq(active, "active") && !streq(active, "reloading") && !streq(active, "deactivating"))
                return 0;
        r = container_name_from_service(unit, &name);
        if (r <= 0)
                return r;
        return strv_consume(names, name);
}

/* The running containers among |names| (all when empty) and their cgroups: from their runtime states, and
 * systemd is asked only about those that it lists as active and have none (one ListUnitsByPatterns() for
 * all, not a call per container). */
static int find_running(sd_bus *bus, char **names, Sample **ret, size_t *ret_n) {
        _cleanup_strv_free_ char **all = NULL, **active = NULL;
        bool listed = false;
        Sample *s = NULL;
        size_t n = 0;
        int r;

        if (strv_isempty(names)) {
                r = container_names_all(&all);
                if (r < 0)
                        return log_error_errno(r, "Failed to enumerate containers: %m");
                names = all;
        }
        if (bus) {
                r = bus_list_units(bus, "ctr@*.service", on_unit_listed, &active);
                if (r == -ENOMEM)
                        return log_oom();
                listed = r >= 0;
        }
        STRV_FOREACH(name, names) {
                _cleanup_free_ char *cg = NULL;
                Sample *a;

                if (container_cgroup_dir(listed && !strv_contains(active, *name) ? NULL : bus, *name, &cg) < 0 ||
                    access(cg, F_OK) < 0)
                        continue;
                a = realloc(s, (n + 1) * sizeof(Sample));
                if (!a) {
                        samples_free(s, n);
                        return log_oom();
                }
                s = a;
                s[n] = (Sample) { .name = strdup(*name), .cgroup = TAKE_PTR(cg), .cpu_percent_x100 = UINT64_MAX };
                if (!s[n].name) {
                        samples_free(s, n + 1);
                        return log_oom();
                }
                n++;
        }
        *ret = s;
        *ret_n = n;
        return 0;
}

static void sample(Sample *s) {
        uint64_t cpu = UINT64_MAX, now = now_monotonic_usec();

        if (cgroup_read_keyed(s->cgroup, "cpu.stat", "usage_usec", &cpu) < 0)
                cpu = UINT64_MAX;
        if (s->at > 0 && cpu != UINT64_MAX && s->cpu_usec != UINT64_MAX && cpu >= s->cpu_usec && now > s->at)
                s->cpu_percent_x100 = (cpu - s->cpu_usec) * 10000 / (now - s->at);
        s->cpu_usec = cpu;
        s->at = now;
        if (cgroup_read_u64(s->cgroup, "memory.current", &s->memory) < 0)
                s->memory = UINT64_MAX;
        if (cgroup_read_u64(s->cgroup, "memory.max", &s->memory_max) < 0)
                s->memory_max = UINT64_MAX;
        if (cgroup_read_u64(s->cgroup, "pids.current", &s->tasks) < 0)
                s->tasks = UINT64_MAX;
        if (cgroup_read_u64(s->cgroup, "pids.max", &s->tasks_max) < 0)
                s->tasks_max = UINT64_MAX;
        if (cgroup_read_io(s->cgroup, &s->io_read, &s->io_write) < 0)
                s->io_read = s->io_write = UINT64_MAX;
}

static void print_json(const Sample *s, size_t n) {
        JsonWriter w;

        json_writer_init(&w, stdout);
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
                json_begin_object(&w);
                json_field_string(&w, "name", s[i].name);
                json_field_string(&w, "cgroup", s[i].cgroup + strlen("/sys/fs/cgroup"));
                json_key(&w, "cpu_percent");
                if (s[i].cpu_percent_x100 == UINT64_MAX)
                        json_null(&w);
                else
                        json_fixed2(&w, s[i].cpu_percent_x100);
                json_field_limit(&w, "cpu_usage_usec", s[i].cpu_usec, UINT64_MAX);
                json_field_limit(&w, "memory_bytes", s[i].memory, UINT64_MAX);
                json_field_limit(&w, "memory_max", s[i].memory_max, UINT64_MAX - 1);
                json_field_limit(&w, "tasks", s[i].tasks, UINT64_MAX);
                json_field_limit(&w, "tasks_max", s[i].tasks_max, UINT64_MAX - 1);
                json_field_limit(&w, "io_read_bytes", s[i].io_read, UINT64_MAX);
                json_field_limit(&w, "io_write_bytes", s[i].io_write, UINT64_MAX);
                json_end_object(&w);
        }
        json_end_array(&w);
}

static int print_table(const Sample *s, size_t n) {
        static const char *const headers[] = {
                "NAME", ">CPU%", ">MEMORY", ">LIMIT", ">MEM%", ">TASKS", ">IO-READ", ">IO-WRITE", NULL
        };
        _cleanup_table_free_ Table *t = NULL;
        int r;

        r = table_new(headers, &t);
        if (r < 0)
                return log_oom();
        for (size_t i = 0; i < n; i++) {
                char m[FORMAT_BYTES_MAX], l[FORMAT_BYTES_MAX], rd[FORMAT_BYTES_MAX], wr[FORMAT_BYTES_MAX];
                char cpu[32] = "-", pct[32] = "-", tasks[32] = "-";

                if (s[i].cpu_percent_x100 != UINT64_MAX)
                        snprintf(cpu, sizeof(cpu), "%" PRIu64 ".%02" PRIu64, s[i].cpu_percent_x100 / 100,
                                 s[i].cpu_percent_x100 % 100);
                if (s[i].memory != UINT64_MAX && s[i].memory_max != UINT64_MAX && s[i].memory_max > 0)
                        snprintf(pct, sizeof(pct), "%.1f", (double) s[i].memory * 100.0 / (double) s[i].memory_max);
                if (s[i].tasks != UINT64_MAX)
                        snprintf(tasks, sizeof(tasks), "%" PRIu64, s[i].tasks);
                if (table_add(t, s[i].name) < 0 || table_add(t, cpu) < 0 ||
                    table_add(t, format_bytes(m, sizeof(m), s[i].memory)) < 0 ||
                    table_add(t, s[i].memory_max == UINT64_MAX ? "max" : format_bytes(l, sizeof(l), s[i].memory_max)) < 0 ||
                    table_add(t, pct) < 0 || table_add(t, tasks) < 0 ||
                    table_add(t, format_bytes(rd, sizeof(rd), s[i].io_read)) < 0 ||
                    table_add(t, format_bytes(wr, sizeof(wr), s[i].io_write)) < 0)
                        return log_oom();
        }
        return table_print(t, stdout, !arg_no_legend, colors_enabled());
}

static int parse(int argc, char *argv[], const struct option *options, const char *shortopts) {
        int i = verb_parse_options(argc, argv, options, shortopts, handle_option);

        if (i <= 0)
                return i < 0 ? -EINVAL : 0;
        for (int k = i; k < argc; k++)
                if (ctrctl_check_name(argv[k]) < 0)
                        return -EINVAL;
        return i;
}

int verb_stats(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json",     no_argument,       NULL, ARG_JSON     },
                { "interval", required_argument, NULL, ARG_INTERVAL },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        Sample *s = NULL;
        size_t n = 0;
        int i, r;

        i = parse(argc, argv, options, NULL);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        if (bus_connect(NULL, &bus) < 0)
                bus = NULL;
        r = find_running(bus, argv + i, &s, &n);
        if (r < 0)
                return r;
        if (n == 0 && i < argc) {
                log_error("%s not running.", argc - i == 1 ? "The container is" : "None of the containers is");
                return CTRCTL_EXIT_NOT_RUNNING;
        }

        for (size_t k = 0; k < n; k++)
                sample(s + k);
        if (n > 0) {
                struct timespec ts = { .tv_sec = (time_t) (arg_interval_usec / 1000000),
                                       .tv_nsec = (long) (arg_interval_usec % 1000000) * 1000 };
                while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                        ;
        }
        for (size_t k = 0; k < n; k++)
                sample(s + k);

        if (arg_json)
                print_json(s, n);
        else
                r = print_table(s, n);
        samples_free(s, n);
        return r < 0 ? r : 0;
}

static volatile sig_atomic_t quit = 0;

static void on_signal(_unused_ int sig) {
        quit = 1;
}

int verb_top(int argc, char *argv[]) {
        static const struct option options[] = {
                { "delay",      required_argument, NULL, 'd' },
                { "iterations", required_argument, NULL, 'n' },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        struct termios saved, raw;
        bool tty;
        Sample *s = NULL;
        size_t n = 0;
        int i, r = 0;

        arg_interval_usec = 2000000;
        i = parse(argc, argv, options, "d:n:");
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        if (bus_connect(NULL, &bus) < 0)
                bus = NULL;

        struct sigaction sa = { .sa_handler = on_signal };
        (void) sigaction(SIGINT, &sa, NULL);
        (void) sigaction(SIGTERM, &sa, NULL);

        tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) >= 0;
        if (tty) {
                raw = saved;
                raw.c_lflag &= ~(tcflag_t) (ICANON | ECHO);
                raw.c_cc[VMIN] = 1;
                raw.c_cc[VTIME] = 0;
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }

        for (uint64_t iteration = 0; !quit && (arg_iterations == 0 || iteration < arg_iterations); iteration++) {
                Sample *fresh = NULL;
                size_t n_fresh = 0;
                char ts[64] = "";
                time_t now = time(NULL);
                struct tm tm;

                /* the set of running containers may change between refreshes; keep old samples for CPU % */
                r = find_running(bus, argv + i, &fresh, &n_fresh);
                if (r < 0)
                        break;
                for (size_t k = 0; k < n_fresh; k++) {
                        for (size_t o = 0; o < n; o++)
                                if (streq(s[o].name, fresh[k].name) && streq(s[o].cgroup, fresh[k].cgroup)) {
                                        fresh[k].cpu_usec = s[o].cpu_usec;
                                        fresh[k].at = s[o].at;
                                }
                        sample(fresh + k);
                }
                samples_free(s, n);
                s = fresh;
                n = n_fresh;

                if (localtime_r(&now, &tm))
                        (void) strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
                if (isatty(STDOUT_FILENO))
                        fputs("\033[H\033[2J", stdout);
                printf("ctrctl top - %s, %zu running%s\n\n", ts, n, tty ? " (q to quit)" : "");
                r = print_table(s, n);
                if (r < 0)
                        break;
                fflush(stdout);

                if (arg_iterations > 0 && iteration + 1 >= arg_iterations)
                        break;
                /* the first refresh comes soon, so CPU % shows up */
                uint64_t wait = iteration == 0 ? MIN(arg_interval_usec, 1000000) : arg_interval_usec;
                struct pollfd p = { .fd = tty ? STDIN_FILENO : -1, .events = POLLIN };
                if (poll(&p, 1, (int) (wait / 1000)) > 0 && (p.revents & POLLIN)) {
                        char c;
                        if (read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q' || c == 3))
                                quit = 1;
                }
        }

        if (tty)
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        samples_free(s, n);
        return r < 0 ? r : 0;
}
