/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* SHA-256 from OpenSSL's libcrypto, loaded on first use.
 *
 * Loaded with dlopen(), not linked: loading libcrypto (4.7 MB, 17,000 relocations) costs every process that
 * links it about 125 page faults and 1-3 ms on the test machines, and ctr-launch, which starts for every
 * container, hashes nothing on its common path (the config stamp replaces the config hash there; see
 * config-hash.h). The generator and ctrctl load it when they first hash, once per process. The header comes
 * from the same libcrypto (pkg-config), and LIBCRYPTO_SONAME is that library's soname (meson.build).
 *
 * Why SHA256_Init() and not EVP_DigestInit_ex(): an EVP_MD_CTX exists only on the heap (EVP_MD_CTX_new), and
 * this API keeps the state by value without a cleanup function — the image code holds it in structs and
 * returns early between init and final. An EVP context would leak there. SHA256_CTX is libcrypto's own
 * implementation with a caller-owned state; OpenSSL 3 marks it deprecated in favour of EVP, so the
 * deprecation attribute is silenced here, in this one file. */

#define OPENSSL_SUPPRESS_DEPRECATED 1

#include <assert.h>
#include <dlfcn.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "sha256.h"

static_assert(sizeof(SHA256_CTX) <= sizeof(((Sha256 *) NULL)->ctx), "SHA256_CTX does not fit into Sha256");
static_assert(_Alignof(SHA256_CTX) <= 8, "SHA256_CTX needs more alignment than Sha256 has");

static struct {
        typeof(SHA256_Init) *init;
        typeof(SHA256_Update) *update;
        typeof(SHA256_Final) *final;
} sym;
static pthread_once_t sym_once = PTHREAD_ONCE_INIT;

/* A binary built against libcrypto that cannot load it is broken as an installation, exactly as when the
 * dynamic loader cannot find a linked library: say so as the loader does, and exit as it does (127). */
static void sym_load(void) {
        void *dl = dlopen(LIBCRYPTO_SONAME, RTLD_NOW | RTLD_LOCAL);

        if (dl) {
                sym.init = (typeof(sym.init)) dlsym(dl, "SHA256_Init");
                sym.update = (typeof(sym.update)) dlsym(dl, "SHA256_Update");
                sym.final = (typeof(sym.final)) dlsym(dl, "SHA256_Final");
        }
        if (!sym.init || !sym.update || !sym.final) {
                fprintf(stderr, "Failed to load SHA-256 from %s: %s\n", LIBCRYPTO_SONAME, dlerror() ?: "missing symbol");
                _exit(127);
        }
}

static SHA256_CTX *ctx(Sha256 *s) {
        return (SHA256_CTX *) (void *) s->ctx;
}

/* SHA256_Init/Update/Final of the software implementation cannot fail (they return 1 always): no error to
 * report, which is what lets this API stay void. */
void sha256_init(Sha256 *s) {
        (void) pthread_once(&sym_once, sym_load);
        (void) sym.init(ctx(s));
}

void sha256_update(Sha256 *s, const void *data, size_t size) {
        (void) sym.update(ctx(s), data, size);
}

void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]) {
        (void) sym.final(ret, ctx(s));
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
