/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "macro.h"

int buffer_append(Buffer *b, const void *p, size_t n) {
        if (n > SIZE_MAX - b->size - 1)
                return -ENOMEM;
        if (b->max > 0 && b->size + n > b->max)
                return -EFBIG;
        if (b->size + n + 1 > b->allocated) {
                size_t a = MAX(b->allocated > SIZE_MAX / 2 ? SIZE_MAX : b->allocated * 2, b->size + n + 1);
                char *d;

                a = MAX(a, (size_t) 64);
                d = realloc(b->data, a);
                if (!d)
                        return -ENOMEM;
                b->data = d;
                b->allocated = a;
        }
        if (n > 0)
                memcpy(b->data + b->size, p, n);
        b->size += n;
        b->data[b->size] = '\0';
        return 0;
}

int buffer_reserve(Buffer *b, size_t n) {
        char *d;

        if (n > SIZE_MAX - b->size - 1)
                return -ENOMEM;
        if (b->size + n + 1 <= b->allocated)
                return 0;
        d = realloc(b->data, b->size + n + 1);
        if (!d)
                return -ENOMEM;
        d[b->size] = '\0';
        b->data = d;
        b->allocated = b->size + n + 1;
        return 0;
}

int buffer_puts(Buffer *b, const char *s) {
        return buffer_append(b, s, strlen(s));
}

int buffer_put_u64(Buffer *b, uint64_t v, unsigned width) {
        char d[20];
        unsigned n = 0;
        int r;

        do {
                d[sizeof(d) - 1 - n++] = (char) ('0' + v % 10);
                v /= 10;
        } while (v > 0);
        for (; width > n; width--) {
                r = buffer_putc(b, '0');
                if (r < 0)
                        return r;
        }
        return buffer_append(b, d + sizeof(d) - n, n);
}

int buffer_put_i64(Buffer *b, int64_t v) {
        if (v < 0) {
                int r = buffer_putc(b, '-');

                if (r < 0)
                        return r;
        }
        /* the magnitude of INT64_MIN does not fit an int64_t; in a uint64_t it does */
        return buffer_put_u64(b, v < 0 ? (uint64_t) -(v + 1) + 1 : (uint64_t) v, 0);
}

void buffer_reset(Buffer *b) {
        b->size = 0;
        if (b->data)
                b->data[0] = '\0';
}

void buffer_done(Buffer *b) {
        b->data = mfree(b->data);
        b->size = b->allocated = 0;
}

char *buffer_steal(Buffer *b) {
        char *s = b->data ? b->data : strdup("");

        b->data = NULL;
        b->size = b->allocated = 0;
        return s;
}
