/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the image JSON readers (src/image/oci-json.c): any bytes as an index, a manifest, an
 * image config and docker-archive's manifest.json. Whatever happens: a refusal says why (an error text) and
 * returns -EBADMSG, -EFBIG, -E2BIG or -ENOMEM; what is accepted holds only valid digests, media types of
 * the right kind, and a manifest written back by oci_manifest_format() reads back the same. */

#include "fuzz-util.h"
#include "oci-json.h"
#include "strv.h"

static void check_error(int r, char *error) {
        FUZZ_CHECK(r == -EBADMSG || r == -EFBIG || r == -E2BIG || r == -ENOMEM);
        FUZZ_CHECK(error || r == -ENOMEM);
        free(error);
}

static void check_index(const char *data, size_t size) {
        OciIndex idx = {};
        char *error = NULL;
        size_t k;
        int r;

        r = oci_index_parse(data, size, NULL, &idx, &error);
        if (r < 0)
                return check_error(r, error);
        FUZZ_CHECK(!error);
        for (size_t i = 0; i < idx.n_manifests; i++) {
                FUZZ_CHECK(digest_is_valid(idx.manifests[i].digest));
                FUZZ_CHECK(idx.manifests[i].media_type);
        }
        r = oci_index_select_platform(&idx, oci_host_architecture(), oci_host_variant(), &k);
        FUZZ_CHECK(r == 0 || r == -ENOENT || r == -ENOTUNIQ);
        if (r == 0) {
                FUZZ_CHECK(k < idx.n_manifests);
                FUZZ_CHECK(streq(idx.manifests[k].os, "linux"));
                FUZZ_CHECK(streq(idx.manifests[k].architecture, oci_host_architecture()));
        }
        oci_index_done(&idx);
}

static void check_manifest(const char *data, size_t size) {
        _cleanup_free_ char *again = NULL;
        OciManifest m = {}, m2 = {};
        char *error = NULL;
        int r;

        r = oci_manifest_parse(data, size, NULL, &m, &error);
        if (r < 0)
                return check_error(r, error);
        FUZZ_CHECK(oci_media_kind(m.media_type) == OCI_KIND_MANIFEST);
        FUZZ_CHECK(oci_media_kind(m.config.media_type) == OCI_KIND_CONFIG);
        FUZZ_CHECK(digest_is_valid(m.config.digest));
        for (size_t i = 0; i < m.n_layers; i++) {
                FUZZ_CHECK(oci_media_kind(m.layers[i].media_type) == OCI_KIND_LAYER);
                FUZZ_CHECK(digest_is_valid(m.layers[i].digest));
        }
        /* written back (as the importers write theirs) it reads the same */
        if (oci_manifest_format(&m.config, m.layers, m.n_layers, &again) >= 0) {
                FUZZ_CHECK(oci_manifest_parse(again, strlen(again), OCI_MEDIA_MANIFEST, &m2, NULL) >= 0);
                FUZZ_CHECK(m2.n_layers == m.n_layers);
                FUZZ_CHECK(streq(m2.config.digest, m.config.digest));
                for (size_t i = 0; i < m.n_layers; i++) {
                        FUZZ_CHECK(streq(m2.layers[i].digest, m.layers[i].digest));
                        FUZZ_CHECK(m2.layers[i].size == m.layers[i].size);
                }
                oci_manifest_done(&m2);
        }
        oci_manifest_done(&m);
}

static void check_config(const char *data, size_t size) {
        char **diff_ids = NULL, *error = NULL;
        ImageConfig c = {};
        int r;

        r = oci_config_parse(data, size, &c, &diff_ids, &error);
        if (r < 0)
                return check_error(r, error);
        FUZZ_CHECK(diff_ids);
        STRV_FOREACH(d, diff_ids)
                FUZZ_CHECK(digest_is_valid(*d));
        image_config_done(&c);
        strv_free(diff_ids);
}

static void check_docker_archive(const char *data, size_t size) {
        DockerArchiveImage *images = NULL;
        char *error = NULL;
        size_t n = 0;
        int r;

        r = docker_archive_manifest_parse(data, size, &images, &n, &error);
        if (r < 0)
                return check_error(r, error);
        FUZZ_CHECK(n > 0);
        for (size_t i = 0; i < n; i++)
                FUZZ_CHECK(images[i].config && images[i].layers);
        docker_archive_images_free(images, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *s = (const char *) data;

        check_index(s, size);
        check_manifest(s, size);
        check_config(s, size);
        check_docker_archive(s, size);
        (void) oci_document_kind(s, size);
        return 0;
}
