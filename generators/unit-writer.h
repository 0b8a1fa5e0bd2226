/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Writing what the generator hands systemd: the drop-in for ctr@NAME.service and the [Install] symlinks,
 * rendered from a Container here (unit-writer.c); values escaped for systemd's parsers (unit-escape.h);
 * written to the output directory (unit-output.h). The generator includes this one header.
 *
 * Output is deterministic: the same Container always gives the same bytes (no time stamps, file order).
 * Pass-through keys of a .ctr's [Unit] and [Service] are already written in systemd's syntax and are
 * copied as they are. Library code: returns negative errno, never logs; what the user should hear goes
 * into Diagnostics. */

#include <stddef.h>

#include "ctr-file.h"
#include "diagnostics.h"
#include "unit-escape.h"
#include "unit-output.h"

/* The drop-in's name below ctr@NAME.service.d/. */
#define CTR_DROPIN_NAME "50-ctr.conf"

/* The template the [Install] symlinks point to, when the caller has no better idea. */
#define CTR_TEMPLATE_NAME "ctr@.service"

/* The drop-in text for ctr@NAME.service: [Unit] SourcePath=, Description=, RequiresMountsFor=, the
 * pass-through [Unit] keys; [Service] SyslogIdentifier=, LogExtraFields=, Environment=CTR_CONFIG_HASH=,
 * Slice=, the pass-through [Service] keys. A pass-through key that cannot be written is skipped with a
 * warning in |diag|. */
int unit_dropin_from_container(const Container *c, Diagnostics *diag, char **ret, size_t *ret_size);

/* The [Install] section as symlinks relative to the output directory, e.g.
 * "multi-user.target.wants/ctr@web.service", sorted and without duplicates. WantedBy=, RequiredBy=,
 * UpheldBy= (specifiers expanded, an empty assignment resets); other [Install] keys are warned about. */
int unit_install_symlinks(const Container *c, Diagnostics *diag, char ***ret);
