/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Content digests as OCI writes them: "sha256:" and 64 lowercase hex digits, nothing else (no other
 * algorithm, no upper case: a digest is also a file name in the store, so one spelling per content). And a
 * streaming check: bytes hashed as they pass, compared with what was expected at the end. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "sha256.h"

#define DIGEST_PREFIX "sha256:"
#define DIGEST_HEX_LENGTH (SHA256_DIGEST_SIZE * 2)
/* "sha256:" + 64 hex + NUL */
#define DIGEST_STRING_MAX (sizeof(DIGEST_PREFIX) - 1 + DIGEST_HEX_LENGTH + 1)

/* True for "sha256:" followed by exactly 64 lowercase hex digits. */
bool digest_is_valid(const char *s) _pure_;
/* The 32 bytes of a valid digest string; -EINVAL for anything digest_is_valid() refuses. */
int digest_parse(const char *s, uint8_t ret[SHA256_DIGEST_SIZE]);
/* "sha256:<hex>" of 32 bytes. */
void digest_format(const uint8_t d[SHA256_DIGEST_SIZE], char ret[DIGEST_STRING_MAX]);
/* The hex part of a valid digest (the store's file names), NULL for an invalid one. */
const char *digest_hex(const char *s) _pure_;

/* Hashes a stream as it passes: digest_check_init(), digest_check_update() for every byte, in order, then
 * digest_check_finish(). No cleanup needed (the state lives in the struct). */
typedef struct DigestCheck {
        Sha256 sha;
        uint8_t expected[SHA256_DIGEST_SIZE];
        bool has_expected;
        uint64_t size;                  /* bytes hashed so far */
} DigestCheck;

/* |expected| may be NULL (only the digest is computed); -EINVAL when it is not a valid digest. */
int digest_check_init(DigestCheck *c, const char *expected);
void digest_check_update(DigestCheck *c, const void *data, size_t size);
/* The digest of everything hashed (|ret| may be NULL); -EBADMSG when it differs from the expected one. */
int digest_check_finish(DigestCheck *c, char ret[DIGEST_STRING_MAX]);
