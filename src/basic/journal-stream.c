/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fd-util.h"
#include "journal-stream.h"
#include "macro.h"

#define JOURNAL_STDOUT_SOCKET "/run/systemd/journal/stdout"
#define JOURNAL_STREAM_SNDBUF (8 * 1024 * 1024)

int journal_stream_open_at(const char *path, const char *identifier, int priority) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int fd = -EBADF;
        char header[256];
        size_t n, l;

        if (!path || priority < 0 || priority > 7)
                return -EINVAL;
        identifier = identifier ?: "";
        n = strlen(path);
        l = strlen(identifier);
        /* the identifier is one line of the header */
        if (n >= sizeof(sa.sun_path) || l > sizeof(header) - 16 || memchr(identifier, '\n', l))
                return -EINVAL;
        memcpy(sa.sun_path, path, n);

        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, offsetof(struct sockaddr_un, sun_path) + n + 1) < 0)
                return -errno;
        if (shutdown(fd, SHUT_RD) < 0)
                return -errno;
        /* room for a burst of output while journald is busy, as sd_journal_stream_fd() makes; best effort */
        int size = JOURNAL_STREAM_SNDBUF;
        if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
                (void) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));

        /* identifier, unit (empty), priority, level prefix, syslog, kmsg, console */
        memcpy(header, identifier, l);
        memcpy(header + l, "\n\n", 2);
        l += 2;
        header[l++] = (char) ('0' + priority);
        memcpy(header + l, "\n0\n0\n0\n0\n", 9);
        l += 9;
        int r = loop_write(fd, header, l);
        if (r < 0)
                return r;
        return TAKE_FD(fd);
}

int journal_stream_open(const char *identifier, int priority) {
        return journal_stream_open_at(JOURNAL_STDOUT_SOCKET, identifier, priority);
}
