/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "macro.h"
#include "overlay-util.h"
#include "string-util.h"

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

int overlay_mount_options_format(char *const *lowerdirs, const char *upperdir, const char *workdir, size_t max,
                                 char **ret) {
        _cleanup_free_ char *lower = NULL, *upper = NULL, *work = NULL, *s = NULL;
        int r;

        if (!!upperdir != !!workdir)
                return -EINVAL;
        r = overlay_lowerdir_format(lowerdirs, &lower);
        if (r < 0)
                return r;
        if (upperdir) {
                upper = overlay_escape(upperdir);
                work = overlay_escape(workdir);
                if (!upper || !work)
                        return -ENOMEM;
                s = strprintf("lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
        } else
                s = strprintf("lowerdir=%s", lower);
        if (!s)
                return -ENOMEM;
        if (max != SIZE_MAX && strlen(s) >= max)
                return -E2BIG;
        *ret = TAKE_PTR(s);
        return 0;
}
