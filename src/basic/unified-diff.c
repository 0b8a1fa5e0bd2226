/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "unified-diff.h"

typedef struct Line {
        const char *s;
        size_t n;               /* without the newline */
        bool newline;           /* false only for a last line without one */
} Line;

/* One step of the edit script: ' ' (both), '-' (a only) or '+' (b only), with the line numbers (0-based)
 * in a and b before it. */
typedef struct Op {
        char type;
        size_t a, b;
} Op;

static int split_lines(const char *s, size_t size, Line **ret, size_t *ret_n) {
        Line *l = NULL;
        size_t n = 0, count = 0;

        for (size_t i = 0; i < size; i++)
                if (s[i] == '\n')
                        count++;
        if (size > 0 && s[size - 1] != '\n')
                count++;
        if (count > 0) {
                l = calloc(count, sizeof(Line));
                if (!l)
                        return -ENOMEM;
        }
        for (size_t p = 0; p < size;) {
                const char *nl = memchr(s + p, '\n', size - p);
                size_t k = nl ? (size_t) (nl - (s + p)) : size - p;

                l[n++] = (Line) { .s = s + p, .n = k, .newline = !!nl };
                p += k + (nl ? 1 : 0);
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

static bool line_equal(const Line *x, const Line *y) {
        return x->n == y->n && x->newline == y->newline && memcmp(x->s, y->s, x->n) == 0;
}

/* The edit script of a[0..n) against b[0..m): common head and tail as they are, the middle by LCS. */
static int edit_script(const Line *a, size_t n, const Line *b, size_t m, Op **ret, size_t *ret_n) {
        _cleanup_free_ uint32_t *t = NULL;
        size_t head = 0, tail = 0, k = 0, i, j, mn, mm;
        Op *ops;

        while (head < n && head < m && line_equal(&a[head], &b[head]))
                head++;
        while (tail < n - head && tail < m - head && line_equal(&a[n - 1 - tail], &b[m - 1 - tail]))
                tail++;
        mn = n - head - tail;
        mm = m - head - tail;

        ops = calloc(n + m + 1, sizeof(Op));
        if (!ops)
                return -ENOMEM;

        /* t[i][j]: the LCS length of a[head+i..] and b[head+j..] within the middle */
        if (mn > 0 && mm > 0 && (mn + 1) * (mm + 1) <= UNIFIED_DIFF_CELLS_MAX) {
                t = calloc((mn + 1) * (mm + 1), sizeof(uint32_t));
                if (!t) {
                        free(ops);
                        return -ENOMEM;
                }
                for (i = mn; i-- > 0;)
                        for (j = mm; j-- > 0;)
                                t[i * (mm + 1) + j] = line_equal(&a[head + i], &b[head + j]) ?
                                        t[(i + 1) * (mm + 1) + j + 1] + 1 :
                                        MAX(t[(i + 1) * (mm + 1) + j], t[i * (mm + 1) + j + 1]);
        }

        for (i = 0; i < head; i++)
                ops[k++] = (Op) { ' ', i, i };
        i = j = 0;
        while (i < mn || j < mm) {
                if (t && i < mn && j < mm && line_equal(&a[head + i], &b[head + j])) {
                        ops[k++] = (Op) { ' ', head + i, head + j };
                        i++, j++;
                } else if (i < mn && (j >= mm || !t || t[(i + 1) * (mm + 1) + j] >= t[i * (mm + 1) + j + 1])) {
                        ops[k++] = (Op) { '-', head + i, head + j };
                        i++;
                } else {
                        ops[k++] = (Op) { '+', head + i, head + j };
                        j++;
                }
        }
        for (i = 0; i < tail; i++)
                ops[k++] = (Op) { ' ', n - tail + i, m - tail + i };

        *ret = ops;
        *ret_n = k;
        return 0;
}

static int put_line(Buffer *out, char prefix, const Line *l) {
        if (buffer_putc(out, prefix) < 0 || buffer_append(out, l->s, l->n) < 0 || buffer_putc(out, '\n') < 0)
                return -ENOMEM;
        if (!l->newline && buffer_puts(out, "\\ No newline at end of file\n") < 0)
                return -ENOMEM;
        return 0;
}

/* "-L,N" as diff -u writes it: N omitted when 1, L the line before when N is 0 */
static int put_range(Buffer *out, char sign, size_t start, size_t len) {
        char buf[64];
        int k;

        if (len == 1)
                k = snprintf(buf, sizeof(buf), "%c%zu", sign, start + 1);
        else
                k = snprintf(buf, sizeof(buf), "%c%zu,%zu", sign, len == 0 ? start : start + 1, len);
        return buffer_append(out, buf, (size_t) k);
}

static int put_hunk(Buffer *out, const Op *ops, size_t s, size_t e, const Line *a, const Line *b) {
        size_t na = 0, nb = 0;

        for (size_t k = s; k < e; k++) {
                na += ops[k].type != '+';
                nb += ops[k].type != '-';
        }
        if (buffer_puts(out, "@@ ") < 0 || put_range(out, '-', ops[s].a, na) < 0 || buffer_putc(out, ' ') < 0 ||
            put_range(out, '+', ops[s].b, nb) < 0 || buffer_puts(out, " @@\n") < 0)
                return -ENOMEM;
        for (size_t k = s; k < e; k++)
                if (put_line(out, ops[k].type, ops[k].type == '+' ? &b[ops[k].b] : &a[ops[k].a]) < 0)
                        return -ENOMEM;
        return 0;
}

int unified_diff(const char *a_label, const char *a, size_t a_size, const char *b_label, const char *b,
                 size_t b_size, Buffer *out) {
        _cleanup_free_ Line *la = NULL, *lb = NULL;
        _cleanup_free_ Op *ops = NULL;
        size_t na, nb, n_ops, k;
        int r;

        if (a_size == b_size && (a_size == 0 || memcmp(a, b, a_size) == 0))
                return 0;

        r = split_lines(a, a_size, &la, &na);
        if (r < 0)
                return r;
        r = split_lines(b, b_size, &lb, &nb);
        if (r < 0)
                return r;
        r = edit_script(la, na, lb, nb, &ops, &n_ops);
        if (r < 0)
                return r;

        if (buffer_puts(out, "--- ") < 0 || buffer_puts(out, a_label) < 0 || buffer_puts(out, "\n+++ ") < 0 ||
            buffer_puts(out, b_label) < 0 || buffer_putc(out, '\n') < 0)
                return -ENOMEM;

        /* each hunk: from CONTEXT before its first change to CONTEXT after its last, changes closer than
         * twice the context joined into one */
        for (k = 0; k < n_ops;) {
                size_t s, e, last;

                while (k < n_ops && ops[k].type == ' ')
                        k++;
                if (k >= n_ops)
                        break;
                s = k > UNIFIED_DIFF_CONTEXT ? k - UNIFIED_DIFF_CONTEXT : 0;
                last = k;
                for (e = k; e < n_ops; e++) {
                        if (ops[e].type != ' ')
                                last = e;
                        else if (e - last > 2 * UNIFIED_DIFF_CONTEXT)
                                break;
                }
                e = MIN(last + 1 + UNIFIED_DIFF_CONTEXT, n_ops);
                r = put_hunk(out, ops, s, e, la, lb);
                if (r < 0)
                        return r;
                k = e;
        }
        return 1;
}
