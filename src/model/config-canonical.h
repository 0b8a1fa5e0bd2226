/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The canonical form of a container's effective configuration: what `ctrctl hash` digests and what "config
 * changed since start" compares. Built from Container.config (the files as read, see container.h), so the
 * same function serves a loaded container and the copy a running container's launcher kept in
 * RUNTIME_DIR/NAME/config — the launcher itself never builds it.
 *
 * The rule (documented in ctrctl(1), "hash"):
 *  - the files are parsed as the loader parses them: comments, blank lines, whitespace around keys and values,
 *    continuation lines, and which file (main or drop-in) an assignment came from do not count;
 *  - [Container] values after %-specifier expansion; a key whose last assignment wins keeps only that one;
 *    a list key (container_key_is_list()) keeps every entry in order after its last empty assignment;
 *  - [Unit], [Service] and [Install] keep every assignment of a key in order (systemd decides which of its
 *    keys are lists, and an empty value there may reset what the generator wrote);
 *  - the order of different keys does not count: sections in the order Container, Unit, Service, Install,
 *    keys sorted by name; X- keys and other sections (which nothing reads) are left out.
 * The text: "ctr-effective-v1\n" NAME "\n", then "[Section]\n" and "Key=Value\n" lines.
 *
 * Library code: returns negative errno, never logs. */

#include <stddef.h>

/* Builds the canonical form of |config| (Container.config's format, |size| bytes) into *ret (NUL-terminated,
 * *ret_size without the NUL). -EBADMSG when |config| is not in that format. |hostname| is what %H expands to
 * (NULL: gethostname()). */
int config_canonical(const char *config, size_t size, const char *hostname, char **ret, size_t *ret_size);
