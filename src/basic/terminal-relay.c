/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "macro.h"
#include "terminal-relay.h"

static int set_nonblock(int fd) {
        int flags = fcntl(fd, F_GETFL);

        if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
                return negative_errno();
        return 0;
}

/* NULL when all are taken (-EBUSY) or out of memory (-ENOMEM), in *ret_error. */
static TerminalChannel *add_channel(TerminalRelay *r, int *ret_error) {
        TerminalChannel *c;
        char *buf;

        if (r->n_channels >= TERMINAL_RELAY_CHANNELS_MAX) {
                *ret_error = -EBUSY;
                return NULL;
        }
        buf = malloc(TERMINAL_RELAY_BUFFER);
        if (!buf) {
                *ret_error = -ENOMEM;
                return NULL;
        }
        c = r->channels + r->n_channels++;
        *c = (TerminalChannel) { .from = -EBADF, .to = -EBADF, .buf = buf };
        return c;
}

int terminal_relay_pty(TerminalRelay *r, int master, int in, int out) {
        TerminalChannel *c;
        int k;

        if (master < 0 || out < 0)
                return -EBADF;
        if (r->master >= 0 || r->n_channels + (in >= 0 ? 2 : 1) > TERMINAL_RELAY_CHANNELS_MAX)
                return -EBUSY;
        k = set_nonblock(master);
        if (k < 0)
                return k;
        r->master = master;

        /* Raw mode may fail (a background job gets SIGTTOU for it): the relay works without. */
        if (in >= 0 && tcgetattr(in, &r->saved) >= 0) {
                struct termios raw = r->saved;

                /* output processing too: the container's terminal did its own already (as ssh, nspawn do) */
                cfmakeraw(&raw);
                r->raw = tcsetattr(in, TCSANOW, &raw) >= 0;
                r->tty = in;
        } else if (isatty(out))
                r->tty = out;
        (void) terminal_relay_window_changed(r);

        if (in >= 0) {
                c = add_channel(r, &k);
                if (!c)
                        return k;
                c->from = in;
                c->to = master;
                c->input = true;
        }
        c = add_channel(r, &k);
        if (!c)
                return k;
        c->from = master;
        c->to = out;
        return 0;
}

int terminal_relay_pipe(TerminalRelay *r, int from, bool own_from, int to, bool own_to, bool input) {
        TerminalChannel *c;
        int k;

        if (from < 0 || to < 0)
                return -EBADF;
        /* ours: never block on them (the caller's own stay as they are) */
        if ((own_from && (k = set_nonblock(from)) < 0) || (own_to && (k = set_nonblock(to)) < 0))
                return k;
        c = add_channel(r, &k);
        if (!c)
                return k;
        c->from = from;
        c->own_from = own_from;
        c->to = to;
        c->own_to = own_to;
        c->input = input;
        return 0;
}

static void channel_end(TerminalRelay *r, TerminalChannel *c) {
        if (c->ended)
                return;
        c->ended = true;
        c->start = c->end = 0;

        /* The caller's input ended. A pipe or file on stdin: the program on a terminal in canonical mode learns
         * it from the EOF character. A raw terminal has no end of file, only a hangup: the container's terminal
         * hangs up too (its master closed, its session gets SIGHUP), as sshd does when the connection drops. */
        if (c->input && c->to == r->master && r->master >= 0) {
                struct termios t;

                if (!r->raw) {
                        if (tcgetattr(r->master, &t) >= 0 && write(r->master, &t.c_cc[VEOF], 1) < 0) {
                                /* the pty is gone: there is no one left to tell */
                        }
                } else {
                        for (size_t i = 0; i < r->n_channels; i++)
                                if (r->channels[i].from == r->master || r->channels[i].to == r->master)
                                        r->channels[i].ended = true;
                        r->master = safe_close(r->master);
                }
        }
        if (c->own_from)
                c->from = safe_close(c->from);
        if (c->own_to)
                c->to = safe_close(c->to);
}

struct pollfd *terminal_relay_pollfds(TerminalRelay *r, size_t *ret_n) {
        for (size_t i = 0; i < r->n_channels; i++) {
                TerminalChannel *c = r->channels + i;

                if (c->ended)
                        r->pollfds[i] = (struct pollfd) { .fd = -1 };
                else if (c->start < c->end)
                        r->pollfds[i] = (struct pollfd) { .fd = c->to, .events = POLLOUT };
                else
                        r->pollfds[i] = (struct pollfd) { .fd = c->from, .events = POLLIN };
        }
        *ret_n = r->n_channels;
        return r->pollfds;
}

/* Writes what the buffer holds; with |wait| until it is empty (poll() on a full non-blocking |to|). 1 when
 * empty, 0 when |to| is full, < 0 when writing failed. */
static int channel_flush(TerminalChannel *c, bool wait) {
        while (c->start < c->end) {
                ssize_t n = write(c->to, c->buf + c->start, c->end - c->start);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        if (errno != EAGAIN)
                                return negative_errno();
                        if (!wait)
                                return 0;
                        struct pollfd p = { .fd = c->to, .events = POLLOUT };
                        if (poll(&p, 1, -1) < 0 && errno != EINTR)
                                return negative_errno();
                        continue;
                }
                c->start += (size_t) n;
        }
        c->start = c->end = 0;
        return 1;
}

/* Reads one chunk into the empty buffer: > 0 bytes, 0 at the end (end of file; EIO: every holder of a pty's
 * other side is gone; a hangup), -EAGAIN when nothing is ready. */
static ssize_t channel_fill(TerminalChannel *c) {
        ssize_t n;

        do
                n = read(c->from, c->buf, TERMINAL_RELAY_BUFFER);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return errno == EAGAIN ? -EAGAIN : 0;
        c->start = 0;
        c->end = (size_t) n;
        return n;
}

int terminal_relay_ready(TerminalRelay *r, size_t index, short revents) {
        TerminalChannel *c;
        ssize_t n;
        int k;

        if (index >= r->n_channels)
                return -EINVAL;
        c = r->channels + index;
        if (c->ended || revents == 0)
                return 0;
        if (revents & POLLNVAL) {
                channel_end(r, c);
                return 0;
        }

        if (c->start < c->end) {
                /* |to| had room (or failed: the write says which) */
                k = channel_flush(c, false);
                if (k < 0)
                        channel_end(r, c);      /* the reader is gone: so is our reading for it */
                return 0;
        }

        n = channel_fill(c);
        if (n == -EAGAIN)
                return 0;
        if (n == 0) {
                channel_end(r, c);
                return 0;
        }
        /* A non-blocking |to| (the master, a pipe of ours) takes it now; the caller's blocking descriptors
         * only after poll() said they have room. */
        if (c->to == r->master || c->own_to) {
                k = channel_flush(c, false);
                if (k < 0)
                        channel_end(r, c);
        }
        return 0;
}

int terminal_relay_window_changed(TerminalRelay *r) {
        struct winsize ws;

        if (r->master < 0 || r->tty < 0)
                return 0;
        if (ioctl(r->tty, TIOCGWINSZ, &ws) < 0 || ioctl(r->master, TIOCSWINSZ, &ws) < 0)
                return negative_errno();
        return 0;
}

bool terminal_relay_finished(const TerminalRelay *r) {
        for (size_t i = 0; i < r->n_channels; i++)
                if (!r->channels[i].input && !r->channels[i].ended)
                        return false;
        return true;
}

void terminal_relay_drain(TerminalRelay *r) {
        for (size_t i = 0; i < r->n_channels; i++) {
                TerminalChannel *c = r->channels + i;
                ssize_t n;

                if (c->input || c->ended)
                        continue;
                for (;;) {
                        if (channel_flush(c, true) < 0) {
                                channel_end(r, c);
                                break;
                        }
                        n = channel_fill(c);
                        if (n == -EAGAIN)
                                break;  /* a writer outside still holds its side: not ours to wait for */
                        if (n == 0) {
                                channel_end(r, c);
                                break;
                        }
                }
        }
}

void terminal_relay_restore(TerminalRelay *r) {
        if (!r->raw)
                return;
        (void) tcsetattr(r->tty, TCSADRAIN, &r->saved);
        r->raw = false;
}

void terminal_relay_done(TerminalRelay *r) {
        terminal_relay_restore(r);
        for (size_t i = 0; i < r->n_channels; i++) {
                TerminalChannel *c = r->channels + i;

                c->ended = true;        /* no EOF character into a master we close anyway */
                if (c->own_from)
                        c->from = safe_close(c->from);
                if (c->own_to)
                        c->to = safe_close(c->to);
                c->buf = mfree(c->buf);
        }
        r->n_channels = 0;
        r->master = safe_close(r->master);
        r->tty = -EBADF;
}
