/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus-util.h"
#include "ctr-file.h"
#include "string-util.h"
#include "time-util.h"

/* On a bus (not the private socket) systemd emits job signals only while someone is subscribed: subscribes
 * |bus| and hands it to |ret|, or closes it. */
static int bus_subscribe_take(sd_bus *bus, sd_bus **ret) {
        int r;

        r = sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "Subscribe", NULL, NULL, NULL);
        if (r < 0 && r != -EALREADY) {
                sd_bus_flush_close_unref(bus);
                return r;
        }
        *ret = bus;
        return 0;
}

int bus_connect_system(sd_bus **ret) {
        sd_bus *bus = NULL;
        int r;

        r = sd_bus_open_system(&bus);
        if (r < 0)
                return r;
        return bus_subscribe_take(bus, ret);
}

int bus_connect(const char *host, sd_bus **ret) {
        sd_bus *bus = NULL;
        int r;

        if (host) {
                r = sd_bus_open_system_remote(&bus, host);
                if (r < 0)
                        return r;
                return bus_subscribe_take(bus, ret);
        }

        /* As root, systemd's private socket: no broker in between, no AddMatch round trip, and systemd sends
         * job signals to every direct connection. */
        if (geteuid() == 0 && access("/run/systemd/private", F_OK) >= 0) {
                r = sd_bus_new(&bus);
                if (r < 0)
                        return r;
                r = sd_bus_set_address(bus, "unix:path=/run/systemd/private");
                if (r >= 0)
                        r = sd_bus_start(bus);
                if (r >= 0) {
                        *ret = bus;
                        return 0;
                }
                bus = sd_bus_flush_close_unref(bus);
        }

        /* Without PID 1 being systemd there is nothing to talk to: say so rather than time out on a broker
         * that may happen to run. */
        if (access("/run/systemd/system", F_OK) < 0)
                return -EHOSTDOWN;

        return bus_connect_system(ret);
}

int container_service_name(const char *name, char **ret) {
        return asprintf(ret, "ctr@%s.service", name) < 0 ? -ENOMEM : 0;
}

int container_scope_name(const char *name, char **ret) {
        return asprintf(ret, "ctr-%s.scope", name) < 0 ? -ENOMEM : 0;
}

void unit_info_done(UnitInfo *i) {
        free(i->load_state);
        free(i->active_state);
        free(i->sub_state);
        free(i->description);
        free(i->result);
        free(i->control_group);
        free(i->unit_file_state);
        free(i->fragment_path);
        *i = (UnitInfo) {};
}

static int get_string(sd_bus *bus, const char *path, const char *iface, const char *prop, char **ret) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;

        return sd_bus_get_property_string(bus, SYSTEMD_DEST, path, iface, prop, &error, ret);
}

static int get_u64(sd_bus *bus, const char *path, const char *iface, const char *prop, uint64_t *ret) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;

        return sd_bus_get_property_trivial(bus, SYSTEMD_DEST, path, iface, prop, &error, 't', ret);
}

int bus_unit_info(sd_bus *bus, const char *unit, UnitInfo *ret) {
        _cleanup_free_ char *path = NULL;
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        UnitInfo i = {
                .memory_current = UINT64_MAX,
                .cpu_usage_nsec = UINT64_MAX,
                .tasks_current = UINT64_MAX,
        };
        const char *iface;
        int r;

        if (endswith(unit, ".service"))
                iface = SYSTEMD_SERVICE;
        else if (endswith(unit, ".scope"))
                iface = SYSTEMD_SCOPE;
        else
                return -EINVAL;

        r = sd_bus_path_encode(SYSTEMD_PATH "/unit", unit, &path);
        if (r < 0)
                return r;

        /* The first one tells whether systemd can be asked at all; the rest are best effort. */
        r = get_string(bus, path, SYSTEMD_UNIT, "LoadState", &i.load_state);
        if (r < 0)
                return r;
        (void) get_string(bus, path, SYSTEMD_UNIT, "ActiveState", &i.active_state);
        (void) get_string(bus, path, SYSTEMD_UNIT, "SubState", &i.sub_state);
        (void) get_string(bus, path, SYSTEMD_UNIT, "Description", &i.description);
        (void) get_string(bus, path, SYSTEMD_UNIT, "UnitFileState", &i.unit_file_state);
        (void) get_string(bus, path, SYSTEMD_UNIT, "FragmentPath", &i.fragment_path);
        (void) get_u64(bus, path, SYSTEMD_UNIT, "ActiveEnterTimestamp", &i.active_enter_usec);
        (void) get_string(bus, path, iface, "Result", &i.result);
        (void) get_string(bus, path, iface, "ControlGroup", &i.control_group);
        (void) get_u64(bus, path, iface, "MemoryCurrent", &i.memory_current);
        (void) get_u64(bus, path, iface, "CPUUsageNSec", &i.cpu_usage_nsec);
        (void) get_u64(bus, path, iface, "TasksCurrent", &i.tasks_current);
        if (endswith(unit, ".service")) {
                (void) sd_bus_get_property_trivial(bus, SYSTEMD_DEST, path, iface, "MainPID", &error, 'u',
                                                   &i.main_pid);
                sd_bus_error_free(&error);
                (void) sd_bus_get_property_trivial(bus, SYSTEMD_DEST, path, iface, "ExecMainStatus", &error,
                                                   'i', &i.exec_main_status);
                sd_bus_error_free(&error);
                (void) sd_bus_get_property_trivial(bus, SYSTEMD_DEST, path, iface, "NRestarts", &error, 'u',
                                                   &i.n_restarts);
        }

        *ret = i;
        return 0;
}

int bus_unit_get_string(sd_bus *bus, const char *unit, const char *iface, const char *property, char **ret) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = sd_bus_path_encode(SYSTEMD_PATH "/unit", unit, &path);
        if (r < 0)
                return r;
        return get_string(bus, path, iface ?: SYSTEMD_UNIT, property, ret);
}

typedef struct JobWait {
        const char *job;
        char *result;
} JobWait;

static void job_wait_done(JobWait *w) {
        w->result = mfree(w->result);
}

static int on_job_removed(sd_bus_message *m, void *userdata, _unused_ sd_bus_error *error) {
        JobWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->job && !w->result && streq(path, w->job))
                w->result = strdup(result) ?: strdup("");
        return 0;
}

int bus_call_job(sd_bus *bus, sd_bus_message *call, uint64_t timeout_usec, char **ret_result,
                 sd_bus_error *error) {
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_bus_slot_ sd_bus_slot *slot = NULL;
        _cleanup_(job_wait_done) JobWait w = {};
        uint64_t deadline;
        int r;

        /* Match before the call, so the signal cannot slip past between the reply and the match. Synchronous:
         * sd-bus does not dispatch to a match whose AddMatch reply it has not processed yet, and an
         * asynchronous one lost a JobRemoved that way over ssh (ctrctl -H). On systemd's private socket (the
         * launcher as root) there is no broker and no AddMatch round trip at all. */
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "JobRemoved",
                                on_job_removed, &w);
        if (r < 0)
                return r;

        r = sd_bus_call(bus, call, 0, error, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &w.job);
        if (r < 0)
                return r;

        deadline = now_monotonic_usec() + timeout_usec;
        while (!w.result) {
                uint64_t n;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                n = now_monotonic_usec();
                if (n >= deadline)
                        return -ETIMEDOUT;
                r = sd_bus_wait(bus, deadline - n);
                if (r < 0)
                        return r;
        }
        *ret_result = TAKE_PTR(w.result);
        return 0;
}

int bus_unit_job(sd_bus *bus, const char *method, const char *unit, uint64_t timeout_usec, char **ret_result,
                 sd_bus_error *error) {
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, method);
        if (r < 0)
                return r;
        r = sd_bus_message_append(m, "ss", unit, "replace");
        if (r < 0)
                return r;
        return bus_call_job(bus, m, timeout_usec, ret_result, error);
}

int bus_daemon_reload(sd_bus *bus, sd_bus_error *error) {
        /* Reload can take a while with many units; the default method timeout (25 s) is too short. */
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "Reload");
        if (r < 0)
                return r;
        return sd_bus_call(bus, m, 120U * 1000000ULL, error, NULL);
}

int bus_job_failure_text(sd_bus *bus, const char *unit, const char *result, char **ret) {
        _cleanup_(unit_info_done) UnitInfo i = {};
        const char *why = NULL;
        int r;

        if (streq(result, "canceled"))
                why = "was canceled";
        else if (streq(result, "timeout"))
                why = "timed out";
        else if (streq(result, "dependency"))
                why = "failed because a dependency failed";
        else if (streq(result, "skipped"))
                why = "was skipped";
        else if (streq(result, "invalid"))
                why = "is invalid";
        else if (streq(result, "unsupported"))
                why = "is not supported";

        if (!why && bus_unit_info(bus, unit, &i) >= 0 && i.result) {
                if (streq(i.result, "exit-code"))
                        why = "failed because the control process exited with error code";
                else if (streq(i.result, "signal"))
                        why = "failed because a fatal signal was delivered to the control process";
                else if (streq(i.result, "timeout"))
                        why = "failed because a timeout was exceeded";
                else if (streq(i.result, "oom-kill"))
                        why = "failed because the OOM killer was triggered";
                else if (streq(i.result, "resources"))
                        why = "failed because of unavailable resources or another system error";
                else if (streq(i.result, "start-limit-hit"))
                        why = "failed because the start of the service was attempted too often";
                else if (streq(i.result, "core-dump"))
                        why = "failed because a core dump was triggered";
                else if (streq(i.result, "protocol"))
                        why = "failed because the service did not take the steps required by its unit configuration";
        }

        r = asprintf(ret, "Job for %s %s (job result: %s).", unit, why ?: "failed", result);
        return r < 0 ? -ENOMEM : 0;
}
