/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* overlayfs option values: what the plan prints and what the launcher mounts, built the same way. */

/* Escapes '\', ',' and ':' with a backslash, for overlay lowerdir=. NULL when out of memory. */
char *overlay_escape(const char *path);

/* The value of lowerdir=: |lowerdirs| (NULL-terminated, top layer first) escaped and joined with ':'.
 * -ENOMEM when any part cannot be made: never a list with a layer left out, which would mount another root
 * than the one planned. -EINVAL for no layer at all. */
int overlay_lowerdir_format(char *const *lowerdirs, char **ret);
