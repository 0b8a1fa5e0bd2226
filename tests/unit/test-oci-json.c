/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The JSON readers of src/image/oci-json.c: documents of both media-type families as real tools write them,
 * refusals (wrong media types, bad digests, negative sizes, trailing data, size and depth limits), the
 * platform choice of an index, timestamps, and what the writers make reads back. */

#include <string.h>

#include "oci-json.h"
#include "strv.h"
#include "test.h"

#define D1 "sha256:1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "sha256:2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "sha256:3333333333333333333333333333333333333333333333333333333333333333"

static int manifest(const char *json, OciManifest *m) {
        _cleanup_free_ char *error = NULL;
        int r = oci_manifest_parse(json, strlen(json), NULL, m, &error);

        /* every refusal says why */
        return r < 0 && !error ? -ENOTRECOVERABLE : r;
}

TEST(oci_manifest) {
        _cleanup_(oci_manifest_done) OciManifest m = {};
        const char *j =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" D1 "\","
                "\"size\":10},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                "\"digest\":\"" D2 "\",\"size\":123},{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+zstd\","
                "\"digest\":\"" D3 "\",\"size\":5000000000}]}\n";

        ASSERT_OK(manifest(j, &m));
        ASSERT_STREQ(m.media_type, OCI_MEDIA_MANIFEST);
        ASSERT_STREQ(m.config.digest, D1);
        ASSERT_EQ(m.n_layers, 2);
        ASSERT_STREQ(m.layers[1].digest, D3);
        ASSERT_EQ_U64(m.layers[1].size, UINT64_C(5000000000));
        ASSERT_EQ(oci_document_kind(j, strlen(j)), OCI_KIND_MANIFEST);
}

TEST(docker_manifest) {
        _cleanup_(oci_manifest_done) OciManifest m = {};
        const char *j =
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"size\":7,"
                "\"digest\":\"" D1 "\"},\"layers\":[{\"mediaType\":"
                "\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"size\":1,\"digest\":\"" D2 "\"}]}";

        ASSERT_OK(manifest(j, &m));
        ASSERT_STREQ(m.media_type, DOCKER_MEDIA_MANIFEST);
        ASSERT_EQ(m.n_layers, 1);
}

TEST(manifest_refusals) {
        static const char *const bad[] = {
                "",
                "[]",
                "{\"schemaVersion\":1}",
                /* an index where a manifest should be */
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
                /* a layer of a type no one can read */
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[{\"mediaType\":\"text/plain\",\"digest\":\"" D2
                "\",\"size\":1}]}",
                /* the config of a layer's type */
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}",
                /* a bad digest, upper case, another algorithm, a negative size, no size */
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"sha256:abc\",\"size\":1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"SHA256:1111111111111111111111111111111111111111111111111111111111111111\",\"size\":1},"
                "\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"sha512:11\",\"size\":1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":-1},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\"},\"layers\":[]}",
                /* a size beyond int64 (OCI's type): json-c saturates it, and it could not be written back (found by
                 * fuzz-oci-json's round trip), the largest uint64 and one far beyond it */
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":18446744073709551615},\"layers\":[]}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[{\"mediaType\":"
                "\"application/vnd.oci.image.layer.v1.tar+zstd\",\"digest\":\"" D2 "\",\"size\":"
                "5888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888888}]}",
                /* no layers array, trailing data, a NUL, truncated */
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":1}}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]} {}",
                "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[",
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                OciManifest m = {};

                int r = manifest(bad[i], &m);

                if (r >= 0) {
                        oci_manifest_done(&m);
                        TEST_FAIL("manifest %zu accepted: %s", i, bad[i]);
                }
                if (r == -ENOTRECOVERABLE)
                        TEST_FAIL("manifest %zu refused without a reason", i);
        }
}

TEST(media_type_must_agree_with_descriptor) {
        OciManifest m = {};
        const char *j = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                        "\"digest\":\"" D1 "\",\"size\":1},\"layers\":[]}";

        ASSERT_OK(oci_manifest_parse(j, strlen(j), OCI_MEDIA_MANIFEST, &m, NULL));
        oci_manifest_done(&m);
        ASSERT_ERROR(oci_manifest_parse(j, strlen(j), OCI_MEDIA_INDEX, &m, NULL), EBADMSG);
}

TEST(size_and_depth_limits) {
        _cleanup_free_ char *big = NULL, *deep = NULL;
        _cleanup_free_ char *error = NULL;
        OciManifest m = {};
        size_t n = OCI_JSON_MAX + 1;

        big = malloc(n);
        ASSERT_NOT_NULL(big);
        memset(big, ' ', n);
        big[0] = '{';
        big[n - 1] = '}';
        ASSERT_ERROR(oci_manifest_parse(big, n, NULL, &m, &error), EFBIG);
        ASSERT_NOT_NULL(error);

        deep = malloc(20001);
        ASSERT_NOT_NULL(deep);
        for (size_t i = 0; i < 10000; i++) {
                deep[i] = '[';
                deep[19999 - i] = ']';
        }
        deep[20000] = '\0';
        ASSERT_ERROR(oci_manifest_parse(deep, 20000, NULL, &m, NULL), EBADMSG);
}

static const char index_json[] =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D1 "\",\"size\":1,"
        " \"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"},"
        " \"annotations\":{\"org.opencontainers.image.ref.name\":\"1.0\",\"io.containerd.image.name\":\"docker.io/x/y:1.0\"}},"
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D2 "\",\"size\":1,"
        " \"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D3 "\",\"size\":1,"
        " \"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}},"
        "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" D1 "\",\"size\":1,"
        " \"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}]}";

TEST(index_platform) {
        _cleanup_(oci_index_done) OciIndex idx = {};
        size_t k;

        ASSERT_OK(oci_index_parse(index_json, strlen(index_json), NULL, &idx, NULL));
        ASSERT_EQ(idx.n_manifests, 4);
        ASSERT_STREQ(idx.manifests[0].ref_name, "1.0");
        ASSERT_STREQ(idx.manifests[0].image_name, "docker.io/x/y:1.0");
        ASSERT_STREQ(idx.manifests[1].variant, "v7");

        ASSERT_OK(oci_index_select_platform(&idx, "amd64", NULL, &k));
        ASSERT_EQ(k, 0);
        ASSERT_OK(oci_index_select_platform(&idx, "arm", "v7", &k));
        ASSERT_EQ(k, 1);
        ASSERT_ERROR(oci_index_select_platform(&idx, "arm", "v6", &k), ENOENT);
        /* arm64 without a variant is v8 */
        ASSERT_OK(oci_index_select_platform(&idx, "arm64", "v8", &k));
        ASSERT_EQ(k, 2);
        ASSERT_ERROR(oci_index_select_platform(&idx, "s390x", NULL, &k), ENOENT);
        ASSERT_ERROR(oci_index_select_platform(&idx, NULL, NULL, &k), ENOTUNIQ);
        ASSERT_NOT_NULL(oci_host_architecture());
        ASSERT_EQ(oci_document_kind(index_json, strlen(index_json)), OCI_KIND_INDEX);
}

TEST(docker_manifest_list) {
        _cleanup_(oci_index_done) OciIndex idx = {};
        const char *j = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.list.v2+json\","
                        "\"manifests\":[{\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                        "\"digest\":\"" D1 "\",\"size\":9,\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";

        ASSERT_OK(oci_index_parse(j, strlen(j), DOCKER_MEDIA_LIST, &idx, NULL));
        ASSERT_EQ(idx.n_manifests, 1);
        ASSERT_EQ(oci_media_kind(idx.manifests[0].media_type), OCI_KIND_MANIFEST);
}

TEST(config) {
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig c = {};
        const char *j =
                "{\"created\":\"2024-01-02T03:04:05.5Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
                "\"config\":{\"User\":\"app:app\",\"Env\":[\"PATH=/bin\",\"A=b\"],\"Entrypoint\":[\"/bin/app\"],"
                "\"Cmd\":[\"--port\",\"80\"],\"WorkingDir\":\"/srv\",\"StopSignal\":\"SIGQUIT\","
                "\"Volumes\":{\"/data\":{}},\"ExposedPorts\":{\"80/tcp\":{}},\"Labels\":{\"k\":\"v\"}},"
                "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" D1 "\",\"" D2 "\"]},\"history\":[]}";

        ASSERT_OK(oci_config_parse(j, strlen(j), &c, &diff_ids, NULL));
        ASSERT_EQ(strv_length(diff_ids), 2);
        ASSERT_STREQ(c.user, "app:app");
        ASSERT_STREQ(c.entrypoint[0], "/bin/app");
        ASSERT_STREQ(c.cmd[1], "80");
        ASSERT_STREQ(c.env[1], "A=b");
        ASSERT_STREQ(c.working_dir, "/srv");
        ASSERT_STREQ(c.stop_signal, "SIGQUIT");
        ASSERT_STREQ(c.volumes[0], "/data");
        ASSERT_STREQ(c.exposed_ports[0], "80/tcp");
        ASSERT_STREQ(c.labels[0], "k=v");
        ASSERT_STREQ(c.architecture, "amd64");
        ASSERT_EQ_U64(c.created_usec, UINT64_C(1704164645500000));
        image_config_done(&c);
}

/* Docker's Healthcheck (buildah --format docker writes it): the test as written, durations in ns */
TEST(config_healthcheck) {
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig c = {};
        const char *j =
                "{\"config\":{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f http://localhost/\"],"
                "\"Interval\":5000000000,\"Timeout\":2000000000,\"StartPeriod\":0,\"Retries\":4}},"
                "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

        ASSERT_OK(oci_config_parse(j, strlen(j), &c, &diff_ids, NULL));
        ASSERT_EQ(strv_length(c.healthcheck.test), 2);
        ASSERT_STREQ(c.healthcheck.test[0], "CMD-SHELL");
        ASSERT_STREQ(c.healthcheck.test[1], "curl -f http://localhost/");
        ASSERT_EQ_U64(c.healthcheck.interval_nsec, UINT64_C(5000000000));
        ASSERT_EQ_U64(c.healthcheck.timeout_nsec, UINT64_C(2000000000));
        ASSERT_EQ_U64(c.healthcheck.start_period_nsec, 0);
        ASSERT_EQ(c.healthcheck.retries, 4);
        image_config_done(&c);
}

TEST(config_refusals) {
        static const char *const bad[] = {
                "{}",
                "{\"rootfs\":{\"type\":\"other\",\"diff_ids\":[]}}",
                "{\"rootfs\":{\"type\":\"layers\"}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:x\"]}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[1]}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Env\":\"A=b\"}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Labels\":{\"a\":1}}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":[]}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Healthcheck\":[]}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Healthcheck\":{\"Test\":\"x\"}}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Healthcheck\":{\"Interval\":-1}}}",
                "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"Healthcheck\":{\"Retries\":\"3\"}}}",
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_strv_free_ char **diff_ids = NULL;
                _cleanup_free_ char *error = NULL;
                ImageConfig c = {};

                if (oci_config_parse(bad[i], strlen(bad[i]), &c, &diff_ids, &error) >= 0) {
                        image_config_done(&c);
                        TEST_FAIL("config %zu accepted: %s", i, bad[i]);
                }
                ASSERT_NOT_NULL(error);
        }
}

TEST(config_minimal) {
        /* docker import's: no config object, Cmd none, diff_ids [] allowed */
        _cleanup_strv_free_ char **diff_ids = NULL;
        ImageConfig c = {};
        const char *j = "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":null,\"created\":\"bogus\"}";

        ASSERT_OK(oci_config_parse(j, strlen(j), &c, &diff_ids, NULL));
        ASSERT_NULL(c.cmd);
        ASSERT_EQ(c.created_usec, 0);
        ASSERT_NOT_NULL(diff_ids);
        ASSERT_EQ(strv_length(diff_ids), 0);
        image_config_done(&c);
}

TEST(timestamps) {
        uint64_t u;

        ASSERT_OK(oci_parse_timestamp("1970-01-01T00:00:01Z", &u));
        ASSERT_EQ_U64(u, UINT64_C(1000000));
        ASSERT_OK(oci_parse_timestamp("2024-01-02T04:04:05.123456789+01:00", &u));
        ASSERT_EQ_U64(u, UINT64_C(1704164645123456));
        ASSERT_FAIL(oci_parse_timestamp("2024-01-02 03:04:05", &u));
        ASSERT_FAIL(oci_parse_timestamp("2024-01-02T03:04:05", &u));
        ASSERT_FAIL(oci_parse_timestamp("2024-01-02T03:04:05Zjunk", &u));
        ASSERT_FAIL(oci_parse_timestamp("2024-01-02T03:04:05.Z", &u));
}

TEST(docker_archive_manifest) {
        DockerArchiveImage *images = NULL;
        size_t n = 0;
        const char *j = "[{\"Config\":\"abc.json\",\"RepoTags\":[\"localhost/x:latest\"],"
                        "\"Layers\":[\"a/layer.tar\",\"b.tar\"]},{\"Config\":\"d.json\",\"RepoTags\":null,\"Layers\":[]}]";

        ASSERT_OK(docker_archive_manifest_parse(j, strlen(j), &images, &n, NULL));
        ASSERT_EQ(n, 2);
        ASSERT_STREQ(images[0].config, "abc.json");
        ASSERT_STREQ(images[0].repo_tags[0], "localhost/x:latest");
        ASSERT_STREQ(images[0].layers[1], "b.tar");
        ASSERT_NULL(images[1].repo_tags);
        docker_archive_images_free(images, n);

        ASSERT_FAIL(docker_archive_manifest_parse("[]", 2, &images, &n, NULL));
        ASSERT_FAIL(docker_archive_manifest_parse("{}", 2, &images, &n, NULL));
        ASSERT_FAIL(docker_archive_manifest_parse("[{\"Layers\":[]}]", 15, &images, &n, NULL));
}

TEST(writers_read_back) {
        _cleanup_free_ char *config_json = NULL, *manifest_json = NULL;
        _cleanup_strv_free_ char **diff_ids = NULL;
        _cleanup_(oci_manifest_done) OciManifest m = {};
        OciDescriptor config = { .media_type = (char *) OCI_MEDIA_CONFIG, .digest = D1, .size = 3 };
        OciDescriptor layer = { .media_type = (char *) OCI_MEDIA_LAYER_GZIP, .digest = D2, .size = 4 };
        ImageConfig c = {};

        ASSERT_OK(oci_config_format_rootfs(D3, UINT64_C(1704164645000000), &config_json));
        ASSERT_OK(oci_config_parse(config_json, strlen(config_json), &c, &diff_ids, NULL));
        ASSERT_STREQ(diff_ids[0], D3);
        ASSERT_STREQ(c.os, "linux");
        ASSERT_STREQ(c.architecture, oci_host_architecture());
        ASSERT_EQ_U64(c.created_usec, UINT64_C(1704164645000000));
        ASSERT_NULL(c.cmd);
        image_config_done(&c);

        ASSERT_OK(oci_manifest_format(&config, &layer, 1, &manifest_json));
        ASSERT_OK(oci_manifest_parse(manifest_json, strlen(manifest_json), OCI_MEDIA_MANIFEST, &m, NULL));
        ASSERT_STREQ(m.config.digest, D1);
        ASSERT_EQ(m.n_layers, 1);
        ASSERT_EQ_U64(m.layers[0].size, 4);
}
