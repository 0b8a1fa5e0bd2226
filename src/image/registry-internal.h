/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the registry client's files share (registry-client.c: requests and the transfer loop;
 * registry-session.c: the client, its origin and authentication; registry-tls.c: certs.d). Not for
 * callers outside src/image/registry-*.c. */

#include <curl/curl.h>
#include <stdbool.h>

#include "buffer.h"
#include "registry-client.h"

struct RegistryClient {
        char *name;                     /* "REGISTRY/REPOSITORY", for messages */
        char *registry;                 /* the reference's domain: the auth file's key */
        char *repository;
        char *origin;                   /* "https://HOST[:PORT]": where the API is */
        bool insecure;                  /* plain HTTP */
        char *auth_file;
        char *authorization;            /* the Authorization header's value for origin, NULL none yet */
        /* registry_login_check(): the credentials being checked (user, and "Basic …"), not the auth file's */
        bool login;
        char *login_user, *login_basic;
        CURLM *multi;
        /* for token requests, which may be made while the transfers of |multi| wait (a token that
         * expired in the middle of a pull): a run on |multi| from inside a run on it would take its
         * completions */
        CURLM *token_multi;
};

/* A registry's TLS material for one origin: extra CA files and a client certificate. */
typedef struct RegistryTls {
        char **ca_files;
        char *client_cert, *client_key;
} RegistryTls;

void registry_tls_done(RegistryTls *t);
/* Reads certs.d/|hostport|/ in each certs.d directory (registry-auth.h); the first that exists wins. */
int registry_tls_load(const char *hostport, RegistryTls *ret);
/* Verification on (always, for https), |t|'s CAs added to the system's, its client certificate. */
int registry_tls_apply(CURL *easy, bool https, const RegistryTls *t);

typedef struct RegistryRequest {
        RegistryClient *client;
        CURLM *multi;                   /* the client's, or its token_multi */
        CURL *easy;
        char *url;
        char *what;                     /* "manifest latest", "blob sha256:…": for messages */
        const char *accept;             /* a whole "Accept: …" header, or NULL */
        struct curl_slist *headers;
        RegistryTls tls;
        /* a token request: the credentials for the token service's origin (NULL: none); otherwise the
         * client's Authorization goes to the client's origin */
        bool token;
        const char *token_origin;
        const char *token_authorization;
        bool on_registry;               /* url is on the origin the Authorization is for */
        bool active;                    /* added to the multi handle */
        bool authenticated;             /* a 401 was answered once already */
        unsigned redirects, attempts;
        uint64_t retry_at;              /* CLOCK_MONOTONIC µs; 0: not waiting */

        /* the body: into |blob|'s socket (blob_write()), or |body| */
        RegistryBlob *blob;
        bool started;                   /* an attempt was made: a blob's bytes so far count */
        uint64_t resume_from;           /* this attempt asked for the blob from here (Range) */
        bool offset_known;              /* |offset| set from this attempt's status (206 or 200) */
        uint64_t offset;                /* the blob offset of the chunk write_cb() gets */
        size_t chunk_consumed;          /* of a chunk paused midway: what was taken before */
        bool paused;                    /* waits for the reader: its socket is polled for POLLOUT */
        bool reader_gone;               /* the reader closed its end: the rest is only hashed */
        Buffer body;
        Buffer error_body;
        const char *expected_digest;    /* NULL: not verified */
        uint64_t expected_size;         /* UINT64_MAX: unknown */
        DigestCheck check;
        uint64_t received;

        long status;
        char *www_authenticate, *content_type;
        int error;
        char *error_text;
        char errbuf[CURL_ERROR_SIZE];
} RegistryRequest;

int registry_request_new(RegistryClient *c, const char *url, const char *what, RegistryRequest **ret);
RegistryRequest *registry_request_free(RegistryRequest *q);
DEFINE_TRIVIAL_CLEANUP_FUNC(RegistryRequest *, registry_request_free);
int registry_request_start(RegistryRequest *q);

/* Runs |reqs| to the end, at most |parallel| at a time: |start| (may be NULL) before each one's first
 * attempt, |done| (may be NULL) once it succeeded; the first failure (or negative return of either)
 * stops the others. */
typedef int (*RegistryRequestDone)(RegistryRequest *q, void *userdata);
int registry_run(RegistryClient *c, RegistryRequest **reqs, size_t n, unsigned parallel,
                 RegistryRequestDone start, RegistryRequestDone done, void *userdata, RegistryProgress progress,
                 void *progress_userdata, char **ret_error);

/* "http(s)://HOST[:PORT]" of |url| and "HOST[:PORT]" (the port only when the URL has one: certs.d's name);
 * -EPROTO for another scheme or an unparsable URL. */
int registry_url_origin(const char *url, char **ret_origin, char **ret_hostport, bool *ret_https);

/* Answers a 401 whose WWW-Authenticate is |challenge| (NULL: none): sets c->authorization, fetching a
 * token for a Bearer challenge. -EACCES and a sentence when that cannot work. */
int registry_authenticate(RegistryClient *c, const char *challenge, char **ret_error);

/* The first message of a registry's error body ({"errors": [{"code": …, "message": …}]}), if any. */
int registry_error_body_message(const char *body, size_t size, char **ret);
