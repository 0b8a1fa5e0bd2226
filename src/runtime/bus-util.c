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

int container_name_from_service(const char *unit, char **ret) {
        const char *n = startswith(unit, "ctr@"), *e = n ? endswith(n, ".service") : NULL;

        *ret = NULL;
        if (!e || e == n)
                return 0;
        *ret = strndup(n, (size_t) (e - n));
        return *ret ? 1 : -ENOMEM;
}

static int get_string(sd_bus *bus, const char *path, const char *iface, const char *prop, char **ret) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;

        return sd_bus_get_property_string(bus, SYSTEMD_DEST, path, iface, prop, &error, ret);
}

int bus_unit_get_string(sd_bus *bus, const char *unit, const char *iface, const char *property, char **ret) {
        _cleanup_free_ char *path = NULL;
        int r;

        r = sd_bus_path_encode(SYSTEMD_PATH "/unit", unit, &path);
        if (r < 0)
                return r;
        return get_string(bus, path, iface ?: SYSTEMD_UNIT, property, ret);
}

int bus_wait_until(sd_bus *bus, uint64_t deadline, bool (*finished)(void *userdata), void *userdata) {
        int r;

        while (!finished(userdata)) {
                uint64_t n;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return r;
                if (r > 0)
                        continue;
                n = now_monotonic_usec();
                if (n >= deadline)
                        return -ETIMEDOUT;
                r = sd_bus_wait(bus, deadline == UINT64_MAX ? UINT64_MAX : deadline - n);
                if (r < 0)
                        return r;
        }
        return 0;
}

typedef struct JobsWait {
        BusJob *jobs;
        size_t n;
        size_t pending;         /* queued jobs without a JobRemoved yet */
} JobsWait;

static int on_jobs_removed(sd_bus_message *m, void *userdata, _unused_ sd_bus_error *error) {
        JobsWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        for (size_t i = 0; i < w->n; i++) {
                BusJob *j = &w->jobs[i];

                if (j->job && !j->result && streq(j->job, path)) {
                        j->result = strdup(result);
                        if (!j->result)
                                return -ENOMEM;
                        w->pending--;
                        break;
                }
        }
        return 0;
}

static bool jobs_wait_finished(void *userdata) {
        return ((JobsWait *) userdata)->pending == 0;
}

static uint64_t deadline_after(uint64_t timeout_usec) {
        return timeout_usec == UINT64_MAX ? UINT64_MAX : now_monotonic_usec() + timeout_usec;
}

int bus_call_job(sd_bus *bus, sd_bus_message *call, uint64_t timeout_usec, char **ret_result,
                 sd_bus_error *error) {
        _cleanup_bus_message_ sd_bus_message *reply = NULL;
        _cleanup_bus_slot_ sd_bus_slot *slot = NULL;
        _cleanup_(bus_job_done) BusJob j = {};
        JobsWait w = { .jobs = &j, .n = 1 };
        const char *job;
        int r;

        /* Match before the call, so the signal cannot slip past between the reply and the match. Synchronous:
         * sd-bus does not dispatch to a match whose AddMatch reply it has not processed yet, and an
         * asynchronous one lost a JobRemoved that way over ssh (ctrctl -H). On systemd's private socket (the
         * launcher as root) there is no broker and no AddMatch round trip at all. */
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "JobRemoved",
                                on_jobs_removed, &w);
        if (r < 0)
                return r;

        /* The call gets the job's bound too, not sd-bus' default 25 s: under a burst of starts systemd answers
         * late (one of 1,000 launchers in bench/apply's guest timed out waiting for StartTransientUnit's
         * reply, while systemd went on to handle it). */
        r = sd_bus_call(bus, call, timeout_usec, error, &reply);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &job);
        if (r < 0)
                return r;
        j.job = strdup(job);
        if (!j.job)
                return -ENOMEM;
        w.pending = 1;

        r = bus_wait_until(bus, deadline_after(timeout_usec), jobs_wait_finished, &w);
        if (r < 0)
                return r;
        *ret_result = TAKE_PTR(j.result);
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

void bus_job_done(BusJob *j) {
        j->job = mfree(j->job);
        j->result = mfree(j->result);
        j->error_message = mfree(j->error_message);
        j->error = 0;
}

/* The bound of one call that queues a job: what is left until |deadline|, or BUS_JOB_TIMEOUT_USEC when there is
 * none (sd_bus_call() takes 0 as its default, so never less than 1 µs). */
static uint64_t enqueue_timeout(uint64_t deadline) {
        uint64_t now;

        if (deadline == UINT64_MAX)
                return BUS_JOB_TIMEOUT_USEC;
        now = now_monotonic_usec();
        return deadline > now ? deadline - now : 1;
}

int bus_unit_jobs(sd_bus *bus, BusJob *jobs, size_t n, uint64_t timeout_usec) {
        _cleanup_bus_slot_ sd_bus_slot *slot = NULL;
        JobsWait w = { .jobs = jobs, .n = n };
        uint64_t deadline = deadline_after(timeout_usec);
        int r;

        if (n == 0)
                return 0;
        /* as bus_call_job(): the match before the first call */
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "JobRemoved",
                                on_jobs_removed, &w);
        if (r < 0)
                return r;

        /* All queued first, then waited for together: systemd runs them side by side, as one
         * `systemctl start A B C` does. The signals that arrive meanwhile wait in sd-bus's queue. */
        for (size_t i = 0; i < n; i++) {
                _cleanup_bus_message_ sd_bus_message *m = NULL, *reply = NULL;
                _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
                const char *job;

                r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                                   jobs[i].method);
                if (r >= 0)
                        r = sd_bus_message_append(m, "ss", jobs[i].unit, "replace");
                if (r < 0)
                        return r;
                /* not sd-bus' default 25 s: with a thousand launchers asking for scopes at once, systemd
                 * answered a call after more than that in the guest, and the job it had queued then ran
                 * unwaited for, reported as refused */
                r = sd_bus_call(bus, m, enqueue_timeout(deadline), &error, &reply);
                if (r >= 0)
                        r = sd_bus_message_read(reply, "o", &job);
                if (r < 0) {
                        if (r == -ENOMEM || !sd_bus_error_is_set(&error))
                                return r;
                        jobs[i].error = r;
                        jobs[i].error_message = strdup(error.message ?: error.name);
                        if (!jobs[i].error_message)
                                return -ENOMEM;
                        continue;
                }
                jobs[i].job = strdup(job);
                if (!jobs[i].job)
                        return -ENOMEM;
                w.pending++;
        }
        return bus_wait_until(bus, deadline, jobs_wait_finished, &w);
}

int bus_list_units(sd_bus *bus, const char *pattern, BusListUnitsCallback callback, void *userdata) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL, *reply = NULL;
        const char *name, *description, *load, *active, *sub;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                           "ListUnitsByPatterns");
        if (r >= 0)
                r = sd_bus_message_append(m, "as", 0);
        if (r >= 0)
                r = sd_bus_message_append(m, "as", 1, pattern);
        if (r >= 0)
                r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read(reply, "(ssssssouso)", &name, &description, &load, &active, &sub, NULL,
                                        NULL, NULL, NULL, NULL)) > 0) {
                r = callback(name, description, load, active, sub, userdata);
                if (r < 0)
                        return r;
        }
        return r;
}

int bus_daemon_reload(sd_bus *bus, sd_bus_error *error) {
        /* Reload can take a while with many units; the default method timeout (25 s) is too short, and so was
         * 120 s with 1,000 containers running in the test guest (under emulation). systemctl gives it 180 s;
         * like a job, it is waited for up to BUS_JOB_TIMEOUT_USEC here: a configuration management run would
         * rather wait than fail on a reload systemd still finishes. */
        _cleanup_bus_message_ sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, "Reload");
        if (r < 0)
                return r;
        return sd_bus_call(bus, m, BUS_JOB_TIMEOUT_USEC, error, NULL);
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
