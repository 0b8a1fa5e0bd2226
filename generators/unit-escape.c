/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Escaping values for systemd's parsers of unit files: what the renderer (unit-writer.c) writes passes
 * through here, so that systemd reads back exactly the value the .ctr meant. */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "specifier.h"
#include "string-util.h"
#include "unit-escape.h"

static bool char_is_control(unsigned char c) {
        return c < ' ' || c == 0x7f;
}

int buffer_put_unit_value(Buffer *b, const char *s) {
        size_t n;

        n = strlen(s);
        /* systemd strips surrounding whitespace and joins a line ending in a backslash with the next one:
         * such a value would not read back as written. */
        if (n > 0 && (strchr(WHITESPACE, s[0]) || strchr(WHITESPACE, s[n - 1]) || s[n - 1] == '\\'))
                return -EINVAL;
        for (const char *p = s; *p; p++)
                if (char_is_control((unsigned char) *p) && *p != '\t')
                        return -EINVAL;

        return specifier_escape_append(b, s);
}

int buffer_put_unit_word(Buffer *b, const char *s, UnitWordFlags flags) {
        static const char hex[] = "0123456789abcdef";
        bool quote;
        int r;

        /* Bare when nothing in it is special to systemd's word splitting: the common case, one copy. */
        quote = isempty(s) || strpbrk(s, " \t\n\r\"'\\") != NULL;
        for (const char *p = s; *p && !quote; p++)
                if (char_is_control((unsigned char) *p))
                        quote = true;
        if (!quote)
                return specifier_escape_append(b, s);

        r = buffer_putc(b, '"');
        if (r < 0)
                return r;

        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char) *p;

                if (c == '%')
                        r = buffer_puts(b, "%%");
                else if (c == '"' || c == '\\') {
                        char e[2] = { '\\', (char) c };
                        r = buffer_append(b, e, 2);
                } else if (char_is_control(c) && (flags & UNIT_WORD_CUNESCAPE)) {
                        char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
                        r = buffer_append(b, e, 4);
                } else if (c == '\n' || c == '\r')
                        /* Without C unescaping there is no way to say a line break ("\n" reads as "n"). */
                        return -EINVAL;
                else
                        r = buffer_putc(b, (char) c);
                if (r < 0)
                        return r;
        }

        return buffer_putc(b, '"');
}

/* Runs an escaper into a buffer of its own and returns the string. */
static int escape_to_string(const char *s, UnitWordFlags flags, bool word, char **ret) {
        _cleanup_buffer_ Buffer b = {};
        char *e;
        int r;

        r = word ? buffer_put_unit_word(&b, s, flags) : buffer_put_unit_value(&b, s);
        if (r < 0)
                return r;
        e = buffer_steal(&b);
        if (!e)
                return -ENOMEM;
        *ret = e;
        return 0;
}

int unit_escape_value(const char *s, char **ret) {
        return escape_to_string(s, 0, false, ret);
}

int unit_escape_word(const char *s, UnitWordFlags flags, char **ret) {
        return escape_to_string(s, flags, true, ret);
}
