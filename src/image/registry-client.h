/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A client of one repository of a registry, over the registry HTTP API v2 (the OCI distribution spec),
 * with libcurl: one multi handle per client, so connections are reused and HTTP/2 multiplexes where the
 * registry speaks it. What it does that curl does not:
 *   - authentication as registries ask for it: a 401's WWW-Authenticate "Bearer realm=…,service=…,scope=…"
 *     → a token from the realm (with the auth file's credentials when there are some, anonymous otherwise),
 *     or "Basic" → the credentials; the Authorization header is set by us and only on requests to the
 *     registry's own origin (scheme, host, port): redirects are followed by us, and one to another origin
 *     (blob storage) goes without it;
 *   - TLS with the system's CAs plus certs.d/HOST[:PORT]/ *.crt, and client.cert + client.key there;
 *     plain HTTP only for a registry that is insecure (configured, or asked for): never as a fallback;
 *   - retries with backoff for what is transient (connection failures, resets, 5xx, 408, 429);
 *   - errors that name the registry, the repository and the HTTP status, with what to do for 401, 403, 404
 *     and 429. No error or log text ever holds a credential or a token.
 * Logs nothing above debug. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "macro.h"

typedef struct RegistryClient RegistryClient;

/* TLS or plain HTTP. The zero value is the safe one: an options struct left empty never turns TLS off. */
typedef enum RegistryTlsPolicy {
        REGISTRY_TLS_AS_CONFIGURED = 0, /* TLS, unless the registry is listed in insecure-registries */
        REGISTRY_TLS_REQUIRED,          /* TLS even for a listed one (--tls-verify=yes) */
        REGISTRY_TLS_PLAIN_HTTP,        /* plain HTTP (--tls-verify=no) */
} RegistryTlsPolicy;

typedef struct RegistryClientOptions {
        RegistryTlsPolicy tls;
        const char *auth_file;          /* NULL: registry_auth_file() */
} RegistryClientOptions;

/* |registry| a reference's domain ("docker.io", "127.0.0.1:5000"), |repository| the path after it
 * ("library/nginx"). */
int registry_client_new(const char *registry, const char *repository, const RegistryClientOptions *o,
                        RegistryClient **ret, char **ret_error);
RegistryClient *registry_client_free(RegistryClient *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(RegistryClient *, registry_client_free);
#define _cleanup_registry_client_free_ _cleanup_(registry_client_freep)

/* GET /v2/REPO/manifests/|reference| (a tag or a digest) with Accept for OCI and Docker v2 schema 2
 * manifests and indexes. A reference that is a digest is verified. |ret_media_type|: the Content-Type,
 * NULL when the registry sent none. */
int registry_get_manifest(RegistryClient *c, const char *reference, char **ret_json, size_t *ret_size,
                          char **ret_media_type, char ret_digest[DIGEST_STRING_MAX], char **ret_error);

/* GET a small blob (a config) whole, verified against |digest| and |size|. */
int registry_get_blob(RegistryClient *c, const char *digest, uint64_t size, size_t max, char **ret,
                      size_t *ret_size, char **ret_error);

/* Blobs streamed to their readers, several at once. */
typedef struct RegistryBlob {
        const char *digest;
        uint64_t size;                  /* the descriptor's: more or fewer bytes fail */
        int fd;                         /* a SOCK_STREAM socket the bytes are sent to as they arrive, each
                                         * once, in order (a retry resumes with a Range); the reader's pace
                                         * sets the download's. A reader that closes its end gets nothing
                                         * more; the blob is still read and verified. */
        uint64_t received;              /* so far: for a progress display */
        void *userdata;
} RegistryBlob;

/* Called for each blob before its download starts (to set |fd|), and once all of it was sent and its digest and size verified, in the caller's thread,
 * while the other transfers wait; a negative return stops everything and is returned. */
typedef int (*RegistryBlobDone)(RegistryBlob *b, void *userdata);
/* Called a few times a second while bytes flow. */
typedef void (*RegistryProgress)(void *userdata);

/* Downloads |blobs|, at most |parallel| at a time, each hashed as it passes. The first failure stops the
 * others: -EBADMSG a corrupt blob (its digest named), -EIO an HTTP or transfer error, -EACCES refused
 * credentials, -ENOENT not found. */
int registry_get_blobs(RegistryClient *c, RegistryBlob *blobs, size_t n, unsigned parallel,
                       RegistryBlobDone start, RegistryBlobDone done, RegistryProgress progress, void *userdata,
                       char **ret_error);

/* Checks |user| and |password| against |registry| (HOST[:PORT], "docker.io") as docker login does: GET
 * /v2/, and the challenge of its 401 answered with them (a token asked for with them from a Bearer realm,
 * or Basic), then GET /v2/ again with what that gave. 0 accepted (or a registry that asks for none:
 * *ret_open set), -EACCES refused (*ret_error names the registry and the HTTP status, never the
 * password), the client's other errors. Nothing is written. */
int registry_login_check(const char *registry, const char *user, const char *password,
                         RegistryTlsPolicy tls, bool *ret_open, char **ret_error);

/* "REGISTRY/REPOSITORY", for messages */
const char *registry_client_name(RegistryClient *c);
