/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the privileges the workload keeps: capabilities (AddCapability=, DropCapability=),
 * NoNewPrivileges= and the seccomp filter (SeccompProfile=). Every one guards isolation: a bad value
 * rejects the file. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"

static int parse_caps_field(KeyContext *k, const char *v, uint64_t *field) {
        _cleanup_free_ char *bad = NULL;
        uint64_t m;
        int r;

        if (isempty(v)) {
                *field = 0;
                return 0;
        }
        r = parse_capability_set(v, &m, &bad);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return key_invalid(k, EINVAL, "Unknown capability '%s' in %s=", strna(bad), k->key);
        *field |= m;
        return 0;
}

int key_add_capability(KeyContext *k, const char *v) {
        return parse_caps_field(k, v, &k->lc->c->add_capabilities);
}

int key_drop_capability(KeyContext *k, const char *v) {
        return parse_caps_field(k, v, &k->lc->c->drop_capabilities);
}

int key_no_new_privileges(KeyContext *k, const char *v) {
        return key_parse_bool(k, v, &k->lc->c->no_new_privileges, true);
}

int key_seccomp_profile(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char *p;

        if (isempty(v) || streq(v, "default")) {
                c->seccomp_profile = mfree(c->seccomp_profile);
                return 0;
        }
        if (streq(v, "unconfined"))
                return free_and_strdup(&c->seccomp_profile, "unconfined");
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL,
                                   "Invalid SeccompProfile= '%s', expected default, unconfined or an absolute path",
                                   v);
        free(c->seccomp_profile);
        c->seccomp_profile = p;
        return 0;
}
