/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* LD_PRELOAD fault injection for 40-service's lost-connection cases: breaks the sd-bus connection that
 * carries the launcher's StartTransientUnit once, the way systemd dropped launchers under a burst of starts.
 *
 *   CTR_TEST_BUS_DROP=before  the request is never sent: its sendmsg() fails with ECONNRESET
 *   CTR_TEST_BUS_DROP=after   the request is sent; the reads that follow pass through until the next message
 *                             on the connection is systemd's method return (it took the request: the scope
 *                             exists), and that read fails with ECONNRESET. An error reply passes and the
 *                             next request is the one (systemd 252 refuses PIDFDs=, then the launcher asks
 *                             again with PIDs=).
 *
 * The socket is shut down for real, so the connection is dead for sd-bus as it would be after systemd closed
 * it. Fires once per process; anything else passes through. */

#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static const char request[] = "StartTransientUnit";
static bool fired;
static int doomed_fd = -1;
static size_t to_boundary;      /* bytes of the message being read that sd-bus has not read yet */

static bool carries_request(const struct msghdr *mh) {
        for (size_t i = 0; i < mh->msg_iovlen; i++)
                if (mh->msg_iov[i].iov_base &&
                    memmem(mh->msg_iov[i].iov_base, mh->msg_iov[i].iov_len, request, sizeof(request) - 1))
                        return true;
        return false;
}

static const char *mode(void) {
        const char *m = getenv("CTR_TEST_BUS_DROP");
        return m ? m : "";
}

static int drop(int fd) {
        fired = true;
        doomed_fd = -1;
        (void) shutdown(fd, SHUT_RDWR);
        errno = ECONNRESET;
        return -1;
}

ssize_t sendmsg(int fd, const struct msghdr *mh, int flags) {
        static ssize_t (*real)(int, const struct msghdr *, int);
        ssize_t k;

        if (!real)
                real = (ssize_t (*)(int, const struct msghdr *, int)) dlsym(RTLD_NEXT, "sendmsg");
        if (fired || !carries_request(mh))
                return real(fd, mh, flags);
        if (strcmp(mode(), "before") == 0)
                return drop(fd);
        k = real(fd, mh, flags);
        if (k >= 0 && strcmp(mode(), "after") == 0) {
                doomed_fd = fd;
                to_boundary = 0;
        }
        return k;
}

/* The type of the next message on |fd| (1 call, 2 return, 3 error, 4 signal) and its length, peeked from its
 * fixed header: 16 bytes, then the header fields (padded to 8) and the body. */
static int peek_next(int fd, size_t *ret_len) {
        static ssize_t (*real)(int, struct msghdr *, int);
        unsigned char h[16];
        struct iovec iov = { h, sizeof(h) };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
        struct pollfd p = { .fd = fd, .events = POLLIN };
        uint32_t body, fields;

        if (!real)
                real = (ssize_t (*)(int, struct msghdr *, int)) dlsym(RTLD_NEXT, "recvmsg");
        for (int i = 0; i < 3000; i++) {
                if (real(fd, &mh, MSG_PEEK | MSG_DONTWAIT) == (ssize_t) sizeof(h))
                        break;
                (void) poll(&p, 1, 10);
        }
        if (h[0] != 'l')
                return -1;
        memcpy(&body, h + 4, 4);
        memcpy(&fields, h + 12, 4);
        *ret_len = 16 + ((fields + 7) & ~7U) + body;
        return h[1];
}

ssize_t recvmsg(int fd, struct msghdr *mh, int flags) {
        static ssize_t (*real)(int, struct msghdr *, int);
        ssize_t k;

        if (!real)
                real = (ssize_t (*)(int, struct msghdr *, int)) dlsym(RTLD_NEXT, "recvmsg");
        if (fired || fd != doomed_fd)
                return real(fd, mh, flags);
        if (to_boundary == 0) {
                int type = peek_next(fd, &to_boundary);

                if (type == 2)
                        return drop(fd);
                if (type == 3)
                        doomed_fd = -1;         /* refused: wait for the next request */
                if (type < 0) {
                        doomed_fd = -1;
                        to_boundary = 0;
                }
        }
        k = real(fd, mh, flags);
        if (k > 0)
                to_boundary = (size_t) k >= to_boundary ? 0 : to_boundary - (size_t) k;
        return k;
}
