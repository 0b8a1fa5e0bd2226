/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl healthcheck NAME
 *
 * Runs the container's HealthCmd= (or its image's Healthcheck, as the store resolves Image= now) now, from ctrctl (not through the monitor), entered exactly as "ctrctl
 * exec" enters (container-enter.h; re-executed from a sealed copy first, as exec is), with HealthTimeout=.
 * Prints "healthy" or "unhealthy (…)" and what the check wrote (its first 4 KiB); the container's own health
 * state (the monitor's) is left as it is. Exit status: 0 healthy, 1 unhealthy, 3 not running, 4 no such
 * container, 5 no health check. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cloned-binary.h"
#include "container-enter.h"
#include "container-image.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "health-check.h"
#include "log.h"
#include "time-util.h"

static int run_check(const char *name) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(container_image_done) ContainerImage ci = {};
        _cleanup_(exec_target_done) ExecTarget target = EXEC_TARGET_INIT;
        const Container *check;
        HealthCheck h = HEALTH_CHECK_INIT;
        char span[FORMAT_TIMESPAN_MAX];
        ExecError err = {};
        int r, status = 0;

        r = ctrctl_load_container(name, false, &c);
        if (r < 0)
                return ctrctl_load_exit_status(r);
        /* no HealthCmd=: the image's Healthcheck, applied as the launcher applies it */
        check = c;
        if (!c->health_cmd && container_may_check_health(c)) {
                if (container_image_load(c, &ci) < 0)
                        return log_oom();
                if (ci.effective && ci.defaults_error == 0)
                        check = ci.effective;
        }
        if (!check->health_cmd) {
                log_error("Container '%s' has no health check (HealthCmd=%s).", name,
                          ci.store ? ", or a Healthcheck in its image" : "");
                return CTRCTL_EXIT_NO_HEALTH_CHECK;
        }
        r = ctrctl_enter_target(c, name, &target);
        if (r != CTRCTL_EXIT_SUCCESS)
                return r;

        r = health_check_run(&h, check, &target, check->health_timeout_usec, &status, &err);
        health_check_done(&h);
        if (r < 0 && err.message[0])
                return log_error_errno(err.error, "Container '%s': %s: %m", name, err.message);
        if (r < 0)
                return log_error_errno(r, "Failed to run the health check of '%s': %m", name);

        if (health_check_passed(&h, status))
                printf("healthy\n");
        else if (h.timed_out)
                printf("unhealthy (killed after HealthTimeout=%s)\n",
                       format_timespan(span, sizeof(span), check->health_timeout_usec));
        else
                printf("unhealthy (status %i)\n", status);
        if (h.output_size > 0) {
                fwrite(h.output, 1, h.output_size, stdout);
                if (h.output[h.output_size - 1] != '\n')
                        putchar('\n');
                if (h.truncated)
                        printf("(output truncated to %u bytes)\n", HEALTH_OUTPUT_MAX);
        }
        if (fflush(stdout) != 0)
                return CTRCTL_EXIT_FAILURE;
        return health_check_passed(&h, status) ? CTRCTL_EXIT_SUCCESS : CTRCTL_EXIT_FAILURE;
}

int verb_healthcheck(int argc, char *argv[]) {
        int i, r;

        /* as exec: from here on, until the check's execve(), /proc/PID/exe of ours is a sealed copy */
        r = cloned_binary_reexec("ctrctl");
        if (r < 0)
                return log_error_errno(r, "Failed to re-execute ctrctl from a sealed copy of itself: %m");

        i = verb_parse_options(argc, argv, NULL, NULL, NULL);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;
        if (ctrctl_check_name(argv[i]) < 0)
                return CTRCTL_EXIT_USAGE;
        return run_check(argv[i]);
}
