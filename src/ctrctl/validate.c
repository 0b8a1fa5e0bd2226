/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl validate [--json] [--security-threshold=N] [--name NAME] [--dropin-dir DIR] FILE|NAME…
 *
 * Runs the same parser as the generator and the launcher. A FILE may live anywhere (Ansible validates a
 * temporary file: "ctrctl validate --name web %s"); its drop-ins come from the search path and, above them,
 * from FILE.d beside it or --dropin-dir, so what is checked is what the generator would see once the file and
 * the drop-ins staged with it are installed.
 *
 * Beyond the parser, validate refuses what the launcher would refuse at start without starting anything:
 * the plan it builds (plan_build()) and the seccomp filter it compiles (container_exec_prepare(), which
 * reads a SeccompProfile=/PATH). The generator does neither: it never runs code that touches processes. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctr-file.h"
#include "ctrctl.h"
#include "json.h"
#include "launch-check.h"
#include "load-argument.h"
#include "log.h"
#include "security.h"
#include "string-util.h"
#include "strv.h"

static bool arg_json = false;
static int arg_security_threshold = -1;         /* tenths; -1: none */
static LoadOptions arg_load = {};

enum {
        ARG_JSON = VERB_OPTION_BASE,
        ARG_SECURITY_THRESHOLD,
};

static int handle_option(int c, const char *value) {
        int r;

        if (c == ARG_JSON) {
                arg_json = true;
                return 0;
        }
        if (c == ARG_SECURITY_THRESHOLD) {
                r = security_threshold_parse(value, &arg_security_threshold);
                if (r < 0)
                        return log_error_errno(r, "Invalid --security-threshold=%s: a score from 0 to 10, one "
                                               "decimal at most.", value);
                return 0;
        }
        return load_options_parse(&arg_load, c, value) > 0 ? 0 : -EINVAL;
}

typedef struct Result {
        const char *argument;
        char *name;             /* the container name, NULL when it could not be determined */
        char *file;             /* the main file, NULL if none */
        char **dropins;
        bool valid;
        Diagnostics diag;
} Result;

static void result_done(Result *r) {
        free(r->name);
        free(r->file);
        strv_free(r->dropins);
        diagnostics_clear(&r->diag);
}

static int validate_one(const char *argument, char *const *search_path, Result *res) {
        _cleanup_container_free_ Container *c = NULL;
        int r;

        *res = (Result) { .argument = argument };

        if (argument_is_file(argument)) {
                res->file = strdup(argument);
                if (!res->file || (arg_load.name && !(res->name = strdup(arg_load.name))))
                        return -ENOMEM;
        } else if (container_name_is_valid(argument) && !(res->name = strdup(argument)))
                return -ENOMEM;

        r = load_argument(argument, &arg_load, search_path, &res->diag, &c);
        if (r < 0 || !c)
                return r;

        r = container_check_launch(c, &res->diag);
        if (r < 0)
                return r;
        if (arg_security_threshold >= 0 && !diagnostics_has_errors(&res->diag)) {
                _cleanup_(exposure_done) Exposure e = {};

                r = security_exposure(c, &e);
                if (r < 0)
                        return r;
                if (e.total > (unsigned) arg_security_threshold &&
                    diagnostics_add(&res->diag, DIAGNOSTIC_ERROR, EPERM, c->source_path, 0, NULL, NULL, NULL,
                                    "Exposure %u.%u (%s) is above --security-threshold=%d.%d (ctrctl security "
                                    "lists what weakens the isolation).", e.total / 10, e.total % 10,
                                    exposure_level(e.total), arg_security_threshold / 10,
                                    arg_security_threshold % 10) < 0)
                        return -ENOMEM;
        }

        res->valid = !diagnostics_has_errors(&res->diag);
        r = free_and_strdup(&res->name, c->name);
        if (r < 0)
                return r;
        r = free_and_strdup(&res->file, c->source_path);
        if (r < 0)
                return r;
        return strv_copy(c->dropin_paths, &res->dropins);
}

static void json_print_diagnostic(const Diagnostic *d) {
        fputs("{\"file\":", stdout);
        json_write_escaped(stdout, d->file);
        if (d->line > 0)
                printf(",\"line\":%u", d->line);
        else
                fputs(",\"line\":null", stdout);
        fputs(",\"section\":", stdout);
        json_write_escaped(stdout, d->section);
        fputs(",\"key\":", stdout);
        json_write_escaped(stdout, d->key);
        fputs(",\"value\":", stdout);
        json_write_escaped(stdout, d->value);
        fputs(",\"message\":", stdout);
        json_write_escaped(stdout, d->message);
        fputs(",\"level\":", stdout);
        json_write_escaped(stdout, d->level == DIAGNOSTIC_ERROR ? "error" : "warning");
        fputc('}', stdout);
}

static void json_print_diagnostics(const Diagnostics *diag, DiagnosticLevel level) {
        bool first = true;

        fputc('[', stdout);
        for (size_t i = 0; i < diag->n; i++) {
                if (diag->items[i].level != level)
                        continue;
                if (!first)
                        fputc(',', stdout);
                first = false;
                json_print_diagnostic(&diag->items[i]);
        }
        fputc(']', stdout);
}

static void json_print_result(const Result *res) {
        fputs("{\"argument\":", stdout);
        json_write_escaped(stdout, res->argument);
        fputs(",\"name\":", stdout);
        json_write_escaped(stdout, res->name);
        fputs(",\"file\":", stdout);
        json_write_escaped(stdout, res->file);
        fputs(",\"dropins\":[", stdout);
        STRV_FOREACH(d, res->dropins) {
                if (d != res->dropins)
                        fputc(',', stdout);
                json_write_escaped(stdout, *d);
        }
        printf("],\"valid\":%s,\"errors\":", res->valid ? "true" : "false");
        json_print_diagnostics(&res->diag, DIAGNOSTIC_ERROR);
        fputs(",\"warnings\":", stdout);
        json_print_diagnostics(&res->diag, DIAGNOSTIC_WARNING);
        fputc('}', stdout);
}

int verb_validate(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json", no_argument, NULL, ARG_JSON },
                { "security-threshold", required_argument, NULL, ARG_SECURITY_THRESHOLD },
                LOAD_ARGUMENT_OPTIONS,
                {}
        };
        _cleanup_strv_free_ char **search_path = NULL;
        bool all_valid = true;
        int r, first;

        first = load_verb_begin(argc, argv, options, handle_option, &arg_load, &search_path);
        if (first <= 0)
                return -first;

        if (arg_json)
                fputs("[", stdout);

        for (int i = first; i < argc; i++) {
                Result res;

                r = validate_one(argv[i], search_path, &res);
                if (r < 0) {
                        result_done(&res);
                        return log_error_errno(r, "Failed to validate '%s': %m", argv[i]);
                }
                if (!res.valid)
                        all_valid = false;

                if (arg_json) {
                        if (i > first)
                                fputc(',', stdout);
                        fputs("\n", stdout);
                        json_print_result(&res);
                } else
                        (void) diagnostics_log(&res.diag, DIAGNOSTICS_PLAIN);

                result_done(&res);
        }

        if (arg_json)
                fputs("\n]\n", stdout);

        if (fflush(stdout) != 0)
                return log_error_errno(EIO, "Failed to write output: %m");

        return all_valid ? CTRCTL_EXIT_SUCCESS : CTRCTL_EXIT_FAILURE;
}
