/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "journal-stream.h"
#include "log-forward.h"
#include "macro.h"

#define PUMP_CHUNK (64U * 1024U)

bool log_forward_wanted(void) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(STDOUT_FILENO, &st) < 0)
                return false;
        return (unsigned long long) st.st_dev == dev && (unsigned long long) st.st_ino == ino;
}

static int log_forward_setup(LogForward *lf, const char *identifier) {
        /* journald's stream protocol spoken here, not through libsystemd: the monitor never loads it
         * (journal-stream.h) */
        lf->out_journal = journal_stream_open(identifier, LOG_INFO);
        if (lf->out_journal < 0)
                return lf->out_journal;
        lf->err_journal = journal_stream_open(identifier, LOG_ERR);
        if (lf->err_journal < 0)
                return lf->err_journal;
        if (pipe2(lf->out_pipe, O_CLOEXEC) < 0 || pipe2(lf->err_pipe, O_CLOEXEC) < 0)
                return negative_errno();

        /* The monitor polls the read ends; it must never block on one while the other fills. */
        if (fcntl(lf->out_pipe[0], F_SETFL, O_NONBLOCK) < 0 || fcntl(lf->err_pipe[0], F_SETFL, O_NONBLOCK) < 0)
                return negative_errno();
        return 0;
}

int log_forward_open(LogForward *lf, const char *identifier) {
        int r = log_forward_setup(lf, identifier);

        if (r < 0)
                log_forward_done(lf);   /* nothing half-open stays */
        return r;
}

int log_forward_apply_child(LogForward *lf) {
        if (dup2(lf->out_pipe[1], STDOUT_FILENO) < 0 || dup2(lf->err_pipe[1], STDERR_FILENO) < 0)
                return negative_errno();
        /* dup2() clears O_CLOEXEC on the copies; the originals go at exec. */
        log_forward_done(lf);
        return 0;
}

void log_forward_close_child_ends(LogForward *lf) {
        lf->out_pipe[1] = safe_close(lf->out_pipe[1]);
        lf->err_pipe[1] = safe_close(lf->err_pipe[1]);
}

ssize_t log_forward_pump(int from, int to) {
        char buf[PUMP_CHUNK];
        ssize_t n, done = 0;

        n = splice(from, NULL, to, NULL, PUMP_CHUNK, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        if (n >= 0)
                return n;
        if (errno == EAGAIN)
                return -EAGAIN;
        if (errno != EINVAL)
                return negative_errno();

        /* splice() refuses some pairs (e.g. to a terminal or a file opened O_APPEND): copy instead. */
        n = read(from, buf, sizeof(buf));
        if (n < 0)
                return errno == EAGAIN ? -EAGAIN : negative_errno();
        while (done < n) {
                ssize_t k = write(to, buf + done, (size_t) (n - done));
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                done += k;
        }
        return n;
}

void log_forward_done(LogForward *lf) {
        for (size_t i = 0; i < 2; i++) {
                lf->out_pipe[i] = safe_close(lf->out_pipe[i]);
                lf->err_pipe[i] = safe_close(lf->err_pipe[i]);
        }
        lf->out_journal = safe_close(lf->out_journal);
        lf->err_journal = safe_close(lf->err_journal);
}
