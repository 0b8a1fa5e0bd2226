/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "container.h"

/* The hex SHA-256 of the container's effective configuration: of its canonical form (config-canonical.h),
 * which comments, whitespace and the order of keys do not change. What `ctrctl hash` prints, and what ctrctl
 * compares with the same hash of the copy a running container's launcher kept (RUNTIME_DIR/NAME/config). In a
 * file of its own so that only what calls it loads libcrypto (sha256.c): the generator and ctr-launch never
 * do — loading that library cost every start about 3 ms and 125 page faults on the test machine; they compare
 * Container.config_stamp instead. Returns -ENOMEM, or -EBADMSG for a |config| not in Container.config's
 * format. */
int container_config_hash(const Container *c, char ret[static 65]);
int config_effective_hash(const char *config, size_t size, char ret[static 65]);

/* The hex SHA-256 of Container.config as read (every byte of every file, with their paths): what a launcher
 * before the effective hash recorded as CONFIG_HASH=, the only thing such a state can be compared with. */
void container_files_hash(const Container *c, char ret[static 65]);
