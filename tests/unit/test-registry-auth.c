/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Registry authentication without a registry: WWW-Authenticate challenges as registries send them, token
 * answers, the auth file as podman login and docker login write it (read, written 0600, entries replaced
 * and removed, other keys kept), insecure-registries and the certs.d search. */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "registry-auth.h"
#include "rm-rf.h"
#include "string-util.h"
#include "strv.h"
#include "test.h"

TEST(challenge_bearer) {
        _cleanup_(registry_challenge_done) RegistryChallenge c = {};

        ASSERT_OK(registry_challenge_parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                                           "scope=\"repository:library/nginx:pull\"", &c));
        ASSERT_STREQ(c.scheme, "Bearer");
        ASSERT_STREQ(c.realm, "https://auth.docker.io/token");
        ASSERT_STREQ(c.service, "registry.docker.io");
        ASSERT_STREQ(c.scope, "repository:library/nginx:pull");
}

TEST(challenge_forms) {
        _cleanup_(registry_challenge_done) RegistryChallenge a = {}, b = {}, c = {};

        /* ghcr.io's: a scope with two actions, a comma inside quotes; keys in any case, unknown ones ignored */
        ASSERT_OK(registry_challenge_parse("bearer Realm=\"https://ghcr.io/token\", Service=\"ghcr.io\", "
                                           "scope=\"repository:o/a:pull,push\", error=\"insufficient_scope\"", &a));
        ASSERT_STREQ(a.scheme, "bearer");
        ASSERT_STREQ(a.realm, "https://ghcr.io/token");
        ASSERT_STREQ(a.scope, "repository:o/a:pull,push");
        /* Basic, a token value, an escaped quote */
        ASSERT_OK(registry_challenge_parse("Basic realm=x\\y", &b));
        ASSERT_STREQ(b.scheme, "Basic");
        ASSERT_STREQ(b.realm, "x\\y");
        ASSERT_OK(registry_challenge_parse("Basic realm=\"a \\\"b\\\"\"", &c));
        ASSERT_STREQ(c.realm, "a \"b\"");
        ASSERT_NULL(c.service);
}

TEST(challenge_refused) {
        RegistryChallenge c = {};

        ASSERT_ERROR(registry_challenge_parse("", &c), EBADMSG);
        ASSERT_ERROR(registry_challenge_parse("Bearer realm", &c), EBADMSG);
        ASSERT_ERROR(registry_challenge_parse("Bearer realm=\"unterminated", &c), EBADMSG);
}

TEST(token) {
        _cleanup_free_ char *a = NULL, *b = NULL;
        char *t = NULL;

        ASSERT_OK(registry_token_parse("{\"token\": \"abc\", \"expires_in\": 300}", 35, &a));
        ASSERT_STREQ(a, "abc");
        /* OAuth2 form (ghcr.io, quay.io) */
        ASSERT_OK(registry_token_parse("{\"access_token\": \"xyz\"}", 23, &b));
        ASSERT_STREQ(b, "xyz");
        ASSERT_ERROR(registry_token_parse("{\"token\": \"\"}", 13, &t), EBADMSG);
        ASSERT_ERROR(registry_token_parse("{\"token\": 1}", 12, &t), EBADMSG);
        ASSERT_ERROR(registry_token_parse("[]", 2, &t), EBADMSG);
        ASSERT_ERROR(registry_token_parse("{", 1, &t), EBADMSG);
        ASSERT_NULL(t);
}

static char *tmpdir(void) {
        char *d = strdup("/tmp/test-registry-auth-XXXXXX");

        if (!d || !mkdtemp(d))
                abort();
        return d;
}

TEST(auth_file_round_trip) {
        _cleanup_free_ char *d = tmpdir(), *path = strprintf("%s/sub/auth.json", d), *text = NULL;
        _cleanup_free_ char *user = NULL, *password = NULL, *basic = NULL;
        char *u = NULL, *p = NULL;
        struct stat st;

        ASSERT_ERROR(registry_auth_lookup(path, "ghcr.io", &u, &p), ENOENT);
        ASSERT_ERROR(registry_auth_store(path, "ghcr.io", NULL, NULL), ENOENT);
        ASSERT_OK(registry_auth_store(path, "ghcr.io", "alice", "pa:ss w\xc3\xb6rd"));
        ASSERT_OK(stat(path, &st));
        ASSERT_EQ(st.st_mode & 07777, 0600u);
        ASSERT_OK(registry_auth_lookup(path, "ghcr.io", &user, &password));
        ASSERT_STREQ(user, "alice");
        ASSERT_STREQ(password, "pa:ss w\xc3\xb6rd");     /* only the first ':' separates */
        ASSERT_ERROR(registry_auth_lookup(path, "quay.io", &u, &p), ENOENT);
        /* podman's base64, byte for byte */
        ASSERT_OK(registry_basic_credentials("alice", "pa:ss w\xc3\xb6rd", &basic));
        ASSERT_STREQ(basic, "Basic YWxpY2U6cGE6c3Mgd8O2cmQ=");
        ASSERT_OK(read_text_file(path, 4096, &text, NULL));
        ASSERT_NOT_NULL(strstr(text, "\"ghcr.io\""));
        ASSERT_NOT_NULL(strstr(text, "YWxpY2U6cGE6c3Mgd8O2cmQ="));
        ASSERT_NULL(strstr(text, "alice"));

        ASSERT_OK(registry_auth_store(path, "ghcr.io", NULL, NULL));
        ASSERT_ERROR(registry_auth_lookup(path, "ghcr.io", &u, &p), ENOENT);
        ASSERT_ERROR(registry_auth_store(path, "ghcr.io", NULL, NULL), ENOENT);
        ASSERT_NULL(u);
        ASSERT_OK(rm_rf_at(AT_FDCWD, d));
}

TEST(auth_file_docker_login) {
        _cleanup_free_ char *d = tmpdir(), *path = strprintf("%s/config.json", d), *text = NULL;
        _cleanup_free_ char *user = NULL, *password = NULL, *u2 = NULL, *p2 = NULL;
        char *u = NULL, *p = NULL;
        FILE *f;

        /* what docker login writes for Docker Hub, beside keys that are not ours; base64 of "bob:secret" */
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        fputs("{\"auths\": {\"https://index.docker.io/v1/\": {\"auth\": \"Ym9iOnNlY3JldA==\"},"
              " \"bad.example\": {\"auth\": \"!!!\"}, \"nocolon.example\": {\"auth\": \"Ym9i\"}},"
              " \"credsStore\": \"desktop\"}", f);
        ASSERT_OK(fclose(f));
        ASSERT_OK(registry_auth_lookup(path, "docker.io", &user, &password));
        ASSERT_STREQ(user, "bob");
        ASSERT_STREQ(password, "secret");
        ASSERT_ERROR(registry_auth_lookup(path, "bad.example", &u, &p), EBADMSG);
        ASSERT_ERROR(registry_auth_lookup(path, "nocolon.example", &u, &p), EBADMSG);

        /* a new login for docker.io replaces the v1 entry; credsStore stays */
        ASSERT_OK(registry_auth_store(path, "docker.io", "carol", "x"));
        ASSERT_OK(registry_auth_lookup(path, "docker.io", &u2, &p2));
        ASSERT_STREQ(u2, "carol");
        ASSERT_OK(read_text_file(path, 4096, &text, NULL));
        ASSERT_NULL(strstr(text, "index.docker.io"));
        ASSERT_NOT_NULL(strstr(text, "\"credsStore\""));
        ASSERT_OK(rm_rf_at(AT_FDCWD, d));
}

TEST(config_dir) {
        _cleanup_free_ char *d = tmpdir(), *list = strprintf("%s/insecure-registries", d);
        _cleanup_free_ char *auth = NULL;
        _cleanup_strv_free_ char **dirs = NULL, **defaults = NULL;
        FILE *f;

        ASSERT_OK(unsetenv("CTR_REGISTRY_CONFIG_DIR"));
        ASSERT_OK(unsetenv("REGISTRY_AUTH_FILE"));
        defaults = registry_certs_dirs();
        ASSERT_EQ(strv_length(defaults), 3u);
        ASSERT_STREQ(defaults[0], "/etc/ctr/certs.d");
        ASSERT_STREQ(defaults[2], "/etc/docker/certs.d");

        ASSERT_OK(setenv("CTR_REGISTRY_CONFIG_DIR", d, 1));
        ASSERT_STREQ(registry_config_dir(), d);
        dirs = registry_certs_dirs();
        ASSERT_EQ(strv_length(dirs), 1u);
        ASSERT_TRUE(endswith(dirs[0], "/certs.d"));
        ASSERT_OK(registry_auth_file(&auth));
        ASSERT_TRUE(startswith(auth, d) && endswith(auth, "/auth.json"));

        f = fopen(list, "we");
        ASSERT_NOT_NULL(f);
        fputs("# test\n  127.0.0.1:5000  \nregistry.lan\n", f);
        ASSERT_OK(fclose(f));
        ASSERT_TRUE(registry_is_insecure("127.0.0.1:5000"));
        ASSERT_TRUE(registry_is_insecure("registry.lan"));
        ASSERT_FALSE(registry_is_insecure("127.0.0.1"));
        ASSERT_FALSE(registry_is_insecure("# test"));
        ASSERT_OK(unsetenv("CTR_REGISTRY_CONFIG_DIR"));
        ASSERT_OK(rm_rf_at(AT_FDCWD, d));
}
