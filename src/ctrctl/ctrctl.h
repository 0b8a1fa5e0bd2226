/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl: one verb per file. A verb is an entry in the table in ctrctl.c and a function declared here. */

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit statuses, following systemctl where later verbs overlap with it (3 = not running for "status"). */
enum {
        CTRCTL_EXIT_SUCCESS = 0,
        CTRCTL_EXIT_FAILURE = 1,        /* the operation failed, or a file is invalid / not found / masked */
        CTRCTL_EXIT_USAGE = 2,          /* bad command line */
        CTRCTL_EXIT_NOT_RUNNING = 3,    /* status (as systemctl status), exec, shell, stats: not running */
        CTRCTL_EXIT_NO_SUCH = 4,        /* no such container: no .ctr (or masked), no runtime state */
        CTRCTL_EXIT_NO_HEALTH_CHECK = 5, /* healthcheck: the container has no HealthCmd= */
        CTRCTL_EXIT_NOT_TRANSLATED = 6, /* convert: a Quadlet key or value affecting isolation or data was not
                                         * translated (the file is written, with a comment saying what) */
};

/* A verb gets its own argv, argv[0] being the verb's name, and returns either a negative errno (already
 * logged; ctrctl exits with CTRCTL_EXIT_FAILURE) or the exit status. */
typedef int (*VerbFunction)(int argc, char *argv[]);

#define VERB_ANY UINT_MAX

typedef enum VerbFlags {
        VERB_REMOTE = 1 << 0,           /* talks only to systemd: takes -H/--host */
} VerbFlags;

typedef struct Verb {
        const char *name;
        unsigned min_args, max_args;    /* positional arguments after the verb's options, VERB_ANY = no limit */
        VerbFunction function;
        VerbFlags flags;
        const char *help;               /* "ARGS…\tWhat it does", one line in --help */
} Verb;

/* Global options (ctrctl.c); they may come before or after the verb. */
extern bool arg_no_pager;
extern bool arg_no_legend;
extern const char *arg_host;           /* -H/--host: [USER@]HOST[:PORT], for VERB_REMOTE verbs only */

/* Called for each of a verb's own options with getopt_long()'s return value and optarg. Returns < 0 for a
 * bad value (after printing why). */
typedef int (*VerbOptionHandler)(int c, const char *optarg);

/* Parses a verb's argv: its |options| and |shortopts| (either may be NULL) plus the global options, then
 * checks the number of positional arguments against the verb table. Returns the index of the first
 * positional argument (>= 1), 0 when --help was shown (exit 0), or -EINVAL after a usage message. Verb
 * options must use values below 0x100 or from VERB_OPTION_BASE on. */
#define VERB_OPTION_BASE 0x200
int verb_parse_options(int argc, char *argv[], const struct option *options, const char *shortopts,
                       VerbOptionHandler handler);
/* The same for a verb of another table (a verb's sub-verbs: "image import"), |argv[0]| the sub-verb. */
int verb_parse_options_for(const Verb *v, int argc, char *argv[], const struct option *options,
                           const char *shortopts, VerbOptionHandler handler);

/* The verbs, one file each. */
int verb_apply(int argc, char *argv[]);
int verb_auto_update(int argc, char *argv[]);
int verb_cat(int argc, char *argv[]);
int verb_convert(int argc, char *argv[]);
int verb_exec(int argc, char *argv[]);
int verb_hash(int argc, char *argv[]);
int verb_healthcheck(int argc, char *argv[]);
int verb_image(int argc, char *argv[]);           /* image import|list|inspect|tag|rm|prune: image.c */
int verb_inspect(int argc, char *argv[]);
int verb_list(int argc, char *argv[]);
int verb_logs(int argc, char *argv[]);
int verb_run(int argc, char *argv[]);
int verb_shell(int argc, char *argv[]);
int verb_stats(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_top(int argc, char *argv[]);
int verb_unit(int argc, char *argv[]);          /* start, stop, restart, reload, enable, disable */
int verb_security(int argc, char *argv[]);
int verb_validate(int argc, char *argv[]);
