/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Network=bridge, names: the machine's list of bridged containers and each container's /etc/hosts made from
 * it (network-names.h). */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "buffer.h"
#include "chase.h"
#include "fd-util.h"
#include "fileio.h"
#include "log.h"
#include "macro.h"
#include "mkdir-util.h"
#include "network-lease.h"
#include "network-names.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"
#include "sync.h"

/* A list of 1,000 containers is about 40 KiB; anything near this is no list of ours. */
#define HOSTS_LIST_MAX (4U * 1024U * 1024U)

bool hosts_word_ok(const char *s) {
        if (isempty(s))
                return false;
        for (; *s; s++)
                if ((unsigned char) *s <= ' ' || (unsigned char) *s >= 0x7f || *s == '#')
                        return false;
        return true;
}

char *hosts_list_line(uint32_t address, const char *name, const char *hostname) {
        char a[INET_ADDRSTRLEN];

        if (!hosts_word_ok(name) || (hostname && !hosts_word_ok(hostname)))
                return NULL;
        network_address_format(address, a);
        if (!hostname || streq(hostname, name))
                return strprintf("%s\t%s\n", a, name);
        return strprintf("%s\t%s %s\n", a, name, hostname);
}

/* An empty datagram to every monitor's socket; one that refuses it belongs to a monitor that is gone. Under the
 * network lock, as the sockets are made. */
static void names_notify_all(void) {
        _cleanup_close_ int fd = -EBADF;
        const struct dirent64 *de;
        DirIter it;

        if (dir_iter_open(AT_FDCWD, NAMES_SOCKETS_DIR, &it) < 0)
                return;
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        while (fd >= 0 && dir_iter_next(&it, &de) > 0) {
                struct sockaddr_un sa = { .sun_family = AF_UNIX };

                if (de->d_name[0] == '.' ||
                    (size_t) snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%s", NAMES_SOCKETS_DIR, de->d_name) >=
                    sizeof(sa.sun_path))
                        continue;
                /* EAGAIN: its queue is full, so it has a wake-up pending already */
                if (sendto(fd, "", 0, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *) &sa, sizeof(sa)) < 0 &&
                    (errno == ECONNREFUSED || errno == ENOTSOCK)) {
                        log_debug("Removing the names socket %s of a monitor that is gone.", sa.sun_path);
                        (void) unlink(sa.sun_path);
                }
        }
        dir_iter_close(&it);
}

static int hosts_list_replace(const char *data, size_t size) {
        _cleanup_close_ int dir = open(NETWORK_STATE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int r;

        if (dir < 0)
                return negative_errno();
        /* /run is a tmpfs: the fsync() costs nothing, and nothing needs the rename to survive a crash */
        r = write_file_atomic_at_full(dir, "hosts", data, size, 0644, false);
        if (r < 0)
                return r;
        names_notify_all();
        return 0;
}

int hosts_list_write(char **lines) {
        _cleanup_buffer_ Buffer b = {};
        int r;

        strv_sort(lines);
        STRV_FOREACH(l, lines) {
                r = buffer_puts(&b, *l);
                if (r < 0)
                        return r;
        }
        return hosts_list_replace(b.data ?: "", b.size);
}

int hosts_list_remove(uint32_t address) {
        _cleanup_free_ char *list = NULL, *prefix = NULL;
        _cleanup_buffer_ Buffer b = {};
        char a[INET_ADDRSTRLEN];
        int r;

        r = read_full_file_at(AT_FDCWD, HOSTS_LIST_PATH, HOSTS_LIST_MAX, &list, NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        prefix = strprintf("%s\t", network_address_format(address, a));
        if (!prefix)
                return -ENOMEM;
        for (const char *line = list; *line;) {
                size_t n = strcspn(line, "\n");

                if (line[n] == '\n')
                        n++;
                if (!startswith(line, prefix) && (r = buffer_append(&b, line, n)) < 0)
                        return r;
                line += n;
        }
        return hosts_list_replace(b.data ?: "", b.size);
}

int names_watch(Names *n, const char *hostname, char *const *add_hosts) {
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        _cleanup_close_ int lock = -EBADF, fd = -EBADF;
        int r;

        n->head = plan_hosts_head(hostname, add_hosts);
        if (!n->head)
                return log_oom();
        lock = network_lock();
        if (lock < 0)
                return log_debug_errno(lock, "Failed to lock %s, /etc/hosts is not kept current: %m", LOCK_PATH);
        r = mkdir_p(NAMES_SOCKETS_DIR, 0755, 0700);
        if (r < 0)
                return log_debug_errno(r, "Failed to create %s, /etc/hosts is not kept current: %m",
                                       NAMES_SOCKETS_DIR);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/%d", NAMES_SOCKETS_DIR, (int) getpid());
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return log_debug_errno(errno, "Failed to create the names socket: %m");
        /* a dead monitor's with our PID, left by a SIGKILL: under the lock, no writer unlinks ours after this */
        (void) unlink(sa.sun_path);
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                return log_debug_errno(errno, "Failed to bind the names socket %s: %m", sa.sun_path);
        n->socket_path = strdup(sa.sun_path);
        if (!n->socket_path) {
                (void) unlink(sa.sun_path);
                return log_oom();
        }
        n->socket_fd = TAKE_FD(fd);
        return 0;
}

/* pwrite() until all of it is written: the offset is the descriptor's, never the container's to move. */
static int pwrite_all(int fd, const char *buf, size_t size) {
        for (size_t done = 0; done < size;) {
                ssize_t k = pwrite(fd, buf + done, size - done, (off_t) done);

                if (k < 0 && errno == EINTR)
                        continue;
                if (k <= 0)
                        return k < 0 ? negative_errno() : -EIO;
                done += (size_t) k;
        }
        return 0;
}

/* The container's /etc/hosts in place, through the descriptor its child passed: the bind mount pins that inode,
 * so a new file renamed over the staging path would never be seen inside. Safe against the container: the
 * file is on the staging tmpfs the launcher mounted in the container's mount namespace, which the container
 * never sees as such (its old root is detached); the descriptor was opened by the launcher's child before
 * the workload existed, with O_NOFOLLOW, checked to be a regular file and to be what /etc/hosts is inside; and
 * no path is resolved here at all, so nothing the container makes (a symlink, a bind mount, a rename inside
 * its root) leads this write anywhere else. The worst the container can do is what it may do anyway: write
 * its own /etc/hosts. Written first and cut after, so a reader in between sees the new list and perhaps a
 * tail of the old one, never an empty file. */
static void names_refresh(Names *n) {
        _cleanup_free_ char *list = NULL;
        _cleanup_buffer_ Buffer b = {};
        int r;

        if (n->hosts_fd < 0)
                return;
        r = read_full_file_at(AT_FDCWD, HOSTS_LIST_PATH, HOSTS_LIST_MAX, &list, NULL);
        if (r < 0 && r != -ENOENT) {
                log_debug_errno(r, "Failed to read %s: %m", HOSTS_LIST_PATH);
                return;
        }
        r = buffer_puts(&b, n->head);
        if (r >= 0)
                r = buffer_puts(&b, "# the containers on " NETWORK_BRIDGE_NAME ", kept current by ctr-launch\n");
        if (r >= 0 && list)
                r = buffer_puts(&b, list);
        if (r >= 0)
                r = pwrite_all(n->hosts_fd, b.data, b.size);
        if (r >= 0 && ftruncate(n->hosts_fd, (off_t) b.size) < 0)
                r = negative_errno();
        if (r < 0)
                log_debug_errno(r, "Failed to write the container's /etc/hosts: %m");
}

void names_received(Names *n, int fd) {
        struct stat st;

        if (fd < 0 || n->socket_fd < 0 || n->hosts_fd >= 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
                safe_close(fd);
                return;
        }
        n->hosts_fd = fd;
        names_refresh(n);
}

struct pollfd *names_pollfds(Names *n, size_t *ret_n) {
        n->pollfd = (struct pollfd) { .fd = n->hosts_fd >= 0 ? n->socket_fd : -EBADF, .events = POLLIN };
        *ret_n = 1;
        return &n->pollfd;
}

void names_handle(Names *n) {
        char c;

        /* every wake-up queued so far, then one rewrite for all of them */
        for (unsigned i = 0; i < 1024; i++)
                if (recv(n->socket_fd, &c, sizeof(c), MSG_DONTWAIT) < 0 && errno != EINTR)
                        break;
        names_refresh(n);
}

void names_done(Names *n) {
        if (n->socket_path)
                (void) unlink(n->socket_path);
        n->socket_path = mfree(n->socket_path);
        n->socket_fd = safe_close(n->socket_fd);
        n->hosts_fd = safe_close(n->hosts_fd);
        n->head = mfree(n->head);
}

int names_child_pass(const char *hosts_file, int root_fd, int sync_fd, ExecError *err) {
        _cleanup_close_ int fd = -EBADF, target = -EBADF;
        struct stat a, b;
        int r;

        fd = open(hosts_file, O_RDWR | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return launch_error(err, errno, "Failed to open '%s'", hosts_file);
        /* a volume's /etc/hosts (on the file, on /etc, or where the image's links lead) is the user's: the bind
         * was skipped, and the monitor gets nothing to write */
        r = chase_open(root_fd, "/etc/hosts", O_PATH, &target);
        if (r < 0 || fstat(fd, &a) < 0 || fstat(target, &b) < 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
                fd = safe_close(fd);
        r = sync_send_hosts(sync_fd, fd);
        if (r < 0)
                return launch_error(err, r, "Failed to pass /etc/hosts to the monitor");
        return 0;
}
