/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the privileges the workload keeps: capabilities (AddCapability=, DropCapability=),
 * NoNewPrivileges=, the seccomp filter (SeccompProfile=) and the AppArmor profile (AppArmorProfile=). Every
 * one guards isolation: a bad value rejects the file. */

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

/* The longest AppArmor profile name taken: the kernel's own limit is a page for the whole "exec NAME". */
#define APPARMOR_PROFILE_NAME_MAX 255U

/* unconfined, or a profile's name as "exec NAME" gives it to the kernel: printable, no blank (the kernel
 * would read a second word), not empty. ctr-default is a name like any other here; unset means it only
 * where AppArmor is enabled (see ctr.ctr(5)). */
int key_apparmor_profile(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        size_t n = strlen(v);

        if (n == 0) {
                c->apparmor_profile = mfree(c->apparmor_profile);
                return 0;
        }
        if (n > APPARMOR_PROFILE_NAME_MAX)
                return key_invalid(k, ENAMETOOLONG, "AppArmorProfile= is longer than %u characters",
                                   APPARMOR_PROFILE_NAME_MAX);
        for (const char *p = v; *p; p++)
                if (*p <= ' ' || *p >= 0x7f)
                        return key_invalid(k, EINVAL, "Invalid AppArmorProfile= '%s', expected unconfined or a "
                                           "profile's name (printable, without blanks)", v);
        return free_and_strdup(&c->apparmor_profile, v);
}

/* no, pick (yes), or UID[:COUNT]: an explicit range of host ids, COUNT 65536 when left out. Host root is
 * never part of a range (UID 0 would make the container's root the host's), and the range ends below
 * 2^32-1, the id the kernel reserves as invalid. */
int key_private_users(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        _cleanup_free_ char *uid_text = NULL;
        const char *colon;
        uint32_t uid, count = 65536;
        int b;

        if (isempty(v)) {
                c->private_users = PRIVATE_USERS_DEFAULT;
                return 0;
        }
        if (streq(v, "pick")) {
                c->private_users = PRIVATE_USERS_PICK;
                return 0;
        }
        b = parse_boolean(v);
        if (b >= 0) {
                c->private_users = b ? PRIVATE_USERS_PICK : PRIVATE_USERS_NO;
                return 0;
        }

        colon = strchr(v, ':');
        uid_text = colon ? strndup(v, colon - v) : strdup(v);
        if (!uid_text)
                return -ENOMEM;
        if (safe_atou32(uid_text, &uid) < 0 || (colon && (safe_atou32(colon + 1, &count) < 0 || count == 0)))
                return key_invalid(k, EINVAL, "Invalid PrivateUsers= '%s', expected no, pick, yes or UID[:COUNT]", v);
        if (uid == 0)
                return key_invalid(k, EINVAL, "PrivateUsers= range '%s' starts at 0: the container's root would be "
                                   "the host's", v);
        if ((uint64_t) uid + count > UINT32_MAX)
                return key_invalid(k, ERANGE, "PrivateUsers= range '%s' goes past 4294967294", v);
        c->private_users = PRIVATE_USERS_FIXED;
        c->private_users_uid = uid;
        c->private_users_count = count;
        return 0;
}
