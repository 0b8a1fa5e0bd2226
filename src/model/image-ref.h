/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* An image reference taken apart, after image_reference_normalize(): the repository name
 * with its domain ("docker.io/library/nginx"), the tag and the digest, either of which may be missing (not
 * both). */

#include "digest.h"

typedef struct ImageReference {
        char *name;                             /* "docker.io/library/nginx" */
        char *tag;                              /* "latest", NULL when pinned by digest alone */
        char digest[DIGEST_STRING_MAX];         /* "" when none */
} ImageReference;

/* References as users write them: "NAME[:TAG]", "NAME@sha256:…", "NAME:TAG@sha256:…". Normalised as
 * Docker does: no domain → "docker.io/", a docker.io name without a '/' → "docker.io/library/", no tag and
 * no digest → ":latest" ("nginx" → "docker.io/library/nginx:latest"). The result is what the store keeps
 * and what `ctrctl image list` shows. -EINVAL for what image_reference_is_valid() refuses. */
int image_reference_normalize(const char *reference, char **ret);

void image_reference_done(ImageReference *r);

/* Normalises |reference| and takes it apart. -EINVAL for an invalid reference. */
int image_reference_parse(const char *reference, ImageReference *ret);

/* "NAME:TAG", "NAME@DIGEST" or "NAME:TAG@DIGEST" again. */
int image_reference_format(const char *name, const char *tag, const char *digest, char **ret);

/* A manifest digest as a reference: "sha256:<64 hex>", or a prefix of at least 12 hex digits of one, with
 * or without "sha256:" (returns the hex part); NULL when |s| is neither. */
const char *image_reference_digest_prefix(const char *s);
