/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* registry-platform.h: from a reference to the manifest of one platform. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oci-json.h"
#include "registry-platform.h"
#include "string-util.h"
#include "strv.h"

#define INDEX_DEPTH_MAX 2U

/* a sentence in *ret_error (when the caller wants one), and |r| */
#define platform_fail(ret_error, r, ...) ((void) strprintf_replace((ret_error), __VA_ARGS__), (r))

int registry_client_for_name(const char *name, const RegistryClientOptions *o, RegistryClient **ret,
                             char **ret_error) {
        _cleanup_free_ char *registry = NULL;
        const char *slash = strchr(name, '/');

        if (!slash)
                return platform_fail(ret_error, -EINVAL, "'%s' names no registry.", name);
        registry = strndup(name, (size_t) (slash - name));
        if (!registry)
                return -ENOMEM;
        return registry_client_new(registry, slash + 1, o, ret, ret_error);
}

static int parse_platform(const char *platform, char **ret_arch, char **ret_variant, char **ret_error) {
        _cleanup_strv_free_ char **parts = NULL;

        if (!platform) {
                *ret_arch = strdup(oci_host_architecture());
                *ret_variant = oci_host_variant() ? strdup(oci_host_variant()) : NULL;
                return *ret_arch ? 0 : -ENOMEM;
        }
        if (strv_split(platform, "/", &parts) < 0)
                return -ENOMEM;
        if (strv_length(parts) < 2 || strv_length(parts) > 3 || !streq(parts[0], "linux"))
                return platform_fail(ret_error, -EINVAL, "Platform '%s' is not linux/ARCH[/VARIANT] (only "
                                     "Linux images run here).", platform);
        *ret_arch = strdup(parts[1]);
        *ret_variant = parts[2] ? strdup(parts[2]) : NULL;
        return *ret_arch ? 0 : -ENOMEM;
}

int registry_get_platform_manifest(RegistryClient *c, const char *reference, const char *platform,
                                   char **ret_json, size_t *ret_size, char **ret_media_type,
                                   char ret_digest[DIGEST_STRING_MAX], char **ret_error) {
        _cleanup_free_ char *arch = NULL, *variant = NULL, *json = NULL, *media_type = NULL;
        char digest[DIGEST_STRING_MAX];
        size_t size;
        int r;

        r = parse_platform(platform, &arch, &variant, ret_error);
        if (r < 0)
                return r;
        r = registry_get_manifest(c, reference, &json, &size, &media_type, digest, ret_error);
        if (r < 0)
                return r;
        for (unsigned depth = 0;; depth++) {
                _cleanup_(oci_index_done) OciIndex idx = {};
                OciMediaKind kind = media_type ? oci_media_kind(media_type) : OCI_KIND_UNKNOWN;
                size_t k;

                if (kind == OCI_KIND_UNKNOWN)   /* no or a generic Content-Type: the document says */
                        kind = oci_document_kind(json, size);
                if (kind == OCI_KIND_MANIFEST)
                        break;
                if (kind != OCI_KIND_INDEX || depth >= INDEX_DEPTH_MAX)
                        return platform_fail(ret_error, -ENOTSUP, "%s: manifest %s has media type '%s', "
                                             "neither an OCI or Docker v2 schema 2 manifest nor an index.",
                                             registry_client_name(c), digest, strna(media_type));
                r = oci_index_parse(json, size, NULL, &idx, ret_error);
                if (r < 0)
                        return r;
                r = oci_index_select_platform(&idx, arch, variant, &k);
                if (r < 0)
                        return platform_fail(ret_error, r == -ENOENT ? -ENOTSUP : r, "%s: index %s has %s "
                                             "image for linux/%s%s%s.", registry_client_name(c), digest,
                                             r == -ENOENT ? "no" : "more than one", arch, variant ? "/" : "",
                                             strempty(variant));
                json = mfree(json);
                media_type = mfree(media_type);
                r = registry_get_manifest(c, idx.manifests[k].digest, &json, &size, &media_type, digest,
                                          ret_error);
                if (r < 0)
                        return r;
        }

        if (ret_json) {
                *ret_json = TAKE_PTR(json);
                *ret_size = size;
        }
        if (ret_media_type)
                *ret_media_type = TAKE_PTR(media_type);
        memcpy(ret_digest, digest, DIGEST_STRING_MAX);
        return 0;
}

int registry_resolve_digest(const char *reference, const char *platform, const RegistryClientOptions *o,
                            char ret_digest[DIGEST_STRING_MAX], char **ret_error) {
        _cleanup_(image_reference_done) ImageReference ref = {};
        _cleanup_registry_client_free_ RegistryClient *c = NULL;
        int r;

        r = image_reference_parse(reference, &ref);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return platform_fail(ret_error, -EINVAL, "'%s' is not a valid image reference.", reference);
        r = registry_client_for_name(ref.name, o, &c, ret_error);
        if (r < 0)
                return r;
        return registry_get_platform_manifest(c, ref.digest[0] ? ref.digest : ref.tag, platform, NULL, NULL,
                                              NULL, ret_digest, ret_error);
}
