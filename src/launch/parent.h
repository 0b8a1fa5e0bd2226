/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctr-launch's parent: starts a planned container and monitors it until it exits (parent.c). */

#include <stdbool.h>

#include "ctr-file.h"
#include "image-launch.h"
#include "plan.h"

typedef struct LaunchOptions {
        bool no_scope;          /* --no-scope: no ctr-NAME.scope, systemd is not asked */
        bool no_pty;            /* --no-pty: a terminal on stdio is relayed through pipes */
        char **argv;            /* ctr-launch's own, for the child that re-executes it under valgrind */
        const LaunchImage *image; /* the resolved Image= (li->image NULL without one); NULL: none */
} LaunchOptions;

/* At debug level (CTR_LOG_LEVEL=debug): "Container 'NAME': PHASE at monotonic S.US." with CLOCK_MONOTONIC,
 * the clock of `journalctl -o short-monotonic`, so that a start's phases line up with systemd's own messages
 * about its jobs (bench/systemd-start, BENCH_TRACE=1). Nothing at all at a higher level. */
void launch_log_phase(const char *name, const char *phase);

/* Runs container |c| by plan |p| and returns what ctr-launch exits with: the workload's status (128+N for
 * signal N, 0 for a stop systemd asked for), or EXIT_SETUP, EXIT_CANNOT_EXECUTE, EXIT_NOT_FOUND (child.h)
 * when it did not run, the reason logged. */
int launch_run(const Container *c, const Plan *p, const LaunchOptions *opts);
