/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Image references normalised as Docker's distribution/reference does (ParseNormalizedNamed + TagNameOnly),
 * taken apart, and the digest forms a store lookup takes. */

#include "image-ref.h"
#include "image-store.h"
#include "test.h"

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static void check(const char *in, const char *want) {
        _cleanup_free_ char *out = NULL;

        ASSERT_OK(image_reference_normalize(in, &out));
        ASSERT_STREQ(out, want);
}

TEST(normalize_docker_rules) {
        check("nginx", "docker.io/library/nginx:latest");
        check("nginx:1.25", "docker.io/library/nginx:1.25");
        check("library/nginx", "docker.io/library/nginx:latest");
        check("user/app", "docker.io/user/app:latest");
        check("user/app/sub:v1", "docker.io/user/app/sub:v1");
        check("docker.io/nginx", "docker.io/library/nginx:latest");
        check("index.docker.io/nginx", "docker.io/library/nginx:latest");
        check("index.docker.io/user/app:2", "docker.io/user/app:2");
        check("quay.io/org/app", "quay.io/org/app:latest");
        check("localhost/app", "localhost/app:latest");
        check("localhost:5000/app:dev", "localhost:5000/app:dev");
        check("registry.example.com:443/a/b/c:1.0-rc_1", "registry.example.com:443/a/b/c:1.0-rc_1");
        /* a first component that is not a host name is part of the path */
        check("foo/bar:baz", "docker.io/foo/bar:baz");
        /* an upper-case first component can only be a host name */
        check("Registry/app", "Registry/app:latest");
        /* digests: no ":latest" added; a tag and a digest both kept */
        check("nginx@sha256:" HEX64, "docker.io/library/nginx@sha256:" HEX64);
        check("nginx:1@sha256:" HEX64, "docker.io/library/nginx:1@sha256:" HEX64);
        check("example.com/x@sha256:" HEX64, "example.com/x@sha256:" HEX64);
        /* normalising twice changes nothing */
        check("docker.io/library/nginx:latest", "docker.io/library/nginx:latest");
}

TEST(normalize_refuses) {
        static const char *const bad[] = {
                "", "Nginx", "nginx:", ":tag", "nginx@sha256:abc", "nginx@sha512:" HEX64, "/nginx", "nginx/",
                "a//b", "nginx:-tag", "-x/y", "nginx:" "tag with space", "x..y/z",
        };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_free_ char *out = NULL;

                if (image_reference_normalize(bad[i], &out) >= 0)
                        TEST_FAIL("'%s' normalised to '%s'", bad[i], out);
        }
}

TEST(parse_parts) {
        _cleanup_(image_reference_done) ImageReference a = {}, b = {};

        ASSERT_OK(image_reference_parse("localhost:5000/app:dev", &a));
        ASSERT_STREQ(a.name, "localhost:5000/app");
        ASSERT_STREQ(a.tag, "dev");
        ASSERT_STREQ(a.digest, "");
        ASSERT_OK(image_reference_parse("busybox@sha256:" HEX64, &b));
        ASSERT_STREQ(b.name, "docker.io/library/busybox");
        ASSERT_NULL(b.tag);
        ASSERT_STREQ(b.digest, "sha256:" HEX64);
}

TEST(digest_prefix) {
        ASSERT_STREQ(image_reference_digest_prefix("sha256:" HEX64), HEX64);
        ASSERT_STREQ(image_reference_digest_prefix("sha256:0123456789ab"), "0123456789ab");
        ASSERT_STREQ(image_reference_digest_prefix("0123456789ab"), "0123456789ab");
        ASSERT_NULL(image_reference_digest_prefix("0123456789a"));          /* fewer than 12 */
        ASSERT_NULL(image_reference_digest_prefix("nginx"));
        ASSERT_NULL(image_reference_digest_prefix("0123456789AB"));
        ASSERT_NULL(image_reference_digest_prefix("sha256:" HEX64 "0"));   /* longer than a digest */
}
