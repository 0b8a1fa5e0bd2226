/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The importers: a source (image-import-source.h) → a manifest, its config and its layers into the store,
 * the reference written last. Every import runs in a temporary directory of the store (ImageStoreWork):
 * killed at any point, it leaves nothing under a final name but complete blobs and layers, which the next
 * prune removes if nothing refers to them. */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image-import-source.h"
#include "image-import.h"
#include "image-ref.h"
#include "oci-json.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

#define IMPORT_HINT "name it: ctrctl image import SOURCE NAME[:TAG]"

typedef struct Import {
        ImageStore *store;
        ImageStoreWork *work;
        const ImageImportOptions *options;
        ImportSource source;
        char *name;             /* normalised NAME:TAG, once known */
        char **error;
} Import;

static int import_fail(Import *im, int r, const char *fmt, ...) _printf_(3, 4);
static int import_fail(Import *im, int r, const char *fmt, ...) {
        va_list ap;

        if (im->error) {
                free(*im->error);
                va_start(ap, fmt);
                if (vasprintf(im->error, fmt, ap) < 0)
                        *im->error = NULL;
                va_end(ap);
        }
        return r;
}

/* The name the user gave, else |recorded| (the source's), normalised; refused when neither. */
static int import_set_name(Import *im, const char *recorded) {
        const char *n = im->options->name ?: recorded;
        _cleanup_(image_reference_done) ImageReference ref = {};
        int r;

        if (!n)
                return import_fail(im, -EINVAL, "The source records no image name: %s.", IMPORT_HINT);
        r = image_reference_parse(n, &ref);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || ref.digest[0] != '\0' || !ref.tag)
                return import_fail(im, -EINVAL, "'%s' is not a valid NAME[:TAG]%s.", n,
                                   im->options->name ? "" : " (as the source records it); " IMPORT_HINT);
        free(im->name);
        return image_reference_format(ref.name, ref.tag, NULL, &im->name);
}

/* A blob of the source, read whole and checked against its descriptor. */
static int read_blob(Import *im, const OciDescriptor *d, const char *what, char **ret, size_t *ret_size) {
        _cleanup_free_ char *path = NULL, *data = NULL;
        char got[DIGEST_STRING_MAX];
        DigestCheck check;
        size_t size;
        int r;

        if (d->size > OCI_JSON_MAX)
                return import_fail(im, -EBADMSG, "The %s %s is %llu bytes, more than %u.", what, d->digest,
                                   (unsigned long long) d->size, OCI_JSON_MAX);
        path = strprintf("blobs/sha256/%s", digest_hex(d->digest));
        if (!path)
                return -ENOMEM;
        r = import_source_read(&im->source, path, OCI_JSON_MAX, &data, &size);
        if (r < 0)
                return import_fail(im, r, "Cannot read the %s %s: %s", what, d->digest, strerror(-r));
        (void) digest_check_init(&check, d->digest);
        digest_check_update(&check, data, size);
        if (digest_check_finish(&check, got) < 0 || size != d->size)
                return import_fail(im, -EBADMSG, "Blob %s (the %s) is corrupt: its content has digest %s and "
                                   "%zu bytes.", d->digest, what, got, size);
        *ret = TAKE_PTR(data);
        *ret_size = size;
        return 0;
}

/* "sha256:…" of a document the importer made */
static void sha256_digest_of(const void *data, size_t size, char ret[DIGEST_STRING_MAX]) {
        DigestCheck check;

        (void) digest_check_init(&check, NULL);
        digest_check_update(&check, data, size);
        (void) digest_check_finish(&check, ret);
}

static void progress(Import *im, const ImportProgress *p) {
        if (im->options->progress)
                im->options->progress(p, im->options->userdata);
}

/* Layer |i| of |n| from |fd| (offset 0): verified as |digest| (NULL: not known) and unpacked as |diff_id|
 * (NULL: whatever it is, returned in |ret_diff_id|). */
static int import_layer(Import *im, unsigned i, unsigned n, int fd, const char *digest, uint64_t size,
                        const char *diff_id, char ret_diff_id[DIGEST_STRING_MAX]) {
        char known[DIGEST_STRING_MAX];
        bool unpacked = false;
        int r;

        progress(im, &(ImportProgress) { .phase = IMPORT_PHASE_LAYER, .layer = i, .n_layers = n,
                                          .digest = digest, .fd = fd, .size = size });
        /* a blob unpacked before (this image again, or another that shares it) is not even read */
        if (digest && diff_id && image_store_lookup_compressed(im->store, digest, known) >= 0 &&
            streq(known, diff_id))
                strcpy(ret_diff_id, diff_id);
        else {
                r = image_store_put_layer(im->work, fd, digest, size, diff_id, im->options->limits, ret_diff_id,
                                          &unpacked, im->error);
                if (r < 0)
                        return r;
        }
        progress(im, &(ImportProgress) { .phase = IMPORT_PHASE_LAYER_DONE, .layer = i, .n_layers = n,
                                          .digest = digest, .fd = fd, .size = size, .unpacked = unpacked });
        return 0;
}

/* The config and the manifest into the store (every layer is there), then the reference: the image is
 * visible from here on. */
static int import_commit(Import *im, const char *config_json, size_t config_size, const char *config_digest,
                         const char *manifest_json, size_t manifest_size, const char *manifest_digest,
                         Image **ret) {
        _cleanup_(image_reference_done) ImageReference ref = {};
        char digest[DIGEST_STRING_MAX];
        int r;

        r = image_store_put_blob(im->work, config_json, config_size, config_digest, NULL);
        if (r >= 0)
                r = image_store_put_blob(im->work, manifest_json, manifest_size, manifest_digest, digest);
        if (r >= 0)
                r = image_reference_parse(im->name, &ref);
        if (r >= 0)
                r = image_store_commit_ref(im->work, ref.name, ref.tag, digest);
        if (r < 0)
                return import_fail(im, r, "Cannot write image %s into the store: %s", im->name, strerror(-r));
        return ret ? image_store_resolve(im->store, im->name, ret, im->error) : 0;
}

/* Manifest |manifest_json| (descriptor |m_desc|: media type, digest) of the source, with its config and
 * layers, into the store; then the reference. */
static int import_manifest(Import *im, const char *manifest_json, size_t manifest_size, const char *media_type,
                           const char *manifest_digest, Image **ret) {
        _cleanup_(oci_manifest_done) OciManifest m = {};
        _cleanup_free_ char *config_json = NULL;
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig config = {};
        size_t config_size;
        int r;

        r = oci_manifest_parse(manifest_json, manifest_size, media_type, &m, im->error);
        if (r < 0)
                return r;
        r = read_blob(im, &m.config, "config", &config_json, &config_size);
        if (r < 0)
                return r;
        r = oci_config_parse(config_json, config_size, &config, &diff_ids, im->error);
        if (r < 0)
                return r;
        image_config_done(&config);
        if (strv_length(diff_ids) != m.n_layers)
                return import_fail(im, -EBADMSG, "Manifest %s lists %zu layers, its config %zu diff_ids.",
                                   manifest_digest, m.n_layers, strv_length(diff_ids));

        for (size_t i = 0; i < m.n_layers; i++) {
                _cleanup_free_ char *path = strprintf("blobs/sha256/%s", digest_hex(m.layers[i].digest));
                _cleanup_close_ int fd = -EBADF;
                char got[DIGEST_STRING_MAX];

                if (!path)
                        return -ENOMEM;
                r = import_source_open(&im->source, path, &fd);
                if (r < 0 && !image_store_has_layer(im->store, diff_ids[i]))
                        return import_fail(im, r, "Cannot open layer blob %s: %s", m.layers[i].digest,
                                           strerror(-r));
                r = import_layer(im, (unsigned) i + 1, (unsigned) m.n_layers, fd, m.layers[i].digest,
                                 m.layers[i].size, diff_ids[i], got);
                if (r < 0)
                        return r;
        }

        return import_commit(im, config_json, config_size, m.config.digest, manifest_json, manifest_size,
                             manifest_digest, ret);
}

/* A name an index entry records: containerd's annotation, or ref.name when it is a whole reference (a bare
 * tag, "latest", names no image). */
static const char *descriptor_name(const OciDescriptor *d) {
        if (d->image_name)
                return d->image_name;
        if (d->ref_name && strpbrk(d->ref_name, "/:"))
                return d->ref_name;
        return NULL;
}

/* Descends from |d| (an index entry) to the manifest for this platform. */
static int resolve_descriptor(Import *im, const OciDescriptor *d, unsigned depth, char **ret_json,
                              size_t *ret_size, char **ret_media_type, char ret_digest[DIGEST_STRING_MAX]) {
        _cleanup_free_ char *json = NULL;
        _cleanup_(oci_index_done) OciIndex idx = {};
        size_t size, k;
        int r;

        r = read_blob(im, d, oci_media_kind(d->media_type) == OCI_KIND_INDEX ? "index" : "manifest", &json,
                      &size);
        if (r < 0)
                return r;
        if (oci_media_kind(d->media_type) == OCI_KIND_MANIFEST) {
                *ret_media_type = strdup(d->media_type);
                if (!*ret_media_type)
                        return -ENOMEM;
                *ret_json = TAKE_PTR(json);
                *ret_size = size;
                strcpy(ret_digest, d->digest);
                return 0;
        }
        if (oci_media_kind(d->media_type) != OCI_KIND_INDEX || depth > 4)
                return import_fail(im, -ENOTSUP, "Index entry %s has media type '%s', not a manifest's.",
                                   d->digest, d->media_type);
        r = oci_index_parse(json, size, d->media_type, &idx, im->error);
        if (r < 0)
                return r;
        r = oci_index_select_platform(&idx, oci_host_architecture(), oci_host_variant(), &k);
        if (r < 0)
                return import_fail(im, r == -ENOENT ? -ENOTSUP : r, "Index %s has %s image for linux/%s%s%s.",
                                   d->digest, r == -ENOENT ? "no" : "more than one",
                                   oci_host_architecture(), oci_host_variant() ? "/" : "",
                                   strempty(oci_host_variant()));
        return resolve_descriptor(im, &idx.manifests[k], depth + 1, ret_json, ret_size, ret_media_type,
                                  ret_digest);
}

static int import_oci_layout(Import *im, const char *tag, Image **ret) {
        _cleanup_(oci_index_done) OciIndex idx = {}, candidates = {};
        _cleanup_free_ char *json = NULL, *manifest_json = NULL, *media_type = NULL;
        char digest[DIGEST_STRING_MAX];
        OciDescriptor chosen;
        size_t size, k = 0;
        int r;

        r = import_source_read(&im->source, "index.json", OCI_JSON_MAX, &json, &size);
        if (r < 0)
                return import_fail(im, r, "Cannot read the layout's index.json: %s", strerror(-r));
        r = oci_index_parse(json, size, NULL, &idx, im->error);
        if (r < 0)
                return r;

        /* the entries TAG names (all without one): borrowed from idx */
        candidates.manifests = calloc(idx.n_manifests + 1, sizeof(OciDescriptor));
        if (!candidates.manifests)
                return -ENOMEM;
        for (size_t i = 0; i < idx.n_manifests; i++)
                if (!tag || (idx.manifests[i].ref_name && streq(idx.manifests[i].ref_name, tag)))
                        candidates.manifests[candidates.n_manifests++] = idx.manifests[i];
        if (candidates.n_manifests == 0) {
                free(TAKE_PTR(candidates.manifests));
                return import_fail(im, -ENOENT, tag ? "The layout has no image tagged '%s'." :
                                   "The layout holds no image.%s", strempty(tag));
        }
        if (candidates.n_manifests > 1) {
                r = oci_index_select_platform(&candidates, oci_host_architecture(), oci_host_variant(), &k);
                if (r < 0) {
                        free(TAKE_PTR(candidates.manifests));
                        return import_fail(im, -ENOTUNIQ, "The layout holds several images; name one: "
                                           "oci:DIR:TAG.");
                }
        }
        chosen = candidates.manifests[k];
        free(TAKE_PTR(candidates.manifests));
        candidates.n_manifests = 0;

        r = import_set_name(im, descriptor_name(&chosen));
        if (r < 0)
                return r;
        r = resolve_descriptor(im, &chosen, 0, &manifest_json, &size, &media_type, digest);
        if (r < 0)
                return r;
        return import_manifest(im, manifest_json, size, media_type, digest, ret);
}

/* The layer media type of a blob, from its first bytes; NULL for a compression OCI has no type for. */
static const char *layer_media_type(int fd) {
        uint8_t b[6] = {};

        if (pread(fd, b, sizeof(b), 0) < 0)
                return NULL;
        if (b[0] == 0x1f && b[1] == 0x8b)
                return OCI_MEDIA_LAYER_GZIP;
        if (b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd)
                return OCI_MEDIA_LAYER_ZSTD;
        if (memcmp(b, "\xfd" "7zXZ", 5) == 0 || memcmp(b, "BZh", 3) == 0)
                return NULL;
        return OCI_MEDIA_LAYER;
}

static int digest_fd(int fd, char ret[DIGEST_STRING_MAX], uint64_t *ret_size) {
        uint8_t buf[64 * 1024];
        DigestCheck check;
        off_t offset = 0;
        ssize_t n;

        (void) digest_check_init(&check, NULL);
        while ((n = pread(fd, buf, sizeof(buf), offset)) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                digest_check_update(&check, buf, (size_t) n);
                offset += n;
        }
        *ret_size = (uint64_t) offset;
        return digest_check_finish(&check, ret);
}

/* Which image of manifest.json |which| names: an index or one of its RepoTags; the only one without. */
static int docker_archive_pick(Import *im, const DockerArchiveImage *images, size_t n, const char *which,
                               size_t *ret, const char **ret_name) {
        _cleanup_free_ char *want = NULL;
        unsigned k;

        if (!which) {
                if (n > 1)
                        return import_fail(im, -ENOTUNIQ, "The archive holds %zu images; name one: "
                                           "docker-archive:FILE:N (from 0) or :NAME:TAG.", n);
                *ret = 0;
                *ret_name = strv_isempty(images[0].repo_tags) ? NULL : images[0].repo_tags[0];
                return 0;
        }
        if (safe_atou(which, &k) >= 0) {
                if (k >= n)
                        return import_fail(im, -ENOENT, "The archive holds %zu images, no image %u.", n, k);
                *ret = k;
                *ret_name = strv_isempty(images[k].repo_tags) ? NULL : images[k].repo_tags[0];
                return 0;
        }
        if (image_reference_normalize(which, &want) < 0)
                return import_fail(im, -EINVAL, "'%s' is neither an index nor an image name.", which);
        for (size_t i = 0; i < n; i++)
                STRV_FOREACH(t, images[i].repo_tags) {
                        _cleanup_free_ char *have = NULL;

                        if (image_reference_normalize(*t, &have) >= 0 && streq(have, want)) {
                                *ret = i;
                                *ret_name = *t;
                                return 0;
                        }
                }
        return import_fail(im, -ENOENT, "The archive has no image '%s'.", which);
}

static int import_docker_archive(Import *im, const char *which, Image **ret) {
        _cleanup_free_ char *json = NULL, *config_json = NULL, *manifest_json = NULL, *alias = NULL;
        _cleanup_strv_free_ char **diff_ids = NULL;
        DockerArchiveImage *images = NULL;
        OciDescriptor config = { .media_type = (char *) OCI_MEDIA_CONFIG }, *layers = NULL;
        ImageConfig c = {};
        char digest[DIGEST_STRING_MAX];
        const char *name = NULL;
        size_t n = 0, size, k = 0, n_layers = 0;
        int r;

        r = import_source_read(&im->source, "manifest.json", OCI_JSON_MAX, &json, &size);
        if (r < 0)
                return import_fail(im, r, "Cannot read the archive's manifest.json: %s", strerror(-r));
        r = docker_archive_manifest_parse(json, size, &images, &n, im->error);
        if (r < 0)
                return r;
        r = docker_archive_pick(im, images, n, which, &k, &name);
        if (r >= 0)
                r = import_set_name(im, name);
        if (r < 0)
                goto finish;

        /* the config: its digest is what the archive's file holds */
        r = import_source_read(&im->source, images[k].config, OCI_JSON_MAX, &config_json, &size);
        if (r < 0) {
                r = import_fail(im, r, "Cannot read the config '%s': %s", images[k].config, strerror(-r));
                goto finish;
        }
        r = oci_config_parse(config_json, size, &c, &diff_ids, im->error);
        if (r < 0)
                goto finish;
        image_config_done(&c);
        sha256_digest_of(config_json, size, config.digest);
        config.size = size;
        n_layers = strv_length(images[k].layers);
        if (n_layers != strv_length(diff_ids)) {
                r = import_fail(im, -EBADMSG, "manifest.json lists %zu layers, the config %zu diff_ids.",
                                n_layers, strv_length(diff_ids));
                goto finish;
        }
        layers = calloc(n_layers + 1, sizeof(OciDescriptor));
        if (!layers) {
                r = -ENOMEM;
                goto finish;
        }

        /* the layers: plain tars are their diff_id (checked while unpacking), compressed ones hashed */
        for (size_t i = 0; i < n_layers; i++) {
                _cleanup_close_ int fd = -EBADF;
                struct stat st;

                r = import_source_open(&im->source, images[k].layers[i], &fd);
                if (r < 0 || fstat(fd, &st) < 0) {
                        r = import_fail(im, r < 0 ? r : negative_errno(), "Cannot open layer '%s' of the "
                                        "archive.", images[k].layers[i]);
                        goto finish;
                }
                layers[i].media_type = (char *) layer_media_type(fd);
                layers[i].size = (uint64_t) st.st_size;
                if (!layers[i].media_type) {
                        r = import_fail(im, -ENOTSUP, "Layer '%s' is compressed with neither gzip nor zstd.",
                                        images[k].layers[i]);
                        goto finish;
                }
                if (streq(layers[i].media_type, OCI_MEDIA_LAYER))
                        strcpy(layers[i].digest, diff_ids[i]);
                else if ((r = digest_fd(fd, layers[i].digest, &layers[i].size)) < 0)
                        goto finish;
                free(alias);
                alias = strprintf("blobs/sha256/%s", digest_hex(layers[i].digest));
                if (!alias || (r = import_source_alias(&im->source, alias, images[k].layers[i])) < 0) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        free(alias);
        alias = strprintf("blobs/sha256/%s", digest_hex(config.digest));
        if (!alias || import_source_alias(&im->source, alias, images[k].config) < 0) {
                r = -ENOMEM;
                goto finish;
        }

        r = oci_manifest_format(&config, layers, n_layers, &manifest_json);
        if (r < 0)
                goto finish;
        sha256_digest_of(manifest_json, strlen(manifest_json), digest);
        r = import_manifest(im, manifest_json, strlen(manifest_json), OCI_MEDIA_MANIFEST, digest, ret);
finish:
        free(layers);
        docker_archive_images_free(images, n);
        return r;
}

static int import_rootfs(Import *im, const char *path, Image **ret) {
        _cleanup_free_ char *config_json = NULL, *manifest_json = NULL;
        _cleanup_close_ int fd = -EBADF;
        OciDescriptor config = { .media_type = (char *) OCI_MEDIA_CONFIG }, layer = {};
        char diff_id[DIGEST_STRING_MAX], digest[DIGEST_STRING_MAX];
        int r;

        if (!im->options->name)
                return import_fail(im, -EINVAL, "A root filesystem tarball records no image name: %s.",
                                   IMPORT_HINT);
        r = import_set_name(im, NULL);
        if (r < 0)
                return r;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return import_fail(im, negative_errno(), "Cannot open '%s': %m", path);
        layer.media_type = (char *) layer_media_type(fd);
        if (!layer.media_type)
                return import_fail(im, -ENOTSUP, "'%s' is compressed with neither gzip nor zstd.", path);
        r = digest_fd(fd, layer.digest, &layer.size);
        if (r < 0)
                return import_fail(im, r, "Cannot read '%s': %s", path, strerror(-r));
        if (image_store_lookup_compressed(im->store, layer.digest, diff_id) < 0) {
                r = import_layer(im, 1, 1, fd, layer.digest, layer.size, NULL, diff_id);
                if (r < 0)
                        return r;
        }

        r = oci_config_format_rootfs(diff_id, now_realtime_usec(), &config_json);
        if (r < 0)
                return r;
        config.size = strlen(config_json);
        sha256_digest_of(config_json, config.size, config.digest);
        r = oci_manifest_format(&config, &layer, 1, &manifest_json);
        if (r < 0)
                return r;
        sha256_digest_of(manifest_json, strlen(manifest_json), digest);
        return import_commit(im, config_json, config.size, config.digest, manifest_json, strlen(manifest_json),
                             digest, ret);
}

int image_import(ImageStore *s, const char *source, const ImageImportOptions *options, Image **ret,
                 char **ret_error) {
        static const ImageImportOptions no_options = {};
        _cleanup_free_ char *path = NULL;
        Import im = {
                .store = s,
                .options = options ?: &no_options,
                .source = { .dir_fd = -EBADF },
                .error = ret_error,
        };
        const char *rest, *tag = NULL;
        enum { OCI, OCI_ARCHIVE, DOCKER_ARCHIVE, ROOTFS } kind;
        int r;

        if ((rest = startswith(source, "oci:")))
                kind = OCI;
        else if ((rest = startswith(source, "oci-archive:")))
                kind = OCI_ARCHIVE;
        else if ((rest = startswith(source, "docker-archive:")))
                kind = DOCKER_ARCHIVE;
        else {
                kind = ROOTFS;
                rest = source;
        }
        /* PATH[:TAG]: the whole when it exists, else split at the first ':' (as skopeo does) */
        path = strdup(rest);
        if (!path)
                return -ENOMEM;
        if (kind != ROOTFS && access(path, F_OK) < 0 && strchr(path, ':')) {
                char *colon = strchr(path, ':');

                *colon = '\0';
                tag = rest + (colon - path) + 1;
        }
        if (isempty(path))
                return import_fail(&im, -EINVAL, "'%s' names no file or directory.", source);

        r = image_store_work_begin(s, &im.work);
        if (r < 0)
                return import_fail(&im, r, "Cannot prepare the store at %s: %s", image_store_path(s),
                                   strerror(-r));
        switch (kind) {
        case OCI:
                r = import_source_open_dir(path, &im.source, ret_error);
                if (r >= 0)
                        r = import_oci_layout(&im, tag, ret);
                break;
        case OCI_ARCHIVE:
        case DOCKER_ARCHIVE:
                r = import_source_open_archive(im.work, path, im.options, &im.source, ret_error);
                if (r >= 0)
                        r = kind == OCI_ARCHIVE ? import_oci_layout(&im, tag, ret) :
                                                  import_docker_archive(&im, tag, ret);
                break;
        case ROOTFS:
                r = import_rootfs(&im, path, ret);
                break;
        }
        import_source_done(&im.source);
        image_store_work_end(im.work);
        free(im.name);
        return r;
}
