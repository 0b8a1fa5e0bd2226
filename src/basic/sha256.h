/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SHA-256, for the config hash and names derived from it: OpenSSL's libcrypto does the hashing (no hash code
 * is written by hand here). The state lives in the caller's Sha256, by value, and needs no cleanup: callers
 * keep it on the stack or in a struct and may return early between init and final. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct Sha256 {
        /* libcrypto's SHA256_CTX (112 bytes), opaque so that its header stays out of every caller's; sha256.c
         * checks at build time that it fits */
        _Alignas(8) uint8_t ctx[128];
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]);

/* Lower-case hex of a digest; |ret| holds 65 bytes. */
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char ret[65]);
/* One-shot: hex SHA-256 of a buffer. */
void sha256_hex(const void *data, size_t size, char ret[65]);
