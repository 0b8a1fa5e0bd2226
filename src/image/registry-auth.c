/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Registry credentials (the auth file), certs.d and insecure registries: registry-auth.h. base64 through
 * libcrypto's EVP_EncodeBlock/EVP_DecodeBlock, JSON through json-c, as the rest of the store. */

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "fd-util.h"
#include "fileio.h"
#include "mkdir-util.h"
#include "path-util.h"
#include "registry-auth.h"
#include "string-util.h"
#include "strv.h"

#define AUTH_FILE_MAX (1024U * 1024U)
#define INSECURE_FILE_MAX (64U * 1024U)

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);

const char *registry_config_dir(void) {
        const char *e = getenv("CTR_REGISTRY_CONFIG_DIR");

        return e && path_is_absolute(e) ? e : REGISTRY_CONFIG_DIR_DEFAULT;
}

int registry_auth_file(char **ret) {
        const char *e = getenv("REGISTRY_AUTH_FILE");

        *ret = !isempty(e) ? strdup(e) : strprintf("%s/auth.json", registry_config_dir());
        return *ret ? 0 : -ENOMEM;
}

char **registry_certs_dirs(void) {
        _cleanup_strv_free_ char **l = NULL;

        if (strv_consume(&l, strprintf("%s/certs.d", registry_config_dir())) < 0)
                return NULL;
        if (!getenv("CTR_REGISTRY_CONFIG_DIR") &&
            (strv_extend(&l, "/etc/containers/certs.d") < 0 || strv_extend(&l, "/etc/docker/certs.d") < 0))
                return NULL;
        return TAKE_PTR(l);
}

bool registry_is_insecure(const char *registry) {
        _cleanup_free_ char *path = strprintf("%s/insecure-registries", registry_config_dir()), *text = NULL;
        const char *p;

        if (!path || read_text_file(path, INSECURE_FILE_MAX, &text, NULL) < 0)
                return false;
        p = text;
        for (;;) {
                _cleanup_free_ char *line = NULL;
                const char *l;

                if (extract_first_word(&p, &line, "\n", 0) <= 0)
                        return false;
                l = strstrip(line);
                if (l[0] != '#' && streq(l, registry))
                        return true;
        }
}

static int auth_file_read(const char *path, json_object **ret) {
        _cleanup_free_ char *text = NULL;
        json_object *o;
        size_t size;
        int r;

        r = read_text_file(path, AUTH_FILE_MAX, &text, &size);
        if (r < 0)
                return r;
        o = json_tokener_parse(text);
        if (!o || !json_object_is_type(o, json_type_object)) {
                json_object_put(o);
                return -EBADMSG;
        }
        *ret = o;
        return 0;
}

/* The keys an entry for |registry| may be filed under: docker login files docker.io under its v1 URL. */
static int auth_keys(const char *registry, char ***ret) {
        _cleanup_strv_free_ char **keys = NULL;

        if (strv_extend(&keys, registry) < 0 || strv_consume(&keys, strprintf("https://%s", registry)) < 0)
                return -ENOMEM;
        if (streq(registry, "docker.io") &&
            (strv_extend(&keys, DOCKER_IO_AUTH_KEY) < 0 || strv_extend(&keys, "index.docker.io") < 0 ||
             strv_extend(&keys, DOCKER_IO_API_HOST) < 0))
                return -ENOMEM;
        *ret = TAKE_PTR(keys);
        return 0;
}

static int base64_decode(const char *in, char **ret, size_t *ret_size) {
        size_t len = strlen(in), pad = 0;
        _cleanup_free_ char *out = NULL;
        int n;

        if (len == 0 || len % 4 != 0 || len > INT32_MAX)
                return -EBADMSG;
        out = malloc(len / 4 * 3 + 1);
        if (!out)
                return -ENOMEM;
        n = EVP_DecodeBlock((unsigned char *) out, (const unsigned char *) in, (int) len);
        if (n < 0)
                return -EBADMSG;
        /* EVP_DecodeBlock() counts the padding as zero bytes */
        pad = (in[len - 1] == '=') + (in[len - 2] == '=');
        n -= (int) pad;
        out[n] = '\0';
        *ret = TAKE_PTR(out);
        *ret_size = (size_t) n;
        return 0;
}

static int base64_encode(const void *in, size_t size, char **ret) {
        char *out;

        if (size > INT32_MAX / 2)
                return -E2BIG;
        out = malloc((size + 2) / 3 * 4 + 1);
        if (!out)
                return -ENOMEM;
        (void) EVP_EncodeBlock((unsigned char *) out, in, (int) size);
        *ret = out;
        return 0;
}

int registry_auth_lookup(const char *path, const char *registry, char **ret_user, char **ret_password) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        _cleanup_strv_free_ char **keys = NULL;
        json_object *auths, *entry = NULL, *auth;
        _cleanup_free_ char *decoded = NULL;
        char *colon, *user, *password;
        size_t size;
        int r;

        r = auth_file_read(path, &root);
        if (r < 0)
                return r;
        if (!json_object_object_get_ex(root, "auths", &auths) ||
            !json_object_is_type(auths, json_type_object))
                return -ENOENT;
        r = auth_keys(registry, &keys);
        if (r < 0)
                return r;
        STRV_FOREACH(k, keys)
                if (json_object_object_get_ex(auths, *k, &entry))
                        break;
        if (!entry)
                return -ENOENT;
        if (!json_object_object_get_ex(entry, "auth", &auth) || !json_object_is_type(auth, json_type_string))
                return -EBADMSG;
        r = base64_decode(json_object_get_string(auth), &decoded, &size);
        if (r < 0)
                return r;
        colon = memchr(decoded, ':', size);
        if (!colon || strlen(decoded) != size)
                return -EBADMSG;
        *colon = '\0';
        user = strdup(decoded);
        password = strdup(colon + 1);
        explicit_bzero(decoded, size);
        if (!user || !password) {
                free(user);
                free(password);
                return -ENOMEM;
        }
        *ret_user = user;
        *ret_password = password;
        return 0;
}

int registry_basic_credentials(const char *user, const char *password, char **ret) {
        _cleanup_free_ char *plain = strprintf("%s:%s", user, password), *b64 = NULL;
        int r;

        if (!plain)
                return -ENOMEM;
        r = base64_encode(plain, strlen(plain), &b64);
        explicit_bzero(plain, strlen(plain));
        if (r < 0)
                return r;
        *ret = strprintf("Basic %s", b64);
        return *ret ? 0 : -ENOMEM;
}

/* |text| as |path|: a temporary file beside it, mode 0600, fsynced, renamed over it. */
static int write_private_file(const char *path, const char *text) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *slash = strrchr(path, '/');
        int r;

        if (slash && slash != path) {
                dir = strndup(path, (size_t) (slash - path));
                if (!dir)
                        return -ENOMEM;
                r = mkdir_p(dir, 0755, 0700);
                if (r < 0)
                        return r;
        }
        tmp = strprintf("%s.tmp.%i", path, (int) getpid());
        if (!tmp)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, text, strlen(text));
        if (r >= 0 && (fchmod(fd, 0600) < 0 || fsync(fd) < 0))
                r = negative_errno();
        if (r >= 0 && rename(tmp, path) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

int registry_auth_store(const char *path, const char *registry, const char *user, const char *password) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        _cleanup_strv_free_ char **keys = NULL;
        json_object *auths, *entry;
        bool found = false;
        int r;

        r = auth_file_read(path, &root);
        if (r == -ENOENT && user)
                root = json_object_new_object();
        else if (r < 0)
                return r;
        if (!root)
                return -ENOMEM;
        if (!json_object_object_get_ex(root, "auths", &auths)) {
                if (!user)
                        return -ENOENT;
                auths = json_object_new_object();
                if (!auths || json_object_object_add(root, "auths", auths) < 0)
                        return -ENOMEM;
        }
        if (!json_object_is_type(auths, json_type_object))
                return -EBADMSG;
        r = auth_keys(registry, &keys);
        if (r < 0)
                return r;
        /* one entry per registry: the other spellings of it go */
        STRV_FOREACH(k, keys)
                if (json_object_object_get_ex(auths, *k, NULL)) {
                        json_object_object_del(auths, *k);
                        found = true;
                }
        if (user) {
                _cleanup_free_ char *basic = NULL;

                r = registry_basic_credentials(user, password, &basic);
                if (r < 0)
                        return r;
                entry = json_object_new_object();
                if (!entry || json_object_object_add(auths, registry, entry) < 0 ||
                    json_object_object_add(entry, "auth",
                                           json_object_new_string(basic + strlen("Basic "))) < 0)
                        return -ENOMEM;
                explicit_bzero(basic, strlen(basic));
        } else if (!found)
                return -ENOENT;
        return write_private_file(path, json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
}

void registry_challenge_done(RegistryChallenge *c) {
        free(c->scheme);
        free(c->realm);
        free(c->service);
        free(c->scope);
        *c = (RegistryChallenge) {};
}

/* RFC 7235: SCHEME [auth-param *("," auth-param)], auth-param = token "=" (token / quoted-string) */
int registry_challenge_parse(const char *header, RegistryChallenge *ret) {
        _cleanup_(registry_challenge_done) RegistryChallenge c = {};
        const char *p = header + strspn(header, " \t");
        size_t n = strcspn(p, " \t");

        if (n == 0)
                return -EBADMSG;
        c.scheme = strndup(p, n);
        if (!c.scheme)
                return -ENOMEM;
        p += n;
        for (;;) {
                _cleanup_free_ char *value = NULL;
                const char *key;
                size_t key_len;
                char **slot = NULL;

                p += strspn(p, " \t,");
                if (*p == '\0')
                        break;
                key = p;
                key_len = strcspn(p, "= \t,");
                p += key_len;
                if (*p != '=')
                        return -EBADMSG;
                p++;
                if (*p == '"') {
                        Buffer b = {};

                        for (p++; *p != '"'; p++) {
                                if (*p == '\\' && p[1] != '\0')
                                        p++;
                                if (*p == '\0') {
                                        buffer_done(&b);
                                        return -EBADMSG;
                                }
                                if (buffer_putc(&b, *p) < 0) {
                                        buffer_done(&b);
                                        return -ENOMEM;
                                }
                        }
                        p++;
                        value = buffer_steal(&b);
                } else {
                        n = strcspn(p, " \t,");
                        value = strndup(p, n);
                        p += n;
                }
                if (!value)
                        return -ENOMEM;
                if (key_len == 5 && strncasecmp(key, "realm", 5) == 0)
                        slot = &c.realm;
                else if (key_len == 7 && strncasecmp(key, "service", 7) == 0)
                        slot = &c.service;
                else if (key_len == 5 && strncasecmp(key, "scope", 5) == 0)
                        slot = &c.scope;
                if (slot) {
                        free(*slot);
                        *slot = TAKE_PTR(value);
                }
        }
        *ret = c;
        c = (RegistryChallenge) {};
        return 0;
}

int registry_token_parse(const char *json, size_t size, char **ret_token) {
        _cleanup_(json_object_putp) json_object *root = NULL;
        json_tokener *tok = json_tokener_new();
        json_object *t;

        if (!tok)
                return -ENOMEM;
        if (size <= INT32_MAX)
                root = json_tokener_parse_ex(tok, json, (int) size);
        json_tokener_free(tok);
        if (!root || !json_object_is_type(root, json_type_object))
                return -EBADMSG;
        if ((!json_object_object_get_ex(root, "token", &t) || !json_object_is_type(t, json_type_string) ||
             json_object_get_string_len(t) == 0) &&
            (!json_object_object_get_ex(root, "access_token", &t) ||
             !json_object_is_type(t, json_type_string) ||
             json_object_get_string_len(t) == 0))
                return -EBADMSG;
        *ret_token = strdup(json_object_get_string(t));
        return *ret_token ? 0 : -ENOMEM;
}
