/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The plan of the service's credentials (plan-internal.h): systemd hands ctr@NAME.service the credentials of
 * its LoadCredential=, LoadCredentialEncrypted= and SetCredential= in $CREDENTIALS_DIRECTORY; they appear in
 * the container as files below /run/secrets — those Secret= names, where it says, or every one passed under
 * its own name. The files live on a ramfs of their own (never swapped out, as systemd keeps credentials, and
 * never in the writable layer), are the workload user's, mode 0400, and the mount is read-only once filled. */

#include <errno.h>
#include <stdlib.h>
#include <sys/mount.h>

#include "path-util.h"
#include "plan-internal.h"
#include "string-util.h"
#include "strv.h"

/* A Volume= or Tmpfs= on /run/secrets or below it would hide the secrets, or be hidden by them. */
static bool secrets_dir_taken(const Container *c) {
        for (size_t i = 0; i < c->n_volumes; i++)
                if (path_is_same_or_below(c->volumes[i].destination, CTR_SECRETS_DIR))
                        return true;
        for (size_t i = 0; i < c->n_tmpfs; i++)
                if (path_is_same_or_below(c->tmpfs[i].destination, CTR_SECRETS_DIR))
                        return true;
        return false;
}

static int plan_secret(Plan *p, const char *name, const char *target) {
        PlanOp *op = plan_add(p, PLAN_SECRET, true, target, name, NULL, 0);
        if (!op)
                return -ENOMEM;
        op->mode = 0400;
        return 0;
}

int plan_secrets(Plan *p, const Container *c, const PlanOptions *o, const char **ret_reason) {
        size_t n = c->n_secrets > 0 ? c->n_secrets : strv_length(o->credentials);
        PlanOp *op;
        int r;

        if (n == 0)
                return 0;
        if (secrets_dir_taken(c)) {
                *ret_reason = "a Volume= or Tmpfs= on " CTR_SECRETS_DIR " or below it would hide the credentials "
                              "the container is given there (Secret=, or the service's credentials)";
                return -EEXIST;
        }

        /* ramfs, not tmpfs: never written to swap. No size= (ramfs has none): nothing but the launcher writes
         * to it, each credential at most CREDENTIAL_SIZE_MAX, before the mount turns read-only */
        op = plan_add(p, PLAN_SECRETS, true, CTR_SECRETS_DIR, NULL, "mode=0755",
                      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (!op)
                return -ENOMEM;
        /* its mount point, as the image's symlinks lead, must not be on /proc or /sys either */
        op->check_destination = true;

        if (c->n_secrets > 0) {
                for (size_t i = 0; i < c->n_secrets; i++) {
                        r = plan_secret(p, c->secrets[i].name, c->secrets[i].target);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        STRV_FOREACH(name, o->credentials) {
                _cleanup_free_ char *target = strprintf(CTR_SECRETS_DIR "/%s", *name);

                if (!target)
                        return -ENOMEM;
                r = plan_secret(p, *name, target);
                if (r < 0)
                        return r;
        }
        return 0;
}
