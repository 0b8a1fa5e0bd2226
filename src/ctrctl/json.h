/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl's --json output on json-c: the calls below build the json_object tree of one top-level value,
 * which is printed (compact, one line, then a newline) as soon as its outermost object or array ends, so
 * streaming outputs (logs -f) print each record when it is complete. json-c escapes; before that, bytes that
 * are not UTF-8 become the Latin-1 code point of the byte, and after it DEL and the C1 control characters,
 * which json-c leaves raw, become \u escapes, so the output is valid JSON and safe on a terminal. */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 32

struct json_object;

typedef struct JsonWriter {
        FILE *f;
        unsigned depth;                         /* open containers held in open[] */
        unsigned excess;                        /* opened beyond JSON_DEPTH_MAX (a programming error) */
        struct json_object *open[JSON_DEPTH_MAX];       /* open[0] is the top-level value */
        char *key;                              /* a key was given, its value comes next */
        int error;                              /* -errno: the current top-level value is dropped */
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
void json_boolean(JsonWriter *w, bool b);       /* not json_bool: json-c's type of that name */
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
