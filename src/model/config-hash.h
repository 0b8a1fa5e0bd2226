/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "container.h"

/* The hex SHA-256 of the container's effective configuration (Container.config: its files, in the order
 * applied, with their paths), for ctrctl to show and to compare with the one a running container started with
 * (RUNTIME_DIR/NAME/config). In a file of its own so that only what calls it loads libcrypto (sha256.c): the
 * generator and ctr-launch never do — loading that library cost every start about 3 ms and 125 page faults on
 * the test machine; they compare Container.config_stamp instead. */
void container_config_hash(const Container *c, char ret[static 65]);
