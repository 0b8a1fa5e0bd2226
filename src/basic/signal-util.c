/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>

#include "signal-util.h"

int sigset_make(sigset_t *ret, ...) {
        va_list ap;
        int r = 0;

        sigemptyset(ret);
        va_start(ap, ret);
        for (int sig = va_arg(ap, int); sig >= 0; sig = va_arg(ap, int))
                if (sigaddset(ret, sig) < 0)
                        r = -EINVAL;
        va_end(ap);
        return r;
}
