/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "pager.h"
#include "parse-util.h"

static pid_t pager_pid = 0;
static int saved_stdout = -EBADF, saved_stderr = -EBADF;
static bool stdout_was_tty = false;
static int cached_colors = -1;

bool colors_enabled(void) {
        const char *e, *term;
        int b;

        if (cached_colors >= 0)
                return cached_colors;

        e = getenv("SYSTEMD_COLORS");
        b = e ? parse_boolean(e) : -1;
        if (b >= 0)
                cached_colors = b;
        else if (getenv("NO_COLOR"))
                cached_colors = false;
        else {
                term = getenv("TERM");
                cached_colors = (isatty(STDOUT_FILENO) || (pager_pid > 0 && stdout_was_tty)) &&
                                !(term && streq(term, "dumb"));
        }
        return cached_colors;
}

const char *ansi(const char *a) {
        return colors_enabled() ? a : "";
}

static bool same_file(int a, int b) {
        struct stat sa, sb;

        return fstat(a, &sa) >= 0 && fstat(b, &sb) >= 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino &&
               sa.st_rdev == sb.st_rdev;
}

int pager_open(bool disabled) {
        const char *pager;
        int fds[2];
        bool stderr_too;
        pid_t pid;

        if (disabled || pager_pid > 0)
                return 0;
        if (!isatty(STDOUT_FILENO))
                return 0;

        pager = getenv("SYSTEMD_PAGER");
        if (!pager)
                pager = getenv("PAGER");
        if (pager && (isempty(pager) || streq(pager, "cat")))
                return 0;

        /* decided now, while stdout is still the terminal */
        (void) colors_enabled();
        stdout_was_tty = true;
        stderr_too = isatty(STDERR_FILENO) && same_file(STDOUT_FILENO, STDERR_FILENO);

        fflush(stdout);
        fflush(stderr);
        if (pipe2(fds, O_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to create the pager pipe: %m");

        pid = fork();
        if (pid < 0) {
                int r = -errno;
                safe_close(fds[0]);
                safe_close(fds[1]);
                return log_error_errno(r, "Failed to fork the pager: %m");
        }
        if (pid == 0) {
                if (dup2(fds[0], STDIN_FILENO) < 0)
                        _exit(EXIT_FAILURE);
                safe_close(fds[0]);
                safe_close(fds[1]);
                /* As systemd: F quit if one screen, R colours, S chop long lines, X no init, M long prompt,
                 * K exit on Ctrl-C. */
                if (setenv("LESS", getenv("LESS") ?: "FRSXMK", 1) < 0)
                        _exit(EXIT_FAILURE);
                if (!getenv("LESSCHARSET"))
                        (void) setenv("LESSCHARSET", "utf-8", 1);
                if (pager) {
                        execl("/bin/sh", "sh", "-c", pager, (char *) NULL);
                        _exit(EXIT_FAILURE);
                }
                execlp("less", "less", (char *) NULL);
                execlp("more", "more", (char *) NULL);
                /* no pager at all: copy through */
                execlp("cat", "cat", (char *) NULL);
                _exit(EXIT_FAILURE);
        }

        saved_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
        if (stderr_too)
                saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
        if (dup2(fds[1], STDOUT_FILENO) < 0 || (stderr_too && dup2(fds[1], STDERR_FILENO) < 0)) {
                int r = -errno;
                safe_close(fds[0]);
                safe_close(fds[1]);
                return log_error_errno(r, "Failed to redirect output to the pager: %m");
        }
        safe_close(fds[0]);
        safe_close(fds[1]);
        pager_pid = pid;
        /* a pager that quits early (q) must not kill us with SIGPIPE mid-write */
        (void) signal(SIGPIPE, SIG_IGN);
        atexit(pager_close);
        return 1;
}

void pager_close(void) {
        if (pager_pid <= 0)
                return;
        fflush(stdout);
        fflush(stderr);
        /* EOF for the pager, then give the terminal back */
        if (saved_stdout >= 0) {
                (void) dup2(saved_stdout, STDOUT_FILENO);
                saved_stdout = safe_close(saved_stdout);
        } else
                (void) close(STDOUT_FILENO);
        if (saved_stderr >= 0) {
                (void) dup2(saved_stderr, STDERR_FILENO);
                saved_stderr = safe_close(saved_stderr);
        }
        while (waitpid(pager_pid, NULL, 0) < 0 && errno == EINTR)
                ;
        pager_pid = 0;
}
