/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [::1] relay of PublishPort=: binding its sockets, the process, and its loop. */

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps-util.h"
#include "fd-util.h"
#include "log.h"
#include "macro.h"
#include "network-proxy.h"
#include "time-util.h"

#define RELAY_CONNECTIONS_MAX 1024      /* TCP connections at once; more wait in the listen backlog */
#define RELAY_FLOWS_MAX 256             /* UDP peers at once; the least recently active gives way */
#define RELAY_FLOW_IDLE_USEC (60 * USEC_PER_SEC)
#define RELAY_BUFFER 16384

int proxy_bind(NetworkBridge *n, int protocol, unsigned port, unsigned container_port) {
        struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t) port),
                                   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
        bool tcp = protocol == IPPROTO_TCP;
        int one = 1, fd, *fds, *protocols;
        unsigned *ports;

        fds = reallocarray(n->relay_fds, n->n_relay + 1, sizeof(int));
        if (!fds)
                return -ENOMEM;
        n->relay_fds = fds;
        ports = reallocarray(n->relay_ports, n->n_relay + 1, sizeof(unsigned));
        if (!ports)
                return -ENOMEM;
        n->relay_ports = ports;
        protocols = reallocarray(n->relay_protocols, n->n_relay + 1, sizeof(int));
        if (!protocols)
                return -ENOMEM;
        n->relay_protocols = protocols;

        fd = socket(AF_INET6, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return negative_errno();
        if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
            (tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
            bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 || (tcp && listen(fd, SOMAXCONN) < 0)) {
                int r = negative_errno();

                safe_close(fd);
                return r;
        }
        fds[n->n_relay] = fd;
        ports[n->n_relay] = container_port;
        protocols[n->n_relay] = protocol;
        n->n_relay++;
        return 0;
}

/* ---- the relay process ---- */

typedef struct Connection {
        int fd[2];              /* the client's, the container's */
        bool connected;         /* the connect() to the container completed */
        bool eof[2];            /* fd[i] has nothing more to read */
        bool shut[2];           /* fd[i] was shut down for writing */
        size_t len[2], off[2];  /* buf[i]: read from fd[i], written to fd[1 - i] up to off[i] */
        uint8_t buf[2][RELAY_BUFFER];
} Connection;

typedef struct Flow {
        int fd;                 /* connected to the container */
        size_t listener;
        struct sockaddr_in6 peer;
        uint64_t last;
} Flow;

typedef struct Relay {
        const int *fds, *protocols;
        const unsigned *ports;
        size_t n_listeners;
        struct in6_addr target;
        Connection *connections[RELAY_CONNECTIONS_MAX];
        size_t n_connections;
        Flow flows[RELAY_FLOWS_MAX];
        size_t n_flows;
} Relay;

static int target_socket(const Relay *relay, int type, unsigned port) {
        struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t) port),
                                   .sin6_addr = relay->target };
        int fd = socket(AF_INET6, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

        if (fd < 0)
                return -errno;
        if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0 && errno != EINPROGRESS) {
                safe_close(fd);
                return -errno;
        }
        return fd;
}

static void connection_accept(Relay *relay, size_t l) {
        _cleanup_close_ int client = accept4(relay->fds[l], NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        Connection *c;
        int fd;

        if (client < 0 || relay->n_connections >= RELAY_CONNECTIONS_MAX)
                return;
        fd = target_socket(relay, SOCK_STREAM, relay->ports[l]);
        if (fd < 0)
                return;         /* closing the client tells it */
        c = calloc(1, sizeof(Connection));
        if (!c) {
                safe_close(fd);
                return;
        }
        c->fd[0] = TAKE_FD(client);
        c->fd[1] = fd;
        relay->connections[relay->n_connections++] = c;
}

/* Moves what can move without blocking; false when the connection is over (both ways done, or an error). */
static bool connection_pump(Connection *c) {
        if (!c->connected) {
                int error = 0;
                socklen_t len = sizeof(error);

                if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &error, &len) < 0 || error != 0)
                        return false;
                struct pollfd p = { .fd = c->fd[1], .events = POLLOUT };
                if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLOUT))
                        return true;    /* still connecting */
                c->connected = true;
        }
        for (size_t i = 0; i < 2; i++) {
                if (c->off[i] == c->len[i] && !c->eof[i]) {
                        ssize_t k = read(c->fd[i], c->buf[i], sizeof(c->buf[i]));

                        c->off[i] = c->len[i] = 0;
                        if (k == 0)
                                c->eof[i] = true;
                        else if (k > 0)
                                c->len[i] = (size_t) k;
                        else if (errno != EAGAIN && errno != EINTR)
                                return false;
                }
                if (c->off[i] < c->len[i]) {
                        ssize_t k = send(c->fd[1 - i], c->buf[i] + c->off[i], c->len[i] - c->off[i], MSG_NOSIGNAL);

                        if (k > 0)
                                c->off[i] += (size_t) k;
                        else if (k < 0 && errno != EAGAIN && errno != EINTR)
                                return false;
                }
                if (c->eof[i] && c->off[i] == c->len[i] && !c->shut[1 - i]) {
                        (void) shutdown(c->fd[1 - i], SHUT_WR);
                        c->shut[1 - i] = true;
                }
        }
        return !(c->shut[0] && c->shut[1]);
}

static void connection_free(Connection *c) {
        safe_close(c->fd[0]);
        safe_close(c->fd[1]);
        free(c);
}

static void flow_close(Relay *relay, size_t i) {
        safe_close(relay->flows[i].fd);
        relay->flows[i] = relay->flows[--relay->n_flows];
}

static void datagram_from_peer(Relay *relay, size_t l, uint64_t now) {
        static uint8_t buf[65536];
        struct sockaddr_in6 peer;
        socklen_t len = sizeof(peer);
        ssize_t k = recvfrom(relay->fds[l], buf, sizeof(buf), 0, (struct sockaddr *) &peer, &len);
        size_t i;

        if (k < 0)
                return;
        for (i = 0; i < relay->n_flows; i++)
                if (relay->flows[i].listener == l && relay->flows[i].peer.sin6_port == peer.sin6_port &&
                    IN6_ARE_ADDR_EQUAL(&relay->flows[i].peer.sin6_addr, &peer.sin6_addr))
                        break;
        if (i == relay->n_flows) {
                int fd = target_socket(relay, SOCK_DGRAM, relay->ports[l]);

                if (fd < 0)
                        return;
                if (relay->n_flows == RELAY_FLOWS_MAX) {
                        size_t oldest = 0;

                        for (size_t j = 1; j < relay->n_flows; j++)
                                if (relay->flows[j].last < relay->flows[oldest].last)
                                        oldest = j;
                        flow_close(relay, oldest);
                }
                i = relay->n_flows++;
                relay->flows[i] = (Flow) { .fd = fd, .listener = l, .peer = peer };
        }
        relay->flows[i].last = now;
        (void) send(relay->flows[i].fd, buf, (size_t) k, 0);
}

static void datagram_from_container(Relay *relay, size_t i, uint64_t now) {
        static uint8_t buf[65536];
        Flow *f = relay->flows + i;
        ssize_t k = recv(f->fd, buf, sizeof(buf), 0);

        if (k < 0)
                return;
        f->last = now;
        (void) sendto(relay->fds[f->listener], buf, (size_t) k, 0, (struct sockaddr *) &f->peer, sizeof(f->peer));
}

static _Noreturn void relay_run(Relay *relay) {
        size_t max = relay->n_listeners + 2 * RELAY_CONNECTIONS_MAX + RELAY_FLOWS_MAX;
        struct pollfd *p = calloc(max, sizeof(struct pollfd));

        if (!p)
                _exit(EXIT_FAILURE);
        for (;;) {
                size_t n = 0, first_connection, first_flow;
                uint64_t now;
                int timeout = relay->n_flows > 0 ? 10000 : -1;

                for (size_t l = 0; l < relay->n_listeners; l++)
                        p[n++] = (struct pollfd) { .fd = relay->fds[l], .events = POLLIN };
                first_connection = n;
                for (size_t i = 0; i < relay->n_connections; i++) {
                        Connection *c = relay->connections[i];

                        for (size_t k = 0; k < 2; k++) {
                                short events = 0;

                                if (!c->connected && k == 1)
                                        events = POLLOUT;
                                else if (c->connected) {
                                        if (!c->eof[k] && c->off[k] == c->len[k])
                                                events |= POLLIN;
                                        if (c->off[1 - k] < c->len[1 - k])
                                                events |= POLLOUT;
                                }
                                p[n++] = (struct pollfd) { .fd = c->fd[k], .events = events };
                        }
                }
                first_flow = n;
                for (size_t i = 0; i < relay->n_flows; i++)
                        p[n++] = (struct pollfd) { .fd = relay->flows[i].fd, .events = POLLIN };

                if (poll(p, n, timeout) < 0 && errno != EINTR)
                        _exit(EXIT_FAILURE);
                now = now_monotonic_usec();

                /* from the last, so that removing one (the last moves into its place) skips none */
                for (size_t i = relay->n_flows; i > 0; i--) {
                        if (p[first_flow + i - 1].revents & POLLIN)
                                datagram_from_container(relay, i - 1, now);
                        if (now - relay->flows[i - 1].last > RELAY_FLOW_IDLE_USEC)
                                flow_close(relay, i - 1);
                }
                for (size_t i = relay->n_connections; i > 0; i--) {
                        struct pollfd *q = p + first_connection + 2 * (i - 1);

                        if (!(q[0].revents | q[1].revents))
                                continue;
                        if (!connection_pump(relay->connections[i - 1])) {
                                connection_free(relay->connections[i - 1]);
                                relay->connections[i - 1] = relay->connections[--relay->n_connections];
                        }
                }
                for (size_t l = 0; l < relay->n_listeners; l++) {
                        if (!(p[l].revents & POLLIN))
                                continue;
                        if (relay->protocols[l] == IPPROTO_TCP)
                                connection_accept(relay, l);
                        else
                                datagram_from_peer(relay, l, now);
                }
        }
}

int proxy_start(NetworkBridge *n) {
        pid_t parent = getpid(), pid;

        if (n->n_relay == 0)
                return 0;
        pid = fork();
        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                Relay relay = {
                        .fds = n->relay_fds,
                        .protocols = n->relay_protocols,
                        .ports = n->relay_ports,
                        .n_listeners = n->n_relay,
                        .target = n->address6,
                };
                int *keep = calloc(n->n_relay + 3, sizeof(int));

                if (!keep || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                        _exit(EXIT_FAILURE);
                (void) prctl(PR_SET_NAME, "ctr-relay");
                /* the sockets and the standard streams only: nothing else of the monitor's */
                keep[0] = STDIN_FILENO;
                keep[1] = STDOUT_FILENO;
                keep[2] = STDERR_FILENO;
                memcpy(keep + 3, n->relay_fds, n->n_relay * sizeof(int));
                if (close_all_fds_except(keep, n->n_relay + 3) < 0)
                        _exit(EXIT_FAILURE);
                free(keep);
                /* it only accepts, connects and copies: no capability, and none to gain */
                if (capability_bounding_set_apply(0) < 0 || capability_sets_apply(0, 0, 0, 0) < 0 ||
                    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                        _exit(EXIT_FAILURE);
                relay_run(&relay);
        }
        n->relay_pid = pid;
        for (size_t i = 0; i < n->n_relay; i++)
                n->relay_fds[i] = safe_close(n->relay_fds[i]);
        return 0;
}

void proxy_stop(NetworkBridge *n) {
        if (n->relay_pid > 0) {
                (void) kill(n->relay_pid, SIGKILL);
                while (waitpid(n->relay_pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                n->relay_pid = 0;
        }
        for (size_t i = 0; i < n->n_relay; i++)
                safe_close(n->relay_fds[i]);
        n->relay_fds = mfree(n->relay_fds);
        n->relay_ports = mfree(n->relay_ports);
        n->relay_protocols = mfree(n->relay_protocols);
        n->n_relay = 0;
}
