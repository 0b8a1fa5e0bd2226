/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What a reference names in its registry for one platform: the client for a normalised name, and the
 * manifest a tag or digest resolves to (an index followed to this machine's entry, or |platform|'s). Shared
 * by image_pull() and ctrctl auto-update, which only asks which digest a tag points at now. Logs nothing. */

#include <stddef.h>

#include "image-ref.h"
#include "registry-client.h"

/* A client of |name| ("127.0.0.1:5000/ctr/web": the registry is what precedes the first '/'). */
int registry_client_for_name(const char *name, const RegistryClientOptions *o, RegistryClient **ret,
                             char **ret_error);

/* GET manifest |reference| (a tag or a digest) and, when it is an index, the manifest it names for
 * |platform| ("linux/ARCH[/VARIANT]", NULL: this machine's). The returned digest is that manifest's: what
 * the store records for the image. -EINVAL a platform that does not parse, -ENOTSUP no (or more than one)
 * entry for it or a media type that is neither; the client's errors. |ret_json| and |ret_media_type| may be
 * NULL. */
int registry_get_platform_manifest(RegistryClient *c, const char *reference, const char *platform,
                                   char **ret_json, size_t *ret_size, char **ret_media_type,
                                   char ret_digest[DIGEST_STRING_MAX], char **ret_error);

/* The manifest digest |reference| (anything image_reference_parse() takes) points at now in its registry,
 * for |platform|: one or two manifest requests, nothing stored. */
int registry_resolve_digest(const char *reference, const char *platform, const RegistryClientOptions *o,
                            char ret_digest[DIGEST_STRING_MAX], char **ret_error);
