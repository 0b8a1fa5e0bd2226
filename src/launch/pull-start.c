/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fd-util.h"
#include "image-store.h"
#include "log.h"
#include "notify-send.h"
#include "pull-start.h"
#include "string-util.h"

#define PULL_LINE_MAX 4096U
#define PULL_PROGRESS_FD 3
/* STATUS= while bytes flow: at most this often, so a fast pull does not flood the manager */
#define PULL_STATUS_INTERVAL_USEC (USEC_PER_SEC / 2)

void pull_watch_done(PullWatch *w) {
        w->name = mfree(w->name);
        w->pulled = mfree(w->pulled);
}

static double mb(uint64_t bytes) {
        return (double) bytes / (1000.0 * 1000.0);
}

static int status_message(const PullWatch *w, bool extend, const char *suffix, char **ret) {
        char extension[64] = "";

        if (extend)
                (void) snprintf(extension, sizeof(extension), "EXTEND_TIMEOUT_USEC=%" PRIu64 "\n",
                                (uint64_t) PULL_EXTEND_USEC);
        if (asprintf(ret, "%sSTATUS=Pulling %s: %u/%u layers, %.1f/%.1f MB%s", extension, strna(w->name),
                     w->layers_done, w->n_layers, mb(w->bytes_done), mb(w->bytes_total), strempty(suffix)) < 0)
                return -ENOMEM;
        return 0;
}

int pull_watch_line(PullWatch *w, const char *line, uint64_t now, char **ret_message) {
        unsigned a, b, c;
        uint64_t done, total;
        int downloaded, n;
        char word[PULL_LINE_MAX];
        bool extend = false;

        *ret_message = NULL;
        if (sscanf(line, "resolved %4095s %u %" SCNu64 "%n", word, &a, &total, &n) == 3 && line[n] == '\0') {
                if (free_and_strdup(&w->name, word) < 0)
                        return -ENOMEM;
                w->n_layers = a;
                w->bytes_total = total;
                w->last_growth = now;
        } else if (sscanf(line, "progress %u %u %" SCNu64 " %" SCNu64 "%n", &a, &b, &done, &total, &n) == 4 &&
                   line[n] == '\0') {
                w->layers_done = a;
                w->n_layers = b;
                w->bytes_total = total;
                if (done <= w->bytes_done)
                        return 0;
                w->bytes_done = done;
                w->last_growth = now;
                w->stall_reported = 0;
                /* bytes arrived: the start may take PULL_EXTEND_USEC more from here (once a second) */
                extend = w->last_extend == 0 || now - w->last_extend >= USEC_PER_SEC;
                if (!extend && now - w->last_status < PULL_STATUS_INTERVAL_USEC)
                        return 0;
                if (extend)
                        w->last_extend = now;
        } else if (sscanf(line, "layer %u %u %u %d%n", &a, &b, &c, &downloaded, &n) == 4 && line[n] == '\0') {
                w->layers_done = c;
                w->n_layers = b;
        } else if (sscanf(line, "waiting %u %u%n", &a, &b, &n) == 2 && line[n] == '\0') {
                w->last_status = now;
                if (asprintf(ret_message, "STATUS=Pulling %s: waiting for another pull of layer %u/%u",
                             strna(w->name), a, b) < 0)
                        return -ENOMEM;
                return 0;
        } else if (sscanf(line, "pulled %4095s%n", word, &n) == 1 && line[n] == '\0') {
                if (free_and_strdup(&w->pulled, word) < 0)
                        return -ENOMEM;
                if (asprintf(ret_message, "STATUS=Pulled %s (%s).", strna(w->name), word) < 0)
                        return -ENOMEM;
                return 0;
        } else
                return 0;

        w->last_status = now;
        return status_message(w, extend, "…", ret_message);
}

int pull_watch_idle(PullWatch *w, uint64_t now, char **ret_message) {
        char suffix[64];
        unsigned periods;

        *ret_message = NULL;
        if (!w->name || now < w->last_growth)
                return 0;
        periods = (unsigned) ((now - w->last_growth) / PULL_STALL_USEC);
        if (periods <= w->stall_reported)
                return 0;
        w->stall_reported = periods;
        w->last_status = now;
        (void) snprintf(suffix, sizeof(suffix), ", stalled: no data for %" PRIu64 " s",
                        (uint64_t) (periods * PULL_STALL_USEC / USEC_PER_SEC));
        return status_message(w, false, suffix, ret_message);
}

static void notify(char *message) {
        if (message)
                (void) notify_send(message);
        free(message);
}

static bool image_present(const char *state, const char *reference) {
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_image_free_ Image *image = NULL;

        return image_store_open(state, false, &s) >= 0 && image_store_resolve(s, reference, &image, NULL) >= 0;
}

static _Noreturn void exec_pull(pid_t parent, int fd, const char *reference) {
        const char *ctrctl = getenv("CTR_CTRCTL");

        /* ctrctl-image is what `ctrctl image` hands the verb to: one exec fewer */
        if (isempty(ctrctl))
                ctrctl = CTRCTL_IMAGE_PATH;
        /* a pull the launcher no longer waits for (stopped, timed out) ends with it */
        if (prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0) < 0 || getppid() != parent)
                _exit(EXIT_FAILURE);
        if (fd != PULL_PROGRESS_FD) {
                if (dup2(fd, PULL_PROGRESS_FD) < 0)
                        _exit(EXIT_FAILURE);
        } else if (fcntl(fd, F_SETFD, 0) < 0)
                _exit(EXIT_FAILURE);
        /* the digest it prints is in the "pulled" line; its errors go where ours go */
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
                _exit(EXIT_FAILURE);
        (void) unsetenv("NOTIFY_SOCKET");
        execl(ctrctl, "ctrctl", "image", "pull", "--progress-fd=3", "--", reference, (char *) NULL);
        log_error_errno(errno, "Failed to execute %s: %m", ctrctl);
        _exit(EXIT_FAILURE);
}

/* Runs the pull, turning its progress into messages to systemd. Returns its exit status, or -errno. */
static int run_pull(const Container *c) {
        _cleanup_(pull_watch_done) PullWatch w = { .last_growth = now_monotonic_usec() };
        _cleanup_close_ int read_fd = -EBADF;
        char buf[PULL_LINE_MAX];
        size_t filled = 0;
        int pipefd[2], status, r = 0;
        pid_t pid, parent = getpid();

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_error_errno(errno, "Failed to create a pipe: %m");
        read_fd = pipefd[0];
        pid = fork();
        if (pid < 0) {
                safe_close(pipefd[1]);
                return log_error_errno(errno, "Failed to fork: %m");
        }
        if (pid == 0)
                exec_pull(parent, pipefd[1], c->image);
        safe_close(pipefd[1]);

        (void) notify_sendf("STATUS=Pulling %s…", c->image);
        for (;;) {
                struct pollfd p = { .fd = read_fd, .events = POLLIN };
                char *message = NULL, *nl;
                ssize_t n;

                /* wake once a second without lines; lines keep coming while a transfer stalls (the same
                 * bytes), so a stall is checked after every wake-up */
                if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
                        r = log_error_errno(errno, "Failed to wait for the pull: %m");
                        break;
                }
                if (pull_watch_idle(&w, now_monotonic_usec(), &message) < 0) {
                        r = log_oom();
                        break;
                }
                notify(message);
                if (p.revents == 0)
                        continue;
                n = read(read_fd, buf + filled, sizeof(buf) - 1 - filled);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n <= 0)
                        break;
                filled += (size_t) n;
                buf[filled] = '\0';
                while ((nl = strchr(buf, '\n'))) {
                        *nl = '\0';
                        if (pull_watch_line(&w, buf, now_monotonic_usec(), &message) < 0) {
                                r = log_oom();
                                break;
                        }
                        notify(message);
                        filled -= (size_t) (nl + 1 - buf);
                        memmove(buf, nl + 1, filled + 1);
                }
                if (r < 0)
                        break;
                if (filled == sizeof(buf) - 1)  /* a line this long is no line of ours */
                        filled = 0;
        }
        if (r < 0)
                (void) kill(pid, SIGTERM);
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return log_error_errno(errno, "Failed to wait for the pull: %m");
        if (r < 0)
                return r;
        if (WIFEXITED(status))
                return WEXITSTATUS(status);
        return 128 + WTERMSIG(status);
}

int launch_pull(const Container *c, const char *state) {
        bool present;
        int r;

        if (!container_may_pull(c))
                return 0;
        present = image_present(state, c->image);
        if (present && c->pull == PULL_MISSING)
                return 0;

        r = run_pull(c);
        if (r < 0)
                return r;
        if (r == 0)
                return 0;
        if (present && c->pull == PULL_NEWER) {
                log_warning("Container '%s': could not check the registry for a newer '%s' (see above), "
                            "starting on the image in the local store.", c->name, c->image);
                (void) notify_sendf("STATUS=Registry unreachable, starting %s on the local image.", c->image);
                return 0;
        }
        (void) notify_sendf("STATUS=Pulling %s failed.", c->image);
        log_error("Container '%s': pulling image '%s' failed (ctrctl exit status %i, see above).", c->name,
                  c->image, r);
        /* still missing: the caller's resolve says so, with how to get it */
        return present ? -EIO : -ENOENT;
}
