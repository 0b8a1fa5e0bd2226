/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The image store under STATE/images (STATE = state_dir(), /var/lib/ctr): verified blobs, layers unpacked
 * once by diff_id and shared, references name:tag → manifest digest. Layout, locks and atomicity:
 * docs/images.md. Readers take no lock: everything they can see under its final name is complete. Logs
 * nothing above debug; errors are -errno plus, where the functions say so, a sentence for the user. */

#include <stdbool.h>

#include "image.h"

typedef struct ImageStore ImageStore;

/* Opens STATE/images (|state| NULL: state_dir()); |create| makes it (0700) when missing, otherwise -ENOENT
 * when there is no store yet. */
int image_store_open(const char *state, bool create, ImageStore **ret);
ImageStore *image_store_free(ImageStore *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(ImageStore *, image_store_free);
#define _cleanup_image_store_free_ _cleanup_(image_store_freep)

/* References as users write them: "NAME[:TAG]", "NAME@sha256:…", "NAME:TAG@sha256:…". Normalised as
 * Docker does: no domain → "docker.io/", a docker.io name without a '/' → "docker.io/library/", no tag and
 * no digest → ":latest" ("nginx" → "docker.io/library/nginx:latest"). The result is what the store keeps
 * and what `ctrctl image list` shows. -EINVAL for what image_reference_is_valid() refuses. */
int image_reference_normalize(const char *reference, char **ret);

/* Resolves |reference| (anything image_reference_normalize() takes, or a bare manifest digest
 * "sha256:…", or a unique prefix of at least 12 hex digits of one) to the image it names, with its
 * config read and every layer present. -ENOENT: no such image in the store; -EBADMSG: a blob of it
 * fails verification or does not parse (*ret_error says which); -ENOLINK: a layer it needs is missing. */
int image_store_resolve(ImageStore *s, const char *reference, Image **ret, char **ret_error);

/* The absolute path of layer |diff_id|'s directory (whether or not it exists). */
int image_store_layer_path(ImageStore *s, const char *diff_id, char **ret);
