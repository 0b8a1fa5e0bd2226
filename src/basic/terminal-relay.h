/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Relaying a caller's terminal to a container that must never hold it: a process with a descriptor of the
 * caller's terminal, in the caller's session, can push a command line into the caller's shell with
 * ioctl(TIOCSTI). So the container gets stand-ins, and this relays between them and the caller's descriptors:
 *
 * - pty: the container has a pseudo terminal of its own devpts instance; its master comes to the caller,
 *   which relays its stdin → master and master → its terminal. A caller's stdin that is a terminal goes into
 *   raw mode: Ctrl-C, Ctrl-Z, Ctrl-\ become bytes for the container's terminal, which turns them into
 *   signals there (as "docker run -t" does).
 * - pipes: the container's standard streams are pipes whose other ends the caller copies to and from its own
 *   descriptors, in the caller's terminal mode (no pty: "docker run" without -t).
 *
 * Event-driven, the caller owns the loop: before each poll() it adds terminal_relay_pollfds() to its own and
 * hands each that fired to terminal_relay_ready(). Every channel has a buffer, so a slow reader on one side
 * never makes the relay read more than it can pass on. The caller's own descriptors stay blocking (their file
 * description is shared with the caller's shell, which must not find them O_NONBLOCK afterwards): a write to
 * them happens only once poll() said there is room. Library code: -errno, no logging. */

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

/* a pty's two directions and two more streams relayed by pipe (a file on stdout and stderr, say) */
#define TERMINAL_RELAY_CHANNELS_MAX 4U
#define TERMINAL_RELAY_BUFFER (16U * 1024U)

typedef struct TerminalChannel {
        int from, to;
        bool own_from, own_to;  /* close them at the end (the caller's own descriptors are never closed) */
        bool input;             /* caller → container: not drained at the end */
        bool ended;
        size_t start, end;      /* buf[start..end) waits to be written to |to| */
        char *buf;              /* TERMINAL_RELAY_BUFFER bytes, on the heap: a relay lives in a caller's frame
                                 * (the launcher's monitor keeps one for the container's life) */
} TerminalChannel;

typedef struct TerminalRelay {
        int master;             /* pty mode: the container's pty master (ours); -EBADF in pipe mode */
        int tty;                /* the caller's terminal the window size comes from, or -EBADF */
        bool raw;               /* |saved| is the caller's mode before we made |tty| raw */
        struct termios saved;
        TerminalChannel channels[TERMINAL_RELAY_CHANNELS_MAX];
        size_t n_channels;
        struct pollfd pollfds[TERMINAL_RELAY_CHANNELS_MAX];
} TerminalRelay;

#define TERMINAL_RELAY_INIT                                             \
        (TerminalRelay) {                                               \
                .master = -EBADF,                                       \
                .tty = -EBADF,                                          \
        }

/* pty mode: takes |master| (made non-blocking), relays |in| → master (unless |in| is negative) and master →
 * |out|. A terminal |in| goes into raw mode (when it can) until terminal_relay_restore(); the window size is
 * copied from the caller's terminal (|in|, or else |out|) now and on terminal_relay_window_changed(). */
int terminal_relay_pty(TerminalRelay *r, int master, int in, int out);

/* pipe mode: one direction, |from| → |to|. Descriptors marked own_* become the relay's (closed by it, and
 * made non-blocking). At the end of an |input| channel an owned |to| is closed, so the container reads
 * end-of-file. */
int terminal_relay_pipe(TerminalRelay *r, int from, bool own_from, int to, bool own_to, bool input);

/* The descriptors to poll, refreshed for every poll() (an ended channel's is -1, ignored by poll()). */
struct pollfd *terminal_relay_pollfds(TerminalRelay *r, size_t *ret_n);

/* The "on ready" step for pollfds[index]: reads into or writes from that channel's buffer. An end of file
 * or a hangup ends the channel (0 returned); -errno only for a failure of the relay itself. */
int terminal_relay_ready(TerminalRelay *r, size_t index, short revents);

/* SIGWINCH: the caller's window size to the container's terminal (pty mode; 0 and nothing otherwise). */
int terminal_relay_window_changed(TerminalRelay *r);

/* True once every output channel (container → caller) has ended: the container closed its side. */
bool terminal_relay_finished(const TerminalRelay *r);

/* The container is gone: everything still readable on the output channels goes to the caller (blocking
 * writes), until end of file or until nothing more is ready. */
void terminal_relay_drain(TerminalRelay *r);

/* The caller's terminal back to the mode it had; idempotent, and safe on every exit path. */
void terminal_relay_restore(TerminalRelay *r);

/* restore, then close what is ours. */
void terminal_relay_done(TerminalRelay *r);
