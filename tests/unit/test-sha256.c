/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "sha256.h"
#include "test.h"

/* FIPS 180-2 / NIST example vectors. */
TEST(sha256_empty) {
        char h[65];

        sha256_hex("", 0, h);
        ASSERT_STREQ(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(sha256_abc) {
        char h[65];

        sha256_hex("abc", 3, h);
        ASSERT_STREQ(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(sha256_two_blocks) {
        const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        char h[65];

        sha256_hex(m, strlen(m), h);
        ASSERT_STREQ(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(sha256_long) {
        const char *m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
        char h[65];

        sha256_hex(m, strlen(m), h);
        ASSERT_STREQ(h, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(sha256_million_a) {
        uint8_t d[SHA256_DIGEST_SIZE];
        char chunk[1000], h[65];
        Sha256 s;

        memset(chunk, 'a', sizeof(chunk));
        sha256_init(&s);
        /* Uneven pieces exercise the buffering. */
        for (unsigned i = 0; i < 1000; i++) {
                sha256_update(&s, chunk, 333);
                sha256_update(&s, chunk, 667);
        }
        sha256_final(&s, d);
        sha256_to_hex(d, h);
        ASSERT_STREQ(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(sha256_boundaries) {
        /* Checked against Python's hashlib: 55, 56 and 64 bytes are where padding spills into a second block. */
        char m[64], h[65];

        memset(m, 'x', sizeof(m));
        sha256_hex(m, 55, h);
        ASSERT_STREQ(h, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
        sha256_hex(m, 56, h);
        ASSERT_STREQ(h, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
        sha256_hex(m, 64, h);
        ASSERT_STREQ(h, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
}
