/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What ctr-launch would refuse at start, found without starting anything: the plan it builds (plan_build()),
 * the store image it resolves, the seccomp filter it compiles from a SeccompProfile=/PATH. validate and apply
 * run it on every file they accept; the generator does not (it never runs code that touches processes). */

#include <errno.h>
#include <string.h>

#include "container-exec.h"
#include "container-image.h"
#include "launch-check.h"
#include "plan.h"
#include "seccomp-util.h"
#include "string-util.h"

/* Image= from the store: a warning when the image is not there (it may be imported or pulled before the
 * start), an error when its config is one the launcher would refuse. The generator says neither: it never
 * opens the store. */
static int check_image(const Container *c, const char *file, Diagnostics *diag) {
        _cleanup_(container_image_done) ContainerImage ci = {};
        int r;

        if (!c->image || streq(c->image, "host"))
                return 0;
        r = container_image_load(c, &ci);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        if (!ci.image && ci.error == -ENOENT)
                return diagnostics_add(diag, DIAGNOSTIC_WARNING, ENOENT, file, 0, "Container", "Image", c->image,
                                       "Image '%s' is not in the local image store: import it ('ctrctl image "
                                       "import SOURCE %s') or pull it ('ctrctl image pull %s') before the "
                                       "container starts.", c->image, c->image, c->image);
        if (!ci.image)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, -ci.error, file, 0, "Container", "Image", c->image,
                                       "Image '%s' cannot be used: %s", c->image,
                                       ci.error_message ?: strerror(-ci.error));
        if (ci.defaults_error < 0)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, -ci.defaults_error, file, 0, "Container", "Image",
                                       c->image, "ctr-launch would refuse to start it: %s.",
                                       strna(ci.defaults_message));
        return 0;
}

/* The checks the launcher makes before it starts anything, as diagnostics about the main file (or the
 * first drop-in). A store image's plan needs the image (ctr-launch resolves it): check_image() instead. */
int container_check_launch(const Container *c, Diagnostics *diag) {
        _cleanup_plan_free_ Plan *p = NULL;
        const char *file = c->source_path ?: (c->dropin_paths ? c->dropin_paths[0] : NULL);
        const char *reason = NULL;
        ExecError e = {};
        PlanOptions o;
        int r;

        plan_options_from_environment(&o);
        r = plan_build(c, &o, &p, &reason);
        if (r == -ENOMEM)
                return r;
        if (r == -EOPNOTSUPP) {
                r = check_image(c, file, diag);
                if (r < 0)
                        return r;
        } else if (r < 0) {
                r = reason ? diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, file, 0, NULL, NULL, NULL,
                                             "ctr-launch would refuse to start it: %s.", reason)
                           : diagnostics_add(diag, DIAGNOSTIC_ERROR, -r, file, 0, NULL, NULL, NULL,
                                             "ctr-launch would refuse to start it: %s.", strerror(-r));
                if (r < 0)
                        return r;
        }

        if (c->n_ports > 0 && c->network != NETWORK_BRIDGE) {
                r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, file, 0, "Container", "PublishPort", NULL,
                                    "PublishPort= needs Network=bridge, ctr-launch ignores it.");
                if (r < 0)
                        return r;
        }

        /* A SeccompProfile=/PATH: whether it compiles (no cache, nothing kept). The default filter is the same
         * for every file and costs libseccomp ~50 ms to build: not once per validated file. */
        if (!c->seccomp_profile || streq(c->seccomp_profile, "default") ||
            seccomp_profile_is_unconfined(c->seccomp_profile))
                return 0;
        r = container_exec_prepare(c, "", &e);
        container_exec_prepared_done();
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return diagnostics_add(diag, DIAGNOSTIC_ERROR, e.error, file, 0, "Container", "SeccompProfile",
                                       c->seccomp_profile, "%s: %s.", e.message, strerror(e.error));
        return 0;
}
