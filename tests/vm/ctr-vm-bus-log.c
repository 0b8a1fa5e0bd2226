/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* LD_PRELOAD for 50-ctrctl's checks of what ctrctl asks systemd: appends the bytes of every message the
 * process sends on a socket (sd-bus sends each with one sendmsg()) to the file $CTR_TEST_BUS_LOG, each
 * followed by a newline. A case then looks in it for an object path ("ctr_40web_2eservice") or a method
 * ("ListUnitsByPatterns"). Everything passes through unchanged. */

#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

ssize_t sendmsg(int fd, const struct msghdr *mh, int flags) {
        static ssize_t (*real)(int, const struct msghdr *, int);
        const char *path = getenv("CTR_TEST_BUS_LOG");
        ssize_t k;
        int log;

        if (!real)
                real = (ssize_t (*)(int, const struct msghdr *, int)) dlsym(RTLD_NEXT, "sendmsg");
        k = real(fd, mh, flags);
        if (k <= 0 || !path)
                return k;
        log = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        if (log < 0)
                return k;
        for (size_t i = 0; i < mh->msg_iovlen; i++)
                if (mh->msg_iov[i].iov_base)
                        (void) !write(log, mh->msg_iov[i].iov_base, mh->msg_iov[i].iov_len);
        (void) !write(log, "\n", 1);
        (void) close(log);
        return k;
}
