/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl start|stop|restart|reload|enable|disable [-H HOST] [--no-block] NAME…
 *
 * The unit ctr@NAME.service, through sd-bus as systemctl does it: StartUnit/StopUnit/RestartUnit/ReloadUnit
 * with mode "replace", then wait for the job's JobRemoved; EnableUnitFiles/DisableUnitFiles and a daemon
 * reload for enable/disable. On failure systemd's own words and a hint where to look. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "log.h"
#include "string-util.h"

static bool arg_no_block = false;
static bool arg_now = false;

enum {
        ARG_NO_BLOCK = VERB_OPTION_BASE,
        ARG_NOW,
};

static int handle_option(int c, _unused_ const char *value) {
        switch (c) {
        case ARG_NO_BLOCK:
                arg_no_block = true;
                return 0;
        case ARG_NOW:
                arg_now = true;
                return 0;
        default:
                return -EINVAL;
        }
}

static const char *verb_method(const char *verb) {
        if (streq(verb, "start"))
                return "StartUnit";
        if (streq(verb, "stop"))
                return "StopUnit";
        if (streq(verb, "restart"))
                return "RestartUnit";
        if (streq(verb, "reload"))
                return "ReloadUnit";
        return NULL;
}

static int run_job(sd_bus *bus, const char *verb, const char *method, const char *name) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *unit = NULL, *result = NULL, *text = NULL;
        int r;

        if (container_service_name(name, &unit) < 0)
                return log_oom();

        if (arg_no_block) {
                r = sd_bus_call_method(bus, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER, method, &error, NULL,
                                       "ss", unit, "replace");
                if (r < 0)
                        goto method_failed;
                return 0;
        }

        r = bus_unit_job(bus, method, unit, BUS_JOB_TIMEOUT_USEC, &result, &error);
        if (r < 0)
                goto method_failed;
        if (streq(result, "done"))
                return 0;

        if (bus_job_failure_text(bus, unit, result, &text) < 0)
                return log_oom();
        log_error("%s", text);
        /* status and logs read the machine they run on: name the one to run them on */
        log_error("See 'ctrctl status %s' and 'ctrctl logs %s'%s%s for details.", name, name,
                  arg_host ? " on " : "", strempty(arg_host));
        return -EIO;

method_failed:
        if (r == -ETIMEDOUT && !error.message)
                return log_error_errno(r, "Timed out waiting for the %s job of %s.", verb, unit);
        log_error("Failed to %s %s: %s", verb, unit, error.message ?: strerror(-r));
        if (!streq(verb, "stop"))
                log_error("See 'ctrctl status %s'%s%s for details.", name, arg_host ? " on " : "", strempty(arg_host));
        return r;
}

static void print_changes(sd_bus_message *reply) {
        const char *type, *path, *source;

        if (sd_bus_message_enter_container(reply, 'a', "(sss)") < 0)
                return;
        while (sd_bus_message_read(reply, "(sss)", &type, &path, &source) > 0) {
                if (streq(type, "symlink"))
                        printf("Created symlink %s → %s.\n", path, source);
                else if (streq(type, "unlink"))
                        printf("Removed \"%s\".\n", path);
        }
        (void) sd_bus_message_exit_container(reply);
}

static int unit_files(sd_bus *bus, bool enable, char **names, size_t n) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_bus_message_ sd_bus_message *m = NULL, *reply = NULL;
        int r;

        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_DEST, SYSTEMD_PATH, SYSTEMD_MANAGER,
                                           enable ? "EnableUnitFiles" : "DisableUnitFiles");
        if (r < 0)
                return log_oom();
        r = sd_bus_message_open_container(m, 'a', "s");
        for (size_t i = 0; r >= 0 && i < n; i++) {
                _cleanup_free_ char *unit = NULL;

                if (container_service_name(names[i], &unit) < 0)
                        return log_oom();
                r = sd_bus_message_append(m, "s", unit);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        /* runtime = false: /etc; force = false */
        if (r >= 0)
                r = enable ? sd_bus_message_append(m, "bb", false, false) : sd_bus_message_append(m, "b", false);
        if (r < 0)
                return log_error_errno(r, "Failed to build the bus message: %m");

        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0)
                return log_error_errno(r, "Failed to %s unit files: %s", enable ? "enable" : "disable",
                                       error.message ?: strerror(-r));
        if (enable) {
                int carries;
                (void) sd_bus_message_read(reply, "b", &carries);
        }
        print_changes(reply);

        sd_bus_error_free(&error);
        r = bus_daemon_reload(bus, &error);
        if (r < 0)
                return log_error_errno(r, "Failed to reload systemd: %s", error.message ?: strerror(-r));
        return 0;
}

int verb_unit(int argc, char *argv[]) {
        static const struct option options[] = {
                { "no-block", no_argument,       NULL, ARG_NO_BLOCK },
                { "now",      no_argument,       NULL, ARG_NOW      },
                {}
        };
        _cleanup_bus_flush_close_unref_ sd_bus *bus = NULL;
        const char *verb = argv[0], *method;
        bool files;
        int i, r, ret = 0;

        i = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : 0;

        files = streq(verb, "enable") || streq(verb, "disable");
        if (arg_now && !files) {
                log_error("--now is only for enable and disable.");
                return CTRCTL_EXIT_USAGE;
        }
        for (int k = i; k < argc; k++)
                if (ctrctl_check_name(argv[k]) < 0)
                        return CTRCTL_EXIT_USAGE;

        /* Starting a container that has no file here gives systemd's "not found" only after a detour through
         * the generator's output; say it plainly. (Remote hosts have their own files.) */
        if (!arg_host && (streq(verb, "start") || streq(verb, "restart") || streq(verb, "enable")))
                for (int k = i; k < argc; k++) {
                        _cleanup_container_free_ Container *c = NULL;

                        r = ctrctl_load_container(argv[k], false, &c);
                        if (r < 0)
                                return ctrctl_load_exit_status(r);
                }

        r = bus_connect(arg_host, &bus);
        if (r < 0)
                return bus_log_connect_error(r, arg_host);

        if (files) {
                r = unit_files(bus, streq(verb, "enable"), argv + i, (size_t) (argc - i));
                if (r < 0)
                        return r;
                if (!arg_now)
                        return 0;
                method = streq(verb, "enable") ? "StartUnit" : "StopUnit";
                verb = streq(verb, "enable") ? "start" : "stop";
        } else
                method = verb_method(verb);
        if (!method)
                return -EINVAL;

        for (int k = i; k < argc; k++) {
                r = run_job(bus, verb, method, argv[k]);
                if (r < 0 && ret == 0)
                        ret = r;
        }
        return ret < 0 ? CTRCTL_EXIT_FAILURE : 0;
}
