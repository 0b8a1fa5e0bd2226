/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The [Container] key table and value parsers. Internal to the parser (ctr-file.c); everything else uses
 * ctr-file.h. */

#include <stdbool.h>

#include "ctr-file.h"
#include "specifier.h"

/* Entries in one list key (Volume=, Environment=, Layer=, …): more is an error, not a slow generator. */
#define CTR_LIST_MAX 4096U

/* What the key parsers share while one container is loaded. */
typedef struct KeyState {
        Container *c;
        Diagnostics *diag;
        SpecifierContext spec;
        bool failed;            /* an error was reported: the file is rejected */
        const char *root_key;   /* "Image" or "RootDirectory", whichever was set last, and where: for the final */
        const char *root_file;  /* checks */
        unsigned root_line;
} KeyState;

/* Applies one assignment of a [Container] section: expands specifiers (where the key takes them), parses
 * and stores the value, or reports it: a bad value is a warning; an unknown key, or a bad value of a key that
 * would weaken isolation or lose data, is an error (and s->failed is set). Returns < 0 only when out of memory. */
int container_key_assign(KeyState *s, const char *file, unsigned line, const char *key, const char *value);

void volume_free_many(Volume *v, size_t n);
void tmpfs_free_many(Tmpfs *t, size_t n);
void port_mapping_free_many(PortMapping *p, size_t n);
