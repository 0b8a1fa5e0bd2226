/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "log.h"
#include "macro.h"
#include "string-util.h"

/* Compact, and '/' as it is: paths are most of what ctrctl prints. */
#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);

/* JSON strings are Unicode and json-c takes UTF-8: a string that is not UTF-8 gets each byte >= 0x80 as the
 * Latin-1 code point of the byte (U+0080..U+00FF), which keeps the output valid and the bytes recognisable.
 * Returns a new string, NULL when out of memory. */
static char *utf8_dup(const char *s) {
        char *t, *p;

        if (utf8_is_valid(s))
                return strdup(s);

        t = malloc(strlen(s) * 2 + 1);
        if (!t)
                return NULL;
        p = t;
        for (const unsigned char *c = (const unsigned char *) s; *c; c++)
                p += utf8_encode(*c, p);
        *p = '\0';
        return t;
}

static json_object *json_new_string(const char *s) {
        _cleanup_free_ char *u = utf8_dup(s);

        return u ? json_object_new_string(u) : NULL;
}

/* Prints |v| (NULL: null). json-c escapes the C0 control characters only; DEL and the C1 control characters
 * U+0080..U+009F (U+009B is CSI to some terminals) it leaves raw, and a container's log lines must not reach
 * a terminal with them: they become \u escapes here, the same string to a JSON reader. In json-c's output
 * everything outside strings is ASCII and every string is UTF-8 (utf8_dup()), so 0xC2 always starts a
 * character and never follows a backslash. */
static int json_write_value(FILE *f, json_object *v) {
        const char *s;

        s = json_object_to_json_string_ext(v, JSON_FLAGS);
        if (!s)
                return -ENOMEM;

        for (;;) {
                size_t n = strcspn(s, "\x7f\xc2");

                fwrite(s, 1, n, f);
                s += n;
                if (*s == '\0')
                        return 0;
                if (*s == 0x7f) {
                        fputs("\\u007f", f);
                        s++;
                } else if ((unsigned char) s[1] >= 0x80 && (unsigned char) s[1] <= 0x9f) {
                        fprintf(f, "\\u%04x", (unsigned char) s[1]);
                        s += 2;
                } else {
                        fputc(*s, f);
                        s++;
                }
        }
}

/* A top-level array prints one element per line ("[A,\nB\n]"), as ctrctl always has: a list of containers
 * stays readable with line tools (grep, head) and in the tests that read it so; anything else on one line. */
static int json_write_value_lines(FILE *f, json_object *v) {
        size_t n;
        int r;

        if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
                return json_write_value(f, v);

        n = json_object_array_length(v);
        fputc('[', f);
        for (size_t i = 0; i < n; i++) {
                if (i > 0)
                        fputs(",\n", f);
                r = json_write_value(f, json_object_array_get_idx(v, i));
                if (r < 0)
                        return r;
        }
        fputs("\n]", f);
        return 0;
}

void json_writer_init(JsonWriter *w, FILE *f) {
        *w = (JsonWriter) { .f = f };
}

static void json_log_error(int error) {
        log_error_errno(error, "Failed to format the JSON output: %m");
}

/* Out of memory (or -EINVAL: a value without a key inside an object, a programming error): the top-level
 * value being built is dropped, and said so when it ends; until then the writer only counts the nesting. */
static void json_fail(JsonWriter *w, int error) {
        w->key = mfree(w->key);
        if (w->depth == 0) {
                json_log_error(error);
                return;
        }
        if (w->error < 0)
                return;
        w->error = error;
        json_object_put(w->open[0]);    /* the whole tree: the deeper entries of open[] are held by it */
        memset(w->open, 0, sizeof(w->open));
}

/* Adds |v| (NULL: null) to the innermost open container, under the pending key in an object; takes |v|. */
static int json_add(JsonWriter *w, json_object *v) {
        _cleanup_free_ char *key = TAKE_PTR(w->key);
        json_object *parent;
        int r;

        if (w->error < 0) {
                json_object_put(v);
                return w->error;
        }

        if (w->depth == 0) {
                /* a value outside any container is complete at once */
                r = json_write_value(w->f, v);
                json_object_put(v);
                if (r < 0)
                        json_log_error(r);
                return r;
        }

        parent = w->open[w->depth - 1];
        if (json_object_is_type(parent, json_type_object))
                r = key ? json_object_object_add(parent, key, v) : -EINVAL;
        else
                r = json_object_array_add(parent, v);
        if (r < 0) {
                json_object_put(v);
                json_fail(w, key ? -ENOMEM : -EINVAL);
                return w->error;
        }
        return 0;
}

/* A value the json_object_new_*() call may have failed to allocate: NULL here is out of memory. */
static void json_add_new(JsonWriter *w, json_object *v) {
        if (!v)
                json_fail(w, -ENOMEM);
        else
                (void) json_add(w, v);
}

static void json_open(JsonWriter *w, json_object *c) {
        if (w->depth >= JSON_DEPTH_MAX) {
                /* Deeper than JSON_DEPTH_MAX is a programming error; stay valid and balanced: the extra levels
                 * are added to the deepest one, and what they would hold goes there too. */
                w->excess++;
                json_add_new(w, c);
                return;
        }

        if (c && w->depth > 0 && json_add(w, c) < 0)      /* else the parent holds it from now on */
                c = NULL;
        w->key = mfree(w->key);         /* a key before a top-level value has no object to go in */
        w->open[w->depth++] = c;
        if (!c)
                json_fail(w, -ENOMEM);  /* unless json_add() failed already */
}

static void json_close(JsonWriter *w) {
        _cleanup_(json_object_putp) json_object *top = NULL;

        w->key = mfree(w->key);
        if (w->excess > 0) {
                w->excess--;
                return;
        }
        if (w->depth == 0 || --w->depth > 0)
                return;

        /* the top-level value is complete: print it now, so that each record of a stream shows at once */
        top = TAKE_PTR(w->open[0]);
        if (w->error < 0) {
                json_log_error(w->error);
                w->error = 0;
                return;
        }
        if (json_write_value_lines(w->f, top) < 0) {
                json_log_error(-ENOMEM);
                return;
        }
        fputc('\n', w->f);
}

void json_begin_object(JsonWriter *w) {
        json_open(w, json_object_new_object());
}

void json_end_object(JsonWriter *w) {
        json_close(w);
}

void json_begin_array(JsonWriter *w) {
        json_open(w, json_object_new_array());
}

void json_end_array(JsonWriter *w) {
        json_close(w);
}

void json_key(JsonWriter *w, const char *key) {
        free(w->key);
        w->key = key ? utf8_dup(key) : NULL;
        if (!w->key)
                json_fail(w, key ? -ENOMEM : -EINVAL);
}

void json_string(JsonWriter *w, const char *s) {
        if (!s)
                json_null(w);
        else
                json_add_new(w, json_new_string(s));
}

void json_unsigned(JsonWriter *w, uint64_t u) {
        json_add_new(w, json_object_new_uint64(u));
}

void json_signed(JsonWriter *w, int64_t i) {
        json_add_new(w, json_object_new_int64(i));
}

void json_boolean(JsonWriter *w, bool b) {
        json_add_new(w, json_object_new_boolean(b));
}

void json_null(JsonWriter *w) {
        (void) json_add(w, NULL);
}

void json_fixed2(JsonWriter *w, uint64_t x100) {
        char buf[32];

        /* json-c prints the double as this string: exactly two decimals, as a double would not */
        snprintf(buf, sizeof(buf), "%" PRIu64 ".%02" PRIu64, x100 / 100, x100 % 100);
        json_add_new(w, json_object_new_double_s((double) x100 / 100, buf));
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
        json_boolean(w, b);
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

static int json_write_string(FILE *f, const char *s) {
        _cleanup_(json_object_putp) json_object *v = NULL;

        if (s) {
                v = json_new_string(s);
                if (!v)
                        return -ENOMEM;
        }
        return json_write_value(f, v);
}

void json_write_escaped(FILE *f, const char *s) {
        int r;

        r = json_write_string(f, s);
        if (r < 0)
                json_log_error(r);
}

int json_escape(const char *s, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        r = json_write_string(f, s);
        if (fclose(f) != 0 || r < 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}
