/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The child↔parent sync socket (SOCK_SEQPACKET, both ends O_CLOEXEC). The child waits for one byte before it
 * does anything visible; the parent sends it once it has placed the child (the scope). A failure in the child
 * comes back as one ExecError record (errno + a message naming the operation and path); a successful execve()
 * closes the child's end, which the parent reads as end-of-file. Before that, the child may pass the master
 * of its pty (a one-byte message carrying the descriptor). */

#include <stdarg.h>

#include "container-exec.h"
#include "macro.h"

int sync_socketpair(int ret[2]);

/* parent */
int sync_release(int fd);
/* After the child is gone: 0 on end-of-file (the workload was exec'd), 1 with *ret filled when the child
 * reported an error. Never blocks (-EAGAIN if a writer were still alive). */
int sync_receive_result(int fd, ExecError *ret);

/* While the child runs, what its next message is (never blocks: -EAGAIN when there is none yet). */
enum {
        SYNC_NEXT_EXECUTED,     /* end of file: the workload was executed */
        SYNC_NEXT_FD,           /* a descriptor, now in *ret_fd (O_CLOEXEC) */
        SYNC_NEXT_ERROR,        /* an error record, left for sync_receive_result() once the child is gone */
        SYNC_NEXT_HOSTS,        /* the container's /etc/hosts in *ret_fd, or -EBADF: it has none of ours; the
                                 * child waits for sync_release() */
};
int sync_next(int fd, int *ret_fd);

/* child: -EPIPE when the parent closed its end without releasing us. */
int sync_wait_release(int fd);
void sync_report(int fd, const ExecError *err);
/* Passes |payload| (the pty master) to the parent; from the parent, a mount (userns-mount.h). */
int sync_send_fd(int fd, int payload);
/* Network=bridge and its joiners: passes the container's /etc/hosts on the staging tmpfs (or -EBADF: a volume
 * has it) for the monitor to keep current, and waits until the monitor wrote it (its sync_release()): the
 * workload finds the other containers listed from its first instruction. */
int sync_send_hosts(int fd, int payload);

/* PrivateUsers=: the parent passes the child one message per mount it made, before the release: a
 * descriptor, or none (an optional source that is missing). The child waits for each: *ret_fd is the
 * mount or -EBADF for none; -EPIPE when the parent went away or sent anything else. */
int sync_send_none(int fd);
int sync_receive_mount(int fd, int *ret_fd);

/* Fills |err| ("Failed to … '%s'" without the strerror text) and returns -|error|. Keeps an error that is
 * already set, so the innermost (most precise) message wins. */
int launch_error(ExecError *err, int error, const char *format, ...) _printf_(3, 4);
