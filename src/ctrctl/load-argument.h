/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* How "ctrctl validate" and "ctrctl hash" take their arguments: FILE (with --name and drop-ins beside it or
 * from --dropin-dir) or NAME from the search path, and why one could not be loaded. */

#include <getopt.h>
#include <stdbool.h>

#include "ctr-file.h"
#include "ctrctl.h"

/* --name NAME and --dropin-dir DIR, as validate and hash take them: their getopt entries and values */
enum {
        ARG_LOAD_NAME = VERB_OPTION_BASE + 0x80,
        ARG_LOAD_DROPIN_DIR,
};
#define LOAD_ARGUMENT_OPTIONS                                                   \
        { "name",       required_argument, NULL, ARG_LOAD_NAME },               \
        { "dropin-dir", required_argument, NULL, ARG_LOAD_DROPIN_DIR }

typedef struct LoadOptions {
        const char *name;
        const char *dropin_dir;
} LoadOptions;

/* Takes option |c| when it is one of LOAD_ARGUMENT_OPTIONS: 1 when taken, 0 when not one of them, -EINVAL
 * after saying why for a bad value. */
int load_options_parse(LoadOptions *o, int c, const char *value);
/* Both apply to exactly one FILE argument: false after saying so otherwise. */
bool load_options_check(const LoadOptions *o, int n_args, char *const *args);

/* A FILE when it has a '/' or is an existing *.ctr; otherwise a NAME on the search path. */
bool argument_is_file(const char *a);

/* Loads |argument|: a FILE as container o->name (NULL: its basename without ".ctr") with the search path's
 * drop-ins for that name and, above them, those of o->dropin_dir — NULL: FILE.d beside FILE (where a CM tool
 * stages them next to a temporary file); or a NAME from |search_path|. Every reason it cannot be loaded is an
 * error in |diag| with the file (and line, key, value where there is one): then *ret is NULL and 0 is
 * returned. < 0 only when out of memory or on an unexpected failure. */
int load_argument(const char *argument, const LoadOptions *o, char *const *search_path, Diagnostics *diag,
                  Container **ret);

/* The start of a verb that takes FILE|NAME… this way (validate, hash, security): its |options| parsed with
 * |handler| (which fills |o| through load_options_parse()), |o| checked against the arguments, the search path
 * into *ret_search_path. Returns the index of the first argument (> 0), or minus the verb's exit status
 * (*ret_search_path NULL): -CTRCTL_EXIT_SUCCESS (0) after --help, -CTRCTL_EXIT_USAGE, -CTRCTL_EXIT_FAILURE
 * (logged). */
int load_verb_begin(int argc, char *argv[], const struct option *options, VerbOptionHandler handler,
                    const LoadOptions *o, char ***ret_search_path);
