/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl convert's inputs: the Quadlet files named on the command line (a directory one level deep), their
 * drop-ins, the files beside them they refer to, each parsed into its assignments; which ctr name each
 * container gets, what .volume, .image and .pod files stand for, who owns each pod; and the lookups the
 * converter (quadlet-convert.h) asks them through. */

#include <stdbool.h>
#include <stddef.h>

#include "diagnostics.h"
#include "quadlet-convert.h"

#define QUADLET_FILE_MAX (4U * 1024U * 1024U)

typedef struct Assignment {
        char *section, *key, *value, *file;
        unsigned line;
} Assignment;

typedef struct QuadletFile {
        char *path, *dir, *base;        /* "/etc/containers/systemd/web.container", its directory, "web.container" */
        const char *suffix;             /* ".container", ".pod", … */
        char *name;                     /* .container, and a .pod no container names: the ctr name */
        char *prefix, *instance;        /* PREFIX@INSTANCE.container, an instance of a Quadlet template (or the
                                         * template with its DefaultInstance=): named PREFIX-INSTANCE */
        char *reference;                /* .volume: the volume name; .image, .build: the image; .pod: its owner (its
                                         * infra container when no container names it); .network: "" when it
                                         * is open to podman's other networks, else why not */
        Assignment *items;              /* main file, then drop-ins; |dropin| says which */
        size_t n_items;
        char **dropins;                 /* the drop-ins' paths, in order */
        QuadletRole role;
        struct QuadletFile *pod;        /* the .pod naming it in Pod= (once every file is read) */
        bool failed;
        bool sibling;                   /* read only for what the others refer to: not converted or reported */
        bool promoted;                  /* a .pod converted alone: its containers are converted with it */
} QuadletFile;

typedef struct Conversion {
        QuadletFile *files;
        size_t n_files;
        Diagnostics diag;
        bool failed, lost, printed;
} Conversion;


/* Reads |arg|, a Quadlet file or a directory of them, into c (errors logged; a file that does not parse is
 * reported in c->diag and marked failed). -EINVAL: |arg| is a file but not a Quadlet unit (a usage error). */
int conversion_add_argument(Conversion *c, const char *arg);
/* Reads what the files converted alone refer to from beside them (marked as siblings: never converted). */
int conversion_add_siblings(Conversion *c);
/* Names the containers and resolves the references between the files, once all are read; a file named as
 * one before it is reported and marked failed. */
int conversion_index(Conversion *c);
/* The lookups of c for the converter (valid as long as c). */
void conversion_lookup(Conversion *c, QuadletLookup *ret);
void conversion_done(Conversion *c);
