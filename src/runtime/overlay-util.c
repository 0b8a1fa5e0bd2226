/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "macro.h"
#include "overlay-util.h"

char *overlay_escape(const char *path) {
        size_t n = 0;
        char *s, *t;

        for (const char *i = path; *i; i++)
                n += strchr("\\,:", *i) ? 2 : 1;
        s = t = malloc(n + 1);
        if (!s)
                return NULL;
        for (const char *i = path; *i; i++) {
                if (strchr("\\,:", *i))
                        *t++ = '\\';
                *t++ = *i;
        }
        *t = '\0';
        return s;
}

int overlay_lowerdir_format(char *const *lowerdirs, char **ret) {
        _cleanup_buffer_ Buffer b = {};
        char *s;

        if (!lowerdirs || !lowerdirs[0])
                return -EINVAL;
        for (char *const *l = lowerdirs; *l; l++) {
                _cleanup_free_ char *e = overlay_escape(*l);
                if (!e || (l != lowerdirs && buffer_putc(&b, ':') < 0) || buffer_puts(&b, e) < 0)
                        return -ENOMEM;
        }
        s = buffer_steal(&b);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}
