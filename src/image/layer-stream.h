/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The byte stream under a layer (layer-unpack.c's input): the blob as read from its fd, decompressed by a
 * libarchive reader of format "raw" (whatever compression it recognizes), hashed and counted on the way,
 * and fed through read callbacks to a second libarchive reader that only knows tar. So the diff_id is the
 * hash of exactly the bytes the tar reader saw, and the limits on the stream hold before any entry is
 * made. */

#include <archive.h>
#include <stdbool.h>
#include <stdint.h>

#include "digest.h"
#include "layer-unpack.h"

typedef struct LayerStream {
        int input_fd;
        LayerLimits limits;
        struct archive *outer;          /* blob → uncompressed bytes */
        struct archive *tar;            /* uncompressed bytes → entries */
        bool outer_eof;
        DigestCheck check;
        uint64_t compressed, uncompressed;
        /* The first failure a callback saw (the tar reader only reports "read error"): -errno and text. */
        int error;
        char *error_text;
        /* Together under 128 KiB: one allocation from the heap's arenas, not an mmap() and munmap() of its
         * own for every layer (and under ASan not a TLB flush per input, the fuzzer's largest cost). */
        uint8_t in[32 * 1024];
        uint8_t out[64 * 1024];
} LayerStream;

/* Sets up both readers on |input_fd|; |expected_diff_id| may be NULL. -EINVAL for an invalid expected
 * digest, -EBADMSG for a stream neither reader recognizes; *ret_error_text says which. */
int layer_stream_open(int input_fd, const LayerLimits *limits, const char *expected_diff_id,
                      LayerStream **ret, char **ret_error_text);
/* The tar reader failed (r < ARCHIVE_WARN): the reason a callback recorded, else the reader's own, as
 * -errno and text (-EBADMSG for a corrupt stream). */
int layer_stream_error(LayerStream *s, char **ret_error_text);
/* After the tar's end: reads what follows it (padding) into the hash and checks the diff_id: -EBADMSG on a
 * mismatch. |ret_diff_id| gets the digest computed (may be NULL). */
int layer_stream_finish(LayerStream *s, char ret_diff_id[DIGEST_STRING_MAX], char **ret_error_text);
LayerStream *layer_stream_free(LayerStream *s);

static inline void layer_stream_freep(LayerStream **s) {
        if (*s)
                layer_stream_free(*s);
}
