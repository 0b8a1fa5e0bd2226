/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* SHA-256 (FIPS 180-4), for the config hash. Small and self-contained. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct Sha256 {
        uint32_t state[8];
        uint64_t length;        /* bytes hashed so far */
        uint8_t buffer[64];
        size_t buffer_used;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]);

/* Lower-case hex of a digest; |ret| holds 65 bytes. */
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char ret[65]);
/* One-shot: hex SHA-256 of a buffer. */
void sha256_hex(const void *data, size_t size, char ret[65]);
