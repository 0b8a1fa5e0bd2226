/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <string.h>

#include "digest.h"

static int unhex_lower(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -EINVAL;
}

const char *digest_hex(const char *s) {
        const char *h;

        if (!s || strncmp(s, DIGEST_PREFIX, strlen(DIGEST_PREFIX)) != 0)
                return NULL;
        h = s + strlen(DIGEST_PREFIX);
        for (size_t i = 0; i < DIGEST_HEX_LENGTH; i++)
                if (unhex_lower(h[i]) < 0)      /* also stops at a NUL: too short */
                        return NULL;
        if (h[DIGEST_HEX_LENGTH] != '\0')
                return NULL;
        return h;
}

bool digest_is_valid(const char *s) {
        return digest_hex(s) != NULL;
}

int digest_parse(const char *s, uint8_t ret[SHA256_DIGEST_SIZE]) {
        const char *h = digest_hex(s);

        if (!h)
                return -EINVAL;
        for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
                ret[i] = (uint8_t) (unhex_lower(h[2 * i]) << 4 | unhex_lower(h[2 * i + 1]));
        return 0;
}

void digest_format(const uint8_t d[SHA256_DIGEST_SIZE], char ret[DIGEST_STRING_MAX]) {
        memcpy(ret, DIGEST_PREFIX, strlen(DIGEST_PREFIX));
        sha256_to_hex(d, ret + strlen(DIGEST_PREFIX));
}

int digest_check_init(DigestCheck *c, const char *expected) {
        *c = (DigestCheck) {};
        if (expected) {
                if (digest_parse(expected, c->expected) < 0)
                        return -EINVAL;
                c->has_expected = true;
        }
        sha256_init(&c->sha);
        return 0;
}

void digest_check_update(DigestCheck *c, const void *data, size_t size) {
        sha256_update(&c->sha, data, size);
        c->size += size;
}

int digest_check_finish(DigestCheck *c, char ret[DIGEST_STRING_MAX]) {
        uint8_t d[SHA256_DIGEST_SIZE];

        sha256_final(&c->sha, d);
        if (ret)
                digest_format(d, ret);
        if (c->has_expected && memcmp(d, c->expected, sizeof(d)) != 0)
                return -EBADMSG;
        return 0;
}
