/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "paths.h"

static const char *dir_from_environment(const char *name, const char *fallback) {
        const char *e = getenv(name);
        return e && e[0] == '/' ? e : fallback;
}

const char *state_dir(void) {
        return dir_from_environment("CTR_STATE_DIR", CTR_STATE_DIR);
}

const char *runtime_dir(void) {
        return dir_from_environment("CTR_RUNTIME_DIR", CTR_RUNTIME_DIR);
}
