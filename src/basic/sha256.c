/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* SHA-256 as specified in FIPS 180-4, written from the specification. */

#include <string.h>

#include "macro.h"
#include "sha256.h"

static const uint32_t K[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, unsigned n) {
        return (x >> n) | (x << (32 - n));
}

static void sha256_block(Sha256 *s, const uint8_t *p) {
        uint32_t w[64], a, b, c, d, e, f, g, h;

        for (unsigned i = 0; i < 16; i++)
                w[i] = (uint32_t) p[i * 4] << 24 | (uint32_t) p[i * 4 + 1] << 16 |
                       (uint32_t) p[i * 4 + 2] << 8 | (uint32_t) p[i * 4 + 3];
        for (unsigned i = 16; i < 64; i++) {
                uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
                uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }

        a = s->state[0], b = s->state[1], c = s->state[2], d = s->state[3];
        e = s->state[4], f = s->state[5], g = s->state[6], h = s->state[7];

        for (unsigned i = 0; i < 64; i++) {
                uint32_t S1 = ror(e, 6) ^ ror(e, 11) ^ ror(e, 25);
                uint32_t ch = (e & f) ^ (~e & g);
                uint32_t t1 = h + S1 + ch + K[i] + w[i];
                uint32_t S0 = ror(a, 2) ^ ror(a, 13) ^ ror(a, 22);
                uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
                uint32_t t2 = S0 + maj;

                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
        }

        s->state[0] += a, s->state[1] += b, s->state[2] += c, s->state[3] += d;
        s->state[4] += e, s->state[5] += f, s->state[6] += g, s->state[7] += h;
}

void sha256_init(Sha256 *s) {
        static const uint32_t H0[8] = {
                0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
        };

        memcpy(s->state, H0, sizeof(H0));
        s->length = 0;
        s->buffer_used = 0;
}

void sha256_update(Sha256 *s, const void *data, size_t size) {
        const uint8_t *p = data;

        if (size == 0)
                return;
        s->length += size;

        if (s->buffer_used > 0) {
                size_t k = MIN(size, 64 - s->buffer_used);

                memcpy(s->buffer + s->buffer_used, p, k);
                s->buffer_used += k;
                p += k;
                size -= k;
                if (s->buffer_used < 64)
                        return;
                sha256_block(s, s->buffer);
                s->buffer_used = 0;
        }

        for (; size >= 64; p += 64, size -= 64)
                sha256_block(s, p);

        if (size > 0) {
                memcpy(s->buffer, p, size);
                s->buffer_used = size;
        }
}

void sha256_final(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]) {
        uint64_t bits = s->length * 8;
        uint8_t pad[72] = { 0x80 };
        size_t padlen;

        /* Pad with 0x80, zeros, and the 64-bit big-endian bit length, to a multiple of 64 bytes. */
        padlen = (s->buffer_used < 56 ? 56 : 120) - s->buffer_used;
        for (unsigned i = 0; i < 8; i++)
                pad[padlen + i] = (uint8_t) (bits >> (56 - 8 * i));
        sha256_update(s, pad, padlen + 8);

        for (unsigned i = 0; i < 8; i++) {
                ret[i * 4] = (uint8_t) (s->state[i] >> 24);
                ret[i * 4 + 1] = (uint8_t) (s->state[i] >> 16);
                ret[i * 4 + 2] = (uint8_t) (s->state[i] >> 8);
                ret[i * 4 + 3] = (uint8_t) s->state[i];
        }
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
