/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Keys of Quadlet's [Container] (podman-systemd.unit(5)) that ctr does not have: a file written for Quadlet
 * would otherwise run with less isolation or behave differently than its author meant, so the loader names
 * them when it rejects such a file. */

#include <stdbool.h>

/* Whether |key| is such a Quadlet key; *ret_ctr (may be NULL) gets the ctr key that has the same setting
 * under another name ("WorkingDir" → "WorkingDirectory"), or NULL. */
bool quadlet_key_lookup(const char *key, const char **ret_ctr);
