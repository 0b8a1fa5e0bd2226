/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync.h"

#define SYNC_RELEASE 'R'
#define SYNC_FD 'F'
#define SYNC_NONE 'N'
#define SYNC_HOSTS 'H'

typedef union SyncControl {
        struct cmsghdr h;
        char buf[CMSG_SPACE(sizeof(int))];
} SyncControl;

int sync_socketpair(int ret[2]) {
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ret) < 0)
                return negative_errno();
        return 0;
}

static int send_byte(int fd, char c) {
        ssize_t n;

        do
                n = send(fd, &c, 1, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        return 0;
}

int sync_release(int fd) {
        return send_byte(fd, SYNC_RELEASE);
}

/* One message without blocking; a descriptor that came with it in *ret_fd (O_CLOEXEC), or -EBADF. */
static ssize_t receive(int fd, void *buf, size_t size, int flags, int *ret_fd) {
        SyncControl control = {};
        struct iovec iov = { .iov_base = buf, .iov_len = size };
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = ret_fd ? &control : NULL,
                .msg_controllen = ret_fd ? sizeof(control) : 0,
        };
        ssize_t n;

        if (ret_fd)
                *ret_fd = -EBADF;
        do
                n = recvmsg(fd, &mh, flags | MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        if (ret_fd)
                for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
                            c->cmsg_len == CMSG_LEN(sizeof(int))) {
                                safe_close(*ret_fd);
                                memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
                        }
        return n;
}

int sync_receive_result(int fd, ExecError *ret) {
        ExecError e = {};
        ssize_t n;

        for (;;) {
                int passed = -EBADF;

                n = receive(fd, &e, sizeof(e), 0, &passed);
                safe_close(passed);     /* a pty master the monitor never took: the child is gone anyway */
                if (n < 0)
                        return (int) n;
                if (n == 0)
                        return 0;
                if (n == 1 && (*(char *) &e == SYNC_FD || *(char *) &e == SYNC_HOSTS))
                        continue;
                break;
        }
        if ((size_t) n != sizeof(e))
                return -EBADMSG;
        e.message[sizeof(e.message) - 1] = '\0';
        if (e.error <= 0)
                e.error = EIO;
        *ret = e;
        return 1;
}

int sync_next(int fd, int *ret_fd) {
        ExecError peek;
        ssize_t n;
        char c;

        /* peeked without a control buffer: a descriptor riding on the message is not installed twice */
        n = receive(fd, &peek, sizeof(peek), MSG_PEEK, NULL);
        if (n < 0)
                return (int) n;
        if (n == 0)
                return SYNC_NEXT_EXECUTED;
        if (n != 1 || (*(char *) &peek != SYNC_FD && *(char *) &peek != SYNC_HOSTS))
                return SYNC_NEXT_ERROR;

        n = receive(fd, &c, 1, 0, ret_fd);
        if (n < 0)
                return (int) n;
        if (c == SYNC_HOSTS)
                return SYNC_NEXT_HOSTS;         /* with or without a descriptor */
        if (*ret_fd < 0)
                return -EBADMSG;
        return SYNC_NEXT_FD;
}

int sync_wait_release(int fd) {
        char c = 0;
        ssize_t n;

        do
                n = recv(fd, &c, 1, 0);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        if (n == 0 || c != SYNC_RELEASE)
                return -EPIPE;
        return 0;
}

void sync_report(int fd, const ExecError *err) {
        ssize_t n;

        do
                n = send(fd, err, sizeof(*err), MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
}

/* One byte |c|, carrying |payload| when it is a descriptor. */
static int send_tagged(int fd, char c, int payload) {
        SyncControl control = {};
        struct iovec iov = { .iov_base = &c, .iov_len = 1 };
        struct msghdr mh = {
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = payload >= 0 ? &control : NULL,
                .msg_controllen = payload >= 0 ? sizeof(control) : 0,
        };
        ssize_t n;

        if (payload >= 0) {
                struct cmsghdr *h = CMSG_FIRSTHDR(&mh);

                h->cmsg_level = SOL_SOCKET;
                h->cmsg_type = SCM_RIGHTS;
                h->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(h), &payload, sizeof(int));
        }
        do
                n = sendmsg(fd, &mh, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        return 0;
}

int sync_send_fd(int fd, int payload) {
        return send_tagged(fd, SYNC_FD, payload);
}

int sync_send_hosts(int fd, int payload) {
        int r = send_tagged(fd, SYNC_HOSTS, payload);

        return r < 0 ? r : sync_wait_release(fd);
}

int sync_send_none(int fd) {
        return send_byte(fd, SYNC_NONE);
}

int sync_receive_mount(int fd, int *ret_fd) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        char c = 0;
        ssize_t n;

        for (;;) {
                n = receive(fd, &c, 1, 0, ret_fd);
                if (n != -EAGAIN)
                        break;
                if (poll(&p, 1, -1) < 0 && errno != EINTR)
                        return negative_errno();
        }
        if (n < 0)
                return (int) n;
        if (n == 1 && c == SYNC_NONE && *ret_fd < 0)
                return 0;
        if (n != 1 || c != SYNC_FD || *ret_fd < 0) {
                *ret_fd = safe_close(*ret_fd);
                return -EPIPE;
        }
        return 0;
}

int launch_error(ExecError *err, int error, const char *format, ...) {
        va_list ap;

        error = error < 0 ? -error : error;
        if (error == 0)
                error = EIO;
        if (err && err->error == 0) {
                err->error = error;
                va_start(ap, format);
                (void) vsnprintf(err->message, sizeof(err->message), format, ap);
                va_end(ap);
        }
        return -error;
}
