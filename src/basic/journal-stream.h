/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* journald's stream protocol, as sd_journal_stream_fd(3) speaks it: a stream connection to journald's stdout
 * socket, a header of seven lines (the identifier, an empty unit name, the priority, no level prefix, no
 * forwarding to syslog, kmsg or the console), then the lines to log. journald attributes the stream to the unit of
 * the process that connected. systemd documents the journal's native and stream sockets as interfaces for
 * programs to use without libsystemd; ctr-launch does, so that its monitor, which lives as long as its
 * container, never loads libsystemd (on systemd 257 it is linked NODELETE: dlclose() cannot unload it again).
 *
 * Returns the connected descriptor (blocking, close-on-exec, its send buffer raised to 8 MiB where allowed),
 * or -errno. */
int journal_stream_open(const char *identifier, int priority);

/* The same to the socket at PATH: journal_stream_open() is this with "/run/systemd/journal/stdout". */
int journal_stream_open_at(const char *path, const char *identifier, int priority);
