/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl exec's standard streams and terminal (see exec.c): what ctrctl (P) hands the command as its stdio,
 * and P's relay between them and the caller's descriptors until the command is gone (the pty G opens with
 * -t is container-enter.c's). The container never holds the caller's terminal (terminal-relay.h says why). */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec-relay.h"
#include "fd-util.h"
#include "log.h"

int exec_stdio_plan(bool tty, TerminalRelay *relay, int stdio[static 3]) {
        for (int i = 0; i < 3; i++) {
                int p[2], r;

                if (tty) {
                        stdio[i] = open("/dev/null", O_RDWR | O_CLOEXEC | O_NOCTTY);
                        if (stdio[i] < 0)
                                return log_error_errno(errno, "Failed to open /dev/null: %m");
                        continue;
                }

                r = stdio_fd_classify(i);
                if (r == -EISDIR)
                        return log_error_errno(r, "Standard %s (fd %i) is a directory or a path handle, which "
                                               "would hand a place of the host to the container; refusing.",
                                               i == 0 ? "input" : i == 1 ? "output" : "error", i);
                if (r < 0)
                        return log_error_errno(r, "Failed to inspect file descriptor %i: %m", i);
                if (r == 0)
                        continue;       /* a pipe, a socket, /dev/null: as it is */

                if (pipe2(p, O_CLOEXEC) < 0)
                        return log_error_errno(errno, "Failed to create a pipe: %m");
                stdio[i] = i == STDIN_FILENO ? p[0] : p[1];
                r = i == STDIN_FILENO ? terminal_relay_pipe(relay, i, false, p[1], true, true) :
                                        terminal_relay_pipe(relay, p[0], true, i, false, false);
                if (r < 0) {
                        safe_close(p[0]);
                        safe_close(p[1]);
                        stdio[i] = -EBADF;
                        return log_error_errno(r, "Failed to relay file descriptor %i: %m", i);
                }
        }
        return 0;
}

void exec_stdio_close(int (*stdio)[3]) {
        for (size_t i = 0; i < 3; i++)
                (*stdio)[i] = safe_close((*stdio)[i]);
}

static bool child_exited(pid_t pid) {
        siginfo_t w = {};

        return waitid(P_PID, (id_t) pid, &w, WEXITED | WNOHANG | WNOWAIT) >= 0 && w.si_pid == pid;
}

void exec_relay_until_exit(TerminalRelay *relay, int sigfd, pid_t pid) {
        /* a command that stops reading its stdin must not kill us through the pipe to it; set only now, as
         * an ignored SIGPIPE would be inherited through execve() */
        (void) signal(SIGPIPE, SIG_IGN);

        while (!child_exited(pid)) {
                struct pollfd p[1 + TERMINAL_RELAY_CHANNELS_MAX] = { { .fd = sigfd, .events = POLLIN } };
                struct pollfd *rp;
                size_t n;

                rp = terminal_relay_pollfds(relay, &n);
                memcpy(p + 1, rp, n * sizeof(struct pollfd));
                if (poll(p, 1 + n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        log_warning_errno(errno, "Failed to wait for the command's input and output: %m");
                        break;
                }
                for (size_t i = 0; i < n; i++)
                        if (p[1 + i].revents != 0)
                                (void) terminal_relay_ready(relay, i, p[1 + i].revents);

                if (!(p[0].revents & POLLIN))
                        continue;
                for (struct signalfd_siginfo si; read(sigfd, &si, sizeof(si)) == sizeof(si);) {
                        if (si.ssi_signo == SIGWINCH)
                                (void) terminal_relay_window_changed(relay);
                        else if (si.ssi_signo == SIGCHLD)
                                continue;       /* the loop's condition */
                        /* the terminal's Ctrl-C and Ctrl-\ reached C as well (our process group): C passes
                         * them on; everything else sent to us goes to C, which passes it on to G */
                        else if (!((si.ssi_signo == SIGINT || si.ssi_signo == SIGQUIT) && si.ssi_code == SI_KERNEL))
                                (void) kill(pid, (int) si.ssi_signo);
                }
        }

        /* what the command wrote before it ended; not waiting for a process it left behind */
        terminal_relay_drain(relay);
        terminal_relay_restore(relay);
}
