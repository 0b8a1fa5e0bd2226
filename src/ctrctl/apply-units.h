/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl apply, the systemd half (apply-units.c): which containers run, what apply does to their units. */

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "apply-plan.h"

/* Fills each container's running and running_hash from systemd (one ListUnitsByPatterns()) and the running
 * launchers' runtime state. Before any file is written. */
int apply_units_inspect(sd_bus *bus, ApplyPlan *p);

/* Each container's job: stop the running ones --prune removes, start the created ones (with |start|, every
 * one not running), restart the running ones whose running configuration is not the new one. Without
 * |restart| (--no-restart) none. A restart makes the state APPLY_RESTARTED, a --start of an unchanged one
 * APPLY_STARTED. */
void apply_units_decide(ApplyPlan *p, bool restart, bool start);

/* Runs the stops (|stops|) or the starts and restarts, all queued at once and waited for together; each
 * container's result and error filled. -EIO when one did not succeed, -errno when systemd could not be asked. */
int apply_units_run(sd_bus *bus, ApplyPlan *p, bool stops);
