/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Expanding %-specifiers in .ctr values, and escaping them in what we write for systemd to expand. */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buffer.h"
#include "macro.h"
#include "specifier.h"

int specifier_expand(const char *s, const SpecifierContext *ctx, char **ret, char *ret_bad) {
        char host[HOST_NAME_MAX + 1] = "";
        _cleanup_free_ char *out = NULL;
        size_t n = 0, allocated;

        /* Every expansion is at most "ctr@" + name + ".service" or the host name; size the buffer for the
         * worst case once instead of growing it. */
        size_t longest = MAX(strlen(ctx->name) + 12, (size_t) HOST_NAME_MAX + 1);
        size_t count = 0;
        for (const char *p = s; (p = strchr(p, '%')); p++)
                count++;
        allocated = strlen(s) + count * longest + 1;
        out = malloc(allocated);
        if (!out)
                return -ENOMEM;

        for (const char *p = s; *p; p++) {
                const char *v;

                if (*p != '%') {
                        out[n++] = *p;
                        continue;
                }

                p++;
                switch (*p) {
                case '%':
                        v = "%";
                        break;
                case 'i':
                        v = ctx->name;
                        break;
                case 'n':
                case 'N':
                        n += (size_t) stpcpy(stpcpy(out + n, "ctr@"), ctx->name) - (size_t) (out + n);
                        if (*p == 'n')
                                n += (size_t) stpcpy(out + n, ".service") - (size_t) (out + n);
                        continue;
                case 'H':
                        if (ctx->hostname)
                                v = ctx->hostname;
                        else {
                                if (host[0] == '\0' && gethostname(host, sizeof(host) - 1) < 0)
                                        return negative_errno();
                                v = host;
                        }
                        break;
                default:
                        if (ret_bad)
                                *ret_bad = *p;
                        return -EBADMSG;
                }
                n += (size_t) stpcpy(out + n, v) - (size_t) (out + n);
        }

        out[n] = '\0';
        *ret = TAKE_PTR(out);
        return 0;
}

int specifier_escape_append(Buffer *b, const char *s) {
        for (;;) {
                const char *p = strchr(s, '%');
                int r;

                if (!p)
                        return buffer_puts(b, s);
                r = buffer_append(b, s, (size_t) (p - s) + 1);
                if (r < 0)
                        return r;
                r = buffer_putc(b, '%');
                if (r < 0)
                        return r;
                s = p + 1;
        }
}
