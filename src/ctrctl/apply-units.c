/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl apply, the systemd half: what runs now, what apply does about it, and doing it.
 *
 * Before anything is written, one ListUnitsByPatterns() says which ctr@ units run, and each running
 * container's runtime state the configuration its launcher started with. From that, and the plan's files:
 *   - a container --prune removes is stopped if it runs (before its files go, so its unit is still loaded);
 *   - a created one is started (its [Install] is the generator's: enabled by the reload);
 *   - a running one is restarted when what it runs differs from the new effective configuration: whether its
 *     files change now or changed earlier by hand or by a run killed between its writes and its restarts;
 *   - a stopped one stays stopped, unless --start (configuration management's "state: started").
 * After the files: one daemon-reload when a file was written or removed, then the starts and restarts, all
 * queued at once and waited for together, as one `systemctl start A B C`. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply-units.h"
#include "bus-util.h"
#include "config-hash.h"
#include "runtime-state.h"
#include "string-util.h"

static int on_unit(const char *unit, _unused_ const char *description, _unused_ const char *load,
                   const char *active, _unused_ const char *sub, void *userdata) {
        _cleanup_free_ char *name = NULL;
        ApplyContainer *a;
        int r;

        r = container_name_from_service(unit, &name);
        if (r <= 0)
                return r;
        a = apply_plan_find(userdata, name);
        if (a)
                a->running = streq(active, "active") || streq(active, "activating") || streq(active, "reloading");
        return 0;
}

int apply_units_inspect(sd_bus *bus, ApplyPlan *p) {
        int r;

        /* not loaded: nothing runs for it */
        for (size_t i = 0; i < p->n_containers; i++)
                p->containers[i].running = 0;
        r = bus_list_units(bus, "ctr@*.service", on_unit, p);
        if (r < 0)
                return r;

        for (size_t i = 0; i < p->n_containers; i++) {
                ApplyContainer *a = &p->containers[i];
                _cleanup_(runtime_state_done) RuntimeState s = {};

                if (a->running <= 0)
                        continue;
                /* the copy of its files the launcher kept; an older launcher kept none: then what is
                 * installed now is the best guess of what it runs */
                if (runtime_state_read(a->name, &s) >= 0 && s.config &&
                    config_effective_hash(s.config, s.config_size, a->running_hash) >= 0)
                        continue;
                memcpy(a->running_hash, a->previous_hash, sizeof(a->running_hash));
        }
        return 0;
}

void apply_units_decide(ApplyPlan *p, bool restart, bool start) {
        for (size_t i = 0; i < p->n_containers; i++) {
                ApplyContainer *a = &p->containers[i];

                a->job = APPLY_JOB_NONE;
                if (!restart)
                        continue;
                if (a->state == APPLY_REMOVED) {
                        if (a->running > 0)
                                a->job = APPLY_JOB_STOP;
                } else if (a->running > 0) {
                        if (!a->running_hash[0] || !streq(a->running_hash, a->hash)) {
                                a->job = APPLY_JOB_RESTART;
                                a->state = APPLY_RESTARTED;
                        }
                } else if (a->running == 0) {
                        if (a->state == APPLY_CREATED || start)
                                a->job = APPLY_JOB_START;
                        if (start && a->state == APPLY_UNCHANGED)
                                a->state = APPLY_STARTED;
                }
        }
}

static const char *job_method(ApplyJob j) {
        switch (j) {
        case APPLY_JOB_START:
                return "StartUnit";
        case APPLY_JOB_RESTART:
                return "RestartUnit";
        case APPLY_JOB_STOP:
                return "StopUnit";
        default:
                return NULL;
        }
}

int apply_units_run(sd_bus *bus, ApplyPlan *p, bool stops) {
        _cleanup_free_ BusJob *jobs = NULL;
        _cleanup_free_ ApplyContainer **of = NULL;
        char **units = NULL;
        size_t n = 0;
        int r, ret = 0;

        jobs = calloc(p->n_containers, sizeof(BusJob));
        of = calloc(p->n_containers, sizeof(ApplyContainer *));
        units = calloc(p->n_containers, sizeof(char *));
        if (!jobs || !of || !units) {
                free(units);
                return -ENOMEM;
        }
        for (size_t i = 0; i < p->n_containers; i++) {
                ApplyContainer *a = &p->containers[i];

                if (a->job == APPLY_JOB_NONE || (a->job == APPLY_JOB_STOP) != stops)
                        continue;
                r = container_service_name(a->name, &units[n]);
                if (r < 0)
                        goto finish;
                jobs[n] = (BusJob) { .method = job_method(a->job), .unit = units[n] };
                of[n++] = a;
        }

        /* no timeout of our own: each job has systemd's (TimeoutStartSec=, TimeoutStopSec=), and a thousand
         * starts at once may well take longer than any fixed bound, as `systemctl start` of them would */
        r = bus_unit_jobs(bus, jobs, n, UINT64_MAX);
        if (r < 0 && r != -ETIMEDOUT)
                goto finish;
        for (size_t i = 0; i < n; i++) {
                ApplyContainer *a = of[i];

                if (jobs[i].error < 0) {
                        a->result = strdup("refused");
                        a->error = strdup(jobs[i].error_message);
                } else if (!jobs[i].result) {
                        a->result = strdup("pending");
                        a->error = strprintf("Gave up waiting for the %s job of %s; it goes on.",
                                             apply_job_to_string(a->job), jobs[i].unit);
                } else {
                        a->result = strdup(jobs[i].result);
                        if (!streq(jobs[i].result, "done"))
                                (void) bus_job_failure_text(bus, jobs[i].unit, jobs[i].result, &a->error);
                }
                if (!a->result)
                        ret = -ENOMEM;
                else if (!streq(a->result, "done"))
                        ret = ret ?: -EIO;
        }
        r = ret;
finish:
        for (size_t i = 0; i < p->n_containers; i++)
                free(units[i]);
        free(units);
        for (size_t i = 0; i < n; i++)
                bus_job_done(&jobs[i]);
        return r;
}
