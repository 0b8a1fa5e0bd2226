/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl image VERB: the sub-verbs (image.c: the table, import, tag; image-list.c: list, inspect;
 * image-rm.c: rm, prune) and what they share. */

#include <stdbool.h>

#include "ctrctl.h"
#include "image-store.h"

int image_verb_import(int argc, char *argv[]);
int image_verb_inspect(int argc, char *argv[]);
int image_verb_list(int argc, char *argv[]);
int image_verb_login(int argc, char *argv[]);
int image_verb_logout(int argc, char *argv[]);
int image_verb_prune(int argc, char *argv[]);
int image_verb_pull(int argc, char *argv[]);
int image_verb_rm(int argc, char *argv[]);
int image_verb_tag(int argc, char *argv[]);

/* The sub-verb |name|'s table entry ("import"), NULL when there is none. */
const Verb *image_verb_find(const char *name);

/* What every sub-verb starts with: its options parsed (verb_parse_options_for() with its table entry) and
 * the store opened, created with |create|; without, a missing store is an empty one (*ret_store = NULL),
 * which is "no such image" when |need_store|. Returns the index of the first positional argument, or 0
 * when the verb is done (help shown, or an error logged) with its exit status in *ret_status. */
int image_verb_begin(int argc, char *argv[], const struct option *options, const char *shortopts,
                     VerbOptionHandler handler, bool create, bool need_store, ImageStore **ret_store,
                     int *ret_status);

/* Pulls |reference| into |s| as `ctrctl image pull` does (image-pull.c): progress on a terminal unless
 * |quiet|, and to --progress-fd=; the failure logged. Returns the exit status; *ret (may be NULL) the image. */
int image_pull_show(ImageStore *s, const char *reference, bool quiet, Image **ret);

/* Logs a failed image_store_resolve() of |reference| and returns the exit status: no such image
 * (CTRCTL_EXIT_NO_SUCH) or failure. */
int image_resolve_failed(int r, const char *reference, const char *error);
