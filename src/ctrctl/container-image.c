/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "container-image.h"
#include "image-root.h"
#include "image-store.h"
#include "paths.h"
#include "string-util.h"
#include "strv.h"

void container_image_done(ContainerImage *ci) {
        image_free(ci->image);
        free(ci->error_message);
        container_free(ci->effective);
        image_defaults_done(&ci->defaults);
        free(ci->defaults_message);
        *ci = (ContainerImage) {};
}

int container_image_load(const Container *c, ContainerImage *ret) {
        _cleanup_(container_image_done) ContainerImage ci = {};
        _cleanup_image_store_free_ ImageStore *store = NULL;
        _cleanup_strv_free_ char **search = NULL;
        _cleanup_free_ char *mstack = NULL;
        Diagnostics diag = {};
        int r;

        ci.store = c->image && !streq(c->image, "host");
        if (ci.store) {
                r = image_store_open(NULL, false, &store);
                if (r >= 0)
                        r = image_store_resolve(store, c->image, &ci.image, &ci.error_message);
                ci.error = r < 0 ? r : 0;
                if (r == -ENOMEM)
                        return r;
                if (image_root_path(state_dir(), c->name, &mstack) < 0)
                        return -ENOMEM;
                (void) image_root_read_digest(mstack, ci.recorded);
        }

        /* a copy to apply the defaults to: the same files, parsed again (the diagnostics were shown once) */
        r = ctr_search_path(&search);
        if (r < 0)
                return r;
        r = c->source_path ? container_load_file(c->source_path, c->name, search, &diag, &ci.effective) :
                             container_load(c->name, search, &diag, &ci.effective);
        diagnostics_clear(&diag);
        if (r < 0)
                return r;
        r = image_defaults_apply(ci.effective, ci.image ? &ci.image->config : NULL, &ci.defaults,
                                 &ci.defaults_message);
        if (r == -ENOMEM)
                return r;
        ci.defaults_error = r < 0 ? r : 0;

        *ret = ci;
        ci = (ContainerImage) {};
        return 0;
}

int container_image_describe(const Container *c, const ContainerImage *ci, char **ret) {
        char *s;

        if (!c->image)
                s = strdup("- (RootDirectory=)");
        else if (!ci->store)
                s = strdup("host");
        else if (ci->image)
                s = strprintf("%s (%.19s)", c->image, ci->image->manifest_digest);
        else if (ci->error == -ENOENT)
                s = strprintf("%s (not in the store)", c->image);
        else
                s = strprintf("%s (unusable: %s)", c->image, ci->error_message ?: strerror(-ci->error));
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}
