/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl: the verb table and what all verbs share (global options, diagnostics, JSON strings).
 *
 * Built twice. `ctrctl` runs the verbs that look at containers, units and the store's records; `image`, `run`
 * and `auto-update` it hands to `ctrctl-image` (this file with CTRCTL_IMAGE_VERBS, libexecdir), which links
 * the image libraries: libcurl, libarchive and what they load (ICU, libxml2, Kerberos, GnuTLS: 43 more
 * libraries, ~600 page faults and tens of milliseconds per start). A `ctrctl status` or `ctrctl exec` pays
 * none of that. */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctrctl.h"
#include "log.h"
#include "string-util.h"
#include "version.h"

bool arg_no_pager = false;
bool arg_no_legend = false;
const char *arg_host = NULL;

#ifdef CTRCTL_IMAGE_VERBS
#  define IMAGE_VERB(f) f
#else
static char **saved_argv;

/* Runs the whole command line again as ctrctl-image: beside this binary (a build tree), else in libexecdir;
 * $CTRCTL_IMAGE overrides both (tests). */
static int verb_delegate(_unused_ int argc, _unused_ char *argv[]) {
        char self[PATH_MAX], *slash;
        const char *path = getenv("CTRCTL_IMAGE");
        ssize_t n;

        if (isempty(path)) {
                path = CTRCTL_IMAGE_PATH;
                n = readlink("/proc/self/exe", self, sizeof(self) - sizeof("ctrctl-image"));
                if (n > 0) {
                        self[n] = '\0';
                        slash = strrchr(self, '/');
                        if (slash) {
                                strcpy(slash + 1, "ctrctl-image");
                                if (access(self, X_OK) >= 0)
                                        path = self;
                        }
                }
        }
        execv(path, saved_argv);
        log_error_errno(errno, "Failed to run %s: %m", path);
        return CTRCTL_EXIT_FAILURE;
}
#  define IMAGE_VERB(f) verb_delegate
#endif

/* Sorted by name; one line per verb. */
static const Verb verbs[] = {
        { "apply",    1, VERB_ANY, verb_apply, 0,
          "[--check] [--diff] [--json] [--prune [--remove-data]] [--no-restart|--start] SOURCE…\tMake the "
          "config directory hold the containers SOURCE describes: validate all, write atomically, reload once, "
          "start new and restart changed ones" },
        { "auto-update", 0, 0,     IMAGE_VERB(verb_auto_update), 0,
          "[--dry-run] [--json]\tPull and restart containers with AutoUpdate= whose image changed, roll back "
          "one that fails" },
        { "cat",      1, VERB_ANY, verb_cat, 0,
          "NAME…\tShow the .ctr files and drop-ins of containers" },
        { "convert",  0, VERB_ANY, verb_convert, 0,
          "[--output DIR|--check] FILE.container|FILE.pod|DIR…\tTranslate Podman Quadlet units into .ctr files, "
          "with a comment for every key not translated" },
        { "disable",  1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--now] NAME…\tDisable containers (ctr@NAME.service) at boot" },
        { "enable",   1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--now] NAME…\tEnable containers (ctr@NAME.service) at boot" },
        { "exec",     2, VERB_ANY, verb_exec, 0,
          "[-t] [-u USER] [-e K=V]… [-w DIR] NAME -- CMD…\tRun a command in a running container" },
        { "hash",     1, VERB_ANY, verb_hash, 0,
          "[--json] [--canonical] [--name NAME] [--dropin-dir DIR] FILE|NAME…\tPrint the digest of the "
          "effective configuration (file + drop-ins; comments, whitespace and key order do not count)" },
        { "healthcheck", 1, 1,     verb_healthcheck, 0,
          "NAME\tRun a running container's HealthCmd= now and print the result" },
        { "image",    1, VERB_ANY, IMAGE_VERB(verb_image), 0,
          "import|pull|list|inspect|tag|rm|prune|login|logout …\tManage images (ctr-image(5))" },
        { "inspect",  1, VERB_ANY, verb_inspect, 0,
          "[--json] NAME…\tPrint the effective configuration and runtime state as JSON" },
        { "list",     0, 0,        verb_list, 0,
          "[--all] [--json]\tList containers: unit state, PID, uptime, memory, CPU, image, file" },
        { "logs",     1, 1,        verb_logs, 0,
          "[-f] [-n N] [--since TIME] [-o short|json|cat] NAME\tShow a container's journal" },
        { "reload",   1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--no-block] NAME…\tSend containers their ReloadSignal= (systemctl reload)" },
        { "restart",  1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--no-block] NAME…\tRestart containers and wait for the job" },
        { "run",      1, VERB_ANY, IMAGE_VERB(verb_run), 0,
          "[-t] [-i] [--rm] [-d] [--name N] [-v SRC:DST]… [-e K=V]… [-p PORTS]… [-m SIZE] [--no-scope] "
          "IMAGE|host|FILE|NAME "
          "[CMD…]\tRun an ad-hoc container (or a declared one) in the foreground, or detached as ctr@N" },
        { "security", 1, VERB_ANY, verb_security, 0,
          "[--json] [--threshold=N] [--name NAME] [--dropin-dir DIR] FILE|NAME…\tScore how exposed containers "
          "are, 0 (locked down) to 10, with every setting that weakens isolation" },
        { "shell",    1, 1,        verb_shell, 0,
          "[-u USER] [-e K=V]… [-w DIR] NAME\tStart the user's login shell in a running container" },
        { "start",    1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--no-block] NAME…\tStart containers (ctr@NAME.service) and wait for the job" },
        { "stats",    0, VERB_ANY, verb_stats, 0,
          "[--json] [--interval SEC] [NAME…]\tCPU, memory, tasks and IO of running containers, once" },
        { "status",   1, VERB_ANY, verb_status, 0,
          "[-n N] NAME…\tShow state, configuration, limits and usage, processes and recent log lines" },
        { "stop",     1, VERB_ANY, verb_unit, VERB_REMOTE,
          "[-H HOST] [--no-block] NAME…\tStop containers and wait for the job" },
        { "top",      0, VERB_ANY, verb_top, 0,
          "[-d SEC] [-n ITERATIONS] [NAME…]\tCPU, memory, tasks and IO of running containers, refreshing" },
        { "validate", 1, VERB_ANY, verb_validate, 0,
          "[--json] [--security-threshold=N] [--name NAME] [--dropin-dir DIR] FILE|NAME…\tCheck .ctr files (with the drop-ins in FILE.d "
          "or DIR), print every diagnostic with file:line" },
};

enum {
        ARG_VERSION = 0x100,
        ARG_NO_PAGER,
        ARG_NO_LEGEND,
};

#define GLOBAL_OPTIONS                                                  \
        { "help",      no_argument, NULL, 'h'           },              \
        { "host",      required_argument, NULL, 'H'     },              \
        { "no-pager",  no_argument, NULL, ARG_NO_PAGER  },              \
        { "no-legend", no_argument, NULL, ARG_NO_LEGEND }

static void help(void) {
        printf("ctrctl [OPTIONS…] COMMAND …\n\n"
               "Manage ctr containers: systemd units described by .ctr files.\n\n"
               "Commands:\n");
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                const char *tab = strchr(verbs[i].help, '\t');

                printf("  %s %.*s\n      %s\n", verbs[i].name, (int) (tab - verbs[i].help), verbs[i].help,
                       tab + 1);
        }
        printf("\nOptions:\n"
               "  -h --help       Show this help\n"
               "     --version    Show the version\n"
               "  -H --host=[USER@]HOST[:PORT]\n"
               "                  Operate on systemd on another machine over ssh (start, stop, restart,\n"
               "                  reload, enable, disable)\n"
               "     --no-pager   Do not pipe output into a pager\n"
               "     --no-legend  Do not print column headers and footers\n\n"
               "Exit status: 0 success, 1 failure (or an invalid file), 2 usage error, 3 not running, 4 no such\n"
               "container, 6 convert left a setting of isolation or data untranslated; exec, shell and run: the\n"
               "command's own. See ctrctl(1).\n");
}

static const Verb *verb_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(verbs[i].name, name))
                        return &verbs[i];
        return NULL;
}

static void verb_help(const Verb *v) {
        const char *tab = strchr(v->help, '\t');

        printf("ctrctl %s %.*s\n\n%s\n\nSee ctrctl(1).\n", v->name, (int) (tab - v->help), v->help, tab + 1);
}

static int global_option(int c, const char *value) {
        switch (c) {
        case 'H':
                arg_host = value;
                return 1;
        case ARG_NO_PAGER:
                arg_no_pager = true;
                return 1;
        case ARG_NO_LEGEND:
                arg_no_legend = true;
                return 1;
        default:
                return 0;
        }
}

int verb_parse_options(int argc, char *argv[], const struct option *options, const char *shortopts,
                       VerbOptionHandler handler) {
        const Verb *v = verb_find(argv[0]);

        if (!v)
                return -EINVAL;
        return verb_parse_options_for(v, argc, argv, options, shortopts, handler);
}

int verb_parse_options_for(const Verb *v, int argc, char *argv[], const struct option *options,
                           const char *shortopts, VerbOptionHandler handler) {
        static const struct option globals[] = { GLOBAL_OPTIONS };
        _cleanup_free_ struct option *all = NULL;
        _cleanup_free_ char *shorts = NULL;
        size_t n = 0, k = 0;
        unsigned n_args;
        int c;

        while (options && options[n].name)
                n++;
        all = calloc(n + ELEMENTSOF(globals) + 1, sizeof(struct option));
        if (!all)
                return log_oom();
        for (size_t i = 0; i < n; i++)
                all[k++] = options[i];
        for (size_t i = 0; i < ELEMENTSOF(globals); i++)
                all[k++] = globals[i];

        if (asprintf(&shorts, ":hH:%s", strempty(shortopts)) < 0)
                return log_oom();

        /* getopt's own messages would name the verb as the program; ours name ctrctl. */
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, shorts, all, NULL)) >= 0) {
                if (c == 'h') {
                        verb_help(v);
                        return 0;
                }
                if (global_option(c, optarg))
                        continue;
                if (c == '?' || c == ':') {
                        if (optopt > 0 && optopt < 0x100)
                                log_error("%s option '-%c'.", c == ':' ? "Missing argument for" : "Unknown",
                                          optopt);
                        else
                                log_error("%s option '%s'.", c == ':' ? "Missing argument for" : "Unknown",
                                          argv[optind - 1]);
                        goto usage;
                }
                if (!handler || handler(c, optarg) < 0)
                        goto usage;
        }

        /* The other verbs read this machine's .ctr files, cgroups, journal or namespaces: a remote systemd
         * alone cannot answer them, and silently answering for the local machine would mislead. */
        if (arg_host && !(v->flags & VERB_REMOTE)) {
                log_error("'ctrctl %s' works on this machine only; -H/--host is for start, stop, restart, "
                          "reload, enable and disable.", v->name);
                goto usage;
        }

        n_args = (unsigned) (argc - optind);
        if (n_args < v->min_args) {
                log_error("Too few arguments for '%s'.", v->name);
                goto usage;
        }
        if (v->max_args != VERB_ANY && n_args > v->max_args) {
                log_error("Too many arguments for '%s'.", v->name);
                goto usage;
        }

        return optind;

usage:
        fprintf(stderr, "Usage: ctrctl %s %.*s\n", v->name, (int) (strchr(v->help, '\t') - v->help), v->help);
        return -EINVAL;
}

static int parse_argv(int argc, char *argv[]) {
        static const struct option options[] = {
                GLOBAL_OPTIONS,
                { "version", no_argument, NULL, ARG_VERSION },
                {}
        };
        int c;

        /* Stop at the verb: what follows is the verb's to parse. */
        while ((c = getopt_long(argc, argv, "+hH:", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("ctrctl %s\n", PACKAGE_VERSION);
                        return 0;
                default:
                        if (global_option(c, optarg))
                                break;
                        return -EINVAL;
                }

        return 1;
}

int main(int argc, char *argv[]) {
        const Verb *v;
        int r;

        log_set_program_name("ctrctl");
        log_set_target(LOG_TARGET_STDERR);
        log_parse_environment();
#ifndef CTRCTL_IMAGE_VERBS
        saved_argv = argv;
#endif

        r = parse_argv(argc, argv);
        if (r < 0)
                return CTRCTL_EXIT_USAGE;
        if (r == 0)
                return CTRCTL_EXIT_SUCCESS;

        if (optind >= argc) {
                log_error("Missing command. See 'ctrctl --help'.");
                return CTRCTL_EXIT_USAGE;
        }

        v = verb_find(argv[optind]);
        if (!v) {
                log_error("Unknown command '%s'. See 'ctrctl --help'.", argv[optind]);
                return CTRCTL_EXIT_USAGE;
        }

        r = v->function(argc - optind, argv + optind);
        if (r < 0)
                return CTRCTL_EXIT_FAILURE;
        return r;
}
