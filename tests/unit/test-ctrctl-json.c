/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl's JSON writer (src/ctrctl/json.c, on json-c): what it hands json-c (strings that are not UTF-8), what
 * it does to json-c's text (DEL and C1 controls escaped), the nesting, and when each top-level value prints. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "macro.h"
#include "test.h"

/* Runs |f| against a writer on a memory stream and returns what it wrote. */
static char *capture(void (*f)(JsonWriter *w)) {
        char *buf = NULL;
        size_t size = 0;
        FILE *s = open_memstream(&buf, &size);
        JsonWriter w;

        if (!s)
                return NULL;
        json_writer_init(&w, s);
        f(&w);
        fclose(s);
        return buf;
}

static char *escaped(const char *s) {
        char *r = NULL;

        if (json_escape(s, &r) < 0)
                return NULL;
        return r;
}

TEST(escape_plain) {
        _cleanup_free_ char *s = escaped("web");
        ASSERT_STREQ(s, "\"web\"");
}

TEST(escape_null_is_null) {
        _cleanup_free_ char *s = escaped(NULL);
        ASSERT_STREQ(s, "null");
}

TEST(escape_quotes_and_backslash) {
        _cleanup_free_ char *s = escaped("a\"b\\c");
        ASSERT_STREQ(s, "\"a\\\"b\\\\c\"");
}

TEST(escape_control_characters) {
        _cleanup_free_ char *s = escaped("l1\nl2\tx\r\b\f\001\037\177");
        ASSERT_STREQ(s, "\"l1\\nl2\\tx\\r\\b\\f\\u0001\\u001f\\u007f\"");
}

TEST(escape_c1_controls) {
        /* U+0080..U+009F are control characters (U+009B CSI, U+009D OSC) even as valid UTF-8; U+00A0 is not */
        _cleanup_free_ char *s = escaped("\xc2\x9b" "2J\xc2\x9d" "52;c;x\xc2\x80\xc2\x9f\xc2\xa0");
        ASSERT_STREQ(s, "\"\\u009b2J\\u009d52;c;x\\u0080\\u009f\xc2\xa0\"");
}

TEST(escape_utf8_kept) {
        _cleanup_free_ char *s = escaped("grüße → 日本");
        ASSERT_STREQ(s, "\"grüße → 日本\"");
}

TEST(escape_invalid_utf8_as_latin1_code_points) {
        /* a lone 0xff and 0xe9 are not UTF-8: each becomes its Latin-1 code point (U+00FF, U+00E9), which
         * json-c writes as UTF-8, so the output is still valid JSON */
        _cleanup_free_ char *s = escaped("a\xff" "b\xe9");
        ASSERT_STREQ(s, "\"a\xc3\xbf" "b\xc3\xa9\"");
}

TEST(escape_invalid_utf8_c1_bytes_stay_escaped) {
        /* 0x9b alone is not UTF-8: U+009B (CSI), a control character, so escaped; DEL too */
        _cleanup_free_ char *s = escaped("\x9b" "2J\x85\xa0\x7f");
        ASSERT_STREQ(s, "\"\\u009b2J\\u0085\xc2\xa0\\u007f\"");
}

TEST(escape_near_c1_kept) {
        /* 0xc2 0xa0..0xbf and other lead bytes followed by 0x80..0x9f are printable characters */
        _cleanup_free_ char *s = escaped("\xc2\xbf\xc3\x80\xc4\x9b\xe2\x82\xac");
        ASSERT_STREQ(s, "\"\xc2\xbf\xc3\x80\xc4\x9b\xe2\x82\xac\"");
}

TEST(escape_slash_not_escaped) {
        _cleanup_free_ char *s = escaped("/etc/ctr/web.ctr");
        ASSERT_STREQ(s, "\"/etc/ctr/web.ctr\"");
}

static void write_object(JsonWriter *w) {
        json_begin_object(w);
        json_field_string(w, "name", "web");
        json_field_unsigned(w, "pid", 42);
        json_field_signed(w, "status", -1);
        json_field_bool(w, "running", true);
        json_key(w, "none");
        json_null(w);
        json_end_object(w);
}

TEST(writer_object_commas) {
        _cleanup_free_ char *s = capture(write_object);
        ASSERT_STREQ(s, "{\"name\":\"web\",\"pid\":42,\"status\":-1,\"running\":true,\"none\":null}\n");
}

static void write_nested(JsonWriter *w) {
        char *l[] = { (char *) "a", (char *) "b\"", NULL };

        json_begin_array(w);
        json_begin_object(w);
        json_field_strv(w, "list", l);
        json_field_strv(w, "empty", NULL);
        json_key(w, "obj");
        json_begin_object(w);
        json_end_object(w);
        json_end_object(w);
        json_begin_object(w);
        json_field_string(w, "x", NULL);
        json_end_object(w);
        json_end_array(w);
}

TEST(writer_nested_arrays_and_objects) {
        _cleanup_free_ char *s = capture(write_nested);
        /* one element of the outer array per line */
        ASSERT_STREQ(s, "[{\"list\":[\"a\",\"b\\\"\"],\"empty\":[],\"obj\":{}},\n{\"x\":null}\n]\n");
}

static void write_empty_array(JsonWriter *w) {
        json_begin_array(w);
        json_end_array(w);
}

TEST(writer_empty_array) {
        _cleanup_free_ char *s = capture(write_empty_array);
        ASSERT_STREQ(s, "[]\n");
}

static void write_limits(JsonWriter *w) {
        json_begin_object(w);
        json_field_limit(w, "unset", UINT64_MAX - 1, UINT64_MAX - 1);
        json_field_limit(w, "inf", UINT64_MAX, UINT64_MAX - 1);
        json_field_limit(w, "max", 67108864, UINT64_MAX - 1);
        json_field_limit(w, "unknown", UINT64_MAX, UINT64_MAX);
        json_key(w, "cpu");
        json_fixed2(w, 12345);
        json_key(w, "small");
        json_fixed2(w, 7);
        json_end_object(w);
}

TEST(writer_limits_and_fixed) {
        _cleanup_free_ char *s = capture(write_limits);
        ASSERT_STREQ(s, "{\"unset\":null,\"inf\":\"infinity\",\"max\":67108864,\"unknown\":null,\"cpu\":123.45,"
                        "\"small\":0.07}\n");
}

static void write_key_escaped(JsonWriter *w) {
        json_begin_object(w);
        json_field_string(w, "K\"EY\n", "v");
        json_field_string(w, "K\xe9Y", "\x9b");      /* not UTF-8: Latin-1 code points, as in values */
        json_end_object(w);
}

TEST(writer_keys_are_escaped) {
        _cleanup_free_ char *s = capture(write_key_escaped);
        ASSERT_STREQ(s, "{\"K\\\"EY\\n\":\"v\",\"K\xc3\xa9Y\":\"\\u009b\"}\n");
}

TEST(writer_prints_each_top_level_value_when_it_ends) {
        /* logs -f -o json: one object per record, each on its line as soon as the record is complete */
        char *buf = NULL;
        size_t size = 0;
        FILE *s = open_memstream(&buf, &size);
        JsonWriter w;

        ASSERT_NOT_NULL(s);
        json_writer_init(&w, s);
        json_begin_object(&w);
        json_field_string(&w, "MESSAGE", "one");
        ASSERT_EQ(fflush(s), 0);
        ASSERT_EQ(size, (size_t) 0);
        json_end_object(&w);
        ASSERT_EQ(fflush(s), 0);
        ASSERT_STREQ(buf, "{\"MESSAGE\":\"one\"}\n");

        json_begin_object(&w);
        json_field_string(&w, "MESSAGE", "two/x");
        json_end_object(&w);
        ASSERT_EQ(fflush(s), 0);
        ASSERT_STREQ(buf, "{\"MESSAGE\":\"one\"}\n{\"MESSAGE\":\"two/x\"}\n");
        fclose(s);
        free(buf);
}

static void write_failed_then_next(JsonWriter *w) {
        json_begin_array(w);
        json_begin_object(w);
        json_string(w, "no key");       /* a programming error: the whole top-level value is dropped */
        json_begin_array(w);
        json_unsigned(w, 1);
        json_end_array(w);
        json_end_object(w);
        json_end_array(w);
        json_begin_array(w);            /* and the next one is whole again */
        json_unsigned(w, 2);
        json_end_array(w);
}

TEST(writer_failed_value_dropped_next_printed) {
        _cleanup_free_ char *s = capture(write_failed_then_next);
        ASSERT_STREQ(s, "[2\n]\n");
}

static void write_deep(JsonWriter *w) {
        for (unsigned i = 0; i < JSON_DEPTH_MAX + 5; i++)
                json_begin_array(w);
        json_unsigned(w, 1);
        json_unsigned(w, 2);
        for (unsigned i = 0; i < JSON_DEPTH_MAX + 5; i++)
                json_end_array(w);
}

TEST(writer_deeper_than_the_limit_stays_balanced) {
        _cleanup_free_ char *s = capture(write_deep);
        size_t open = 0, close = 0;

        ASSERT_NOT_NULL(s);
        for (const char *p = s; *p; p++) {
                open += *p == '[';
                close += *p == ']';
        }
        ASSERT_EQ(open, JSON_DEPTH_MAX + 5);
        ASSERT_EQ(close, JSON_DEPTH_MAX + 5);
        ASSERT_NOT_NULL(strstr(s, "1,2"));
}
