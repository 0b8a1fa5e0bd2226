/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Pods (pod.h): who joins whom is in the joiners' files only, so every file on the search path is read. */

#include <errno.h>

#include "ctr-file.h"
#include "pod.h"
#include "search-path.h"
#include "string-util.h"
#include "strv.h"

int container_joined_by(const char *name, char ***ret) {
        _cleanup_strv_free_ char **search = NULL, **names = NULL;
        ContainerSource *sources = NULL;
        size_t n = 0;
        int r;

        r = ctr_search_path(&search);
        if (r < 0)
                return r;
        r = container_enumerate(search, &sources, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_container_free_ Container *c = NULL;
                Diagnostics diag = {};

                if (container_load_source(sources + i, &diag, &c) >= 0 && streq_ptr(container_joins(c), name))
                        r = strv_extend(&names, c->name);
                diagnostics_clear(&diag);
        }
        container_source_free_many(sources, n);
        if (r < 0)
                return r;
        strv_sort(names);
        *ret = TAKE_PTR(names);
        return 0;
}
