/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* An image-based container's root on disk, laid out as a systemd.mstack(7) directory (docs/images.md):
 *
 *   STATE/containers/NAME.mstack/
 *     layer@0 -> ../../images/layers/sha256/HEX0      the image's bottom layer (relative symlinks)
 *     layer@N-1 -> …                                  its top layer
 *     rw/data, rw/work                                the writable layer: overlayfs's upperdir and workdir
 *     .ctr-image                                      the manifest digest (and diff_ids) rw/ was made on
 *
 * and its volumes (the image config's Volumes) in STATE/containers/NAME.volumes/ESCAPED-PATH. The launcher
 * prepares it under the container's lock, before the mount; ctrctl reads .ctr-image. Logs nothing. */

#include <stdbool.h>

#include "digest.h"
#include "image.h"

/* STATE/containers/NAME.mstack and STATE/containers/NAME.volumes. */
int image_root_path(const char *state, const char *name, char **ret);
int image_root_volumes_path(const char *state, const char *name, char **ret);

/* The layer@N name of layer |i| (0 = bottom) in |buf|. */
#define IMAGE_ROOT_LAYER_NAME_MAX sizeof("layer@18446744073709551615")
void image_root_layer_name(size_t i, char buf[IMAGE_ROOT_LAYER_NAME_MAX]);

/* Makes the mstack directory of container |name| for |image|: layer@0…layer@N-1 pointing at |layer_paths|
 * (absolute, bottom first; relative symlinks when below |state|), any other layer@ removed. With
 * |writable| (a persistent writable layer: neither Ephemeral= nor ReadOnly=) also rw/data, rw/work and
 * .ctr-image: when .ctr-image records another manifest digest than |image|'s, rw/ is first renamed to
 * rw.was-sha256-<12 hex of the old digest>-<UTC YYYYMMDDTHHMMSSZ>, whose name *ret_moved gets (NULL when
 * nothing moved; may be NULL). The caller holds the container's lock. */
int image_root_prepare(const char *state, const char *name, const Image *image, char *const *layer_paths,
                       bool writable, char **ret_moved);

/* The manifest digest |mstack|/.ctr-image records. -ENOENT when there is none, -EBADMSG when it names none. */
int image_root_read_digest(const char *mstack, char ret[DIGEST_STRING_MAX]);
