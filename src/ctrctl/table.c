/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "string-util.h"
#include "table.h"

size_t utf8_width(const char *s) {
        size_t n = 0;

        for (const unsigned char *p = (const unsigned char *) s; p && *p; p++)
                if ((*p & 0xc0) != 0x80)
                        n++;
        return n;
}

int table_new(const char *const *headers, Table **ret) {
        Table *t;

        t = calloc(1, sizeof(Table));
        if (!t)
                return -ENOMEM;
        for (const char *const *h = headers; h && *h; h++) {
                const char *name = *h;

                if (t->n_columns >= TABLE_COLUMNS_MAX) {
                        table_free(t);
                        return -E2BIG;
                }
                if (name[0] == '>') {
                        t->right[t->n_columns] = true;
                        name++;
                }
                t->headers[t->n_columns] = strdup(name);
                if (!t->headers[t->n_columns]) {
                        table_free(t);
                        return -ENOMEM;
                }
                t->n_columns++;
        }
        if (t->n_columns == 0) {
                table_free(t);
                return -EINVAL;
        }
        *ret = t;
        return 0;
}

Table *table_free(Table *t) {
        if (!t)
                return NULL;
        for (size_t i = 0; i < t->n_columns; i++)
                free(t->headers[i]);
        for (size_t i = 0; i < t->n_cells; i++)
                free(t->cells[i].text);
        free(t->cells);
        free(t);
        return NULL;
}

int table_add_color(Table *t, const char *text, const char *color) {
        TableCell *cells;
        char *s;

        if (t->n_cells >= (size_t) TABLE_ROWS_MAX * t->n_columns)
                return -E2BIG;
        /* escaped when stored: a cell's width is what the terminal shows, and no control character in a
         * name, path or image reference moves the cursor or reaches the terminal as a sequence */
        if (escape_non_printable(text ?: "-", SIZE_MAX, &s) < 0)
                return -ENOMEM;
        cells = realloc(t->cells, (t->n_cells + 1) * sizeof(TableCell));
        if (!cells) {
                free(s);
                return -ENOMEM;
        }
        t->cells = cells;
        t->cells[t->n_cells++] = (TableCell) { .text = s, .color = color };
        return 0;
}

int table_add(Table *t, const char *text) {
        return table_add_color(t, text, NULL);
}

int table_addf(Table *t, const char *format, ...) {
        _cleanup_free_ char *s = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&s, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return table_add(t, s);
}

size_t table_rows(const Table *t) {
        return (t->n_cells + t->n_columns - 1) / t->n_columns;
}

static void print_cell(FILE *f, const char *text, const char *color, size_t width, bool right, bool last,
                       bool use_color) {
        size_t w = utf8_width(text), pad = width > w ? width - w : 0;

        if (right)
                fprintf(f, "%*s", (int) pad, "");
        if (use_color && color)
                fprintf(f, "%s%s\033[0m", color, text);
        else
                fputs(text, f);
        if (!right && !last)
                fprintf(f, "%*s", (int) pad, "");
}

int table_print(const Table *t, FILE *f, bool legend, bool color) {
        size_t width[TABLE_COLUMNS_MAX] = {};
        size_t rows = table_rows(t);

        for (size_t c = 0; c < t->n_columns; c++) {
                if (legend)
                        width[c] = utf8_width(t->headers[c]);
                for (size_t r = 0; r < rows; r++) {
                        size_t i = r * t->n_columns + c;

                        if (i < t->n_cells)
                                width[c] = MAX(width[c], utf8_width(t->cells[i].text));
                }
        }

        if (legend) {
                for (size_t c = 0; c < t->n_columns; c++) {
                        if (c > 0)
                                fputs("  ", f);
                        print_cell(f, t->headers[c], color ? "\033[1m" : NULL, width[c], t->right[c],
                                   c + 1 == t->n_columns, color);
                }
                fputc('\n', f);
        }

        for (size_t r = 0; r < rows; r++) {
                for (size_t c = 0; c < t->n_columns; c++) {
                        size_t i = r * t->n_columns + c;

                        if (c > 0)
                                fputs("  ", f);
                        print_cell(f, i < t->n_cells ? t->cells[i].text : "", i < t->n_cells ? t->cells[i].color : NULL,
                                   width[c], t->right[c], c + 1 == t->n_columns, color);
                }
                fputc('\n', f);
        }

        return ferror(f) ? -EIO : 0;
}
