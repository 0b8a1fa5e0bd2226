/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The container's transient scope, asked for over sd-bus: StartTransientUnit("ctr-NAME.scope") with the
 * container's limits as unit properties, then wait for the job's JobRemoved so the caller releases the
 * child only once it sits in the scope's cgroup. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bus-util.h"
#include "devices.h"
#include "fd-util.h"
#include "log.h"
#include "proc-util.h"
#include "scope.h"
#include "string-util.h"
#include "time-util.h"

/* A scope job starts or stops in milliseconds; this only bounds a wedged manager (a stale scope's stop may
 * wait for its own TimeoutStopSec=, which systemd enforces). */
#define SCOPE_JOB_TIMEOUT_USEC (120 * USEC_PER_SEC)
/* AllowedCPUs= is a bitmask over CPU numbers; bound what a file can make us allocate. */
#define SCOPE_CPUS_MAX 8192U
/* Start attempts: the first may find a stale scope (stopped, then retried) or a systemd without PIDFDs=. */
#define SCOPE_START_ATTEMPTS 3

/* The device nodes every container gets (the launcher creates exactly these in its /dev), and AddDevice='s
 * after them. DevicePolicy=closed allows the standard pseudo devices already; listing them keeps the set
 * explicit and adds the terminal ones. */
static const struct {
        const char *path;
        const char *access;
} scope_devices[] = {
        { "/dev/null",    "rw" },
        { "/dev/zero",    "rw" },
        { "/dev/full",    "rw" },
        { "/dev/random",  "rw" },
        { "/dev/urandom", "rw" },
        { "/dev/tty",     "rw" },
        { "/dev/ptmx",    "rw" },
        { "char-pts",     "rw" },
};

/* Once systemd has refused PIDFDs= in this process, say PIDs= right away. */
static bool pidfds_unsupported = false;

/* "0-3,6" → the little-endian bitmask systemd's AllowedCPUs= takes ('ay'). */
static int cpu_list_to_mask(const char *list, uint8_t **ret, size_t *ret_n) {
        _cleanup_free_ uint8_t *mask = NULL;
        size_t n = 0;
        const char *p = list;

        while (*p) {
                unsigned long a, b;
                char *end;

                if (*p == ',' || *p == ' ') {
                        p++;
                        continue;
                }
                errno = 0;
                a = strtoul(p, &end, 10);
                if (errno != 0 || end == p || *p == '-' || *p == '+')
                        return -EINVAL;
                b = a;
                p = end;
                if (*p == '-') {
                        p++;
                        errno = 0;
                        b = strtoul(p, &end, 10);
                        if (errno != 0 || end == p || *p == '-' || *p == '+')
                                return -EINVAL;
                        p = end;
                }
                if (*p != '\0' && *p != ',' && *p != ' ')
                        return -EINVAL;
                if (a > b || b >= SCOPE_CPUS_MAX)
                        return -ERANGE;

                if (b / 8 + 1 > n) {
                        size_t m = b / 8 + 1;
                        uint8_t *t = realloc(mask, m);

                        if (!t)
                                return -ENOMEM;
                        memset(t + n, 0, m - n);
                        mask = t;
                        n = m;
                }
                for (unsigned long i = a; i <= b; i++)
                        mask[i / 8] |= (uint8_t) (1U << (i % 8));
        }

        if (n == 0)
                return -EINVAL;
        *ret = TAKE_PTR(mask);
        *ret_n = n;
        return 0;
}

static int append_u64(sd_bus_message *m, const char *key, uint64_t v) {
        if (v == LIMIT_UNSET)
                return 0;
        return sd_bus_message_append(m, "(sv)", key, "t", v);
}

static int append_scale(sd_bus_message *m, const char *key, uint32_t scale) {
        if (scale == 0)
                return 0;
        return sd_bus_message_append(m, "(sv)", key, "u", scale);
}

/* Opens "(sv)" with |key| and a variant holding an array of |element| ("(ss)", "(iayu)"): three containers
 * for the caller to fill and close_property() to close. */
static int open_array_property(sd_bus_message *m, const char *key, const char *element) {
        char variant[16];
        int r;

        (void) snprintf(variant, sizeof(variant), "a%s", element);
        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", key);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', variant);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', element);
        return r;
}

static int close_property(sd_bus_message *m, int depth) {
        int r = 0;

        for (int i = 0; r >= 0 && i < depth; i++)
                r = sd_bus_message_close_container(m);
        return r;
}

/* IPAddressAllow=/IPAddressDeny=: a(iayu), the family, the address's bytes and the prefix length */
static int append_ip_prefixes(sd_bus_message *m, const char *key, const IPAddressPrefix *p, size_t n) {
        int r;

        if (n == 0)
                return 0;
        r = open_array_property(m, key, "(iayu)");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                r = sd_bus_message_open_container(m, 'r', "iayu");
                if (r >= 0)
                        r = sd_bus_message_append(m, "i", (int32_t) p[i].family);
                if (r >= 0)
                        r = sd_bus_message_append_array(m, 'y', p[i].address, p[i].family == AF_INET6 ? 16 : 4);
                if (r >= 0)
                        r = sd_bus_message_append(m, "u", (uint32_t) p[i].prefixlen);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
        }
        return r < 0 ? r : close_property(m, 3);
}

/* SocketBindAllow=/SocketBindDeny=: a(iiqq), the family, the protocol, how many ports and the first */
static int append_socket_binds(sd_bus_message *m, const char *key, const SocketBindRule *b, size_t n) {
        int r;

        if (n == 0)
                return 0;
        r = open_array_property(m, key, "(iiqq)");
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = sd_bus_message_append(m, "(iiqq)", (int32_t) b[i].family, (int32_t) b[i].protocol,
                                          b[i].nr_ports, b[i].port_min);
        return r < 0 ? r : close_property(m, 3);
}

static int append_properties(sd_bus_message *m, const Container *c, pid_t pid, int pidfd, const char *service,
                             const uint8_t *cpus, size_t n_cpus) {
        _cleanup_free_ char *description = NULL;
        int r;

        if (asprintf(&description, "Container %s", c->name) < 0)
                return -ENOMEM;

        r = sd_bus_message_open_container(m, 'a', "(sv)");
        if (r < 0)
                return r;

        r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)(sv)",
                                  "Description", "s", description,
                                  "Slice", "s", c->slice ?: "machine.slice",
                                  "Delegate", "b", 1,
                                  "CollectMode", "s", "inactive-or-failed",
                                  "DevicePolicy", "s", "closed");
        if (r < 0)
                return r;

        if (pidfd >= 0)
                r = sd_bus_message_append(m, "(sv)", "PIDFDs", "ah", 1, pidfd);
        else
                r = sd_bus_message_append(m, "(sv)", "PIDs", "au", 1, (uint32_t) pid);
        if (r < 0)
                return r;

        /* DeviceAllow=: a(ss) of node and access */
        r = open_array_property(m, "DeviceAllow", "(ss)");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(scope_devices); i++)
                r = sd_bus_message_append(m, "(ss)", scope_devices[i].path, scope_devices[i].access);
        /* AddDevice=: by number, the device the launcher checked (devices.h) */
        for (size_t i = 0; r >= 0 && i < c->n_devices; i++) {
                _cleanup_free_ char *node = NULL;

                r = launch_device_allow_node(c->devices + i, &node);
                if (r >= 0 && node)
                        r = sd_bus_message_append(m, "(ss)", node, c->devices[i].access);
        }
        if (r >= 0)
                r = close_property(m, 3);
        if (r < 0)
                return r;

        /* Limits: LIMIT_INFINITY is UINT64_MAX, which systemd reads as "infinity" too; unset ones are not sent. */
        if ((r = append_u64(m, "MemoryMax", c->memory_max)) < 0 ||
            (r = append_u64(m, "MemoryHigh", c->memory_high)) < 0 ||
            (r = append_u64(m, "MemorySwapMax", c->memory_swap_max)) < 0 ||
            (r = append_scale(m, "MemoryMaxScale", c->memory_max_scale)) < 0 ||
            (r = append_scale(m, "MemoryHighScale", c->memory_high_scale)) < 0 ||
            (r = append_scale(m, "MemorySwapMaxScale", c->memory_swap_max_scale)) < 0 ||
            (r = append_u64(m, "CPUWeight", c->cpu_weight)) < 0 ||
            (r = append_u64(m, "CPUQuotaPerSecUSec", c->cpu_quota_per_sec_usec)) < 0 ||
            (r = append_u64(m, "TasksMax", c->tasks_max)) < 0 ||
            (r = append_scale(m, "TasksMaxScale", c->tasks_max_scale)) < 0 ||
            (r = append_u64(m, "IOWeight", c->io_weight)) < 0)
                return r;

        /* The cgroup firewall: systemd's BPF programs on the scope's cgroup filter every socket of the
         * workload, whatever its network namespace; scope_firewall_check() confirms they are attached. */
        if ((r = append_ip_prefixes(m, "IPAddressAllow", c->ip_address_allow, c->n_ip_address_allow)) < 0 ||
            (r = append_ip_prefixes(m, "IPAddressDeny", c->ip_address_deny, c->n_ip_address_deny)) < 0 ||
            (r = append_socket_binds(m, "SocketBindAllow", c->socket_bind_allow, c->n_socket_bind_allow)) < 0 ||
            (r = append_socket_binds(m, "SocketBindDeny", c->socket_bind_deny, c->n_socket_bind_deny)) < 0)
                return r;

        if (cpus) {
                r = sd_bus_message_open_container(m, 'r', "sv");
                if (r >= 0)
                        r = sd_bus_message_append(m, "s", "AllowedCPUs");
                if (r >= 0)
                        r = sd_bus_message_open_container(m, 'v', "ay");
                if (r >= 0)
                        r = sd_bus_message_append_array(m, 'y', cpus, n_cpus);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r >= 0)
                        r = sd_bus_message_close_container(m);
                if (r < 0)
                        return r;
        }

        /* The monitor stops the workload gracefully itself; the scope's own kill only catches what a crashed
         * monitor left, with the same signal and patience. */
        if (c->stop_signal > 0) {
                r = sd_bus_message_append(m, "(sv)", "KillSignal", "i", (int32_t) c->stop_signal);
                if (r < 0)
                        return r;
        }
        if (c->stop_timeout_usec > 0) {
                r = sd_bus_message_append(m, "(sv)", "TimeoutStopUSec", "t", c->stop_timeout_usec);
                if (r < 0)
                        return r;
        }

        /* BindsTo= the monitor's service, ordered Before= it: a start job ordered After= a service that is
         * still activating would wait for it while it waits for us; Before= also makes a stop reach the
         * monitor first. */
        if (service) {
                r = sd_bus_message_append(m, "(sv)(sv)",
                                          "BindsTo", "as", 1, service,
                                          "Before", "as", 1, service);
                if (r < 0)
                        return r;
        }

        return sd_bus_message_close_container(m);
}

/* Stops a scope left over by a crash (or collects a failed one) so that its name can be used again. */
static int scope_stop_stale(sd_bus *bus, const char *unit, char **ret_error) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *result = NULL;
        int r;

        log_debug("Stopping stale %s.", unit);

        r = bus_unit_job(bus, "StopUnit", unit, SCOPE_JOB_TIMEOUT_USEC, &result, &error);
        if (r < 0 && !sd_bus_error_has_name(&error, "org.freedesktop.systemd1.NoSuchUnit")) {
                strprintf_replace(ret_error, "Failed to stop stale %s: %s", unit,
                               error.message ?: strerror(-r));
                return r;
        }
        if (result && !streq(result, "done")) {
                strprintf_replace(ret_error, "Failed to stop stale %s: job result '%s'", unit, result);
                return -EBUSY;
        }

        /* A failed scope stays loaded until its failure is reset; then it is collected. */
        sd_bus_error_free(&error);
        (void) sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "ResetFailedUnit", &error,
                                  NULL, "s", unit);
        return 0;
}

int scope_start(sd_bus *bus, const Container *c, pid_t pid, int pidfd, const char *service, char **ret_error) {
        _cleanup_free_ uint8_t *cpus = NULL;
        _cleanup_free_ char *unit = NULL;
        bool stale_stopped = false;
        size_t n_cpus = 0;
        int r;

        if (!bus || !c || !c->name || pid <= 0)
                return -EINVAL;

        r = container_scope_name(c->name, &unit);
        if (r < 0)
                return r;

        if (!isempty(c->allowed_cpus)) {
                r = cpu_list_to_mask(c->allowed_cpus, &cpus, &n_cpus);
                if (r < 0) {
                        strprintf_replace(ret_error, "Invalid AllowedCPUs= '%s'", c->allowed_cpus);
                        return r;
                }
        }

        for (int attempt = 0; attempt < SCOPE_START_ATTEMPTS; attempt++) {
                _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
                _cleanup_bus_message_ sd_bus_message *call = NULL;
                _cleanup_free_ char *result = NULL;
                bool use_pidfd = pidfd >= 0 && !pidfds_unsupported;

                r = sd_bus_message_new_method_call(bus, &call, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                                   "StartTransientUnit");
                if (r < 0)
                        return r;
                r = sd_bus_message_append(call, "ss", unit, "fail");
                if (r < 0)
                        return r;
                r = append_properties(call, c, pid, use_pidfd ? pidfd : -EBADF, service, cpus, n_cpus);
                if (r < 0) {
                        strprintf_replace(ret_error, "Failed to build the request for %s: %s", unit, strerror(-r));
                        return r;
                }
                r = sd_bus_message_append(call, "a(sa(sv))", 0);
                if (r < 0)
                        return r;

                r = bus_call_job(bus, call, SCOPE_JOB_TIMEOUT_USEC, &result, &error);
                if (r < 0 && use_pidfd && sd_bus_error_has_name(&error, SD_BUS_ERROR_PROPERTY_READ_ONLY) &&
                    error.message && strstr(error.message, "PIDFDs")) {
                        /* systemd before 253 has no PIDFDs=: say PIDs= (the child is paused and ours, so its
                         * PID cannot be reused meanwhile). */
                        log_debug("systemd does not know PIDFDs=, using PIDs=.");
                        pidfds_unsupported = true;
                        attempt--;
                        continue;
                }
                if (r < 0 && !stale_stopped && sd_bus_error_has_name(&error, "org.freedesktop.systemd1.UnitExists")) {
                        stale_stopped = true;
                        r = scope_stop_stale(bus, unit, ret_error);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (r < 0 && sd_bus_error_has_name(&error, SD_BUS_ERROR_PROPERTY_READ_ONLY) && error.message &&
                    strstr(error.message, "SocketBind")) {
                        /* systemd before 249: the unit would have to start without the rules */
                        strprintf_replace(ret_error, "SocketBindAllow=/SocketBindDeny= need systemd 249 or later, "
                                          "this one does not know them (%s)", error.message);
                        return r;
                }
                if (r < 0) {
                        if (error.message)
                                strprintf_replace(ret_error, "%s", error.message);
                        else
                                strprintf_replace(ret_error, "Failed to start %s: %s", unit, strerror(-r));
                        return r;
                }
                if (!streq(result, "done")) {
                        _cleanup_free_ char *why = NULL;

                        (void) bus_unit_get_string(bus, unit, SYSTEMD_SCOPE, "Result", &why);
                        strprintf_replace(ret_error, "Job for %s failed with result '%s'%s%s%s", unit, result,
                                       why ? " (unit result '" : "", strempty(why), why ? "')" : "");
                        return -EIO;
                }
                return 0;
        }

        strprintf_replace(ret_error, "Unit %s already exists and could not be replaced", unit);
        return -EEXIST;
}

/* The id of the job |unit| has queued or running, 0 for none. */
static int unit_job_id(sd_bus *bus, const char *unit, uint32_t *ret) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_free_ char *path = NULL;
        const char *job;
        int r;

        r = sd_bus_path_encode(SYSTEMD_PATH "/unit", unit, &path);
        if (r < 0)
                return r;
        r = sd_bus_get_property(bus, SYSTEMD_DEST, path, SYSTEMD_UNIT, "Job", &error, &reply, "(uo)");
        if (r < 0)
                return r;
        return sd_bus_message_read(reply, "(uo)", ret, &job);
}

int scope_adopted(sd_bus *bus, const char *name, pid_t pid) {
        _cleanup_free_ char *unit = NULL, *state = NULL;
        _cleanup_close_ int proc_fd = -EBADF;
        uint64_t deadline = now_monotonic_usec() + SCOPE_JOB_TIMEOUT_USEC;
        char path[64];
        uint32_t job;
        int r;

        r = container_scope_name(name, &unit);
        if (r < 0)
                return r;
        /* a start job systemd queued but has not run yet would still move |pid| in: wait until it ran */
        for (;;) {
                r = unit_job_id(bus, unit, &job);
                if (r < 0)
                        return r;
                if (job == 0)
                        break;
                if (now_monotonic_usec() >= deadline)
                        return -ETIMEDOUT;
                (void) usleep(20 * 1000);
        }
        r = bus_unit_get_string(bus, unit, NULL, "ActiveState", &state);
        if (r < 0)
                return r;
        snprintf(path, sizeof(path), "/proc/%i", (int) pid);
        proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0)
                return -errno;
        return streq(state, "active") && proc_cgroup_has_component(proc_fd, unit);
}

/* What systemd-nspawn hands a private-users container's root: the cgroup directory (to create sub-cgroups)
 * and the files that move processes and enable controllers below it. The other files (memory.max, …) stay
 * the host's: the limits the scope was given remain out of the container's reach. */
static const char *const delegated_files[] = {
        "cgroup.procs",
        "cgroup.subtree_control",
        "cgroup.threads",
};

int scope_cgroup_open(sd_bus *bus, const char *name, char **ret_path, char **ret_error) {
        _cleanup_free_ char *unit = NULL, *cgroup = NULL, *path = NULL;
        int fd, r;

        if (!bus || !name)
                return -EINVAL;

        r = container_scope_name(name, &unit);
        if (r < 0)
                return r;
        r = bus_unit_get_string(bus, unit, SYSTEMD_SCOPE, "ControlGroup", &cgroup);
        if (r < 0 || isempty(cgroup)) {
                strprintf_replace(ret_error, "Failed to read the cgroup of %s: %s", unit,
                               strerror(r < 0 ? -r : ENOENT));
                return r < 0 ? r : -ENOENT;
        }
        path = strprintf("/sys/fs/cgroup%s", cgroup);
        if (!path)
                return -ENOMEM;

        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                r = -errno;
                strprintf_replace(ret_error, "Failed to open '%s': %s", path, strerror(-r));
                return r;
        }
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        return fd;
}

int scope_delegate(sd_bus *bus, const char *name, uid_t uid, gid_t gid, char **ret_error) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        dir_fd = scope_cgroup_open(bus, name, &path, ret_error);
        if (dir_fd < 0)
                return dir_fd;
        if (fchown(dir_fd, uid, gid) < 0) {
                r = -errno;
                strprintf_replace(ret_error, "Failed to delegate '%s' to the container's root: %s", path,
                               strerror(-r));
                return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(delegated_files); i++)
                if (fchownat(dir_fd, delegated_files[i], uid, gid, 0) < 0 && errno != ENOENT) {
                        r = -errno;
                        strprintf_replace(ret_error, "Failed to delegate '%s/%s' to the container's root: %s",
                                       path, delegated_files[i], strerror(-r));
                        return r;
                }
        return 0;
}
