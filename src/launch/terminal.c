/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "log.h"
#include "sync.h"
#include "terminal.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* fd 1 and fd 2 on the same terminal or file share one pipe, so what the workload writes to both stays in
 * order */
static bool same_file(int a, int b) {
        struct stat x, y;

        return fstat(a, &x) >= 0 && fstat(b, &y) >= 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

int launch_terminal_prepare(LaunchTerminal *t, bool allow_pty) {
        bool relay[3];

        for (int fd = 0; fd < 3; fd++) {
                int r = stdio_fd_classify(fd);

                if (r < 0)
                        return r;       /* -EISDIR: a host directory, never handed in */
                relay[fd] = r > 0;
                t->tty[fd] = isatty(fd);
        }
        t->pty = allow_pty && t->tty[STDIN_FILENO];

        /* A pipe for every stream that is a terminal, a file or a device, except the terminals the child puts
         * its pty on. */
        for (int fd = 0; fd < 3; fd++) {
                if (!relay[fd] || (t->pty && t->tty[fd]))
                        continue;
                if (fd == STDERR_FILENO && t->pipes[STDOUT_FILENO][0] >= 0 && same_file(STDOUT_FILENO, STDERR_FILENO))
                        continue;
                if (pipe2(t->pipes[fd], O_CLOEXEC) < 0)
                        return negative_errno();
        }
        t->stderr_shares_stdout = relay[STDERR_FILENO] && t->pipes[STDERR_FILENO][0] < 0 &&
                                  t->pipes[STDOUT_FILENO][0] >= 0;
        return 0;
}

int launch_terminal_child_stdio(LaunchTerminal *t) {
        /* stdin reads its pipe's read end; stdout and stderr write theirs (stderr fd 1's when shared) */
        if (t->pipes[0][0] >= 0 && dup2(t->pipes[0][0], STDIN_FILENO) < 0)
                return negative_errno();
        if (t->pipes[1][1] >= 0 && dup2(t->pipes[1][1], STDOUT_FILENO) < 0)
                return negative_errno();
        if ((t->pipes[2][1] >= 0 || t->stderr_shares_stdout) &&
            dup2(t->pipes[2][1] >= 0 ? t->pipes[2][1] : t->pipes[1][1], STDERR_FILENO) < 0)
                return negative_errno();
        return 0;
}

int launch_terminal_after_clone(LaunchTerminal *t) {
        int r;

        t->pipes[0][0] = safe_close(t->pipes[0][0]);
        t->pipes[1][1] = safe_close(t->pipes[1][1]);
        t->pipes[2][1] = safe_close(t->pipes[2][1]);

        /* each end goes to the relay (which closes it) or is closed here */
        if (t->pipes[0][1] >= 0) {
                r = terminal_relay_pipe(&t->relay, STDIN_FILENO, false, TAKE_FD(t->pipes[0][1]), true, true);
                if (r < 0)
                        return r;
        }
        for (int fd = 1; fd < 3; fd++)
                if (t->pipes[fd][0] >= 0) {
                        r = terminal_relay_pipe(&t->relay, TAKE_FD(t->pipes[fd][0]), true, fd, false, false);
                        if (r < 0)
                                return r;
                }
        return 0;
}

int launch_terminal_child_setup(int sync_fd, uid_t uid, ExecError *err) {
        _cleanup_close_ int master = -EBADF, peer = -EBADF;
        bool tty[3], any = false, have_ws = false;
        struct winsize ws;
        int unlock = 0, r;

        /* clone() gave us a PID that nothing used before, so we lead no process group and setsid() cannot
         * fail for that; should it fail anyway, we must not run in the caller's session. */
        if (setsid() < 0)
                return launch_error(err, errno, "Failed to start a session of the container's own");

        for (int fd = 0; fd < 3; fd++) {
                tty[fd] = isatty(fd);
                any = any || tty[fd];
                if (tty[fd] && !have_ws && ioctl(fd, TIOCGWINSZ, &ws) >= 0)
                        have_ws = true;
        }
        if (!any)
                return 0;

        /* The container's own devpts instance (newinstance, see plan.c), through its ptmx node: the path the
         * plan mounted, not the /dev/ptmx link */
        master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (master < 0)
                return launch_error(err, errno, "Failed to open the container's /dev/pts/ptmx");
        if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
                return launch_error(err, errno, "Failed to unlock the container's pseudo terminal");
        peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (peer < 0)
                return launch_error(err, errno, "Failed to open the peer of the container's pseudo terminal");
        if (have_ws)
                (void) ioctl(peer, TIOCSWINSZ, &ws);
        /* as login does: the user's own terminal, so a program that opens it by name (tty, ssh, gpg) can */
        if (uid != 0 && fchown(peer, uid, (gid_t) -1) < 0)
                return launch_error(err, errno, "Failed to give the pseudo terminal to its user");

        for (int fd = 0; fd < 3; fd++)
                if (tty[fd] && dup2(peer, fd) < 0)
                        return launch_error(err, errno, "Failed to put the pseudo terminal on fd %i", fd);

        r = sync_send_fd(sync_fd, master);
        if (r < 0)
                return launch_error(err, r, "Failed to pass the pseudo terminal to the launcher");
        return 1;
}

int launch_terminal_child_control(bool new_session, ExecError *err) {
        int fd;

        if (new_session && setsid() < 0)
                return launch_error(err, errno, "Failed to start a session for the workload");
        for (fd = 0; fd < 3 && !isatty(fd); fd++)
                ;
        if (fd < 3 && ioctl(fd, TIOCSCTTY, 0) < 0)
                return launch_error(err, errno, "Failed to make the pseudo terminal controlling terminal");
        return 0;
}

void launch_terminal_received(LaunchTerminal *t, int master) {
        int out, r;

        if (t->relay.master >= 0) {
                safe_close(master);
                return;
        }
        /* the container's output to our first terminal among stdout, stderr, stdin */
        out = t->tty[STDOUT_FILENO] ? STDOUT_FILENO : t->tty[STDERR_FILENO] ? STDERR_FILENO : STDIN_FILENO;
        r = terminal_relay_pty(&t->relay, master, t->tty[STDIN_FILENO] ? STDIN_FILENO : -EBADF, out);
        if (r < 0) {
                log_warning_errno(r, "Failed to relay the container's terminal: %m");
                safe_close(master);
        }
}

struct pollfd *launch_terminal_pollfds(LaunchTerminal *t, size_t *ret_n) {
        return terminal_relay_pollfds(&t->relay, ret_n);
}

void launch_terminal_ready(LaunchTerminal *t, size_t index, short revents) {
        int r = terminal_relay_ready(&t->relay, index, revents);
        if (r < 0)
                log_warning_errno(r, "Failed to relay the container's terminal: %m");
}

bool launch_terminal_signal(LaunchTerminal *t, int sig) {
        /* the new size makes the container's terminal signal its foreground process group itself */
        if (sig != SIGWINCH || t->relay.master < 0)
                return false;
        (void) terminal_relay_window_changed(&t->relay);
        return true;
}

void launch_terminal_exited(LaunchTerminal *t) {
        /* The PID namespace died with its init: no writer is left inside, what is buffered is all. */
        terminal_relay_drain(&t->relay);
        terminal_relay_restore(&t->relay);
}

void launch_terminal_done(LaunchTerminal *t) {
        terminal_relay_done(&t->relay);
        for (size_t i = 0; i < 3; i++) {
                t->pipes[i][0] = safe_close(t->pipes[i][0]);
                t->pipes[i][1] = safe_close(t->pipes[i][1]);
        }
}
