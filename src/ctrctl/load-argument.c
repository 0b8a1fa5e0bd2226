/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load-argument.h"
#include "log.h"
#include "string-util.h"

bool argument_is_file(const char *a) {
        return strchr(a, '/') || (endswith(a, ".ctr") && access(a, F_OK) >= 0);
}

int load_options_parse(LoadOptions *o, int c, const char *value) {
        switch (c) {
        case ARG_LOAD_NAME:
                if (!container_name_is_valid(value)) {
                        log_error("Invalid container name '%s'.", value);
                        return -EINVAL;
                }
                o->name = value;
                return 1;
        case ARG_LOAD_DROPIN_DIR:
                o->dropin_dir = value;
                return 1;
        default:
                return 0;
        }
}

bool load_options_check(const LoadOptions *o, int n_args, char *const *args) {
        if (o->name && (n_args != 1 || !argument_is_file(args[0]))) {
                log_error("--name applies to exactly one FILE argument.");
                return false;
        }
        if (o->dropin_dir && (n_args != 1 || !argument_is_file(args[0]))) {
                log_error("--dropin-dir applies to exactly one FILE argument.");
                return false;
        }
        return true;
}

int load_argument(const char *argument, const LoadOptions *o, char *const *search_path, Diagnostics *diag,
                  Container **ret) {
        _cleanup_free_ char *beside = NULL;
        const char *name = o->name, *dropin_dir = o->dropin_dir;
        bool file = argument_is_file(argument);
        int r;

        *ret = NULL;
        if (file && dropin_dir) {
                struct stat st;

                /* named on purpose: a typo must not check the file without its drop-ins */
                if (stat(dropin_dir, &st) < 0)
                        return diagnostics_add(diag, DIAGNOSTIC_ERROR, errno, dropin_dir, 0, NULL, NULL, NULL,
                                               "Drop-in directory (--dropin-dir): %s.", strerror(errno));
                if (!S_ISDIR(st.st_mode))
                        return diagnostics_add(diag, DIAGNOSTIC_ERROR, ENOTDIR, dropin_dir, 0, NULL, NULL, NULL,
                                               "Drop-in directory (--dropin-dir): not a directory.");
        }
        if (file) {
                if (!dropin_dir) {
                        beside = strprintf("%s.d", argument);
                        if (!beside)
                                return -ENOMEM;
                        dropin_dir = beside;
                }
                r = container_load_file_full(argument, name, search_path, dropin_dir, diag, ret);
        } else {
                if (!container_name_is_valid(argument))
                        return diagnostics_add(diag, DIAGNOSTIC_ERROR, EINVAL, NULL, 0, NULL, NULL, argument,
                                               "'%s' is neither a file nor a valid container name.", argument);
                r = container_load(argument, search_path, diag, ret);
        }
        if (r >= 0)
                return 0;
        *ret = NULL;
        if (r == -ENOMEM)
                return r;

        /* The parser explains most failures itself; say something for those it cannot. */
        if (diagnostics_has_errors(diag))
                return 0;
        if (r == -ENOENT && file)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, ENOENT, argument, 0, NULL, NULL, NULL,
                                       "No such file.");
        if (r == -ENOENT)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, ENOENT, NULL, 0, NULL, NULL, argument,
                                       "No container '%s' on the search path.", argument);
        if (r == -ERFKILL && file)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, ERFKILL, argument, 0, NULL, NULL, NULL,
                                       "File is masked (a link to /dev/null).");
        if (r == -ERFKILL)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, ERFKILL, NULL, 0, NULL, NULL, argument,
                                       "Container '%s' is masked.", argument);
        return diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, file ? argument : NULL, 0, NULL, NULL, NULL,
                               "Failed to load '%s': %s", argument, strerror(-r));
}

int load_verb_begin(int argc, char *argv[], const struct option *options, VerbOptionHandler handler,
                    const LoadOptions *o, char ***ret_search_path) {
        int r, first;

        *ret_search_path = NULL;
        first = verb_parse_options(argc, argv, options, NULL, handler);
        if (first <= 0)
                return first < 0 ? -CTRCTL_EXIT_USAGE : -CTRCTL_EXIT_SUCCESS;
        if (!load_options_check(o, argc - first, argv + first))
                return -CTRCTL_EXIT_USAGE;
        r = ctr_search_path(ret_search_path);
        if (r < 0) {
                log_error_errno(r, "Failed to determine the search path: %m");
                return -CTRCTL_EXIT_FAILURE;
        }
        return first;
}
