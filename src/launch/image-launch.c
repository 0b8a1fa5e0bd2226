/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image-launch.h"
#include "image-root.h"
#include "image-store.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

void launch_image_done(LaunchImage *li) {
        li->image = image_free(li->image);
        li->layer_paths = strv_free(li->layer_paths);
        li->mstack = mfree(li->mstack);
        image_defaults_done(&li->defaults);
        li->plan = (PlanImage) {};
}

static int log_missing(const Container *c, const char *error) {
        return log_error_errno(SYNTHETIC_ERRNO(ENOENT),
                               "Container '%s': image '%s' is not in the local image store%s%s. Import it with "
                               "'ctrctl image import SOURCE %s' or pull it with 'ctrctl image pull %s'.",
                               c->name, c->image, error ? ": " : "", strempty(error), c->image, c->image);
}

int launch_image_resolve(Container *c, const char *state, LaunchImage *ret) {
        _cleanup_(launch_image_done) LaunchImage li = {};
        _cleanup_image_store_free_ ImageStore *store = NULL;
        _cleanup_free_ char *error = NULL;
        int r;

        if (!c->image || streq(c->image, "host")) {
                r = image_defaults_apply(c, NULL, &li.defaults, &error);
                if (r < 0)
                        return log_error_errno(r, "Container '%s': %s.", c->name, error ?: "out of memory");
                *ret = li;
                li = (LaunchImage) {};
                return 0;
        }

        r = image_store_open(state, false, &store);
        if (r == -ENOENT)
                return log_missing(c, NULL);
        if (r < 0)
                return log_error_errno(r, "Container '%s': failed to open the image store in '%s': %m", c->name,
                                       state);
        r = image_store_resolve(store, c->image, &li.image, &error);
        if (r == -ENOENT)
                return log_missing(c, NULL);
        if (r < 0)
                return log_error_errno(r, "Container '%s': image '%s' cannot be used: %s", c->name, c->image,
                                       error ?: strerror(-r));

        for (size_t i = 0; i < li.image->n_layers; i++) {
                char *p;

                r = image_store_layer_path(store, li.image->diff_ids[i], &p);
                if (r < 0 || strv_consume(&li.layer_paths, p) < 0)
                        return log_oom();
        }
        r = image_root_path(state, c->name, &li.mstack);
        if (r < 0)
                return log_oom();

        error = mfree(error);
        r = image_defaults_apply(c, &li.image->config, &li.defaults, &error);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_error_errno(r, "Container '%s' on image '%s' (%s): %s.", c->name, c->image,
                                       li.image->manifest_digest, strna(error));

        *ret = li;
        li = (LaunchImage) {};
        ret->plan = (PlanImage) {
                .mstack = ret->mstack,
                .n_layers = ret->image->n_layers,
                .environment = ret->defaults.environment,
                .volumes = ret->defaults.volumes,
                .make_working_directory = ret->defaults.make_working_directory,
        };
        return 0;
}

int launch_image_prepare(const Container *c, const char *state, const LaunchImage *li) {
        _cleanup_free_ char *moved = NULL;
        int r;

        if (!li->image)
                return 0;
        r = image_root_prepare(state, c->name, li->image, li->layer_paths, !c->ephemeral && !c->read_only, &moved);
        if (r < 0)
                return log_error_errno(r, "Container '%s': failed to prepare its root '%s': %m", c->name, li->mstack);
        if (moved)
                log_notice("Container '%s': image '%s' is now %s, not the image its writable layer was made on; "
                           "that layer is kept as %s/%s and the container starts with a fresh one.",
                           c->name, c->image, li->image->manifest_digest, li->mstack, moved);
        return 0;
}
