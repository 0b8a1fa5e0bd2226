/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The registry client's session: where the registry's API is (docker.io's is registry-1.docker.io), plain
 * HTTP or TLS, and the Authorization it has earned: Basic from the auth file's credentials, or a Bearer
 * token from the realm a 401 names (the distribution spec's token flow, anonymous without credentials). */

#include <curl/curl.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "registry-auth.h"
#include "registry-internal.h"
#include "string-util.h"

#define TOKEN_MAX (1024U * 1024U)

const char *registry_client_name(RegistryClient *c) {
        return c->name;
}

static void authorization_clear(RegistryClient *c) {
        if (c->authorization)
                explicit_bzero(c->authorization, strlen(c->authorization));
        c->authorization = mfree(c->authorization);
}

RegistryClient *registry_client_free(RegistryClient *c) {
        if (!c)
                return NULL;
        authorization_clear(c);
        if (c->login_basic)
                explicit_bzero(c->login_basic, strlen(c->login_basic));
        free(c->login_basic);
        free(c->login_user);
        if (c->multi)
                curl_multi_cleanup(c->multi);
        if (c->token_multi)
                curl_multi_cleanup(c->token_multi);
        free(c->name);
        free(c->registry);
        free(c->repository);
        free(c->origin);
        free(c->auth_file);
        free(c);
        return NULL;
}

int registry_client_new(const char *registry, const char *repository, const RegistryClientOptions *o,
                        RegistryClient **ret, char **ret_error) {
        _cleanup_registry_client_free_ RegistryClient *c = calloc(1, sizeof(RegistryClient));
        const char *host = streq(registry, "docker.io") ? DOCKER_IO_API_HOST : registry;
        int r;

        if (!c)
                return -ENOMEM;
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
                return -EIO;
        c->insecure = o->tls == REGISTRY_TLS_PLAIN_HTTP ||
                      (o->tls == REGISTRY_TLS_AS_CONFIGURED && registry_is_insecure(registry));
        c->name = isempty(repository) ? strdup(registry) : strprintf("%s/%s", registry, repository);
        c->registry = strdup(registry);
        c->repository = strdup(repository);
        c->origin = strprintf("%s://%s", c->insecure ? "http" : "https", host);
        c->multi = curl_multi_init();
        c->token_multi = curl_multi_init();
        if (!c->name || !c->registry || !c->repository || !c->origin || !c->multi || !c->token_multi)
                return -ENOMEM;
        if (o->auth_file)
                c->auth_file = strdup(o->auth_file);
        else
                (void) registry_auth_file(&c->auth_file);
        if (!c->auth_file)
                return -ENOMEM;
        if (curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long) CURLPIPE_MULTIPLEX) != CURLM_OK ||
            curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L) != CURLM_OK) {
                r = strprintf_replace(ret_error, "Cannot set up the transfers to %s.", registry);
                return r < 0 ? r : -EIO;
        }
        *ret = TAKE_PTR(c);
        return 0;
}

int registry_url_origin(const char *url, char **ret_origin, char **ret_hostport, bool *ret_https) {
        CURLU *u = curl_url();
        char *scheme = NULL, *host = NULL, *port = NULL;
        int r = -EPROTO;

        if (!u)
                return -ENOMEM;
        if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
            curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
            curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
                goto finish;
        (void) curl_url_get(u, CURLUPART_PORT, &port, 0);
        if (!streq(scheme, "https") && !streq(scheme, "http"))
                goto finish;
        *ret_hostport = port ? strprintf("%s:%s", host, port) : strdup(host);
        *ret_origin = strprintf("%s://%s", scheme, *ret_hostport ? *ret_hostport : "");
        if (!*ret_hostport || !*ret_origin) {
                free(*ret_hostport);
                free(*ret_origin);
                r = -ENOMEM;
                goto finish;
        }
        *ret_https = streq(scheme, "https");
        r = 0;
finish:
        curl_free(scheme);
        curl_free(host);
        curl_free(port);
        curl_url_cleanup(u);
        return r;
}

/* realm?service=…&scope=…, each escaped */
static int token_url(RegistryClient *c, const RegistryChallenge *ch, char **ret) {
        _cleanup_free_ char *default_scope = strprintf("repository:%s:pull", c->repository);
        char *service = NULL, *scope = NULL;
        int r = -ENOMEM;

        if (!default_scope)
                return -ENOMEM;
        /* a login check asks for no repository: a token for the user alone, as docker login asks */
        if (ch->scope || !isempty(c->repository))
                scope = curl_easy_escape(NULL, ch->scope ?: default_scope, 0);
        if (ch->service)
                service = curl_easy_escape(NULL, ch->service, 0);
        if ((scope || (!ch->scope && isempty(c->repository))) && (service || !ch->service)) {
                *ret = strprintf("%s%s%s%s%s%s%s", ch->realm, strchr(ch->realm, '?') ? "&" : "?",
                                 service ? "service=" : "", strempty(service), service && scope ? "&" : "",
                                 scope ? "scope=" : "", strempty(scope));
                r = *ret ? 0 : -ENOMEM;
        }
        curl_free(service);
        curl_free(scope);
        return r;
}

static int fetch_token(RegistryClient *c, const RegistryChallenge *ch, const char *basic, const char *user,
                       char **ret_error) {
        _cleanup_(registry_request_freep) RegistryRequest *q = NULL;
        _cleanup_free_ char *url = NULL, *origin = NULL, *hostport = NULL, *what = NULL, *token = NULL;
        bool https;
        int r;

        if (!ch->realm)
                return strprintf_replace(ret_error, "%s asks for a token but names no realm to get it from.",
                                         c->name) < 0 ? -ENOMEM : -EACCES;
        r = token_url(c, ch, &url);
        if (r < 0)
                return r;
        if (registry_url_origin(url, &origin, &hostport, &https) < 0)
                return strprintf_replace(ret_error, "%s names a token realm that is not an http(s) URL.",
                                         c->name) < 0 ? -ENOMEM : -EACCES;
        what = strprintf("token from %s%s%s", hostport, user ? " for user " : " (anonymous)", strempty(user));
        if (!what)
                return -ENOMEM;
        r = registry_request_new(c, url, what, &q);
        if (r < 0)
                return r;
        q->token = true;
        q->multi = c->token_multi;
        q->token_origin = origin;
        q->token_authorization = basic;
        q->body.max = TOKEN_MAX;
        r = registry_run(c, &q, 1, 1, NULL, NULL, NULL, NULL, NULL, ret_error);
        if (r < 0)
                return r;
        if (registry_token_parse(q->body.data, q->body.size, &token) < 0)
                return strprintf_replace(ret_error, "%s: the token service %s answered without a token.",
                                         c->name, hostport) < 0 ? -ENOMEM : -EACCES;
        authorization_clear(c);
        c->authorization = strprintf("Bearer %s", token);
        explicit_bzero(token, strlen(token));
        return c->authorization ? 0 : -ENOMEM;
}

int registry_authenticate(RegistryClient *c, const char *challenge, char **ret_error) {
        _cleanup_(registry_challenge_done) RegistryChallenge ch = {};
        _cleanup_free_ char *user = NULL, *password = NULL, *basic = NULL;
        int r;

        if (!challenge || registry_challenge_parse(challenge, &ch) < 0)
                return strprintf_replace(ret_error, "%s answered 401 without a challenge ctr understands.",
                                         c->name) < 0 ? -ENOMEM : -EACCES;
        if (c->login) {
                basic = strdup(c->login_basic);
                user = strdup(c->login_user);
                if (!basic || !user)
                        return -ENOMEM;
                r = -ENOENT;    /* nothing from the auth file */
        } else
                r = registry_auth_lookup(c->auth_file, c->registry, &user, &password);
        if (r < 0 && r != -ENOENT)
                return strprintf_replace(ret_error, "Cannot read the credentials for %s in %s: %s.",
                                         c->registry, c->auth_file, strerror(-r)) < 0 ? -ENOMEM : -EACCES;
        if (r >= 0) {
                r = registry_basic_credentials(user, password, &basic);
                explicit_bzero(password, strlen(password));
                if (r < 0)
                        return r;
        }

        if (strcasecmp(ch.scheme, "Bearer") == 0) {
                r = fetch_token(c, &ch, basic, user, ret_error);
        } else if (strcasecmp(ch.scheme, "Basic") == 0) {
                if (!basic)
                        return strprintf_replace(ret_error, "%s requires credentials (HTTP 401): log in with "
                                                 "'ctrctl image login %s' (written to %s).", c->name,
                                                 c->registry, c->auth_file) < 0 ? -ENOMEM : -EACCES;
                authorization_clear(c);
                c->authorization = TAKE_PTR(basic);
                r = 0;
        } else
                r = strprintf_replace(ret_error, "%s asks for authentication by '%s', which ctr does not "
                                      "speak.", c->name, ch.scheme) < 0 ? -ENOMEM : -EACCES;
        if (basic)
                explicit_bzero(basic, strlen(basic));
        return r;
}

int registry_login_check(const char *registry, const char *user, const char *password,
                         RegistryTlsPolicy tls, bool *ret_open, char **ret_error) {
        _cleanup_registry_client_free_ RegistryClient *c = NULL;
        _cleanup_(registry_request_freep) RegistryRequest *q = NULL;
        _cleanup_free_ char *url = NULL, *what = NULL;
        int r;

        r = registry_client_new(registry, "", &(RegistryClientOptions) { .tls = tls }, &c, ret_error);
        if (r < 0)
                return r;
        c->login = true;
        c->login_user = strdup(user);
        url = strprintf("%s/v2/", c->origin);
        what = strprintf("login as %s", user);
        if (!c->login_user || !url || !what)
                return -ENOMEM;
        r = registry_basic_credentials(user, password, &c->login_basic);
        if (r < 0)
                return r;
        r = registry_request_new(c, url, what, &q);
        if (r < 0)
                return r;
        q->body.max = TOKEN_MAX;
        r = registry_run(c, &q, 1, 1, NULL, NULL, NULL, NULL, NULL, ret_error);
        if (r < 0)
                return r;
        /* answered without a 401: the registry asks nobody for credentials */
        *ret_open = !q->authenticated;
        return 0;
}

int registry_error_body_message(const char *body, size_t size, char **ret) {
        json_tokener *tok;
        json_object *root = NULL, *errors, *first, *m;
        int r = -ENOENT;

        if (!body || size == 0 || size > INT32_MAX || !(tok = json_tokener_new()))
                return -ENOENT;
        root = json_tokener_parse_ex(tok, body, (int) size);
        json_tokener_free(tok);
        if (root && json_object_object_get_ex(root, "errors", &errors) &&
            json_object_is_type(errors, json_type_array) && json_object_array_length(errors) > 0 &&
            (first = json_object_array_get_idx(errors, 0)) &&
            json_object_object_get_ex(first, "message", &m) && json_object_is_type(m, json_type_string)) {
                /* the registry's text, printable only: it ends up on a terminal */
                r = escape_non_printable(json_object_get_string(m), (size_t) json_object_get_string_len(m),
                                         ret);
        }
        json_object_put(root);
        return r;
}
