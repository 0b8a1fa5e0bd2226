/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* journald attributes a stream's lines by the cgroup of the process that writes them: a workload in
 * ctr-NAME.scope writing to the service's inherited stream would be logged under the scope, not under
 * "journalctl -u ctr@NAME". So when our own output goes to the journal, the workload's stdout and stderr
 * are pipes that the monitor (in the service's cgroup) forwards into two journal streams of its own:
 * stdout at info, stderr at err, both with the container's identifier. Anywhere else (a terminal, a
 * pipe, a file) the workload simply inherits our stdio: nothing to forward, nothing to cost. */

#include <stdbool.h>

typedef struct LogForward {
        int out_pipe[2];        /* workload stdout: [0] read by the monitor, [1] becomes the child's fd 1 */
        int err_pipe[2];        /* workload stderr */
        int out_journal;        /* where the monitor writes stdout lines */
        int err_journal;        /* … and stderr lines */
} LogForward;

#define LOG_FORWARD_INIT                                                \
        (LogForward) {                                                  \
                .out_pipe = { -EBADF, -EBADF },                         \
                .err_pipe = { -EBADF, -EBADF },                         \
                .out_journal = -EBADF,                                  \
                .err_journal = -EBADF,                                  \
        }

/* True when fd 1 is the journal stream systemd gave us ($JOURNAL_STREAM names its device:inode). */
bool log_forward_wanted(void);

/* Opens the two journal streams (identifier = the container name) and the pipes. */
int log_forward_open(LogForward *lf, const char *identifier);

/* In the child: the pipes' write ends become fds 1 and 2; everything else of ours is closed. */
int log_forward_apply_child(LogForward *lf);

/* In the parent after the child exists: drop the write ends so EOF arrives when the workload is gone. */
void log_forward_close_child_ends(LogForward *lf);

/* Moves what is readable from |from| to |to| (splice where it can, read/write otherwise). Returns the
 * number of bytes moved, 0 at end of file, -EAGAIN when nothing was ready, or -errno. */
ssize_t log_forward_pump(int from, int to);

void log_forward_done(LogForward *lf);
