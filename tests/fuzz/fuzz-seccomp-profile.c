/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the seccomp profile language (SeccompProfile=/PATH): any text never crashes the
 * parser, with no capabilities and with Docker's default set (which widens "include default"); a profile
 * it accepts gives a filter, one it refuses names a line within the text. */

#include "caps-util.h"
#include "fuzz-util.h"
#include "seccomp-profile.h"

static void parse(const char *s, size_t n_lines, uint64_t capabilities) {
        scmp_filter_ctx ctx = NULL;
        unsigned line = 0;
        int r;

        r = seccomp_profile_parse(s, capabilities, &ctx, &line);
        if (r >= 0) {
                FUZZ_CHECK(ctx);
                seccomp_release(ctx);
        } else {
                FUZZ_CHECK(!ctx);
                FUZZ_CHECK(line <= n_lines);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *s = NULL;
        size_t n_lines = 1;

        if (size > SECCOMP_PROFILE_SIZE_MAX)
                return 0;
        s = fuzz_string(data, size);
        if (!s)
                return 0;
        for (const char *p = s; (p = strchr(p, '\n')); p++)
                n_lines++;

        parse(s, n_lines, 0);
        parse(s, n_lines, CAPABILITY_SET_DOCKER_DEFAULT);
        return 0;
}
