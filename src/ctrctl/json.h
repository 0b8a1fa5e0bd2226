/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* A small streaming JSON writer for ctrctl's --json output: no library, no tree in memory. The writer keeps
 * track of commas and nesting; strings are escaped so the output is always valid JSON (bytes that are not
 * UTF-8 become the Latin-1 code point of the byte, control characters \uXXXX). */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 32

typedef struct JsonWriter {
        FILE *f;
        unsigned depth;
        bool first[JSON_DEPTH_MAX];     /* nothing written yet at this level */
        bool after_key;                 /* a key was written, its value comes next (no comma) */
        bool pretty;                    /* newline after each element of the outermost array */
} JsonWriter;

void json_writer_init(JsonWriter *w, FILE *f);

void json_begin_object(JsonWriter *w);
void json_end_object(JsonWriter *w);
void json_begin_array(JsonWriter *w);
void json_end_array(JsonWriter *w);

/* A key inside an object; the next call writes its value. */
void json_key(JsonWriter *w, const char *key);

void json_string(JsonWriter *w, const char *s);         /* NULL writes null */
void json_unsigned(JsonWriter *w, uint64_t u);
void json_signed(JsonWriter *w, int64_t i);
void json_bool(JsonWriter *w, bool b);
void json_null(JsonWriter *w);
/* A number with two decimals from |x100| (12345 → 123.45). */
void json_fixed2(JsonWriter *w, uint64_t x100);
void json_strv(JsonWriter *w, char *const *l);          /* NULL writes [] */

/* key + value in one call */
void json_field_string(JsonWriter *w, const char *key, const char *s);
void json_field_unsigned(JsonWriter *w, const char *key, uint64_t u);
void json_field_signed(JsonWriter *w, const char *key, int64_t i);
void json_field_bool(JsonWriter *w, const char *key, bool b);
void json_field_strv(JsonWriter *w, const char *key, char *const *l);
/* An unsigned limit: null for |unset_value| (e.g. LIMIT_UNSET), the string "infinity" for UINT64_MAX. */
void json_field_limit(JsonWriter *w, const char *key, uint64_t u, uint64_t unset_value);

/* Writes |s| as a JSON string literal (with quotes) to |f|; NULL as null. */
void json_write_escaped(FILE *f, const char *s);
/* The same into a new string. Returns -ENOMEM on failure. */
int json_escape(const char *s, char **ret);
