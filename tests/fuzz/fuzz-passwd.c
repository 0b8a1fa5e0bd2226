/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the passwd/group look-ups of a container image (user-record.c): any contents never
 * crash them, and what they find is what was asked for, with ids of the one id grammar (parse_uid()). The
 * names and ids asked for are those the seeds use ("a", "b", root, 0, 1) and the first field of the input's
 * first line. */

#include "fuzz-util.h"
#include "user-record.h"

static void check_user(const char *contents, const char *name, uid_t uid) {
        UserRecord u = {};

        if (passwd_find(contents, name, uid, &u) < 0)
                return;
        FUZZ_CHECK(name ? streq(u.name, name) : u.uid == uid);
        /* ids parse_uid() refuses ((uid_t) -1, 65535) make a line malformed: never found */
        FUZZ_CHECK(u.uid != (uid_t) -1 && u.gid != (gid_t) -1 && u.uid != 65535 && u.gid != 65535);
        user_record_done(&u);
}

static void check_group(const char *contents, const char *name, gid_t gid) {
        GroupRecord g = {};

        if (group_find(contents, name, gid, &g) < 0)
                return;
        FUZZ_CHECK(name ? streq(g.name, name) : g.gid == gid);
        FUZZ_CHECK(g.gid != (gid_t) -1 && g.gid != 65535);
        group_record_done(&g);
}

static void check_memberships(const char *contents, const char *user) {
        _cleanup_free_ gid_t *gids = NULL;
        size_t n = 0;

        if (group_find_memberships(contents, user, &gids, &n) < 0)
                return;
        FUZZ_CHECK(n <= USER_RECORD_GROUPS_MAX);
        /* in file order, without duplicates */
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < i; j++)
                        FUZZ_CHECK(gids[i] != gids[j]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *s = NULL, *first = NULL;

        s = fuzz_string(data, size);
        if (!s)
                return 0;
        first = strndup(s, strcspn(s, ":\n"));
        if (!first)
                return 0;

        check_user(s, "a", 0);
        check_user(s, "root", 0);
        check_user(s, first, 0);
        check_user(s, NULL, 0);
        check_user(s, NULL, 1);
        check_group(s, "b", 0);
        check_group(s, first, 0);
        check_group(s, NULL, 0);
        check_group(s, NULL, 1);
        check_memberships(s, "a");
        check_memberships(s, first);
        return 0;
}
