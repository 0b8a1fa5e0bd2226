/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The image store's layout below STATE/images, as ctr-image(5) documents it: the one place it is spelled.
 * The store (src/image) reads and writes it; the generator only asks whether a reference is there. */

#define STORE_DIR "images"
#define STORE_LOCK ".lock"
#define STORE_BLOBS "blobs/sha256"
#define STORE_LAYERS "layers/sha256"
#define STORE_COMPRESSED "compressed/sha256"
#define STORE_REFS "refs"
#define STORE_TMP "tmp"
/* refs/NAME/:TAG — the ':' keeps a tag apart from a deeper name ("a:b" and "a/b:latest"): no name
 * component after the domain may hold one */
#define STORE_TAG_PREFIX ":"

/* A reference's file below the store's directory ("refs/NAME/:TAG"), or -EINVAL for a name that would not
 * be a plain path below refs/. */
int image_store_ref_path(const char *name, const char *tag, char **ret);

/* The store's directory below |state| (STATE/images), opened once by a caller that asks about many references
 * (the generator: one per container): an O_PATH descriptor, or -ENODEV when there is no store there at all
 * (nothing imported yet, or /var not mounted yet when a generator runs). */
int image_store_dir_open(const char *state);
/* Whether that store holds what |reference| names: its tag's file, or for a reference by digest its manifest
 * blob. 1 yes, 0 no, -EINVAL for an invalid reference; an index's digest is there when a pull recorded it as
 * NAME:sha256-HEX (image-pull.h). A look at the files only: image_store_resolve() (src/image) is what reads
 * and verifies them. */
int image_store_has_reference_at(int store_fd, const char *reference);
