/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Aligned text tables for ctrctl's listings: a header row (upper case, as systemctl) unless --no-legend,
 * columns separated by two spaces, numbers right-aligned, the last column not padded. Widths count code
 * points of UTF-8 text (East Asian wide characters count as one: close enough for names and paths).
 * A cell may carry a colour (an ANSI SGR sequence) that is not counted in the width. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "macro.h"

#define TABLE_COLUMNS_MAX 16U
#define TABLE_ROWS_MAX 100000U

typedef struct TableCell {
        char *text;
        const char *color;      /* static ANSI sequence or NULL */
} TableCell;

typedef struct Table {
        size_t n_columns;
        char *headers[TABLE_COLUMNS_MAX];
        bool right[TABLE_COLUMNS_MAX];  /* right-aligned column */
        TableCell *cells;               /* row-major */
        size_t n_cells;
} Table;

/* |headers| is a NULL-terminated list; a header starting with '>' makes a right-aligned column (the '>' is
 * not printed). */
int table_new(const char *const *headers, Table **ret);
Table *table_free(Table *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(Table *, table_free);
#define _cleanup_table_free_ _cleanup_(table_freep)

/* Appends the next cell (rows fill left to right); NULL text is shown as "-". Control characters and bytes
 * that are not UTF-8 are stored escaped (escape_non_printable()). */
int table_add(Table *t, const char *text);
int table_add_color(Table *t, const char *text, const char *color);
int table_addf(Table *t, const char *format, ...) _printf_(2, 3);

size_t table_rows(const Table *t);

/* Prints the table; the header row unless |legend| is false. Colours only when |color| is true. */
int table_print(const Table *t, FILE *f, bool legend, bool color);

/* Display width of a UTF-8 string: the number of code points (continuation bytes do not count). */
size_t utf8_width(const char *s);
