/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl hash [--json] [--canonical] [--name NAME] [--dropin-dir DIR] FILE|NAME…
 *
 * The digest of each container's effective configuration (config-hash.h): what configuration management
 * compares to decide whether a container must restart, and what "config changed since start" compares in
 * status, list and inspect. Arguments are taken as "ctrctl validate" takes them (load-argument.h); a file that
 * does not load has no hash: its errors are printed with file:line and the exit status is 1. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "config-canonical.h"
#include "config-hash.h"
#include "ctrctl.h"
#include "json.h"
#include "load-argument.h"
#include "log.h"
#include "search-path.h"
#include "strv.h"

static bool arg_json = false;
static bool arg_canonical = false;
static LoadOptions arg_load = {};

enum {
        ARG_JSON = VERB_OPTION_BASE,
        ARG_CANONICAL,
};

static int handle_option(int c, const char *value) {
        switch (c) {
        case ARG_JSON:
                arg_json = true;
                return 0;
        case ARG_CANONICAL:
                arg_canonical = true;
                return 0;
        default:
                return load_options_parse(&arg_load, c, value) > 0 ? 0 : -EINVAL;
        }
}

/* Prints one argument's hash (or canonical form); 1 when it did not load (its errors printed). */
static int hash_one(JsonWriter *w, const char *argument, char *const *search_path) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *canonical = NULL;
        Diagnostics diag = {};
        char hash[65];
        size_t n;
        int r;

        r = load_argument(argument, &arg_load, search_path, &diag, &c);
        if (r >= 0 && !c)
                (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN);
        diagnostics_clear(&diag);
        if (r < 0)
                return log_error_errno(r, "Failed to load '%s': %m", argument);
        if (!c)
                return 1;

        r = config_canonical(c->config, c->config_size, NULL, &canonical, &n);
        if (r < 0)
                return log_error_errno(r, "Failed to build the effective configuration of '%s': %m", argument);
        r = container_config_hash(c, hash);
        if (r < 0)
                return log_error_errno(r, "Failed to hash the configuration of '%s': %m", argument);

        if (w) {
                json_begin_object(w);
                json_field_string(w, "argument", argument);
                json_field_string(w, "name", c->name);
                json_field_string(w, "file", c->source_path);
                json_field_strv(w, "dropins", c->dropin_paths);
                json_field_string(w, "hash", hash);
                if (arg_canonical)
                        json_field_string(w, "canonical", canonical);
                json_end_object(w);
        } else if (arg_canonical)
                fputs(canonical, stdout);
        else
                puts(hash);
        return 0;
}

int verb_hash(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json",       no_argument,       NULL, ARG_JSON },
                { "canonical",  no_argument,       NULL, ARG_CANONICAL },
                LOAD_ARGUMENT_OPTIONS,
                {}
        };
        _cleanup_strv_free_ char **search_path = NULL;
        JsonWriter json;
        bool failed = false;
        int r, first;

        first = load_verb_begin(argc, argv, options, handle_option, &arg_load, &search_path);
        if (first <= 0)
                return -first;

        if (arg_json) {
                json_writer_init(&json, stdout);
                json_begin_array(&json);
        }
        for (int i = first; i < argc; i++) {
                r = hash_one(arg_json ? &json : NULL, argv[i], search_path);
                if (r < 0)
                        return r;
                if (r > 0)
                        failed = true;
        }
        if (arg_json)
                json_end_array(&json);

        if (fflush(stdout) != 0)
                return log_error_errno(EIO, "Failed to write output: %m");
        return failed ? CTRCTL_EXIT_FAILURE : CTRCTL_EXIT_SUCCESS;
}
