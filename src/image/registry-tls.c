/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* TLS for registries: the system's CAs (curl's default bundle) plus what certs.d/HOST[:PORT]/ holds, laid
 * out as Docker and containers-common do: every *.crt a CA, every *.cert a client certificate with its
 * *.key beside it. The extra CAs go into the connection's own X509 store through curl's SSL_CTX callback,
 * so a CA configured for one registry is trusted for that registry only; curl's CA cache, which would share
 * the store between connections, is off for those. */

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "registry-auth.h"
#include "registry-internal.h"
#include "string-util.h"
#include "strv.h"

void registry_tls_done(RegistryTls *t) {
        t->ca_files = strv_free(t->ca_files);
        t->client_cert = mfree(t->client_cert);
        t->client_key = mfree(t->client_key);
}

static int tls_load_dir(const char *dir, RegistryTls *t) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = dir_list_names(AT_FDCWD, dir, &names);
        if (r < 0)
                return r;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *path = strprintf("%s/%s", dir, *n);
                char *stem;

                if (!path)
                        return -ENOMEM;
                if (endswith(*n, ".crt")) {
                        if (strv_extend(&t->ca_files, path) < 0)
                                return -ENOMEM;
                } else if (endswith(*n, ".cert") && !t->client_cert) {
                        stem = strndup(path, strlen(path) - strlen(".cert"));
                        if (!stem)
                                return -ENOMEM;
                        t->client_key = strprintf("%s.key", stem);
                        free(stem);
                        if (!t->client_key)
                                return -ENOMEM;
                        if (access(t->client_key, R_OK) < 0)
                                return -errno;  /* a certificate without its key is a broken setup */
                        t->client_cert = TAKE_PTR(path);
                }
        }
        return 0;
}

int registry_tls_load(const char *hostport, RegistryTls *ret) {
        _cleanup_strv_free_ char **dirs = registry_certs_dirs();
        RegistryTls t = {};
        int r;

        if (!dirs)
                return -ENOMEM;
        STRV_FOREACH(d, dirs) {
                _cleanup_free_ char *dir = strprintf("%s/%s", *d, hostport);

                if (!dir)
                        return -ENOMEM;
                r = tls_load_dir(dir, &t);
                if (r == -ENOENT || r == -ENOTDIR)
                        continue;
                if (r < 0) {
                        registry_tls_done(&t);
                        return r;
                }
                break;
        }
        *ret = t;
        return 0;
}

static CURLcode ssl_ctx_cb(_unused_ CURL *easy, void *ssl_ctx, void *userdata) {
        const RegistryTls *t = userdata;
        X509_STORE *store = SSL_CTX_get_cert_store(ssl_ctx);

        STRV_FOREACH(f, t->ca_files)
                if (!store || X509_STORE_load_file(store, *f) != 1)
                        return CURLE_SSL_CACERT_BADFILE;
        return CURLE_OK;
}

int registry_tls_apply(CURL *easy, bool https, const RegistryTls *t) {
        if (!https)
                return 0;
        if (curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
            curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK)
                return -EIO;
        if (!strv_isempty(t->ca_files) &&
            (curl_easy_setopt(easy, CURLOPT_CA_CACHE_TIMEOUT, 0L) != CURLE_OK ||
             curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb) != CURLE_OK ||
             curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, (void *) t) != CURLE_OK))
                return -EIO;
        if (t->client_cert &&
            (curl_easy_setopt(easy, CURLOPT_SSLCERT, t->client_cert) != CURLE_OK ||
             curl_easy_setopt(easy, CURLOPT_SSLKEY, t->client_key) != CURLE_OK))
                return -EIO;
        return 0;
}
