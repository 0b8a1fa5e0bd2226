/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The caller's terminal: the container never holds it, nor any descriptor of it. A process in the caller's
 * session with a descriptor of its terminal can type into the caller's shell (ioctl(TIOCSTI)), which runs
 * the line once the container is gone. So:
 *
 * - the container's init always starts a session of its own: it has no controlling terminal;
 * - where our stdin is a terminal (typed at a shell, "ctrctl run -t"), the init opens a pty of the
 *   container's own devpts instance, puts its peer on those of fds 0-2 that are terminals, makes it the
 *   workload's controlling terminal and passes the master to the monitor, which relays (terminal-relay.h);
 * - otherwise (or with --no-pty: "ctrctl run -i"), the fds 0-2 that are terminals become pipes the monitor
 *   copies to and from ours;
 * - a file or a device on fds 0-2 (stdio_fd_classify() in fd-util.h) becomes such a pipe too, in either mode:
 *   the container's root could reopen the host's object through /proc/self/fd/N with other access. A pipe,
 *   a socket or /dev/null is handed in as it is; a directory refuses the start.
 *
 * Under systemd stdio is the journal (log-forward.h) and /dev/null, never a terminal: none of this
 * applies. */

#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>

#include "container-exec.h"
#include "terminal-relay.h"

typedef struct LaunchTerminal {
        bool tty[3];            /* which of our fds 0-2 are terminals */
        bool pty;               /* stdin is one and a pty is wanted: the child makes it */
        int pipes[3][2];        /* per fd 0-2 that is relayed by pipe (fd 2's unused when it shares fd 1's) */
        bool stderr_shares_stdout;
        TerminalRelay relay;
} LaunchTerminal;

#define LAUNCH_TERMINAL_INIT                                                            \
        (LaunchTerminal) {                                                              \
                .pipes = { { -EBADF, -EBADF }, { -EBADF, -EBADF }, { -EBADF, -EBADF } }, \
                .relay = TERMINAL_RELAY_INIT,                                           \
        }

/* Before clone(): which of our fds are terminals; the pipes for those relayed by pipe. -EISDIR when one is a
 * directory (or an O_PATH handle). */
int launch_terminal_prepare(LaunchTerminal *t, bool allow_pty);

/* In the child, first thing: the pipes' ends become its fds 0-2. */
int launch_terminal_child_stdio(LaunchTerminal *t);

/* In the parent after clone(): our ends of the pipes go into the relay. */
int launch_terminal_after_clone(LaunchTerminal *t);

/* In the child, inside the container's root with its /dev/pts mounted: a session of its own, and on those of
 * fds 0-2 that are still terminals the peer of a new pty (owned by |uid|), whose master goes to the parent
 * over |sync_fd|. Returns 1 with a pty, 0 without. */
int launch_terminal_child_setup(int sync_fd, uid_t uid, ExecError *err);

/* In the process that executes the workload, with a pty: makes it the controlling terminal, after a session
 * of its own when |new_session| (the workload forked by Init=yes; the init keeps its own session). */
int launch_terminal_child_control(bool new_session, ExecError *err);

/* The monitor: the master arrived; the fds to poll and what to do when one fired; a signal (true: handled,
 * SIGWINCH with a pty); the init is gone: forward what is left, give the caller's terminal its mode back. */
void launch_terminal_received(LaunchTerminal *t, int master);
struct pollfd *launch_terminal_pollfds(LaunchTerminal *t, size_t *ret_n);
void launch_terminal_ready(LaunchTerminal *t, size_t index, short revents);
bool launch_terminal_signal(LaunchTerminal *t, int sig);
void launch_terminal_exited(LaunchTerminal *t);

void launch_terminal_done(LaunchTerminal *t);
