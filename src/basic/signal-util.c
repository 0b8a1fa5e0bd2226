/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>

#include "signal-util.h"

void signals_reset_to_default(void) {
        struct sigaction sa = { .sa_handler = SIG_DFL };

        for (int sig = 1; sig < _NSIG; sig++)
                if (sig != SIGKILL && sig != SIGSTOP)
                        (void) sigaction(sig, &sa, NULL);       /* EINVAL for the ones libc reserves */
}

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
