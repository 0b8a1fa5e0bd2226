/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* SHA-256 from OpenSSL's libcrypto.
 *
 * Why SHA256_Init() and not EVP_DigestInit_ex(): an EVP_MD_CTX exists only on the heap (EVP_MD_CTX_new), and
 * this API keeps the state by value without a cleanup function — ctr-file.c's loader holds it in its context
 * and returns early on every rejected file. An EVP context would leak there (valgrind's definite leaks fail
 * the unit stage, LeakSanitizer the fuzzers). SHA256_CTX is libcrypto's own implementation with a caller-owned
 * state; OpenSSL 3 marks it deprecated in favour of EVP, so the deprecation attribute is silenced here, in this
 * one file. Moving to EVP means giving Sha256 a cleanup (sha256_done) and its callers _cleanup_. */

#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <assert.h>
#include <openssl/sha.h>

#include "sha256.h"

static_assert(sizeof(SHA256_CTX) <= sizeof(((Sha256 *) NULL)->ctx), "SHA256_CTX does not fit into Sha256");
static_assert(_Alignof(SHA256_CTX) <= 8, "SHA256_CTX needs more alignment than Sha256 has");

static SHA256_CTX *ctx(Sha256 *s) {
        return (SHA256_CTX *) (void *) s->ctx;
}

/* SHA256_Init/Update/Final of the software implementation cannot fail (they return 1 always): no error to
 * report, which is what lets this API stay void. */
void sha256_init(Sha256 *s) {
        (void) SHA256_Init(ctx(s));
}

void sha256_update(Sha256 *s, const void *data, size_t size) {
        (void) SHA256_Update(ctx(s), data, size);
}

void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]) {
        (void) SHA256_Final(ret, ctx(s));
}

void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char ret[65]) {
        static const char hex[] = "0123456789abcdef";

        for (unsigned i = 0; i < SHA256_DIGEST_SIZE; i++) {
                ret[i * 2] = hex[digest[i] >> 4];
                ret[i * 2 + 1] = hex[digest[i] & 0xF];
        }
        ret[64] = '\0';
}

void sha256_hex(const void *data, size_t size, char ret[65]) {
        uint8_t d[SHA256_DIGEST_SIZE];
        Sha256 s;

        sha256_init(&s);
        sha256_update(&s, data, size);
        sha256_final(&s, d);
        sha256_to_hex(d, ret);
}
