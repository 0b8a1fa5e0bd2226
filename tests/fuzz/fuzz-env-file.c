/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for environment files (EnvironmentFile=, systemd's syntax): env_file_parse() on any
 * input never fails (a bad line is skipped, as systemd skips it) and whatever comes out is an assignment
 * env_assignment_is_valid() accepts, each name once. */

#include "env-util.h"
#include "fuzz-util.h"
#include "name-util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *s = NULL;
        char **env = NULL;
        int r;

        s = fuzz_string(data, size);
        if (!s)
                return 0;

        r = env_file_parse(s, &env);
        /* more than ENV_ENTRIES_MAX distinct names does not fit in libFuzzer's -max_len, but is an answer */
        FUZZ_CHECK(r >= 0 || r == -E2BIG || r == -ENOMEM);
        for (char **e = env; e && *e; e++) {
                size_t l = strcspn(*e, "=");

                FUZZ_CHECK(env_assignment_is_valid(*e));
                for (char **f = env; f < e; f++)
                        FUZZ_CHECK(strncmp(*f, *e, l + 1) != 0);
        }
        env_free(env);
        return 0;
}
