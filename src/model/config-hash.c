/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "config-canonical.h"
#include "config-hash.h"
#include "sha256.h"

int config_effective_hash(const char *config, size_t size, char ret[static 65]) {
        _cleanup_free_ char *canonical = NULL;
        size_t n;
        int r;

        r = config_canonical(config, size, NULL, &canonical, &n);
        if (r < 0)
                return r;
        sha256_hex(canonical, n, ret);
        return 0;
}

int container_config_hash(const Container *c, char ret[static 65]) {
        return config_effective_hash(c->config, c->config_size, ret);
}

void container_files_hash(const Container *c, char ret[static 65]) {
        sha256_hex(c->config ?: "", c->config_size, ret);
}
