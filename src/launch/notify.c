/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "macro.h"
#include "notify-send.h"
#include "notify.h"

int notify_socket_open(const char *dir, int *ret_fd) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;
        int n;

        if (mkdir(dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();

        n = snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify", dir);
        if (n < 0 || (size_t) n >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;

        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return negative_errno();

        (void) unlink(sa.sun_path);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return negative_errno();
        /* Any user inside the container may report readiness, as with NotifyAccess=all for the workload. */
        if (chmod(sa.sun_path, 0777) < 0)
                return negative_errno();

        *ret_fd = TAKE_FD(fd);
        return 0;
}

void notify_socket_remove(const char *dir) {
        char path[sizeof(((struct sockaddr_un *) NULL)->sun_path)];

        if (snprintf(path, sizeof(path), "%s/notify", dir) < (int) sizeof(path))
                (void) unlink(path);
        (void) rmdir(dir);
}

static bool relayable(const char *a, size_t n) {
        static const char *const exact[] = {
                "READY=1", "WATCHDOG=1", "WATCHDOG=trigger", "STOPPING=1", "RELOADING=1",
        };
        static const char *const prefixes[] = {
                "STATUS=", "ERRNO=", "EXTEND_TIMEOUT_USEC=", "MONOTONIC_USEC=",
        };

        for (size_t i = 0; i < ELEMENTSOF(exact); i++)
                if (n == strlen(exact[i]) && memcmp(a, exact[i], n) == 0)
                        return true;
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
                size_t k = strlen(prefixes[i]);
                if (n >= k && memcmp(a, prefixes[i], k) == 0)
                        return true;
        }
        return false;
}

int notify_filter(const char *msg, size_t len, char **ret, bool *ret_ready) {
        _cleanup_free_ char *out = NULL;
        size_t used = 0;
        bool ready = false;

        if (len > NOTIFY_MESSAGE_MAX)
                return -EMSGSIZE;

        out = malloc(len + 1);
        if (!out)
                return -ENOMEM;

        for (size_t p = 0; p < len;) {
                const char *nl = memchr(msg + p, '\n', len - p);
                size_t n = nl ? (size_t) (nl - (msg + p)) : len - p;

                /* A NUL inside a datagram is not a valid assignment: stop there, as systemd does. */
                if (memchr(msg + p, '\0', n))
                        break;
                if (n > 0 && relayable(msg + p, n)) {
                        if (used > 0)
                                out[used++] = '\n';
                        memcpy(out + used, msg + p, n);
                        used += n;
                        if (n == strlen("READY=1") && memcmp(msg + p, "READY=1", n) == 0)
                                ready = true;
                }
                p += n + 1;
        }
        out[used] = '\0';

        *ret = TAKE_PTR(out);
        if (ret_ready)
                *ret_ready = ready;
        return 0;
}

int notify_relay_one(int fd) {
        char buf[NOTIFY_MESSAGE_MAX + 1];
        _cleanup_free_ char *filtered = NULL;
        bool ready = false;
        ssize_t n;
        int r;

        /* MSG_TRUNC reports the real size: an oversized datagram is dropped whole, never relayed in part. */
        n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
        if (n < 0)
                return errno == EAGAIN ? -EAGAIN : negative_errno();
        if ((size_t) n > NOTIFY_MESSAGE_MAX)
                return 0;

        r = notify_filter(buf, (size_t) n, &filtered, &ready);
        if (r < 0)
                return r;
        if (isempty(filtered))
                return 0;

        r = notify_send(filtered);
        if (r < 0)
                return r;
        return ready;
}
