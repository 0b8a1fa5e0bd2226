/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "container.h"

/* The hex SHA-256 of the container's effective configuration (Container.config: its files, in the order
 * applied, with their paths). The generator puts it in the unit (CTR_CONFIG_HASH=), ctrctl shows and compares
 * it. In a file of its own so that only what calls it links libcrypto: ctr-launch never does — loading that
 * library cost every start about 3 ms and 125 page faults on the test machine (bench/README.md); it compares
 * Container.config_stamp instead. */
void container_config_hash(const Container *c, char ret[static 65]);
