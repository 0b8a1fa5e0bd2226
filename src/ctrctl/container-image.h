/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What ctrctl shows of a container's image (inspect, status, list, validate): the image its Image= names
 * in the store now, the one its writable layer was made on (NAME.mstack/.ctr-image), and the effective
 * settings with where each came from, as ctr-launch will apply them (image-defaults.h). */

#include "ctr-file.h"
#include "image-defaults.h"
#include "image.h"

typedef struct ContainerImage {
        bool store;             /* Image= names a store image (not host, not RootDirectory=) */
        Image *image;           /* what it resolves to now; NULL when it does not (error says why) */
        int error;              /* -ENOENT: not in the store (or no store); another -errno */
        char *error_message;    /* the store's sentence, or NULL */
        char recorded[DIGEST_STRING_MAX]; /* the manifest digest rw/ was made on, "" when none yet */
        Container *effective;   /* the container as the launcher will run it: the image's defaults applied */
        ImageDefaults defaults; /* and where each setting came from */
        int defaults_error;     /* image_defaults_apply() refused the config (the start would fail too) */
        char *defaults_message;
} ContainerImage;

void container_image_done(ContainerImage *ci);

/* Fills |ret| for |c| (loaded by ctrctl_load_container()). Fails only when out of memory; what the store
 * says is in ret->error. */
int container_image_load(const Container *c, ContainerImage *ret);

/* "docker.io/library/nginx:1.25 (sha256:0123456789ab)", "host", "- (RootDirectory=)", or the reference with
 * "(not in the store)". */
int container_image_describe(const Container *c, const ContainerImage *ci, char **ret);
