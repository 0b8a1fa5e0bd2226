/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl run [--no-scope] [--config-path=DIRS] FILE|NAME
 *
 * Runs a container in the foreground, for people: ctrctl becomes ctr-launch (execv), so the terminal, the
 * signals (Ctrl-C stops the container with its StopSignal=) and the exit status are the container's. Without
 * systemd, --no-scope runs it without a transient scope. $CTR_LAUNCH overrides the launcher's path (tests,
 * a build tree). */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctrctl.h"
#include "log.h"
#include "string-util.h"

static bool arg_no_scope = false;
static const char *arg_config_path = NULL;

enum {
        ARG_NO_SCOPE = VERB_OPTION_BASE,
        ARG_CONFIG_PATH,
};

static int handle_option(int c, const char *value) {
        switch (c) {
        case ARG_NO_SCOPE:
                arg_no_scope = true;
                return 0;
        case ARG_CONFIG_PATH:
                arg_config_path = value;
                return 0;
        default:
                return -EINVAL;
        }
}

int verb_run(int argc, char *argv[]) {
        static const struct option options[] = {
                { "no-scope",    no_argument,       NULL, ARG_NO_SCOPE    },
                { "config-path", required_argument, NULL, ARG_CONFIG_PATH },
                {}
        };
        _cleanup_free_ char *path = NULL, *config = NULL;
        const char *launch, *arg, *args[6];
        size_t n = 0;
        int i;

        i = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (i <= 0)
                return i;
        arg = argv[i];

        /* "web.ctr" in the current directory is a file, as for validate; the launcher wants a '/' for that. */
        if (strchr(arg, '/') || (endswith(arg, ".ctr") && access(arg, F_OK) >= 0)) {
                path = realpath(arg, NULL);
                if (!path)
                        return log_error_errno(errno, "Failed to resolve '%s': %m", arg);
                arg = path;
        }

        launch = getenv("CTR_LAUNCH");
        if (isempty(launch))
                launch = CTR_LAUNCH_PATH;

        args[n++] = "ctr-launch";
        if (arg_no_scope)
                args[n++] = "--no-scope";
        if (arg_config_path) {
                if (asprintf(&config, "--config-path=%s", arg_config_path) < 0)
                        return log_oom();
                args[n++] = config;
        }
        args[n++] = "--";
        args[n++] = arg;
        args[n] = NULL;

        fflush(stdout);
        execv(launch, (char *const *) args);
        return log_error_errno(errno, "Failed to execute %s: %m", launch);
}
