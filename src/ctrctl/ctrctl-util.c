/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bus-util.h"
#include "config-hash.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "fileio.h"
#include "log.h"
#include "parse-util.h"
#include "proc-util.h"
#include "paths.h"
#include "string-util.h"
#include "strv.h"

int bus_log_connect_error(int r, const char *host) {
        if (r == -EHOSTDOWN)
                return log_error_errno(r, "systemd is not running on this machine (PID 1 is not systemd); "
                                       "this command needs it.");
        if (host)
                return log_error_errno(r, "Failed to connect to systemd on '%s': %m", host);
        return log_error_errno(r, "Failed to connect to systemd: %m");
}

int ctrctl_check_name(const char *name) {
        if (!container_name_is_valid(name))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "Invalid container name '%s'.", name);
        return 0;
}

int ctrctl_load_container(const char *name, bool warnings, Container **ret) {
        _cleanup_strv_free_ char **search = NULL;
        Diagnostics diag = {};
        int r;

        r = ctrctl_check_name(name);
        if (r < 0)
                return r;
        r = ctr_search_path(&search);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");

        r = container_load(name, search, &diag, ret);
        (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN | (warnings ? 0 : DIAGNOSTICS_ERRORS_ONLY));
        diagnostics_clear(&diag);

        if (r == -ENOENT)
                return log_error_errno(r, "No container '%s': no %s.ctr on the search path.", name, name);
        if (r == -ERFKILL)
                return log_error_errno(r, "Container '%s' is masked.", name);
        if (r == -EBADMSG)
                return log_error_errno(r, "Container '%s' is invalid, see the errors above.", name);
        if (r < 0)
                return log_error_errno(r, "Failed to load container '%s': %m", name);
        return 0;
}

int ctrctl_load_exit_status(int r) {
        return r == -ENOENT || r == -ERFKILL ? CTRCTL_EXIT_NO_SUCH : CTRCTL_EXIT_FAILURE;
}

int container_init_pid(sd_bus *bus, const char *name, RuntimeState *state, pid_t *ret) {
        RuntimeState s = {};
        int r;

        r = runtime_state_read(name, &s);
        if (r >= 0 && runtime_state_init_alive(&s)) {
                *ret = s.init_pid;
                if (state)
                        *state = s;
                else
                        runtime_state_done(&s);
                return 0;
        }
        runtime_state_done(&s);

        if (bus) {
                _cleanup_(unit_info_done) UnitInfo i = {};
                _cleanup_free_ char *unit = NULL, *path = NULL, *children = NULL;
                unsigned child;

                /* No state file (a launcher that does not write one): the monitor's child is the init. */
                if (container_service_name(name, &unit) < 0)
                        return -ENOMEM;
                if (bus_unit_info(bus, unit, &i) >= 0 && i.main_pid > 0) {
                        if (asprintf(&path, "/proc/%" PRIu32 "/task/%" PRIu32 "/children", i.main_pid,
                                     i.main_pid) < 0)
                                return -ENOMEM;
                        if (read_full_file_at(AT_FDCWD, path, 4096, &children, NULL) >= 0 &&
                            sscanf(children, "%u", &child) == 1 && child > 0 && child <= INT32_MAX) {
                                if (state)
                                        *state = (RuntimeState) { .init_pid = (pid_t) child,
                                                                  .monitor_pid = (pid_t) i.main_pid };
                                *ret = (pid_t) child;
                                return 0;
                        }
                }
        }
        return -ESRCH;
}

int container_state_cgroup_dir(const RuntimeState *st, char **ret) {
        if (!st->scope)
                return -ENODATA;
        if (!runtime_state_init_alive(st))
                return -ESRCH;
        return pid_cgroup_dir(st->init_pid, st->scope, ret);
}

int container_cgroup_dir(sd_bus *bus, const char *name, char **ret) {
        _cleanup_free_ char *scope = NULL, *cg = NULL, *service = NULL, *active = NULL;
        RuntimeState st = {};
        bool have_state;
        pid_t pid;
        int r;

        if (container_scope_name(name, &scope) < 0 || container_service_name(name, &service) < 0)
                return -ENOMEM;

        /* The runtime state says whether it runs, and where, without asking anyone (stats and top go through
         * every name); without one, only a service that is doing something is worth asking about. */
        r = runtime_state_read(name, &st);
        if (r >= 0 && container_state_cgroup_dir(&st, ret) >= 0) {
                runtime_state_done(&st);
                return 0;
        }
        have_state = r >= 0 && runtime_state_init_alive(&st);
        pid = st.init_pid;
        runtime_state_done(&st);

        if (!have_state) {
                if (!bus || bus_unit_get_string(bus, service, NULL, "ActiveState", &active) < 0 ||
                    !(streq(active, "active") || streq(active, "reloading") || streq(active, "deactivating")))
                        return -ENOENT;
                r = container_init_pid(bus, name, NULL, &pid);
                if (r < 0)
                        return -ENOENT;
        }

        if (bus && bus_unit_get_string(bus, scope, SYSTEMD_SCOPE, "ControlGroup", &cg) >= 0 &&
            !isempty(cg))
                return asprintf(ret, "/sys/fs/cgroup%s", cg) < 0 ? -ENOMEM : 0;

        return pid_cgroup_dir(pid, NULL, ret);
}

int cgroup_read_u64(const char *dir, const char *file, uint64_t *ret) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        int r;

        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 4096, &contents, NULL);
        if (r < 0)
                return r;
        strstrip(contents);
        if (streq(contents, "max")) {
                *ret = UINT64_MAX;
                return 0;
        }
        return safe_atou64(contents, ret);
}

int cgroup_read_keyed(const char *dir, const char *file, const char *key, uint64_t *ret) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        size_t k = strlen(key);
        int r;

        if (asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 64 * 1024, &contents, NULL);
        if (r < 0)
                return r;
        for (char *line = contents, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (strneq(line, key, k) && line[k] == ' ')
                        return safe_atou64(line + k + 1, ret);
        }
        return -ENODATA;
}

int cgroup_read_io(const char *dir, uint64_t *ret_read, uint64_t *ret_write) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        uint64_t rd = 0, wr = 0;
        int r;

        if (asprintf(&path, "%s/io.stat", dir) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 256 * 1024, &contents, NULL);
        if (r < 0)
                return r;
        /* "8:0 rbytes=1 wbytes=2 rios=3 …" per device */
        for (char *w = strtok(contents, " \n"); w; w = strtok(NULL, " \n")) {
                uint64_t v;

                if (startswith(w, "rbytes=") && safe_atou64(w + 7, &v) >= 0)
                        rd += v;
                else if (startswith(w, "wbytes=") && safe_atou64(w + 7, &v) >= 0)
                        wr += v;
        }
        *ret_read = rd;
        *ret_write = wr;
        return 0;
}

char *format_bytes(char *buf, size_t size, uint64_t bytes) {
        static const char suffix[] = "KMGTPE";

        if (bytes == UINT64_MAX) {
                snprintf(buf, size, "-");
                return buf;
        }
        if (bytes < 1024) {
                snprintf(buf, size, "%" PRIu64 "B", bytes);
                return buf;
        }
        for (size_t i = 0; i < sizeof(suffix) - 1; i++) {
                uint64_t unit = UINT64_C(1) << (10 * (i + 1));

                if (i == sizeof(suffix) - 2 || bytes < unit * 1024) {
                        /* one decimal, rounded down as systemd does */
                        snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", bytes / unit, (bytes % unit) * 10 / unit,
                                 suffix[i]);
                        break;
                }
        }
        return buf;
}

char *format_timespan(char *buf, size_t size, uint64_t usec) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } table[] = {
                { "y",   UINT64_C(31557600000000) },
                { "month", UINT64_C(2629800000000) },
                { "w",   UINT64_C(604800000000) },
                { "d",   UINT64_C(86400000000) },
                { "h",   UINT64_C(3600000000) },
                { "min", UINT64_C(60000000) },
                { "s",   UINT64_C(1000000) },
                { "ms",  UINT64_C(1000) },
                { "us",  UINT64_C(1) },
        };
        size_t n = 0, parts = 0;

        if (usec == UINT64_MAX) {
                snprintf(buf, size, "infinity");
                return buf;
        }
        if (usec == 0) {
                snprintf(buf, size, "0");
                return buf;
        }
        buf[0] = '\0';
        for (size_t i = 0; i < ELEMENTSOF(table) && parts < 2 && usec > 0; i++) {
                uint64_t k = usec / table[i].usec;

                if (k == 0) {
                        if (parts > 0)
                                break;  /* "3h 2min", not "3h 0min 5s" */
                        continue;
                }
                /* below a second only for short spans */
                if (parts > 0 && table[i].usec < 1000000 && table[i - 1].usec >= 1000000)
                        break;
                n += (size_t) snprintf(buf + n, n < size ? size - n : 0, "%s%" PRIu64 "%s", parts ? " " : "", k,
                                       table[i].suffix);
                usec -= k * table[i].usec;
                parts++;
        }
        return buf;
}

char *format_timestamp(char *buf, size_t size, uint64_t realtime_usec) {
        time_t t = (time_t) (realtime_usec / 1000000);
        struct tm tm;

        if (realtime_usec == 0 || realtime_usec == UINT64_MAX || !localtime_r(&t, &tm) ||
            strftime(buf, size, "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                snprintf(buf, size, "n/a");
        return buf;
}

int pid_cmdline(pid_t pid, size_t max, char **ret) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        size_t n = 0;
        int r;

        if (asprintf(&path, "/proc/%i/cmdline", (int) pid) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 1024 * 1024, &contents, &n);
        if (r < 0)
                return r;
        if (n == 0) {
                _cleanup_free_ char *comm = NULL;

                free(path);
                if (asprintf(&path, "/proc/%i/comm", (int) pid) < 0)
                        return -ENOMEM;
                r = read_full_file_at(AT_FDCWD, path, 256, &comm, NULL);
                if (r < 0)
                        return r;
                strstrip(comm);
                return asprintf(ret, "[%s]", comm) < 0 ? -ENOMEM : 0;
        }
        for (size_t i = 0; i + 1 < n; i++)
                if (contents[i] == '\0' || contents[i] == '\n')
                        contents[i] = ' ';
        if (strlen(contents) > max) {
                contents[max] = '\0';
                if (max > 3)
                        memcpy(contents + max - 3, "...", 3);
        }
        *ret = TAKE_PTR(contents);
        return 0;
}

const char *network_mode_string(const Container *c, char *buf, size_t size) {
        switch (c->network) {
        case NETWORK_HOST:
                return "host";
        case NETWORK_BRIDGE:
                return "bridge";
        case NETWORK_CONTAINER:
                snprintf(buf, size, "container:%s", strna(c->network_container));
                return buf;
        default:
                return "none";
        }
}

char *format_limit(char *buf, size_t size, uint64_t value, uint32_t scale, bool bytes) {
        if (scale > 0)
                snprintf(buf, size, "%" PRIu64 "%%", ((uint64_t) scale * 100 + UINT32_MAX / 2) / UINT32_MAX);
        else if (value == LIMIT_UNSET)
                snprintf(buf, size, "-");
        else if (value == LIMIT_INFINITY)
                snprintf(buf, size, "infinity");
        else if (bytes)
                return format_bytes(buf, size, value);
        else
                snprintf(buf, size, "%" PRIu64, value);
        return buf;
}

int container_writable_layer(const Container *c, char **ret) {
        int r;

        if (c->read_only)
                r = asprintf(ret, "none (ReadOnly=yes)");
        else if (c->ephemeral)
                r = asprintf(ret, "tmpfs (Ephemeral=yes, discarded at stop)");
        else if (c->image && !streq(c->image, "host"))     /* a store image: its mstack directory */
                r = asprintf(ret, "%s/containers/%s.mstack/rw/data", state_dir(), c->name);
        else
                r = asprintf(ret, "%s/containers/%s/upper", state_dir(), c->name);
        return r < 0 ? -ENOMEM : 0;
}

int runtime_names(char ***ret) {
        _cleanup_strv_free_ char **entries = NULL, **names = NULL;
        int r;

        r = dir_list_names(AT_FDCWD, runtime_dir(), &entries);
        if (r == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (r < 0)
                return r;
        STRV_FOREACH(e, entries) {
                _cleanup_free_ char *p = NULL;

                if ((*e)[0] == '.' || !container_name_is_valid(*e))
                        continue;
                if (asprintf(&p, "%s/%s/state", runtime_dir(), *e) < 0)
                        return -ENOMEM;
                if (access(p, F_OK) < 0)
                        continue;
                if (strv_extend(&names, *e) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(names);
        return 0;
}

int container_names_all(char ***ret) {
        _cleanup_strv_free_ char **search = NULL, **names = NULL, **runtime = NULL;
        ContainerSource *sources = NULL;
        size_t n = 0;
        int r;

        r = ctr_search_path(&search);
        if (r < 0)
                return r;
        r = container_enumerate(search, &sources, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (!sources[i].masked && strv_extend(&names, sources[i].name) < 0) {
                        container_source_free_many(sources, n);
                        return -ENOMEM;
                }
        container_source_free_many(sources, n);

        (void) runtime_names(&runtime);
        STRV_FOREACH(x, runtime)
                if (!strv_contains(names, *x) && strv_extend(&names, *x) < 0)
                        return -ENOMEM;
        strv_sort(names);
        *ret = TAKE_PTR(names);
        return 0;
}

bool runtime_config_hash(const Container *c, const RuntimeState *s, char ret[static 65]) {
        if (s->config)
                return config_effective_hash(s->config, s->config_size, ret) >= 0;
        /* an older launcher's CONFIG_HASH= hashed the files as read: not the effective hash, and not shown */
        if (s->config_stamp && !s->config_hash && streq_ptr(s->config_stamp, c->config_stamp))
                return container_config_hash(c, ret) >= 0;
        return false;
}

const char *ctrctl_launcher_path(void) {
        const char *e = getenv("CTR_LAUNCH");

        return isempty(e) ? CTR_LAUNCH_PATH : e;
}

int runtime_config_changed(const Container *c, const RuntimeState *s) {
        char then[65], now[65];

        /* the files the launcher read, untouched: nothing to parse or hash (ctrctl exec asks on every call,
         * and a hash costs loading libcrypto) */
        if (s->config_stamp && streq_ptr(s->config_stamp, c->config_stamp))
                return 0;
        if (s->config) {
                if (config_effective_hash(s->config, s->config_size, then) >= 0 &&
                    container_config_hash(c, now) >= 0)
                        return !streq(then, now);
        } else if (s->config_hash && strlen(s->config_hash) == 64) {
                container_files_hash(c, now);
                return !streq(s->config_hash, now);
        }
        if (s->config_stamp)
                return !streq_ptr(s->config_stamp, c->config_stamp);
        return -ENODATA;
}

int ctrctl_enter_target(const Container *c, const char *name, ExecTarget *ret) {
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        _cleanup_(runtime_state_done) RuntimeState state = {};
        _cleanup_close_ int pidfd = -EBADF;
        ExecError err = {};
        pid_t init;
        int r;

        /* the runtime state names the init; systemd is only asked (a connection costs) when there is none */
        r = container_init_pid(NULL, name, &state, &init);
        if (r < 0 && bus_connect(NULL, &bus) >= 0)
                r = container_init_pid(bus, name, &state, &init);
        if (r < 0) {
                log_error("Container '%s' is not running.", name);
                return CTRCTL_EXIT_NOT_RUNNING;
        }
        bus = sd_bus_flush_close_unref(bus);
        if (runtime_config_changed(c, &state) > 0)
                log_warning("The configuration of '%s' changed since it was started; the command runs with the "
                            "current one.", name);

        pidfd = (int) syscall(SYS_pidfd_open, init, 0);
        if (pidfd < 0 && errno != ENOSYS) {
                log_error_errno(errno, "Failed to open the init (PID %i) of '%s': %m", (int) init, name);
                return CTRCTL_EXIT_FAILURE;
        }
        /* Again, now that the pidfd holds whichever process has the PID: the state's init may have exited
         * since container_init_pid() looked, and the PID gone to a host process. The pidfd, still alive
         * once /proc/PID/root is open (exec_target_open() checks), proves that this check and that open saw
         * the same process. */
        if (state.monitor_pid > 0 && !runtime_state_init_alive(&state)) {
                log_error("Container '%s' is not running.", name);
                return CTRCTL_EXIT_NOT_RUNNING;
        }
        if (exec_target_open(init, TAKE_FD(pidfd), ret, &err) < 0) {
                log_error_errno(err.error, "Container '%s': %s: %m", name, err.message);
                return CTRCTL_EXIT_FAILURE;
        }
        return CTRCTL_EXIT_SUCCESS;
}
