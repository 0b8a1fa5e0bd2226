/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctr-file.h"
#include "ctrctl-util.h"
#include "image-usage.h"
#include "runtime-state.h"
#include "string-util.h"
#include "strv.h"

void image_users_free(ImageUser *u, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(u[i].container);
                free(u[i].reference);
        }
        free(u);
}

static int users_add(ImageUser **u, size_t *n, const char *container, const char *reference, const char *digest,
                     bool running) {
        ImageUser *a = realloc(*u, (*n + 1) * sizeof(ImageUser));

        if (!a)
                return -ENOMEM;
        *u = a;
        a[*n] = (ImageUser) { .container = strdup(container), .running = running };
        if (!a[*n].container || (reference && image_reference_normalize(reference, &a[*n].reference) == -ENOMEM)) {
                free(a[*n].container);
                return -ENOMEM;
        }
        strcpy(a[*n].manifest_digest, digest);
        (*n)++;
        return 0;
}

int image_users_collect(ImageStore *s, ImageUser **ret, size_t *ret_n) {
        _cleanup_strv_free_ char **search = NULL, **running = NULL;
        ContainerSource *sources = NULL;
        ImageUser *u = NULL;
        size_t n_sources = 0, n = 0;
        int r;

        r = ctr_search_path(&search);
        if (r >= 0)
                r = container_enumerate(search, &sources, &n_sources);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n_sources && r >= 0; i++) {
                _cleanup_container_free_ Container *c = NULL;
                _cleanup_image_free_ Image *image = NULL;
                Diagnostics diag = {};

                /* a file that does not load uses nothing; validate says why */
                if (sources[i].masked || container_load_source(&sources[i], &diag, &c) < 0 || !c->image ||
                    streq(c->image, "host") || image_store_resolve(s, c->image, &image, NULL) < 0) {
                        diagnostics_clear(&diag);
                        continue;
                }
                diagnostics_clear(&diag);
                r = users_add(&u, &n, sources[i].name, c->image, image->manifest_digest, false);
        }
        container_source_free_many(sources, n_sources);

        if (r >= 0)
                r = runtime_names(&running);
        STRV_FOREACH(name, running) {
                RuntimeState state = {};

                if (r < 0)
                        break;
                if (runtime_state_read(*name, &state) < 0)
                        continue;
                if (digest_is_valid(state.image_digest))
                        r = users_add(&u, &n, *name, NULL, state.image_digest, true);
                runtime_state_done(&state);
        }
        if (r < 0) {
                image_users_free(u, n);
                return r;
        }
        *ret = u;
        *ret_n = n;
        return 0;
}

int image_users_of(const ImageUser *u, size_t n, const char *manifest_digest, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < n; i++) {
                bool running = false;
                char *s;

                if (!streq(u[i].manifest_digest, manifest_digest))
                        continue;
                /* a container listed twice (defined and running) is named once */
                for (size_t k = 0; k < n; k++)
                        if (streq(u[k].container, u[i].container) && streq(u[k].manifest_digest, manifest_digest)) {
                                if (k < i)
                                        goto next;
                                running = running || u[k].running;
                        }
                s = strprintf("%s%s", u[i].container, running ? " (running)" : "");
                if (!s || strv_consume(&l, s) < 0)
                        return -ENOMEM;
        next:;
        }
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}
