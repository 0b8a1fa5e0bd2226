/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "notify-send.h"
#include "notify.h"
#include "service.h"

#define CGROUP_LINE_MAX 4096U

int service_prepare(Service *s, const Container *c, const char *runtime_dir) {
        int r;

        s->container = c;

        /* Only when our stdout is the journal stream systemd gave us; a terminal or a pipe is inherited. */
        if (log_forward_wanted()) {
                r = log_forward_open(&s->log, c->name);
                if (r < 0)
                        log_warning_errno(r, "Failed to open journal streams for the container's output, "
                                          "it is inherited instead: %m");
        }

        if (c->notify) {
                if (asprintf(&s->notify_dir, "%s/notify", runtime_dir) < 0)
                        return log_oom();
                r = notify_socket_open(s->notify_dir, &s->notify_fd);
                if (r < 0)
                        return log_error_errno(r, "Failed to create the notify socket in '%s': %m", s->notify_dir);
        }
        return 0;
}

char *const *service_child_environment(const Container *c) {
        static char *const with_notify[] = { (char *) "NOTIFY_SOCKET=" NOTIFY_SOCKET_CONTAINER_PATH, NULL };

        return c->notify ? with_notify : NULL;
}

int service_child_stdio(Service *s) {
        if (s->log.out_pipe[1] < 0)
                return 0;
        return log_forward_apply_child(&s->log);
}

void service_after_clone(Service *s) {
        log_forward_close_child_ends(&s->log);
}

static int read_oom_kills(int fd, uint64_t *ret) {
        char buf[1024], *p;
        ssize_t n;

        n = pread(fd, buf, sizeof(buf) - 1, 0);
        if (n < 0)
                return negative_errno();
        buf[n] = '\0';
        p = strstr(buf, "\noom_kill ");
        if (!p) {
                if (strncmp(buf, "oom_kill ", 9) != 0)
                        return -ENODATA;
                p = buf;
        } else
                p++;
        if (sscanf(p + 9, "%" SCNu64, ret) != 1)
                return -EBADMSG;
        return 0;
}

void service_scope_placed(Service *s, pid_t pid) {
        char path[64], line[CGROUP_LINE_MAX], *events = NULL;
        FILE *f;

        snprintf(path, sizeof(path), "/proc/%i/cgroup", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return;
        while (fgets(line, sizeof(line), f)) {
                if (strncmp(line, "0::", 3) != 0)
                        continue;
                line[strcspn(line, "\n")] = '\0';
                if (asprintf(&events, "/sys/fs/cgroup%s/memory.events", line + 3) < 0)
                        events = NULL;
                break;
        }
        fclose(f);
        if (!events)
                return;

        s->memory_events_fd = open(events, O_RDONLY | O_CLOEXEC);
        if (s->memory_events_fd < 0 || read_oom_kills(s->memory_events_fd, &s->oom_kills) < 0) {
                log_debug("Not watching '%s' for OOM kills.", events);
                s->memory_events_fd = safe_close(s->memory_events_fd);
        }
        free(events);
}

static void check_oom(Service *s) {
        uint64_t n;

        if (s->oom_reported || s->memory_events_fd < 0 || read_oom_kills(s->memory_events_fd, &n) < 0)
                return;
        if (n <= s->oom_kills)
                return;

        s->oom_reported = true;
        log_error("Container '%s' ran out of memory: the kernel's OOM killer killed a process in its scope "
                  "(MemoryMax=, MemorySwapMax=).", s->container->name);
        (void) notify_sendf("STATUS=Container %s was killed by the OOM killer.", s->container->name);
}

void service_started(Service *s) {
        const Container *c = s->container;

        if (c->notify) {
                (void) notify_sendf("STATUS=Container %s started, waiting for its READY=1.", c->name);
                return;
        }
        /* Notify=healthy: READY=1 comes from the first passing health check (health.c) */
        if (c->notify_healthy && c->health_cmd) {
                (void) notify_sendf("STATUS=Container %s started, waiting for its first health check.", c->name);
                return;
        }
        s->ready = true;
        (void) notify_sendf("READY=1\nSTATUS=Container %s running.", c->name);
}

void service_stopping(Service *s) {
        (void) notify_sendf("STOPPING=1\nSTATUS=Stopping container %s.", s->container->name);
}

struct pollfd *service_pollfds(Service *s, size_t *ret_n) {
        s->pollfds[SERVICE_FD_STDOUT] = (struct pollfd) { .fd = s->log.out_pipe[0], .events = POLLIN };
        s->pollfds[SERVICE_FD_STDERR] = (struct pollfd) { .fd = s->log.err_pipe[0], .events = POLLIN };
        s->pollfds[SERVICE_FD_NOTIFY] = (struct pollfd) { .fd = s->notify_fd, .events = POLLIN };
        /* cgroup event files signal a change with POLLPRI */
        s->pollfds[SERVICE_FD_MEMORY_EVENTS] = (struct pollfd) { .fd = s->memory_events_fd, .events = POLLPRI };
        *ret_n = _SERVICE_FD_MAX;
        return s->pollfds;
}

/* Forwards what is readable; at end of file (or a dead journal stream) the pipe is closed and ignored. */
static void pump(_unused_ Service *s, int *from, int to) {
        for (unsigned i = 0; i < 16; i++) {
                ssize_t n = log_forward_pump(*from, to);
                if (n == -EAGAIN)
                        return;
                if (n <= 0) {
                        if (n < 0)
                                log_warning_errno((int) n, "Failed to forward the container's output: %m");
                        *from = safe_close(*from);
                        return;
                }
        }
}

void service_handle(Service *s, size_t index, short revents) {
        int r;

        switch (index) {
        case SERVICE_FD_STDOUT:
                pump(s, &s->log.out_pipe[0], s->log.out_journal);
                break;
        case SERVICE_FD_STDERR:
                pump(s, &s->log.err_pipe[0], s->log.err_journal);
                break;
        case SERVICE_FD_NOTIFY:
                for (unsigned i = 0; i < 16; i++) {
                        r = notify_relay_one(s->notify_fd);
                        if (r == -EAGAIN)
                                break;
                        if (r < 0) {
                                log_warning_errno(r, "Failed to relay a notification of the container: %m");
                                break;
                        }
                        if (r > 0 && !s->ready) {
                                s->ready = true;
                                log_debug("Container '%s' reported READY=1.", s->container->name);
                        }
                }
                break;
        case SERVICE_FD_MEMORY_EVENTS:
                if (revents & (POLLPRI | POLLERR))
                        check_oom(s);
                break;
        default:
                break;
        }
}

/* Forwards everything still buffered in a pipe, then closes it. */
static void drain(int *from, int to) {
        while (*from >= 0 && log_forward_pump(*from, to) > 0)
                ;
        *from = safe_close(*from);
}

bool service_exited(Service *s, int status) {
        /* The PID namespace died with its init (the kernel reaps every other member before the init's exit is
         * reported), so no writer is left: what the pipes hold is all there is. */
        drain(&s->log.out_pipe[0], s->log.out_journal);
        drain(&s->log.err_pipe[0], s->log.err_journal);

        check_oom(s);
        if (!s->oom_reported)
                (void) notify_sendf("STATUS=Container %s exited with status %i.", s->container->name, status);
        return s->oom_reported;
}

void service_done(Service *s) {
        log_forward_done(&s->log);
        s->notify_fd = safe_close(s->notify_fd);
        s->memory_events_fd = safe_close(s->memory_events_fd);
        if (s->notify_dir) {
                notify_socket_remove(s->notify_dir);
                s->notify_dir = mfree(s->notify_dir);
        }
}
