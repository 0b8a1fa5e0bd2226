/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Network=bridge, names: containers on ctr0 find each other in their /etc/hosts, kept current as they come and
 * go, without a restart.
 *
 * One list for the machine, HOSTS_LIST_PATH: a line "ADDRESS<TAB>NAME[ HOSTNAME]" for every running bridged
 * container, replaced whole (a rename) under the network lock whenever a lease is taken, released or collected,
 * from what that step has at hand: a start reads every lease's first line anyway to collect the dead ones
 * (network-lease.c), a stop drops its own line. No scan of the leases for the list alone.
 *
 * A monitor that keeps a container's /etc/hosts (a bridged one, or one that joins a bridged container's
 * network) has a datagram socket NAMES_SOCKETS_DIR/PID; whoever replaced the list sends each socket an empty
 * datagram, and the monitor rewrites its container's /etc/hosts: its own lines (plan_hosts_head()), then the
 * list. Not inotify: its instances are limited per user (fs.inotify.max_user_instances, 128 by default) and
 * every monitor is root's, so the 129th container would go without. A socket whose monitor is gone (SIGKILL)
 * refuses the datagram and is removed then. */

#include <poll.h>
#include <stdint.h>

#include "container-exec.h"
#include "network.h"

#define HOSTS_LIST_PATH NETWORK_STATE_DIR "/hosts"
#define NAMES_SOCKETS_DIR NETWORK_STATE_DIR "/names"

/* The list's line of a lease, with its newline: "ADDRESS\tNAME\n", or "ADDRESS\tNAME HOSTNAME\n" when the
 * hostname differs. NULL when out of memory, or when |name| or |hostname| (NULL: none) could not be one word
 * of /etc/hosts. */
char *hosts_list_line(uint32_t address, const char *name, const char *hostname);
/* Whether |s| can be one word of /etc/hosts (and of a lease's first line): printable, no blank, no '#'. */
bool hosts_word_ok(const char *s);

/* Under the network lock: the list becomes |lines| (sorted here), and every monitor that keeps an /etc/hosts
 * is told. */
int hosts_list_write(char **lines);
/* Under the network lock: |address|'s line leaves the list, and every monitor is told. */
int hosts_list_remove(uint32_t address);

typedef struct Names {
        int socket_fd;          /* NAMES_SOCKETS_DIR/PID: a datagram when the list changed */
        char *socket_path;
        int hosts_fd;           /* the container's /etc/hosts on its staging tmpfs, passed by the child */
        char *head;             /* the container's own lines */
        struct pollfd pollfd;
} Names;

#define NAMES_INIT                                                      \
        (Names) {                                                       \
                .socket_fd = -EBADF,                                    \
                .hosts_fd = -EBADF,                                     \
        }

/* The monitor, before the release: bind the socket (under the network lock, which a stale one's removal needs
 * too), for a container whose own lines name |hostname|. Logs at debug level only: a container without it
 * keeps the /etc/hosts of its start. */
int names_watch(Names *n, const char *hostname, char *const *add_hosts);
/* The child passed its /etc/hosts (or -EBADF): taken, and written at once when watching. */
void names_received(Names *n, int fd);
struct pollfd *names_pollfds(Names *n, size_t *ret_n);
void names_handle(Names *n);
void names_done(Names *n);

/* The child, once its mounts are made (|root_fd| the new root) and before its workload: passes |hosts_file|
 * (Plan.hosts_file) to the monitor when it is what /etc/hosts is in the root, and waits until the monitor
 * wrote it. Returns -errno with |err| filled. */
int names_child_pass(const char *hosts_file, int root_fd, int sync_fd, ExecError *err);
