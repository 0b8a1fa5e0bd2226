/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sync.h"

#define SYNC_RELEASE 'R'

int sync_socketpair(int ret[2]) {
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ret) < 0)
                return negative_errno();
        return 0;
}

int sync_release(int fd) {
        char c = SYNC_RELEASE;
        ssize_t n;

        do
                n = send(fd, &c, 1, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        return 0;
}

int sync_receive_result(int fd, ExecError *ret) {
        ExecError e = {};
        ssize_t n;

        do
                n = recv(fd, &e, sizeof(e), MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        if (n == 0)
                return 0;
        if ((size_t) n != sizeof(e))
                return -EBADMSG;
        e.message[sizeof(e.message) - 1] = '\0';
        if (e.error <= 0)
                e.error = EIO;
        *ret = e;
        return 1;
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
