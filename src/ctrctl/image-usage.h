/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Which containers use which image: a container defined by a .ctr on the search path whose Image=
 * resolves in the store, and a running one by the manifest digest its launcher recorded in the runtime
 * state (IMAGE_DIGEST), which holds even when the name has moved on or was removed. */

#include <stdbool.h>
#include <stddef.h>

#include "image-store.h"

typedef struct ImageUser {
        char *container;
        char *reference;                        /* a defined one's Image=, normalised; NULL when running */
        char manifest_digest[DIGEST_STRING_MAX];
        bool running;
} ImageUser;

void image_users_free(ImageUser *u, size_t n);
int image_users_collect(ImageStore *s, ImageUser **ret, size_t *ret_n);

/* "web", "job (running)" for every user of |manifest_digest|, sorted, each container once; NULL for none. */
int image_users_of(const ImageUser *u, size_t n, const char *manifest_digest, char ***ret);
