/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl run: the .ctr file of an ad-hoc container (run-ctr.c). */

#include <stdbool.h>

/* The options that become keys of the .ctr. */
typedef struct RunCtr {
        bool rm;                /* --rm: Ephemeral=yes */
        char **volumes;         /* --volume: Volume= */
        char **env;             /* --env: Environment= */
        char **publish;         /* --publish: PublishPort= (and Network=bridge without --network) */
        const char *memory;     /* --memory: MemoryMax= */
        const char *user;       /* --user: User= */
        const char *workdir;    /* --workdir: WorkingDirectory= */
        const char *network;    /* --network: Network= */
} RunCtr;

/* A value for one line of the .ctr: logs and returns -EINVAL when it holds a newline or ends in a backslash
 * (a continuation); |what| names it in the message. */
int run_ctr_check_value(const char *what, const char *v);

/* The text of the .ctr that runs |cmd| (empty: the image's own command) in |image| ("host" or an image
 * reference). */
int run_ctr_format(const RunCtr *o, const char *image, char **cmd, char **ret);

/* "run-" and 8 random hex digits. */
int run_ctr_generate_name(char **ret);

/* Writes RUNTIME_DIR/|name|.ctr (failing when it exists) and checks it with the parser, printing what it
 * says; an invalid file is removed again. Logs. Returns the path in |ret_path|. */
int run_ctr_write(const RunCtr *o, const char *name, const char *image, char **cmd, char **ret_path);
