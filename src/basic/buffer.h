/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A growable text buffer, always NUL-terminated once anything is in it. The generator builds thousands of
 * small files and the parsers read byte by byte: no stdio on those paths. */

#include <stddef.h>
#include <stdint.h>

typedef struct Buffer {
        char *data;
        size_t size, allocated;
        size_t max;             /* 0: no bound; else appending past |max| bytes fails with -EFBIG */
} Buffer;

int buffer_append(Buffer *b, const void *p, size_t n);
int buffer_puts(Buffer *b, const char *s);

/* One byte; inline where there is room (the unit writer escapes byte by byte). */
static inline int buffer_putc(Buffer *b, char c) {
        if (b->size + 2 <= b->allocated && (b->max == 0 || b->size < b->max)) {
                b->data[b->size++] = c;
                b->data[b->size] = '\0';
                return 0;
        }
        return buffer_append(b, &c, 1);
}
/* |v| in decimal, zero-padded to at least |width| digits (printf's "%0*" PRIu64, without stdio's cost: the
 * loader writes a few numbers for every file it reads). */
int buffer_put_u64(Buffer *b, uint64_t v, unsigned width);
/* |v| in decimal, "-" first when negative (printf's "%" PRId64). */
int buffer_put_i64(Buffer *b, int64_t v);
/* Room for |n| more bytes in one allocation, for a caller that knows about how much it will append. */
int buffer_reserve(Buffer *b, size_t n);
/* Empties it, keeping the allocation. */
void buffer_reset(Buffer *b);
/* Frees the data; the buffer can be used again. */
void buffer_done(Buffer *b);
/* Hands the data over (never NULL: an empty string when nothing was appended), or NULL when out of memory;
 * the buffer is empty afterwards. */
char *buffer_steal(Buffer *b);

#define _cleanup_buffer_ __attribute__((cleanup(buffer_done)))
