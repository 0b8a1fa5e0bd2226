/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <archive.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layer-stream.h"
#include "log.h"
#include "string-util.h"

/* Records the first failure only: later ones are consequences. Returns -error. */
_printf_(3, 4)
static int stream_fail(LayerStream *s, int error, const char *format, ...) {
        va_list ap;
        char *t = NULL;

        if (s->error < 0)
                return s->error;
        va_start(ap, format);
        if (vasprintf(&t, format, ap) < 0)
                t = NULL;
        va_end(ap);
        s->error = -error;
        s->error_text = t;
        return -error;
}

static la_ssize_t outer_read(struct archive *a, void *userdata, const void **ret_buf) {
        LayerStream *s = userdata;
        ssize_t n;

        do
                n = read(s->input_fd, s->in, sizeof(s->in));
        while (n < 0 && errno == EINTR);
        if (n < 0) {
                archive_set_error(a, errno, "reading the layer: %s", strerror(errno));
                return -1;
        }
        s->compressed += (uint64_t) n;
        *ret_buf = s->in;
        return n;
}

/* Every uncompressed byte passes here: hashed, counted, and held to the limits. */
static int account(LayerStream *s, const void *data, size_t n) {
        digest_check_update(&s->check, data, n);
        s->uncompressed += n;

        if (s->uncompressed > s->limits.max_total_bytes)
                return stream_fail(s, EFBIG, "the uncompressed layer is over %" PRIu64 " bytes (the limit)",
                                   s->limits.max_total_bytes);
        if (s->uncompressed > s->limits.ratio_min_bytes &&
            s->uncompressed / MAX(s->compressed, (uint64_t) 1) > s->limits.max_ratio)
                return stream_fail(s, EFBIG,
                                   "compression ratio over %" PRIu64 ":1 (%" PRIu64 " bytes from %" PRIu64
                                   "): refused as a decompression bomb",
                                   s->limits.max_ratio, s->uncompressed, s->compressed);
        return 0;
}

/* Reads the next uncompressed block: its size, 0 at the end, -errno (recorded). */
static la_ssize_t outer_next(LayerStream *s) {
        la_ssize_t n;
        int r;

        if (s->outer_eof)
                return 0;
        n = archive_read_data(s->outer, s->out, sizeof(s->out));
        if (n < 0)
                return stream_fail(s, EBADMSG, "corrupt compressed stream: %s",
                                   strna(archive_error_string(s->outer)));
        if (n == 0) {
                s->outer_eof = true;
                return 0;
        }
        r = account(s, s->out, (size_t) n);
        if (r < 0)
                return r;
        return n;
}

static la_ssize_t tar_read(struct archive *a, void *userdata, const void **ret_buf) {
        LayerStream *s = userdata;
        la_ssize_t n;

        n = outer_next(s);
        if (n < 0) {
                archive_set_error(a, (int) -n, "%s", strna(s->error_text));
                return -1;
        }
        *ret_buf = s->out;
        return n;
}

int layer_stream_open(int input_fd, const LayerLimits *limits, const char *expected_diff_id,
                      LayerStream **ret, char **ret_error_text) {
        _cleanup_(layer_stream_freep) LayerStream *s = NULL;
        struct archive_entry *e;
        int r;

        s = calloc(1, sizeof(LayerStream));
        if (!s)
                return -ENOMEM;
        s->input_fd = input_fd;
        s->limits = limits ? *limits : LAYER_LIMITS_DEFAULT;
        if (digest_check_init(&s->check, expected_diff_id) < 0) {
                *ret_error_text = strprintf("invalid expected diff_id '%s'", expected_diff_id);
                return -EINVAL;
        }

        /* Only the compressions layers use, in-process where libarchive has them: no filter that runs an
         * external program on a stranger's input (lrzip, lzop, grzip), no archive formats but tar. */
        s->outer = archive_read_new();
        s->tar = archive_read_new();
        if (!s->outer || !s->tar)
                return -ENOMEM;
        if (archive_read_support_filter_gzip(s->outer) < ARCHIVE_WARN ||
            archive_read_support_filter_zstd(s->outer) < ARCHIVE_WARN ||
            archive_read_support_filter_xz(s->outer) < ARCHIVE_WARN ||
            archive_read_support_filter_bzip2(s->outer) < ARCHIVE_WARN ||
            archive_read_support_format_raw(s->outer) != ARCHIVE_OK ||
            archive_read_support_format_tar(s->tar) != ARCHIVE_OK)
                return -ENOMEM;

        if (archive_read_open(s->outer, s, NULL, outer_read, NULL) != ARCHIVE_OK) {
                *ret_error_text = strprintf("cannot read the layer: %s", strna(archive_error_string(s->outer)));
                return -EBADMSG;
        }
        r = archive_read_next_header(s->outer, &e);
        if (r == ARCHIVE_EOF)
                s->outer_eof = true;            /* empty: the tar reader says so */
        else if (r < ARCHIVE_WARN) {
                *ret_error_text = strprintf("cannot read the layer: %s", strna(archive_error_string(s->outer)));
                return -EBADMSG;
        }

        /* This already reads the first block (the tar reader checks what it was given). */
        if (archive_read_open(s->tar, s, NULL, tar_read, NULL) != ARCHIVE_OK)
                return layer_stream_error(s, ret_error_text);

        *ret = TAKE_PTR(s);
        return 0;
}

int layer_stream_error(LayerStream *s, char **ret_error_text) {
        if (s->error < 0) {
                *ret_error_text = TAKE_PTR(s->error_text);
                return s->error;
        }
        *ret_error_text = strprintf("not a valid tar: %s", strna(archive_error_string(s->tar)));
        return -EBADMSG;
}

int layer_stream_finish(LayerStream *s, char ret_diff_id[DIGEST_STRING_MAX], char **ret_error_text) {
        char d[DIGEST_STRING_MAX];
        la_ssize_t n;
        int r;

        /* The tar reader stops at the end-of-archive blocks; the diff_id covers every byte after them too. */
        while ((n = outer_next(s)) > 0)
                ;
        if (n < 0)
                return layer_stream_error(s, ret_error_text);

        r = digest_check_finish(&s->check, d);
        if (r < 0) {
                char e[DIGEST_STRING_MAX];

                digest_format(s->check.expected, e);
                *ret_error_text = strprintf("diff_id mismatch: the uncompressed layer is %s, expected %s", d, e);
                return r;
        }
        log_debug("Layer: %" PRIu64 " bytes, %" PRIu64 " uncompressed, %s", s->compressed, s->uncompressed, d);
        if (ret_diff_id)
                memcpy(ret_diff_id, d, sizeof(d));
        return 0;
}

LayerStream *layer_stream_free(LayerStream *s) {
        if (!s)
                return NULL;
        if (s->tar)
                archive_read_free(s->tar);
        if (s->outer)
                archive_read_free(s->outer);
        free(s->error_text);
        return mfree(s);
}
