/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Reading the JSON documents of an image, both media-type families: OCI's index, manifest and config, and
 * Docker's v2 schema 2 manifest list, manifest and config; docker-archive's manifest.json. Strict: media
 * types checked, digests valid, sizes non-negative, a document over OCI_JSON_MAX refused, nesting bounded.
 * Every refusal comes with a sentence in *ret_error (may be NULL). Returns 0, -EBADMSG for a document that
 * does not parse or is not what it should be, -EFBIG for one too large, -ENOMEM. Logs nothing. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "image.h"

/* No manifest, index or config of a real image comes near this; anything larger is refused unread. */
#define OCI_JSON_MAX (4U * 1024U * 1024U)

#define OCI_MEDIA_INDEX "application/vnd.oci.image.index.v1+json"
#define OCI_MEDIA_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_MEDIA_CONFIG "application/vnd.oci.image.config.v1+json"
#define OCI_MEDIA_LAYER "application/vnd.oci.image.layer.v1.tar"
#define OCI_MEDIA_LAYER_GZIP "application/vnd.oci.image.layer.v1.tar+gzip"
#define OCI_MEDIA_LAYER_ZSTD "application/vnd.oci.image.layer.v1.tar+zstd"
#define DOCKER_MEDIA_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define DOCKER_MEDIA_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define DOCKER_MEDIA_CONFIG "application/vnd.docker.container.image.v1+json"
#define DOCKER_MEDIA_LAYER_GZIP "application/vnd.docker.image.rootfs.diff.tar.gzip"

#define OCI_ANNOTATION_REF_NAME "org.opencontainers.image.ref.name"
#define CONTAINERD_ANNOTATION_IMAGE_NAME "io.containerd.image.name"

typedef enum OciMediaKind {
        OCI_KIND_UNKNOWN,
        OCI_KIND_INDEX,         /* OCI index or Docker manifest list */
        OCI_KIND_MANIFEST,      /* OCI manifest or Docker v2 schema 2 manifest */
        OCI_KIND_CONFIG,
        OCI_KIND_LAYER,         /* a layer tar, any compression libarchive reads */
} OciMediaKind;

OciMediaKind oci_media_kind(const char *media_type) _pure_;

typedef struct OciDescriptor {
        char *media_type;
        char digest[DIGEST_STRING_MAX];
        uint64_t size;
        /* an index's entries: the platform (NULL when absent) and the annotations that name an image */
        char *os, *architecture, *variant;
        char *ref_name;                 /* org.opencontainers.image.ref.name */
        char *image_name;               /* io.containerd.image.name (docker save >= 25) */
} OciDescriptor;

void oci_descriptor_done(OciDescriptor *d);

typedef struct OciIndex {
        OciDescriptor *manifests;
        size_t n_manifests;
} OciIndex;

void oci_index_done(OciIndex *i);

typedef struct OciManifest {
        char *media_type;
        OciDescriptor config;
        OciDescriptor *layers;
        size_t n_layers;
} OciManifest;

void oci_manifest_done(OciManifest *m);

/* What kind of document |json| is, from its "mediaType" or, for OCI documents without one, its shape
 * ("manifests" → index, "layers" → manifest). OCI_KIND_UNKNOWN for anything else, unparsable included. */
OciMediaKind oci_document_kind(const char *json, size_t size);

/* An OCI index or a Docker manifest list (|media_type|: what the descriptor that led here said, NULL when
 * nothing did; a document saying otherwise is refused). */
int oci_index_parse(const char *json, size_t size, const char *media_type, OciIndex *ret, char **ret_error);
/* An OCI manifest or a Docker v2 schema 2 manifest; every layer of a layer media type, the config of a
 * config media type. */
int oci_manifest_parse(const char *json, size_t size, const char *media_type, OciManifest *ret,
                       char **ret_error);
/* An image config: what ctr applies or shows (ImageConfig), and rootfs.diff_ids (type "layers"), bottom
 * first, each a valid digest. */
int oci_config_parse(const char *json, size_t size, ImageConfig *ret_config, char ***ret_diff_ids,
                     char **ret_error);

/* One entry of docker-archive's manifest.json. Paths are the archive's member names as written. */
typedef struct DockerArchiveImage {
        char *config;
        char **repo_tags;
        char **layers;
} DockerArchiveImage;

void docker_archive_images_free(DockerArchiveImage *images, size_t n);
int docker_archive_manifest_parse(const char *json, size_t size, DockerArchiveImage **ret, size_t *ret_n,
                                  char **ret_error);

/* This machine's platform as OCI names it: GOARCH ("amd64", "arm64", "arm", "386", "ppc64le", "s390x",
 * "riscv64", …) and, for arm, the variant ("v6", "v7", "v8"); NULL for no variant. */
const char *oci_host_architecture(void) _const_;
const char *oci_host_variant(void) _const_;

/* The entry of |index| for os linux, |architecture| and |variant| (NULL: any; an entry without a variant
 * matches any, and arm64's "v8" is the same as none), skipping entries that are not manifests (attestations
 * have platform unknown/unknown). -ENOENT when none matches, -ENOTUNIQ when several differ in digest. */
int oci_index_select_platform(const OciIndex *index, const char *architecture, const char *variant,
                              size_t *ret_index);

/* RFC 3339 ("2024-01-02T03:04:05.123456789Z", "…+02:00") → µs since the epoch; -EINVAL when malformed. */
int oci_parse_timestamp(const char *s, uint64_t *ret_usec);

/* Writing (the importers make a manifest where the source has none: docker-archive, a root filesystem
 * tarball). An OCI manifest of |config| and |layers| (media type, digest and size of each used). */
int oci_manifest_format(const OciDescriptor *config, const OciDescriptor *layers, size_t n_layers,
                        char **ret);
/* The config `docker import` gives a root filesystem tarball: this machine's os and architecture,
 * |created_usec|, one diff_id, no Cmd. */
int oci_config_format_rootfs(const char *diff_id, uint64_t created_usec, char **ret);
