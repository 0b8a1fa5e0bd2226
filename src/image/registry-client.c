/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The registry client (registry-client.h): requests on one curl multi handle, each a RegistryRequest that
 * is set up again for a redirect, a retry or after authenticating; TLS per origin (registry-tls.c). */

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buffer.h"
#include "oci-json.h"
#include "registry-auth.h"
#include "registry-internal.h"
#include "string-util.h"
#include "time-util.h"

#define MAX_REDIRECTS 5U
#define MAX_ATTEMPTS 4U                 /* the first and three retries: 0.5 s, 1 s, 2 s apart */
#define RETRY_BASE_USEC (500U * 1000U)
#define ERROR_BODY_MAX (16U * 1024U)
#define PROGRESS_INTERVAL_USEC (200U * 1000U)

#define MANIFEST_ACCEPT                                                                         \
        "Accept: " OCI_MEDIA_MANIFEST ", " OCI_MEDIA_INDEX ", " DOCKER_MEDIA_MANIFEST ", " DOCKER_MEDIA_LIST

/* the request failed: |r| and a sentence, kept in the request until the loop hands it to the caller */
#define request_fail(q, r, ...) ((void) strprintf_replace(&(q)->error_text, __VA_ARGS__), (q)->error = (r))

static size_t header_cb(char *buffer, size_t size, size_t n, void *userdata) {
        RegistryRequest *q = userdata;
        size_t len = size * n;
        char **slot = NULL;
        char *v;
        _cleanup_free_ char *line = strndup(buffer, len);

        if (!line)
                return 0;
        if (startswith(line, "HTTP/")) {
                /* a new response (after a 100 Continue): forget the previous one's headers */
                q->www_authenticate = mfree(q->www_authenticate);
                q->content_type = mfree(q->content_type);
                return len;
        }
        if ((v = startswith_no_case(line, "WWW-Authenticate:")))
                slot = &q->www_authenticate;
        else if ((v = startswith_no_case(line, "Content-Type:")))
                slot = &q->content_type;
        if (slot) {
                free(*slot);
                *slot = strdup(strstrip(v));
                if (!*slot)
                        return 0;
        }
        return len;
}

/* A blob's bytes into its socket, as far as the reader takes them: the rest of the chunk waits (the
 * transfer paused) until the socket is writable again, so a slow unpacker slows only its own download. A
 * reader that is gone (it refused the layer) no longer gets anything, but the blob is still hashed to its
 * end: a corrupt blob is named as such rather than by what the corruption made of the layer. Bytes before
 * q->received (delivered by an earlier attempt) are skipped: a retry asks for the rest, and a registry that
 * ignores the Range sends everything again. */
static size_t blob_write(RegistryRequest *q, const char *data, size_t len) {
        size_t i = q->chunk_consumed;

        q->chunk_consumed = 0;
        while (i < len) {
                uint64_t pos = q->offset + i;
                ssize_t w;

                if (pos < q->received) {
                        i += (size_t) MIN((uint64_t) (len - i), q->received - pos);
                        continue;
                }
                if (q->expected_size != UINT64_MAX && q->received + (len - i) > q->expected_size) {
                        (void) request_fail(q, -EBADMSG, "Blob %s from %s is corrupt: more bytes than its "
                                            "descriptor's %" PRIu64 ".", q->expected_digest, q->client->name,
                                            q->expected_size);
                        return 0;
                }
                if (q->reader_gone)
                        w = (ssize_t) (len - i);
                else {
                        w = send(q->blob->fd, data + i, len - i, MSG_NOSIGNAL | MSG_DONTWAIT);
                        if (w < 0) {
                                if (errno == EINTR)
                                        continue;
                                if (errno == EAGAIN) {
                                        q->chunk_consumed = i;
                                        q->paused = true;
                                        return CURL_WRITEFUNC_PAUSE;
                                }
                                if (errno != EPIPE && errno != ECONNRESET) {
                                        (void) request_fail(q, negative_errno(), "Cannot pass on blob %s: %m",
                                                            q->expected_digest);
                                        return 0;
                                }
                                q->reader_gone = true;
                                continue;
                        }
                }
                digest_check_update(&q->check, data + i, (size_t) w);
                q->received += (uint64_t) w;
                q->blob->received = q->received;
                i += (size_t) w;
        }
        q->offset += len;
        return len;
}

static size_t write_cb(char *data, size_t size, size_t n, void *userdata) {
        RegistryRequest *q = userdata;
        size_t len = size * n;
        long status = 0;

        (void) curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &status);
        if (status != 200 && !(status == 206 && q->blob && q->resume_from > 0)) {
                /* an error's body: kept (bounded) for its message */
                (void) buffer_append(&q->error_body, data, MIN(len, ERROR_BODY_MAX - MIN(q->error_body.size,
                                                                                       ERROR_BODY_MAX)));
                return len;
        }
        if (q->blob) {
                if (!q->offset_known) {
                        q->offset = status == 206 ? q->resume_from : 0;
                        q->offset_known = true;
                }
                return blob_write(q, data, len);
        }
        if (q->expected_size != UINT64_MAX && q->received + len > q->expected_size) {
                (void) request_fail(q, -EBADMSG, "Blob %s from %s is corrupt: more bytes than its "
                                    "descriptor's %" PRIu64 ".", q->expected_digest, q->client->name,
                                    q->expected_size);
                return 0;
        }
        if (q->expected_digest)
                digest_check_update(&q->check, data, len);
        if (buffer_append(&q->body, data, len) < 0) {
                (void) request_fail(q, -EFBIG, "The answer of %s to %s is over %zu bytes.", q->client->name,
                                    q->what, q->body.max);
                return 0;
        }
        q->received += len;
        return len;
}

RegistryRequest *registry_request_free(RegistryRequest *q) {
        if (!q)
                return NULL;
        if (q->easy) {
                if (q->active)
                        (void) curl_multi_remove_handle(q->multi, q->easy);
                curl_easy_cleanup(q->easy);
        }
        curl_slist_free_all(q->headers);
        registry_tls_done(&q->tls);
        free(q->url);
        free(q->what);
        free(q->www_authenticate);
        free(q->content_type);
        free(q->error_text);
        buffer_done(&q->body);
        buffer_done(&q->error_body);
        free(q);
        return NULL;
}

int registry_request_new(RegistryClient *c, const char *url, const char *what, RegistryRequest **ret) {
        _cleanup_(registry_request_freep) RegistryRequest *q = calloc(1, sizeof(RegistryRequest));

        if (!q)
                return -ENOMEM;
        q->client = c;
        q->multi = c->multi;
        q->expected_size = UINT64_MAX;
        q->body.max = OCI_JSON_MAX;
        q->url = strdup(url);
        q->what = strdup(what);
        q->easy = curl_easy_init();
        if (!q->url || !q->what || !q->easy)
                return -ENOMEM;
        *ret = TAKE_PTR(q);
        return 0;
}

/* (Re)configures the easy handle for q->url: the origin decides TLS and whether Authorization goes. */
static int request_setup(RegistryRequest *q) {
        RegistryClient *c = q->client;
        _cleanup_free_ char *origin = NULL, *hostport = NULL;
        bool https;
        int r;

        r = registry_url_origin(q->url, &origin, &hostport, &https);
        if (r < 0)
                return request_fail(q, -EPROTO, "%s: %s gave an address that is not http(s): %s", c->name,
                                    q->what, q->url);
        q->on_registry = streq(origin, q->token ? q->token_origin : c->origin);
        /* plain HTTP: the registry itself when insecure; a token realm or a redirect's target only when
         * the registry is insecure too, or the target is listed (credentials go to a realm) */
        if (!https && (q->token || !q->on_registry) && !c->insecure && !registry_is_insecure(hostport))
                return request_fail(q, -EPROTO, "%s: %s is on plain HTTP (%s), which is refused: only "
                                    "registries configured insecure are spoken to without TLS.", c->name,
                                    q->what, hostport);

        curl_easy_reset(q->easy);
        curl_slist_free_all(q->headers);
        q->headers = NULL;
        if (q->accept && !(q->headers = curl_slist_append(q->headers, q->accept)))
                return -ENOMEM;
        if (q->on_registry && (q->token ? q->token_authorization : c->authorization)) {
                _cleanup_free_ char *h = strprintf("Authorization: %s",
                                                   q->token ? q->token_authorization : c->authorization);
                struct curl_slist *l;

                if (!h)
                        return -ENOMEM;
                l = curl_slist_append(q->headers, h);
                explicit_bzero(h, strlen(h));
                if (!l)
                        return -ENOMEM;
                q->headers = l;
        }
        registry_tls_done(&q->tls);
        if (https) {
                r = registry_tls_load(hostport, &q->tls);
                if (r < 0)
                        return request_fail(q, r, "Cannot read the certificates of %s in certs.d: %s",
                                            hostport, strerror(-r));
        }

        if (curl_easy_setopt(q->easy, CURLOPT_URL, q->url) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_HTTPHEADER, q->headers) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_HEADERFUNCTION, header_cb) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_HEADERDATA, q) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_WRITEDATA, q) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_PRIVATE, q) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_ERRORBUFFER, q->errbuf) != CURLE_OK ||
            /* redirects are ours: the next origin decides on TLS and on Authorization */
            curl_easy_setopt(q->easy, CURLOPT_FOLLOWLOCATION, 0L) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_UNRESTRICTED_AUTH, 0L) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_NETRC, (long) CURL_NETRC_IGNORED) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_HTTP_VERSION, (long) CURL_HTTP_VERSION_2TLS) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_PIPEWAIT, 1L) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_ACCEPT_ENCODING, "identity") != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_USERAGENT, "ctr") != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_CONNECTTIMEOUT, 30L) != CURLE_OK ||
            /* a stall (under 1 byte/s for 60 s) fails and is retried; a slow pull never times out */
            curl_easy_setopt(q->easy, CURLOPT_LOW_SPEED_LIMIT, 1L) != CURLE_OK ||
            curl_easy_setopt(q->easy, CURLOPT_LOW_SPEED_TIME, 60L) != CURLE_OK ||
            (q->resume_from > 0 &&
             curl_easy_setopt(q->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t) q->resume_from) != CURLE_OK) ||
            registry_tls_apply(q->easy, https, &q->tls) < 0)
                return request_fail(q, -EIO, "Cannot set up a request to %s.", hostport);
        q->errbuf[0] = '\0';
        q->status = 0;
        return 0;
}

/* Before an attempt (the first, a retry, a redirect): a document starts again, a blob goes on from what
 * its reader has (asking for the rest with a Range). */
static void request_rewind(RegistryRequest *q) {
        buffer_reset(&q->body);
        buffer_reset(&q->error_body);
        q->error = 0;
        q->error_text = mfree(q->error_text);
        q->offset_known = false;
        q->chunk_consumed = 0;
        q->paused = false;
        if (!q->blob || !q->started) {
                q->received = 0;
                if (q->expected_digest)
                        (void) digest_check_init(&q->check, q->expected_digest);
        }
        q->started = true;
        q->resume_from = q->blob ? q->received : 0;
}

int registry_request_start(RegistryRequest *q) {
        int r;

        request_rewind(q);
        r = request_setup(q);
        if (r < 0)
                return r;
        if (curl_multi_add_handle(q->multi, q->easy) != CURLM_OK)
                return request_fail(q, -EIO, "Cannot start a request to %s.", q->client->name);
        q->active = true;
        return 0;
}

static const char *status_hint(const RegistryClient *c, long status) {
        switch (status) {
        case 401:
                return c->login ? "the user name or password is wrong" :
                       "authentication required or refused: log in with 'ctrctl image login REGISTRY', "
                       "or check the credentials in the auth file";
        case 403:
                return "access denied: these credentials may not pull from this repository";
        case 404:
                return "not found: check the repository name and the tag or digest";
        case 429:
                return "too many requests: the registry rate-limits pulls; wait, or log in for a higher "
                       "limit";
        default:
                return status >= 500 ? "the registry failed; try again later" : "unexpected answer";
        }
}

static bool curl_transient(CURLcode e) {
        switch (e) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_PARTIAL_FILE:
        case CURLE_GOT_NOTHING:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
                return true;
        default:
                return false;
        }
}

static void schedule_retry(RegistryRequest *q) {
        q->retry_at = now_monotonic_usec() + (uint64_t) RETRY_BASE_USEC * (UINT64_C(1) << (q->attempts - 1));
}

/* A transfer ended: decides what comes next. 1 done (successfully), 0 started again or scheduled for a
 * retry (q->retry_at), < 0 failed (q->error_text says why). */
static int request_finished(RegistryRequest *q, CURLcode result) {
        RegistryClient *c = q->client;
        char *location = NULL;
        int r;

        q->active = false;
        (void) curl_multi_remove_handle(q->multi, q->easy);
        (void) curl_easy_getinfo(q->easy, CURLINFO_RESPONSE_CODE, &q->status);
        q->attempts++;

        if (q->error < 0)
                return q->error;                /* the write callback stopped it */
        if (result != CURLE_OK) {
                if (curl_transient(result) && q->attempts < MAX_ATTEMPTS) {
                        schedule_retry(q);
                        return 0;
                }
                return request_fail(q, -EIO, "%s: %s failed: %s%s", c->name, q->what,
                                    q->errbuf[0] ? q->errbuf : curl_easy_strerror(result),
                                    result == CURLE_SSL_CONNECT_ERROR ?
                                    " (a registry without TLS is used only when configured insecure, or with "
                                    "--tls-verify=no)" :
                                    result == CURLE_PEER_FAILED_VERIFICATION ?
                                    " (its CA goes in certs.d/HOST:PORT/ca.crt; see ctrctl(1))" : "");
        }
        if (q->status >= 300 && q->status < 400 &&
            curl_easy_getinfo(q->easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
                if (++q->redirects > MAX_REDIRECTS)
                        return request_fail(q, -ELOOP, "%s: %s: more than %u redirects.", c->name, q->what,
                                            MAX_REDIRECTS);
                r = free_and_strdup(&q->url, location);
                if (r < 0)
                        return r;
                q->attempts = 0;
                r = registry_request_start(q);
                return r < 0 ? r : 0;
        }
        if (q->status == 401 && q->on_registry && !q->token && !q->authenticated) {
                q->authenticated = true;
                r = registry_authenticate(c, q->www_authenticate, &q->error_text);
                if (r < 0)
                        return q->error = r;
                r = registry_request_start(q);
                return r < 0 ? r : 0;
        }
        if ((q->status >= 500 && q->status != 501) || q->status == 408 || q->status == 429) {
                if (q->attempts < MAX_ATTEMPTS) {
                        schedule_retry(q);
                        return 0;
                }
        }
        if (q->status != 200 && !(q->status == 206 && q->resume_from > 0)) {
                _cleanup_free_ char *detail = NULL;

                (void) registry_error_body_message(q->error_body.data, q->error_body.size, &detail);
                return request_fail(q, q->status == 404 ? -ENOENT :
                                    q->status == 401 || q->status == 403 ? -EACCES : -EIO,
                                    "%s: %s: HTTP %ld%s%s%s: %s.", c->name, q->what, q->status,
                                    detail ? " (" : "", strempty(detail), detail ? ")" : "",
                                    status_hint(c, q->status));
        }
        if (q->expected_digest) {
                char got[DIGEST_STRING_MAX];

                if (q->expected_size != UINT64_MAX && q->received != q->expected_size)
                        return request_fail(q, -EBADMSG, "Blob %s from %s is corrupt: %" PRIu64 " bytes "
                                            "where its descriptor says %" PRIu64 ".", q->expected_digest,
                                            c->name, q->received, q->expected_size);
                if (digest_check_finish(&q->check, got) < 0)
                        return request_fail(q, -EBADMSG, "Blob %s from %s is corrupt: its content has "
                                            "digest %s. Nothing of it was stored.", q->expected_digest,
                                            c->name, got);
        }
        return 1;
}

/* Waits for the network, or for the reader of a paused blob to take more; then resumes those. */
static int run_poll(CURLM *multi, RegistryRequest **reqs, size_t n) {
        _cleanup_free_ struct curl_waitfd *fds = calloc(n + 1, sizeof(struct curl_waitfd));
        _cleanup_free_ RegistryRequest **paused = calloc(n + 1, sizeof(RegistryRequest *));
        unsigned n_fds = 0;

        if (!fds || !paused)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (reqs[i]->active && reqs[i]->paused) {
                        fds[n_fds] = (struct curl_waitfd) { .fd = reqs[i]->blob->fd, .events = CURL_WAIT_POLLOUT };
                        paused[n_fds++] = reqs[i];
                }
        if (curl_multi_poll(multi, fds, n_fds, 100, NULL) != CURLM_OK)
                return -EIO;
        for (unsigned i = 0; i < n_fds; i++)
                if (fds[i].revents != 0) {
                        paused[i]->paused = false;
                        /* may call write_cb() at once with what waited, and pause again */
                        if (curl_easy_pause(paused[i]->easy, CURLPAUSE_CONT) != CURLE_OK)
                                return -EIO;
                }
        return 0;
}

int registry_run(RegistryClient *c, RegistryRequest **reqs, size_t n, unsigned parallel,
                 RegistryRequestDone start, RegistryRequestDone done, void *userdata, RegistryProgress progress,
                 void *progress_userdata, char **ret_error) {
        CURLM *multi = n > 0 ? reqs[0]->multi : c->multi;     /* one per run: see registry_request_new() */
        size_t next = 0, finished = 0;
        unsigned running = 0;
        uint64_t last_progress = 0;
        int r = 0;

        while (finished < n) {
                uint64_t now = now_monotonic_usec();
                int still, left;
                CURLMsg *m;

                /* retries that are due, then new requests up to |parallel| */
                for (size_t i = 0; i < next && r >= 0; i++)
                        if (reqs[i]->retry_at != 0 && reqs[i]->retry_at <= now) {
                                reqs[i]->retry_at = 0;
                                r = registry_request_start(reqs[i]);
                                if (r < 0)
                                        goto fail_request;
                        }
                while (running < MAX(parallel, 1U) && next < n) {
                        if (start) {
                                r = start(reqs[next], userdata);
                                if (r < 0)
                                        return r;
                        }
                        r = registry_request_start(reqs[next]);
                        if (r < 0) {
                                next++;
                                goto fail_request;
                        }
                        next++;
                        running++;
                }

                if (curl_multi_perform(multi, &still) != CURLM_OK)
                        return strprintf_replace(ret_error, "%s: the transfer failed.", c->name) < 0 ?
                                -ENOMEM : -EIO;
                while ((m = curl_multi_info_read(multi, &left))) {
                        RegistryRequest *q = NULL;

                        if (m->msg != CURLMSG_DONE)
                                continue;
                        (void) curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **) &q);
                        r = request_finished(q, m->data.result);
                        if (r < 0)
                                goto fail_request;
                        if (r == 0)
                                continue;
                        running--;
                        finished++;
                        if (done) {
                                r = done(q, userdata);
                                if (r < 0)
                                        return r;
                        }
                }
                if (progress && now >= last_progress + PROGRESS_INTERVAL_USEC) {
                        last_progress = now;
                        progress(progress_userdata);
                }
                if (finished < n) {
                        r = run_poll(multi, reqs, next);
                        if (r < 0)
                                return r;
                }
                continue;

        fail_request:
                for (size_t i = 0; i < next; i++)
                        if (reqs[i]->error < 0 || reqs[i]->error_text) {
                                if (reqs[i]->error_text)
                                        (void) free_and_strdup(ret_error, reqs[i]->error_text);
                                return reqs[i]->error < 0 ? reqs[i]->error : r;
                        }
                return r;
        }
        return 0;
}

static int request_get(RegistryClient *c, const char *path, const char *what, const char *accept,
                       const char *digest, uint64_t size, size_t max, RegistryRequest **ret,
                       char **ret_error) {
        _cleanup_(registry_request_freep) RegistryRequest *q = NULL;
        _cleanup_free_ char *url = strprintf("%s/v2/%s/%s", c->origin, c->repository, path);
        int r;

        if (!url)
                return -ENOMEM;
        r = registry_request_new(c, url, what, &q);
        if (r < 0)
                return r;
        q->accept = accept;
        q->expected_digest = digest;
        q->expected_size = size;
        q->body.max = max;
        r = registry_run(c, &q, 1, 1, NULL, NULL, NULL, NULL, NULL, ret_error);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(q);
        return 0;
}

int registry_get_manifest(RegistryClient *c, const char *reference, char **ret_json, size_t *ret_size,
                          char **ret_media_type, char ret_digest[DIGEST_STRING_MAX], char **ret_error) {
        _cleanup_(registry_request_freep) RegistryRequest *q = NULL;
        _cleanup_free_ char *path = strprintf("manifests/%s", reference), *what = NULL;
        bool pinned = digest_is_valid(reference);
        int r;

        what = strprintf("manifest %s%s", pinned ? "" : "of tag ", reference);
        if (!path || !what)
                return -ENOMEM;
        r = request_get(c, path, what, MANIFEST_ACCEPT, pinned ? reference : NULL, UINT64_MAX, OCI_JSON_MAX,
                        &q, ret_error);
        if (r < 0)
                return r;
        if (!pinned) {
                DigestCheck check;

                (void) digest_check_init(&check, NULL);
                digest_check_update(&check, q->body.data, q->body.size);
                (void) digest_check_finish(&check, ret_digest);
        } else
                strcpy(ret_digest, reference);
        *ret_media_type = NULL;
        if (q->content_type) {
                q->content_type[strcspn(q->content_type, "; ")] = '\0';
                *ret_media_type = TAKE_PTR(q->content_type);
        }
        *ret_size = q->body.size;
        *ret_json = buffer_steal(&q->body);
        return *ret_json ? 0 : -ENOMEM;
}

int registry_get_blob(RegistryClient *c, const char *digest, uint64_t size, size_t max, char **ret,
                      size_t *ret_size, char **ret_error) {
        _cleanup_(registry_request_freep) RegistryRequest *q = NULL;
        _cleanup_free_ char *path = strprintf("blobs/%s", digest), *what = strprintf("blob %s", digest);
        int r;

        if (!path || !what)
                return -ENOMEM;
        if (size > max)
                return strprintf_replace(ret_error, "Blob %s is %" PRIu64 " bytes, more than %zu.", digest,
                                         size, max) < 0 ? -ENOMEM : -EFBIG;
        r = request_get(c, path, what, NULL, digest, size, max, &q, ret_error);
        if (r < 0)
                return r;
        *ret_size = q->body.size;
        *ret = buffer_steal(&q->body);
        return *ret ? 0 : -ENOMEM;
}

typedef struct BlobsRun {
        RegistryBlobDone start, done;
        void *userdata;
} BlobsRun;

static int blob_start(RegistryRequest *q, void *userdata) {
        BlobsRun *b = userdata;

        return b->start ? b->start(q->blob, b->userdata) : 0;
}

static int blob_done(RegistryRequest *q, void *userdata) {
        BlobsRun *b = userdata;

        return b->done ? b->done(q->blob, b->userdata) : 0;
}

int registry_get_blobs(RegistryClient *c, RegistryBlob *blobs, size_t n, unsigned parallel,
                       RegistryBlobDone start, RegistryBlobDone done, RegistryProgress progress, void *userdata,
                       char **ret_error) {
        RegistryRequest **reqs = calloc(n + 1, sizeof(RegistryRequest *));
        BlobsRun run = { .start = start, .done = done, .userdata = userdata };
        int r = 0;

        if (!reqs)
                return -ENOMEM;
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ char *url = strprintf("%s/v2/%s/blobs/%s", c->origin, c->repository,
                                                     blobs[i].digest);
                _cleanup_free_ char *what = strprintf("blob %s", blobs[i].digest);

                r = url && what ? registry_request_new(c, url, what, &reqs[i]) : -ENOMEM;
                if (r >= 0) {
                        reqs[i]->blob = &blobs[i];
                        reqs[i]->expected_digest = blobs[i].digest;
                        reqs[i]->expected_size = blobs[i].size;
                }
        }
        if (r >= 0)
                r = registry_run(c, reqs, n, parallel, blob_start, blob_done, &run, progress, userdata,
                                 ret_error);
        for (size_t i = 0; i < n; i++)
                registry_request_free(reqs[i]);
        free(reqs);
        return r;
}
