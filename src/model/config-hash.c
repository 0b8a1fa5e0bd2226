/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "config-hash.h"
#include "sha256.h"

void container_config_hash(const Container *c, char ret[static 65]) {
        sha256_hex(c->config ?: "", c->config_size, ret);
}
