/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "json.h"
#include "macro.h"
#include "string-util.h"

void json_writer_init(JsonWriter *w, FILE *f) {
        *w = (JsonWriter) { .f = f };
        w->first[0] = true;
}

/* Before any value: a comma unless it is the first at its level or follows its key. */
static void json_separate(JsonWriter *w) {
        if (w->after_key) {
                w->after_key = false;
                return;
        }
        if (!w->first[w->depth]) {
                fputc(',', w->f);
                if (w->depth == 1 && w->pretty)
                        fputc('\n', w->f);
        }
        w->first[w->depth] = false;
}

static void json_open(JsonWriter *w, char c) {
        json_separate(w);
        fputc(c, w->f);
        /* Deeper than JSON_DEPTH_MAX is a programming error; stay valid by sharing the last level. */
        if (w->depth < JSON_DEPTH_MAX - 1)
                w->depth++;
        w->first[w->depth] = true;
        if (c == '[' && w->depth == 1)
                w->pretty = true;
}

static void json_close(JsonWriter *w, char c) {
        if (w->depth > 0)
                w->depth--;
        if (c == ']' && w->depth == 0 && w->pretty && !w->first[1])
                fputc('\n', w->f);
        fputc(c, w->f);
        if (w->depth == 0)
                fputc('\n', w->f);
}

void json_begin_object(JsonWriter *w) {
        json_open(w, '{');
}

void json_end_object(JsonWriter *w) {
        json_close(w, '}');
}

void json_begin_array(JsonWriter *w) {
        json_open(w, '[');
}

void json_end_array(JsonWriter *w) {
        json_close(w, ']');
}

void json_key(JsonWriter *w, const char *key) {
        json_separate(w);
        json_write_escaped(w->f, key);
        fputc(':', w->f);
        w->after_key = true;
}

void json_string(JsonWriter *w, const char *s) {
        json_separate(w);
        json_write_escaped(w->f, s);
}

void json_unsigned(JsonWriter *w, uint64_t u) {
        json_separate(w);
        fprintf(w->f, "%" PRIu64, u);
}

void json_signed(JsonWriter *w, int64_t i) {
        json_separate(w);
        fprintf(w->f, "%" PRIi64, i);
}

void json_bool(JsonWriter *w, bool b) {
        json_separate(w);
        fputs(b ? "true" : "false", w->f);
}

void json_null(JsonWriter *w) {
        json_separate(w);
        fputs("null", w->f);
}

void json_fixed2(JsonWriter *w, uint64_t x100) {
        json_separate(w);
        fprintf(w->f, "%" PRIu64 ".%02" PRIu64, x100 / 100, x100 % 100);
}

void json_strv(JsonWriter *w, char *const *l) {
        json_begin_array(w);
        for (char *const *s = l; s && *s; s++)
                json_string(w, *s);
        json_end_array(w);
}

void json_field_string(JsonWriter *w, const char *key, const char *s) {
        json_key(w, key);
        json_string(w, s);
}

void json_field_unsigned(JsonWriter *w, const char *key, uint64_t u) {
        json_key(w, key);
        json_unsigned(w, u);
}

void json_field_signed(JsonWriter *w, const char *key, int64_t i) {
        json_key(w, key);
        json_signed(w, i);
}

void json_field_bool(JsonWriter *w, const char *key, bool b) {
        json_key(w, key);
        json_bool(w, b);
}

void json_field_strv(JsonWriter *w, const char *key, char *const *l) {
        json_key(w, key);
        json_strv(w, l);
}

void json_field_limit(JsonWriter *w, const char *key, uint64_t u, uint64_t unset_value) {
        json_key(w, key);
        if (u == unset_value)
                json_null(w);
        else if (u == UINT64_MAX)
                json_string(w, "infinity");
        else
                json_unsigned(w, u);
}

void json_write_escaped(FILE *f, const char *s) {
        bool utf8;

        if (!s) {
                fputs("null", f);
                return;
        }

        /* JSON strings are Unicode: bytes that are not UTF-8 are written as the Latin-1 code point of the
         * byte, which keeps the output valid and the bytes recognisable. */
        utf8 = utf8_is_valid(s);

        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                switch (*p) {
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                case '\r':
                        fputs("\\r", f);
                        break;
                case '\b':
                        fputs("\\b", f);
                        break;
                case '\f':
                        fputs("\\f", f);
                        break;
                default:
                        if (*p < ' ' || *p == 0x7f || (*p >= 0x80 && !utf8))
                                fprintf(f, "\\u%04x", *p);
                        else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
                                /* a C1 control in UTF-8: U+009B is CSI to some terminals */
                                fprintf(f, "\\u%04x", *++p);
                        else
                                fputc(*p, f);
                }
        fputc('"', f);
}

int json_escape(const char *s, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        json_write_escaped(f, s);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}
