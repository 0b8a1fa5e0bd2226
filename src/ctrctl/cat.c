/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl cat NAME…: the files that make up a container's configuration, in the order they are applied,
 * each under a "# PATH" header, as "systemctl cat" shows units. Works on invalid files too. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "ctr-file.h"
#include "ctrctl.h"
#include "fileio.h"
#include "log.h"
#include "strv.h"

static int cat_file(const char *path, bool *first) {
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_full_file_at(AT_FDCWD, path, CTR_FILE_SIZE_MAX, &data, &size);
        if (r < 0)
                return log_error_errno(r, "Failed to read '%s': %m", path);

        printf("%s# %s\n", *first ? "" : "\n", path);
        fwrite(data, 1, size, stdout);
        if (size > 0 && data[size - 1] != '\n')
                fputc('\n', stdout);
        *first = false;
        return 0;
}

static const ContainerSource *find_source(const ContainerSource *s, size_t n, const char *name) {
        for (size_t i = 0; i < n; i++)
                if (streq(s[i].name, name))
                        return &s[i];
        return NULL;
}

int verb_cat(int argc, char *argv[]) {
        _cleanup_strv_free_ char **search_path = NULL;
        ContainerSource *sources = NULL;
        size_t n_sources = 0;
        bool first = true;
        int r, first_arg, ret = CTRCTL_EXIT_SUCCESS;

        first_arg = verb_parse_options(argc, argv, NULL, NULL, NULL);
        if (first_arg < 0)
                return CTRCTL_EXIT_USAGE;
        if (first_arg == 0)
                return CTRCTL_EXIT_SUCCESS;

        for (int i = first_arg; i < argc; i++)
                if (!container_name_is_valid(argv[i])) {
                        log_error("Invalid container name '%s'.", argv[i]);
                        return CTRCTL_EXIT_USAGE;
                }

        r = ctr_search_path(&search_path);
        if (r < 0)
                return log_error_errno(r, "Failed to determine the search path: %m");

        r = container_enumerate(search_path, &sources, &n_sources);
        if (r < 0)
                return log_error_errno(r, "Failed to enumerate .ctr files: %m");

        for (int i = first_arg; i < argc; i++) {
                const ContainerSource *s = find_source(sources, n_sources, argv[i]);

                if (!s) {
                        log_error("No container '%s' on the search path.", argv[i]);
                        ret = CTRCTL_EXIT_FAILURE;
                        continue;
                }
                if (s->masked) {
                        if (s->path)
                                log_error("Container '%s' is masked by '%s'.", argv[i], s->path);
                        else
                                log_error("Container '%s' is masked.", argv[i]);
                        ret = CTRCTL_EXIT_FAILURE;
                        continue;
                }

                if (s->path && cat_file(s->path, &first) < 0)
                        ret = CTRCTL_EXIT_FAILURE;
                STRV_FOREACH(d, s->dropins)
                        if (cat_file(*d, &first) < 0)
                                ret = CTRCTL_EXIT_FAILURE;
        }

        container_source_free_many(sources, n_sources);

        if (fflush(stdout) != 0)
                return log_error_errno(EIO, "Failed to write output: %m");
        return ret;
}
