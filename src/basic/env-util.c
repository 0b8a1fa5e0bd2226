/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buffer.h"
#include "env-util.h"
#include "fileio.h"
#include "macro.h"
#include "name-util.h"

/* A bounded check first: parse-util's validator copies the name to the stack. */
static bool assignment_is_valid(const char *assignment) {
        return assignment && strnlen(assignment, ENV_ASSIGNMENT_MAX) < ENV_ASSIGNMENT_MAX &&
                env_assignment_is_valid(assignment);
}

static size_t env_length(char *const *env) {
        size_t n = 0;

        while (env && env[n])
                n++;
        return n;
}

static char **env_find(char *const *env, const char *name, size_t name_len) {
        for (char *const *e = env; e && *e; e++)
                if (strncmp(*e, name, name_len) == 0 && (*e)[name_len] == '=')
                        return (char **) e;
        return NULL;
}

const char *env_get(char *const *env, const char *name) {
        char **e = env_find(env, name, strlen(name));

        return e ? *e + strlen(name) + 1 : NULL;
}

char **env_free(char **env) {
        for (char **e = env; e && *e; e++)
                free(*e);
        free(env);
        return NULL;
}

int env_set(char ***env, const char *assignment) {
        _cleanup_free_ char *copy = NULL;
        size_t n;
        char **e;

        if (!assignment_is_valid(assignment))
                return -EINVAL;

        copy = strdup(assignment);
        if (!copy)
                return -ENOMEM;

        e = env_find(*env, assignment, (size_t) (strchr(assignment, '=') - assignment));
        if (e) {
                free(*e);
                *e = TAKE_PTR(copy);
                return 0;
        }

        n = env_length(*env);
        if (n >= ENV_ENTRIES_MAX)
                return -E2BIG;

        e = reallocarray(*env, n + 2, sizeof(char *));
        if (!e)
                return -ENOMEM;
        e[n] = TAKE_PTR(copy);
        e[n + 1] = NULL;
        *env = e;
        return 0;
}

static int env_file_push(char ***env, Buffer *key, Buffer *value, size_t value_trim) {
        _cleanup_free_ char *a = NULL;
        size_t klen = key->size;

        /* Trailing whitespace of the key and of an unquoted value is not part of them. */
        while (klen > 0 && strchr(" \t\r", key->data[klen - 1]))
                klen--;
        if (value->data && value_trim <= value->size)
                value->data[value_trim] = '\0';

        if (klen == 0)
                return 0;

        if (asprintf(&a, "%.*s=%s", (int) klen, key->data, strempty(value->data)) < 0)
                return -ENOMEM;

        if (!assignment_is_valid(a))
                return 0;       /* systemd ignores (and logs) invalid assignments */

        return env_set(env, a);
}

int env_file_parse(const char *contents, char ***ret) {
        enum {
                PRE_KEY,
                KEY,
                PRE_VALUE,
                VALUE,
                VALUE_ESCAPE,
                SINGLE_QUOTE,
                DOUBLE_QUOTE,
                DOUBLE_QUOTE_ESCAPE,
                COMMENT,
                COMMENT_ESCAPE,
        } state = PRE_KEY;
        /* A name or a value holds at most ENV_FILE_SIZE_MAX - 1 bytes, the bound the parser always had:
         * env_file_load() reads no more than ENV_FILE_SIZE_MAX, contents from elsewhere are held to it. */
        _cleanup_buffer_ Buffer key = { .max = ENV_FILE_SIZE_MAX - 1 }, value = { .max = ENV_FILE_SIZE_MAX - 1 };
        char **env = NULL;
        size_t trim = SIZE_MAX;  /* where trailing unquoted whitespace of the value starts, SIZE_MAX: none */
        int r = 0;

#define APPEND_VALUE(c)                                         \
        do {                                                    \
                r = buffer_putc(&value, (c));                   \
                if (r < 0)                                      \
                        goto finish;                            \
        } while (0)

#define PUSH()                                                                          \
        do {                                                                            \
                r = env_file_push(&env, &key, &value, trim == SIZE_MAX ? value.size : trim); \
                if (r < 0)                                                              \
                        goto finish;                                                    \
                buffer_reset(&key);                                                     \
                buffer_reset(&value);                                                   \
                trim = SIZE_MAX;                                                        \
        } while (0)

        for (const char *p = contents; ; p++) {
                char c = *p;
                bool eof = c == '\0';
                /* as systemd: CR ends a line too (outside quotes) */
                bool nl = c == '\n' || c == '\r' || eof;

                switch (state) {

                case PRE_KEY:
                        if (eof)
                                goto done;
                        if (strchr(" \t\r\n", c))
                                break;
                        if (c == '#' || c == ';') {
                                state = COMMENT;
                                break;
                        }
                        state = KEY;
                        r = buffer_putc(&key, c);
                        if (r < 0)
                                goto finish;
                        break;

                case KEY:
                        if (nl) {
                                /* no '=': not an assignment */
                                buffer_reset(&key);
                                state = PRE_KEY;
                        } else if (c == '=') {
                                state = PRE_VALUE;
                                trim = SIZE_MAX;
                        } else {
                                r = buffer_putc(&key, c);
                                if (r < 0)
                                        goto finish;
                        }
                        break;

                case PRE_VALUE:
                        if (nl) {
                                PUSH();
                                state = PRE_KEY;
                        } else if (c == '\'')
                                state = SINGLE_QUOTE;
                        else if (c == '"')
                                state = DOUBLE_QUOTE;
                        else if (c == '\\')
                                state = VALUE_ESCAPE;
                        else if (!strchr(" \t\r", c)) {
                                APPEND_VALUE(c);
                                state = VALUE;
                        }
                        break;

                case VALUE:
                        if (nl) {
                                PUSH();
                                state = PRE_KEY;
                        } else if (c == '\\') {
                                trim = SIZE_MAX;
                                state = VALUE_ESCAPE;
                        } else {
                                if (strchr(" \t\r", c)) {
                                        if (trim == SIZE_MAX)
                                                trim = value.size;
                                } else
                                        trim = SIZE_MAX;
                                APPEND_VALUE(c);
                        }
                        break;

                case VALUE_ESCAPE:
                        if (eof) {
                                PUSH();
                                goto done;
                        }
                        /* backslash-newline joins lines; any other character is taken literally */
                        if (!nl)
                                APPEND_VALUE(c);
                        trim = SIZE_MAX;
                        state = VALUE;
                        break;

                case SINGLE_QUOTE:
                        if (eof) {
                                PUSH();
                                goto done;
                        }
                        if (c == '\'') {
                                trim = SIZE_MAX;
                                state = PRE_VALUE;
                        } else
                                APPEND_VALUE(c);
                        break;

                case DOUBLE_QUOTE:
                        if (eof) {
                                PUSH();
                                goto done;
                        }
                        if (c == '"') {
                                trim = SIZE_MAX;
                                state = PRE_VALUE;
                        } else if (c == '\\')
                                state = DOUBLE_QUOTE_ESCAPE;
                        else
                                APPEND_VALUE(c);
                        break;

                case DOUBLE_QUOTE_ESCAPE:
                        if (eof) {
                                PUSH();
                                goto done;
                        }
                        if (strchr("\"\\`$", c))
                                APPEND_VALUE(c);
                        else if (c != '\n') {
                                APPEND_VALUE('\\');
                                APPEND_VALUE(c);
                        }
                        state = DOUBLE_QUOTE;
                        break;

                case COMMENT:
                        if (eof)
                                goto done;
                        if (c == '\\')
                                state = COMMENT_ESCAPE;
                        else if (nl)
                                state = PRE_KEY;
                        break;

                case COMMENT_ESCAPE:
                        if (eof)
                                goto done;
                        state = COMMENT;
                        break;
                }

                if (eof)
                        break;
        }

done:
        r = 0;
        *ret = TAKE_PTR(env);

finish:
        env_free(env);
        return r;
#undef APPEND_VALUE
#undef PUSH
}

int env_file_load(const char *path, char ***ret) {
        _cleanup_free_ char *buf = NULL;
        int r;

        r = read_text_file(path, ENV_FILE_SIZE_MAX, &buf, NULL);
        if (r < 0)
                return r;

        return env_file_parse(buf, ret);
}
