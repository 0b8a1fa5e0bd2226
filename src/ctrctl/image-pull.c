/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl image pull [--platform OS/ARCH] [--tls-verify=yes|no] [--quiet] [--progress-fd=N] REF, and image
 * login (credentials checked against the registry first, unless --no-verify) / logout (the auth file of
 * registry-auth.h). On a terminal the pull draws one status line while
 * bytes flow and prints a line per layer as it completes, then a summary; otherwise it prints only the
 * manifest digest. --progress-fd=N writes the progress as lines for a program (ctr-launch's pull at start,
 * pull-start.h) to fd N:
 *   resolved NAME N_LAYERS BYTES_TOTAL             manifest and config read (bytes: what needs downloading)
 *   progress LAYERS_DONE N_LAYERS BYTES_DONE BYTES_TOTAL   while bytes flow, a few times a second
 *   waiting LAYER N_LAYERS                         for another pull downloading that layer
 *   layer LAYER N_LAYERS LAYERS_DONE DOWNLOADED    a layer present (DOWNLOADED 1, or 0: the store had it)
 *   pulled MANIFEST_DIGEST                         the reference written: the last line of a pull that worked
 * A line is written whole (one write), so a reader never sees half of one. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ctrctl-util.h"
#include "ctrctl.h"
#include "image-ctl.h"
#include "image-pull.h"
#include "log.h"
#include "parse-util.h"
#include "registry-auth.h"
#include "string-util.h"
#include "time-util.h"

#define CREDENTIAL_MAX 4096

typedef struct PullDisplay {
        bool tty;
        int progress_fd;                /* --progress-fd=, -EBADF without */
        uint64_t start_usec;
        unsigned downloaded, present;
        uint64_t bytes_total;
} PullDisplay;

static const char *arg_platform = NULL;
static RegistryTlsPolicy arg_tls = REGISTRY_TLS_AS_CONFIGURED;
static bool arg_quiet = false;
static int arg_progress_fd = -EBADF;
static const char *arg_user = NULL;
static bool arg_password_stdin = false;
static bool arg_verify = true;

enum {
        ARG_PLATFORM = VERB_OPTION_BASE,
        ARG_TLS_VERIFY,
        ARG_PASSWORD_STDIN,
        ARG_PROGRESS_FD,
        ARG_NO_VERIFY,
};

static int pull_option(int c, const char *value) {
        int b;

        switch (c) {
        case ARG_PLATFORM:
                arg_platform = value;
                return 0;
        case ARG_TLS_VERIFY:
                b = parse_boolean(value);
                if (b < 0) {
                        log_error("--tls-verify= takes yes or no, not '%s'.", value);
                        return -EINVAL;
                }
                arg_tls = b ? REGISTRY_TLS_REQUIRED : REGISTRY_TLS_PLAIN_HTTP;
                return 0;
        case 'q':
                arg_quiet = true;
                return 0;
        case ARG_PROGRESS_FD:
                if (safe_atoi(value, &arg_progress_fd) < 0 || arg_progress_fd < 3 ||
                    fcntl(arg_progress_fd, F_GETFD) < 0) {
                        log_error("--progress-fd= takes an open file descriptor above 2, not '%s'.", value);
                        return -EINVAL;
                }
                /* not passed on to anything we might start */
                (void) fcntl(arg_progress_fd, F_SETFD, FD_CLOEXEC);
                return 0;
        case 'u':
                arg_user = value;
                return 0;
        case ARG_PASSWORD_STDIN:
                arg_password_stdin = true;
                return 0;
        case ARG_NO_VERIFY:
                arg_verify = false;
                return 0;
        default:
                return -EINVAL;
        }
}

/* --progress-fd=: one line per event, in one write; a reader that went away does not stop the pull */
static void pull_report(const PullProgress *p, int fd) {
        switch (p->phase) {
        case PULL_PHASE_RESOLVED:
                (void) dprintf(fd, "resolved %s %u %" PRIu64 "\n", p->name, p->n_layers, p->bytes_total);
                return;
        case PULL_PHASE_PROGRESS:
                (void) dprintf(fd, "progress %u %u %" PRIu64 " %" PRIu64 "\n", p->layers_done, p->n_layers,
                               p->bytes_done, p->bytes_total);
                return;
        case PULL_PHASE_WAITING:
                (void) dprintf(fd, "waiting %u %u\n", p->layer, p->n_layers);
                return;
        case PULL_PHASE_LAYER_DONE:
                (void) dprintf(fd, "layer %u %u %u %d\n", p->layer, p->n_layers, p->layers_done,
                               p->downloaded);
                return;
        }
}

static void pull_display(const PullProgress *p, void *userdata) {
        PullDisplay *d = userdata;
        uint64_t elapsed = now_monotonic_usec() - d->start_usec;
        char done[16], total[16], rate[16];

        if (d->progress_fd >= 0)
                pull_report(p, d->progress_fd);
        if (!d->tty)
                return;
        switch (p->phase) {
        case PULL_PHASE_RESOLVED:
                d->bytes_total = p->bytes_total;
                return;
        case PULL_PHASE_LAYER_DONE:
                if (p->downloaded)
                        d->downloaded++;
                else
                        d->present++;
                if (!p->downloaded) {
                        fprintf(stderr, "\r\033[Klayer %u/%u %.19s %s present\n", p->layer, p->n_layers,
                                p->digest, format_bytes(total, sizeof(total), p->layer_size));
                        return;
                }
                fprintf(stderr, "\r\033[Klayer %u/%u %.19s %s in %.1f s (%s/s)\n", p->layer, p->n_layers,
                        p->digest, format_bytes(total, sizeof(total), p->layer_size),
                        (double) p->layer_usec / USEC_PER_SEC,
                        format_bytes(rate, sizeof(rate), p->layer_size * USEC_PER_SEC / MAX(p->layer_usec, 1U)));
                return;
        case PULL_PHASE_WAITING:
                fprintf(stderr, "\r\033[Klayer %u/%u %.19s: waiting for another pull downloading it",
                        p->layer, p->n_layers, p->digest);
                return;
        case PULL_PHASE_PROGRESS:
                fprintf(stderr, "\r\033[K%u/%u layers, %s/%s, %s/s", p->layers_done, p->n_layers,
                        format_bytes(done, sizeof(done), p->bytes_done),
                        format_bytes(total, sizeof(total), p->bytes_total),
                        format_bytes(rate, sizeof(rate),
                                     elapsed > 0 ? p->bytes_done * USEC_PER_SEC / elapsed : 0));
                return;
        }
}

int image_pull_show(ImageStore *s, const char *reference, bool quiet, Image **ret) {
        _cleanup_image_free_ Image *image = NULL;
        _cleanup_free_ char *error = NULL;
        PullDisplay d = {
                .tty = !quiet && isatty(STDERR_FILENO),
                .progress_fd = arg_progress_fd,
                .start_usec = now_monotonic_usec(),
        };
        char size[16];
        int r;

        r = image_pull(s, reference, &(ImagePullOptions) {
                                .platform = arg_platform,
                                .tls = arg_tls,
                                .progress = pull_display,
                                .userdata = &d,
                        }, &image, &error);
        if (d.tty)
                fputs("\r\033[K", stderr);
        if (r < 0) {
                if (error)
                        log_error("Cannot pull %s: %s", reference, error);
                else
                        log_error_errno(r, "Cannot pull %s: %m", reference);
                return r == -EINVAL ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_FAILURE;
        }
        if (d.tty)
                fprintf(stderr, "Pulled %s: %zu layer%s (%u downloaded, %s, %u present) in %.1f s.\n",
                        image->name, image->n_layers, image->n_layers == 1 ? "" : "s", d.downloaded,
                        format_bytes(size, sizeof(size), d.bytes_total), d.present,
                        (double) (now_monotonic_usec() - d.start_usec) / USEC_PER_SEC);
        if (d.progress_fd >= 0)
                (void) dprintf(d.progress_fd, "pulled %s\n", image->manifest_digest);
        if (ret)
                *ret = TAKE_PTR(image);
        return CTRCTL_EXIT_SUCCESS;
}

int image_verb_pull(int argc, char *argv[]) {
        static const struct option options[] = {
                { "platform",    required_argument, NULL, ARG_PLATFORM    },
                { "tls-verify",  required_argument, NULL, ARG_TLS_VERIFY  },
                { "quiet",       no_argument,       NULL, 'q'             },
                { "progress-fd", required_argument, NULL, ARG_PROGRESS_FD },
                {}
        };
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_image_free_ Image *image = NULL;
        int i, status;

        i = image_verb_begin(argc, argv, options, "q", pull_option, true, false, &s, &status);
        if (i == 0)
                return status;
        status = image_pull_show(s, argv[i], arg_quiet, &image);
        if (status == CTRCTL_EXIT_SUCCESS)
                printf("%s\n", image->manifest_digest);
        return status;
}

/* "https://ghcr.io/" → "ghcr.io": the auth file's key is the registry's HOST[:PORT] */
static const char *registry_arg(char *a) {
        char *p = startswith(a, "https://") ?: startswith(a, "http://") ?: a;
        size_t n = strlen(p);

        while (n > 0 && p[n - 1] == '/')
                p[--n] = '\0';
        return p;
}

/* A line from |f| (no newline), echo off when it is a terminal and |secret|. */
static int read_line(FILE *f, bool secret, char **ret) {
        struct termios old, quiet;
        bool restore = false;
        char buf[CREDENTIAL_MAX];

        if (secret && isatty(fileno(f)) && tcgetattr(fileno(f), &old) >= 0) {
                quiet = old;
                quiet.c_lflag &= ~(tcflag_t) ECHO;
                restore = tcsetattr(fileno(f), TCSANOW, &quiet) >= 0;
        }
        if (!fgets(buf, sizeof(buf), f))
                buf[0] = '\0';
        if (restore) {
                (void) tcsetattr(fileno(f), TCSANOW, &old);
                fputc('\n', stderr);
        }
        buf[strcspn(buf, "\r\n")] = '\0';
        *ret = strdup(buf);
        explicit_bzero(buf, sizeof(buf));
        return *ret ? 0 : -ENOMEM;
}

int image_verb_login(int argc, char *argv[]) {
        static const struct option options[] = {
                { "username",       required_argument, NULL, 'u'                },
                { "password-stdin", no_argument,       NULL, ARG_PASSWORD_STDIN },
                { "tls-verify",     required_argument, NULL, ARG_TLS_VERIFY     },
                { "no-verify",      no_argument,       NULL, ARG_NO_VERIFY      },
                {}
        };
        _cleanup_free_ char *path = NULL, *user = NULL, *password = NULL, *error = NULL;
        const char *registry;
        bool open_registry = false;
        int i, r;

        i = verb_parse_options_for(image_verb_find("login"), argc, argv, options, "u:", pull_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_SUCCESS;
        registry = registry_arg(argv[i]);
        if (arg_user)
                user = strdup(arg_user);
        else if (!isatty(STDIN_FILENO) || arg_password_stdin) {
                log_error("No user name: give one with -u USER.");
                return CTRCTL_EXIT_USAGE;
        } else {
                fputs("Username: ", stderr);
                (void) read_line(stdin, false, &user);
        }
        if (!arg_password_stdin)
                fputs("Password: ", stderr);
        if (!user || read_line(stdin, true, &password) < 0)
                return log_oom();
        if (isempty(user) || isempty(password) || strchr(user, ':')) {
                log_error("A user name (without ':') and a password are needed.");
                return CTRCTL_EXIT_USAGE;
        }
        /* as docker login: only credentials the registry accepts are written */
        r = arg_verify ? registry_login_check(registry, user, password, arg_tls, &open_registry, &error) : 0;
        if (r >= 0)
                r = registry_auth_file(&path);
        if (r >= 0)
                r = registry_auth_store(path, registry, user, password);
        explicit_bzero(password, strlen(password));
        if (r < 0 && error) {
                log_error("Login to %s failed, nothing saved: %s", registry, error);
                return CTRCTL_EXIT_FAILURE;
        }
        if (r < 0) {
                log_error_errno(r, "Cannot write the credentials for %s to %s: %m", registry, strna(path));
                return CTRCTL_EXIT_FAILURE;
        }
        if (!arg_verify)
                fprintf(stderr, "Credentials for %s saved in %s, not checked (--no-verify).\n", registry, path);
        else if (open_registry)
                fprintf(stderr, "Credentials for %s saved in %s; the registry asks for none.\n", registry, path);
        else
                fprintf(stderr, "Login to %s succeeded: credentials saved in %s.\n", registry, path);
        return CTRCTL_EXIT_SUCCESS;
}

int image_verb_logout(int argc, char *argv[]) {
        _cleanup_free_ char *path = NULL;
        const char *registry;
        int i, r;

        i = verb_parse_options_for(image_verb_find("logout"), argc, argv, NULL, NULL, NULL);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_SUCCESS;
        registry = registry_arg(argv[i]);
        r = registry_auth_file(&path);
        if (r >= 0)
                r = registry_auth_store(path, registry, NULL, NULL);
        if (r == -ENOENT) {
                log_error("No credentials for %s in %s.", registry, strna(path));
                return CTRCTL_EXIT_FAILURE;
        }
        if (r < 0) {
                log_error_errno(r, "Cannot update %s: %m", strna(path));
                return CTRCTL_EXIT_FAILURE;
        }
        fprintf(stderr, "Removed the credentials for %s from %s.\n", registry, path);
        return CTRCTL_EXIT_SUCCESS;
}
