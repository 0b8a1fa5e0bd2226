/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* overlayfs option values: what the plan prints and what the launcher mounts, built the same way. */

#include <stddef.h>

/* Escapes '\', ',' and ':' with a backslash, for overlay lowerdir=. NULL when out of memory. */
char *overlay_escape(const char *path);

/* The value of lowerdir=: |lowerdirs| (NULL-terminated, top layer first) escaped and joined with ':'.
 * -ENOMEM when any part cannot be made: never a list with a layer left out, which would mount another root
 * than the one planned. -EINVAL for no layer at all. */
int overlay_lowerdir_format(char *const *lowerdirs, char **ret);

/* The whole option string of overlayfs: "lowerdir=L" and, with |upperdir|, ",upperdir=U,workdir=W", each
 * escaped. -E2BIG when it has |max| bytes or more (SIZE_MAX: no limit): mount(2) copies one page of options
 * and cuts the rest, which would mount a root with layers left out, so the caller says it does not fit
 * instead. (fsconfig() takes at most 256 bytes of a string value: many layers need "lowerdir+" or mount(2).) */
int overlay_mount_options_format(char *const *lowerdirs, const char *upperdir, const char *workdir, size_t max,
                                 char **ret);
