/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctr-launch's side of Image=REF (docs/images.md): the image resolved in the store before planning, its
 * config applied to the Container (image-defaults.h), and, in the parent under the container's lock, its
 * mstack directory laid out (image-root.h). Logs what fails. */

#include "ctr-file.h"
#include "image-defaults.h"
#include "image.h"
#include "plan.h"

typedef struct LaunchImage {
        Image *image;           /* NULL for Image=host and RootDirectory= */
        char **layer_paths;     /* the store's layer directories, bottom first */
        char *mstack;           /* STATE/containers/NAME.mstack */
        ImageDefaults defaults;
        PlanImage plan;         /* what plan_build() gets (PlanOptions.image); points into the above */
} LaunchImage;

void launch_image_done(LaunchImage *li);

/* Resolves c's Image= (unless host) in the store below |state| and applies its config to |c|; for any
 * container, combines Entrypoint= and Exec= into c->exec. A missing image: the name and how to get it
 * (ctrctl image import / pull), -ENOENT. Logged. */
int launch_image_resolve(Container *c, const char *state, LaunchImage *ret);

/* The mstack directory for |li| (nothing for a container without an image): the layer links, and a
 * persistent rw/ made on this image, the old one moved aside (and said so) when the image changed. */
int launch_image_prepare(const Container *c, const char *state, const LaunchImage *li);
