/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Secret=NAME[:TARGET]: which of the credentials systemd passed to ctr@NAME.service appear in the container,
 * and where below /run/secrets (the launcher's side: src/launch/secrets.c, the plan's: plan-secrets.c). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "name-util.h"
#include "path-util.h"
#include "string-util.h"

/* TARGET as the absolute path it names: relative ones are below /run/secrets. NULL when out of memory. */
static char *secret_target_path(const char *t) {
        return path_is_absolute(t) ? strdup(t) : strprintf(CTR_SECRETS_DIR "/%s", t);
}

int key_secret(KeyContext *k, const char *v) {
        _cleanup_free_ char *name = NULL, *path = NULL, *target = NULL, *file = NULL;
        Container *c = k->lc->c;
        const char *colon, *t;
        Secret *n;

        if (isempty(v)) {
                secret_free_many(c->secrets, c->n_secrets);
                c->secrets = NULL;
                c->n_secrets = 0;
                return 0;
        }

        /* Quadlet's Secret= is "NAME,type=…,target=…" of podman's secret store: not this key's syntax */
        if (strchr(v, ','))
                return key_invalid(k, EINVAL, "Secret= takes NAME[:TARGET], got '%s' (options after ',', as "
                                   "Quadlet's Secret= has them, are not supported)", v);
        colon = strchr(v, ':');
        name = colon ? strndup(v, (size_t) (colon - v)) : strdup(v);
        if (!name)
                return -ENOMEM;
        if (!credential_name_is_valid(name))
                return key_invalid(k, EINVAL, "Secret= needs a credential name (printable ASCII without '/' or "
                                   "':', at most 255 characters), got '%s'", name);
        t = colon ? colon + 1 : name;
        if (isempty(t))
                return key_invalid(k, EINVAL, "Secret= target is empty in '%s'", v);
        path = secret_target_path(t);
        if (!path)
                return -ENOMEM;
        if (path_normalize_absolute(path, &target) < 0)
                return key_invalid(k, EINVAL, "Secret= target must not contain '..', got '%s'", t);
        if (!path_is_same_or_below(target, CTR_SECRETS_DIR) || streq(target, CTR_SECRETS_DIR))
                return key_invalid(k, EINVAL, "Secret= target must be below " CTR_SECRETS_DIR ", got '%s'", t);

        /* one file per path: a second secret on it, or one below it (which would need it to be a directory),
         * could only hide the first */
        for (size_t i = 0; i < c->n_secrets; i++)
                if (path_is_same_or_below(target, c->secrets[i].target) ||
                    path_is_same_or_below(c->secrets[i].target, target))
                        return key_invalid(k, EEXIST, "Secret= target '%s' collides with '%s' of Secret=%s", target,
                                           c->secrets[i].target, c->secrets[i].name);

        if (key_check_list_size(k, c->n_secrets) < 0)
                return 0;
        file = strdup(k->file);
        if (!file)
                return -ENOMEM;
        n = reallocarray(c->secrets, c->n_secrets + 1, sizeof(Secret));
        if (!n)
                return -ENOMEM;
        c->secrets = n;
        c->secrets[c->n_secrets++] = (Secret) {
                .name = TAKE_PTR(name),
                .target = TAKE_PTR(target),
                .file = TAKE_PTR(file),
                .line = k->line,
        };
        return 0;
}
