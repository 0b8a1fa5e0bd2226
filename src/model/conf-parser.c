/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf-parser.h"
#include "string-util.h"

static int parse_line(const char *file, unsigned line, char **section, bool *skip, char *l,
                      ConfItemCallback callback, void *userdata, Diagnostics *diag, bool *failed) {
        char *e, *key, *value;
        int r;

        l = strstrip(l);
        if (*l == '\0')
                return 0;

        if (*l == '[') {
                size_t k = strlen(l);

                if (k < 3 || l[k - 1] != ']' || memchr(l + 1, '[', k - 2) || memchr(l + 1, ']', k - 2)) {
                        /* The file is rejected; until the next header, assignments belong to no section and
                         * are dropped without a warning each. */
                        *failed = true;
                        *section = mfree(*section);
                        *skip = true;
                        return diagnostics_add(diag, DIAGNOSTIC_ERROR, EBADMSG, file, line, NULL, NULL, l,
                                               "Invalid section header '%s'.", l);
                }
                *skip = false;
                l[k - 1] = '\0';
                r = free_and_strdup(section, l + 1);
                if (r < 0)
                        return r;
                return callback(file, line, *section, NULL, NULL, userdata);
        }

        if (*skip)
                return 0;

        e = strchr(l, '=');
        if (!e)
                return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, file, line, *section, NULL, l,
                                       "Missing '=', ignoring line.");
        *e = '\0';
        key = strstrip(l);
        value = strstrip(e + 1);

        if (*key == '\0')
                return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, file, line, *section, NULL, value,
                                       "Missing key name before '=', ignoring line.");
        if (!*section)
                return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, file, line, NULL, key, value,
                                       "Assignment outside of section, ignoring.");

        return callback(file, line, *section, key, value, userdata);
}

int conf_parse_buffer(const char *file, const char *data, size_t size, size_t line_max,
                      ConfItemCallback callback, void *userdata, Diagnostics *diag) {
        _cleanup_free_ char *section = NULL, *buf = NULL;
        size_t buf_len = 0, pos = 0;
        unsigned line = 0, first_line = 0;
        bool continuation = false, failed = false, skip = false;
        int r;

        if (memchr(data, '\0', size)) {
                r = diagnostics_add(diag, DIAGNOSTIC_ERROR, EBADMSG, file, 0, NULL, NULL, NULL,
                                    "File contains a NUL byte.");
                return r < 0 ? r : -EBADMSG;
        }

        /* Every logical line fits in line_max, so one buffer of that size (plus NUL) holds any of them. */
        buf = malloc(MIN(size, line_max) + 2);
        if (!buf)
                return -ENOMEM;

        if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
                pos = 3;

        while (pos < size) {
                const char *s = data + pos, *nl, *l;
                size_t n, k;
                bool escaped = false;

                nl = memchr(s, '\n', size - pos);
                n = nl ? (size_t) (nl - s) : size - pos;
                pos += n + (nl ? 1 : 0);
                line++;
                if (n > 0 && s[n - 1] == '\r')
                        n--;

                if (n > line_max || (continuation && buf_len + n > line_max)) {
                        r = diagnostics_add(diag, DIAGNOSTIC_ERROR, E2BIG, file, continuation ? first_line : line,
                                            section, NULL, NULL, "Line too long (more than %zu bytes).", line_max);
                        return r < 0 ? r : -EBADMSG;
                }

                /* Comment lines are skipped, also in the middle of a continuation, as systemd does. */
                k = 0;
                while (k < n && (s[k] == ' ' || s[k] == '\t'))
                        k++;
                if (k < n && (s[k] == '#' || s[k] == ';'))
                        continue;

                if (!continuation) {
                        buf_len = 0;
                        first_line = line;
                }
                memcpy(buf + buf_len, s, n);
                buf[buf_len + n] = '\0';

                /* An odd number of trailing backslashes continues the line; the backslash becomes a space.
                 * Only the new part counts: what came before ended unescaped, and so does whatever precedes
                 * the last run of backslashes (a character after a backslash is that backslash's). */
                l = buf + buf_len;
                buf_len += n;
                for (size_t i = n; i > 0 && l[i - 1] == '\\'; i--)
                        escaped = !escaped;
                if (escaped) {
                        buf[buf_len - 1] = ' ';
                        continuation = true;
                        continue;
                }
                continuation = false;

                r = parse_line(file, first_line, &section, &skip, buf, callback, userdata, diag, &failed);
                if (r < 0)
                        return r;
        }

        if (continuation) {
                r = parse_line(file, first_line, &section, &skip, buf, callback, userdata, diag, &failed);
                if (r < 0)
                        return r;
        }

        return failed ? -EBADMSG : 0;
}
