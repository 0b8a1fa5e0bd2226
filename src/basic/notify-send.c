/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "notify-send.h"
#include "parse-util.h"

int notify_send(const char *state) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;
        const char *address;
        socklen_t length;
        size_t n;

        if (!state || !*state)
                return -EINVAL;
        address = getenv("NOTIFY_SOCKET");
        if (!address)
                return 0;
        n = strlen(address);
        if ((address[0] != '/' && address[0] != '@') || n < 2 || n > sizeof(sa.sun_path))
                return -EINVAL;
        memcpy(sa.sun_path, address, n);
        if (sa.sun_path[0] == '@')
                sa.sun_path[0] = '\0';
        /* a path's terminating NUL is counted when it fits; an abstract name is exactly its bytes */
        length = offsetof(struct sockaddr_un, sun_path) + n + (address[0] == '/' && n < sizeof(sa.sun_path));

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *) &sa, length) < 0)
                return -errno;
        return 1;
}

int notify_sendf(const char *format, ...) {
        _cleanup_free_ char *state = NULL;
        va_list ap;
        int n;

        va_start(ap, format);
        n = vasprintf(&state, format, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        return notify_send(state);
}

int notify_watchdog_usec(uint64_t *ret_usec) {
        const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
        uint64_t u;
        int p, r;

        if (!usec)
                return 0;
        r = safe_atou64(usec, &u);
        if (r < 0)
                return r;
        if (u == 0)
                return -EINVAL;
        if (pid) {
                r = safe_atoi(pid, &p);
                if (r < 0 || p <= 0)
                        return -EINVAL;
                if (p != getpid())
                        return 0;
        }
        if (ret_usec)
                *ret_usec = u;
        return 1;
}
