/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* sd-bus helpers for talking to systemd (the launcher's scope, ctrctl's verbs): connect (locally, or on another
 * machine over ssh as systemctl -H does), read unit properties, call a job method and wait for the job as
 * systemctl does. */

#include <stdbool.h>
#include <stdint.h>
#include <systemd/sd-bus.h>

#include "macro.h"

#define _cleanup_bus_error_ _cleanup_(sd_bus_error_free)
#define _cleanup_bus_message_ _cleanup_(sd_bus_message_unrefp)
#define _cleanup_bus_slot_ _cleanup_(sd_bus_slot_unrefp)
#define _cleanup_bus_flush_close_unref_ _cleanup_(sd_bus_flush_close_unrefp)

#define SYSTEMD_DEST "org.freedesktop.systemd1"
#define SYSTEMD_PATH "/org/freedesktop/systemd1"
#define SYSTEMD_MANAGER "org.freedesktop.systemd1.Manager"
#define SYSTEMD_UNIT "org.freedesktop.systemd1.Unit"

/* How long a start/stop job may take before ctrctl gives up waiting (the job itself goes on). */
#define BUS_JOB_TIMEOUT_USEC (600U * 1000000ULL)
#define SYSTEMD_SCOPE "org.freedesktop.systemd1.Scope"
#define SYSTEMD_SERVICE "org.freedesktop.systemd1.Service"

/* |host| NULL: this machine, as root systemd's private socket (no broker, job signals without Subscribe),
 * else the system bus. "[USER@]HOST[:MACHINE]": the system bus there over ssh (sd_bus_open_system_remote).
 * Does not log. */
int bus_connect(const char *host, sd_bus **ret);
/* The system bus through the broker, subscribed to systemd's job signals (bus_connect()'s path for non-root). */
int bus_connect_system(sd_bus **ret);

/* "ctr@NAME.service", "ctr-NAME.scope" */
int container_service_name(const char *name, char **ret);
int container_scope_name(const char *name, char **ret);
/* NAME of "ctr@NAME.service" into *ret; 0 (*ret NULL) for any other unit name. */
int container_name_from_service(const char *unit, char **ret);

typedef struct UnitInfo {
        char *load_state;       /* "loaded", "not-found", …; NULL when systemd could not be asked */
        char *active_state;
        char *sub_state;
        char *description;
        char *result;           /* service/scope Result= ("success", "exit-code", "oom-kill", …) */
        char *control_group;    /* "/machine.slice/ctr-web.scope" or NULL/empty */
        char *unit_file_state;  /* "enabled", "static", … */
        char *fragment_path;
        uint32_t main_pid;      /* services only */
        int32_t exec_main_status;
        uint64_t active_enter_usec;     /* CLOCK_REALTIME, 0 = never */
        uint64_t memory_current;        /* UINT64_MAX = unknown */
        uint64_t cpu_usage_nsec;
        uint64_t tasks_current;
        uint32_t n_restarts;
} UnitInfo;

/* How long bus_unit_infos() waits for all its replies. */
#define BUS_INFO_TIMEOUT_USEC (60U * 1000000ULL)

void unit_info_done(UnitInfo *i);
/* Fills |ret| with the properties of |unit| (a .service or .scope). A unit systemd does not know is not an
 * error: LoadState= says "not-found". */
int bus_unit_info(sd_bus *bus, const char *unit, UnitInfo *ret);
/* The same for |n| units at once (bus-unit-info.c): every call sent before the first reply is read. Each
 * ret[i] is filled, and ret_errors[i] is 0, or -errno for that unit alone (ret[i] then as unknown: NULL
 * strings, UINT64_MAX counters). Returns -errno when the bus failed or the replies did not all come. */
int bus_unit_infos(sd_bus *bus, char *const *units, size_t n, UnitInfo *ret, int *ret_errors);

/* Dispatches |bus|'s messages until |finished| says so, or -ETIMEDOUT at |deadline| (CLOCK_MONOTONIC;
 * UINT64_MAX: none). */
int bus_wait_until(sd_bus *bus, uint64_t deadline, bool (*finished)(void *userdata), void *userdata);

/* One string property of |unit| (|iface| NULL: org.freedesktop.systemd1.Unit). */
int bus_unit_get_string(sd_bus *bus, const char *unit, const char *iface, const char *property, char **ret);

/* Calls Manager.METHOD(|unit|, "replace") (StartUnit, StopUnit, RestartUnit, ReloadUnit, …) and waits for the
 * job's JobRemoved. Returns 0 with *ret_result the job result ("done", "failed", "canceled", "timeout",
 * "dependency", "skipped"), or -errno with |error| holding systemd's text. */
int bus_unit_job(sd_bus *bus, const char *method, const char *unit, uint64_t timeout_usec, char **ret_result,
                 sd_bus_error *error);

/* Sends |call| (a Manager method that returns a job path) and waits for that job's JobRemoved: at most
 * |timeout_usec| for the reply and as long again for the job (-ETIMEDOUT; the job itself goes on). */
int bus_call_job(sd_bus *bus, sd_bus_message *call, uint64_t timeout_usec, char **ret_result,
                 sd_bus_error *error);

/* One job of bus_unit_jobs(): Manager.METHOD(UNIT, "replace"), then what became of it. */
typedef struct BusJob {
        const char *method;     /* "StartUnit", "RestartUnit", "StopUnit", … */
        const char *unit;
        char *job;              /* the job's object path, once queued */
        char *result;           /* its JobRemoved result ("done", "failed", …); NULL when it has none (yet) */
        int error;              /* -errno when systemd refused the call itself (then no job) */
        char *error_message;    /* systemd's text for that */
} BusJob;

void bus_job_done(BusJob *j);
/* Queues every job of |jobs|, then waits until each has its JobRemoved, at most |timeout_usec| in all
 * (UINT64_MAX: as long as systemd takes, each call that queues one bounded by BUS_JOB_TIMEOUT_USEC; else
 * -ETIMEDOUT, the jobs themselves go on, the ones finished have their result). A call systemd refuses fills
 * that job's error and error_message and is no failure of the whole; -errno for the bus itself only. */
int bus_unit_jobs(sd_bus *bus, BusJob *jobs, size_t n, uint64_t timeout_usec);

/* For each unit systemd has loaded whose name matches |pattern| (ListUnitsByPatterns: one round trip), calls
 * |callback|; a negative return stops the walk and is returned. */
typedef int (*BusListUnitsCallback)(const char *name, const char *description, const char *load_state,
                                    const char *active_state, const char *sub_state, void *userdata);
int bus_list_units(sd_bus *bus, const char *pattern, BusListUnitsCallback callback, void *userdata);

/* Manager.Reload() (daemon-reload): returns when systemd has re-run the generators. */
int bus_daemon_reload(sd_bus *bus, sd_bus_error *error);

/* A text for a failed job, as systemctl says it: "Job for X failed because …". */
int bus_job_failure_text(sd_bus *bus, const char *unit, const char *result, char **ret);
