/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The [Container] key table: which keys exist, which of them guard isolation, and applying one assignment
 * to a Container. The loader (ctr-file.c) calls container_key_assign() for every assignment of a
 * [Container] section; the parsers of the values live in keys-*.c, grouped by what they configure.
 * Builds on container.h only: the keys know nothing about files or the search path. */

#include <stdbool.h>

#include "container.h"
#include "diagnostics.h"
#include "specifier.h"

/* Entries in one list key (Volume=, Environment=, Layer=, …): more is an error, not a slow generator. */
#define CTR_LIST_MAX 4096U

/* Whether |key| is a [Container] key, and whether a bad value for it rejects the whole file (a key that
 * would weaken isolation or lose data when misread) rather than being ignored with a warning. */
bool container_key_is_known(const char *key);
bool container_key_is_isolation(const char *key);
/* Whether every assignment of |key| adds an entry (Volume=, Environment=, …: an empty value resets the list),
 * rather than the last one winning; and whether %-specifiers are expanded in its value. */
bool container_key_is_list(const char *key);
bool container_key_takes_specifiers(const char *key);
/* The known keys, in name order: the |i|th, NULL past the last (for tests that cover every key). */
const char *container_key_nth(size_t i);
/* The known [Container] key nearest to an unknown |key| (a small edit distance, ignoring case), or NULL when
 * none is near enough to be worth suggesting. An unknown key rejects the file (see ctr.ctr(5)). */
const char *container_key_suggest(const char *key);

/* What the key parsers share while one container is loaded: the loader owns it. */
typedef struct KeyState {
        Container *c;
        Diagnostics *diag;
        SpecifierContext spec;
        bool failed;            /* an error was reported: the file is rejected */
        const char *root_key;   /* "Image" or "RootDirectory", whichever was set last, and where: for the final */
        const char *root_file;  /* checks */
        unsigned root_line;
        const char *users_file; /* where PrivateUsers= was last set, for container_keys_check() */
        unsigned users_line;
        const char *ports_file; /* where PublishPort= last added ports, and what it said: refused with */
        unsigned ports_line;    /* Network=container: */
        char *ports_value;      /* owned, freed by the loader */
        const char *join_file;  /* where JoinNamespaces= was last set */
        unsigned join_line;
        const char *sysctl_file; /* where Sysctl= last added one */
        unsigned sysctl_line;
} KeyState;

/* Applies one assignment of a [Container] section: expands specifiers (where the key takes them), parses
 * and stores the value, or reports it: a bad value is a warning; an unknown key, or a bad value of a key that
 * would weaken isolation or lose data, is an error (and s->failed is set). Returns < 0 only when out of memory. */
int container_key_assign(KeyState *s, const char *file, unsigned line, const char *key, const char *value);

/* The checks across keys, once every file of the container is read (so that a drop-in may still change
 * either key): PrivateUsers=pick, yes or a range with Image=host is an error at the PrivateUsers= line; a
 * Sysctl= of a namespace that is not the container's own (net.* with Network=host or container:, an IPC one
 * with JoinNamespaces=ipc) at the last Sysctl= line;
 * PublishPort= with Network=container:NAME (the ports are NAME's) at the PublishPort= line; JoinNamespaces=
 * without Network=container:, or =uts with Hostname=, at the JoinNamespaces= line (s->failed is set). Returns < 0 only when out of memory. */
int container_keys_check(KeyState *s);
