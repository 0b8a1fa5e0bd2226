/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctrctl apply, on paper: the desired containers read from the SOURCEs and validated, the files of the
 * config directory (the first directory of the search path: /etc/ctr, or CTR_CONFIG_PATH's first) compared
 * with them, and what each container's files need. apply.c writes it out and reports it.
 *
 * apply owns, for every container it is given, TARGET/NAME.ctr and TARGET/NAME.ctr.d/ *.conf: they become
 * exactly the SOURCE's (a drop-in there that the SOURCE does not have is removed); with --prune, also those
 * of containers in TARGET that no SOURCE describes. Files in the lower directories of the search path are
 * never touched, but they count in the validation and the effective hash, as they will once installed. */

#include <stdbool.h>
#include <stddef.h>

#include "diagnostics.h"

typedef enum FileAction {
        FILE_UNCHANGED,
        FILE_CREATE,
        FILE_UPDATE,
        FILE_REMOVE,
        _FILE_ACTION_MAX,
} FileAction;

typedef enum ApplyState {
        APPLY_UNCHANGED,
        APPLY_CREATED,
        APPLY_UPDATED,
        APPLY_REMOVED,
        APPLY_RESTARTED,        /* running, and restarted: its effective configuration changed */
        APPLY_STARTED,          /* files unchanged, not running, started (--start) */
        _APPLY_STATE_MAX,
} ApplyState;

/* What apply asks systemd to do with ctr@NAME.service (apply-units.c). */
typedef enum ApplyJob {
        APPLY_JOB_NONE,
        APPLY_JOB_START,
        APPLY_JOB_RESTART,
        APPLY_JOB_STOP,
        _APPLY_JOB_MAX,
} ApplyJob;

typedef struct FileChange {
        char *name;             /* relative to TARGET: "web.ctr" or "web.ctr.d/10-limits.conf" */
        FileAction action;
        char *old;              /* TARGET's contents (NULL: none, or not a regular file) */
        size_t old_size;
        char *new;              /* the SOURCE's contents (NULL for FILE_REMOVE) */
        size_t new_size;
} FileChange;

typedef struct ApplyContainer {
        char *name;
        ApplyState state;
        FileChange *files;
        size_t n_files;
        char hash[65];          /* the effective hash once applied ("" when removed) */
        char previous_hash[65]; /* the effective hash of what is installed now ("" when none or invalid) */
        int running;            /* before apply: 1 its unit runs (active, activating, reloading), 0 not, -1
                                 * not known (systemd not asked) */
        char running_hash[65];  /* the effective hash its running launcher started with ("" not known) */
        ApplyJob job;           /* what apply does (or, with --check, would do) to its unit */
        char *result;           /* that job's result ("done", "failed", …); NULL when none ran */
        char *error;            /* why the job did not succeed, as systemctl says it */
} ApplyContainer;

typedef struct ApplyPlan {
        char *target;           /* the config directory */
        char **lower;           /* the rest of the search path */
        ApplyContainer *containers;
        size_t n_containers;
} ApplyPlan;

void apply_plan_done(ApplyPlan *p);

const char *file_action_to_string(FileAction a) _const_;
const char *apply_state_to_string(ApplyState s) _const_;
const char *apply_job_to_string(ApplyJob j) _const_;

/* Reads and validates every container of |sources| (each a directory holding NAME.ctr files and NAME.ctr.d/
 * directories, or one NAME.ctr file with the drop-ins of NAME.ctr.d beside it) into |p|: its files'
 * contents and its effective hash. Everything wrong with a SOURCE goes into |diag| as an error with its file
 * (and line, key, value); -EBADMSG then, and |p| is not to be applied. TARGET is not read. */
int apply_plan_build(char *const *sources, ApplyPlan *p, Diagnostics *diag);

/* Compares |p| with what TARGET holds now (under apply's lock): each file's action, each container's state
 * and previous hash; with |prune|, adds the containers TARGET holds that no SOURCE names, as removed. A
 * container masked in TARGET (NAME.ctr a link to /dev/null) is an error in |diag| (-EBADMSG): apply does not
 * unmask what an administrator masked. */
int apply_plan_compare(ApplyPlan *p, bool prune, Diagnostics *diag);

/* The container |name| of |p|, NULL when it has none. */
ApplyContainer *apply_plan_find(ApplyPlan *p, const char *name);

/* Whether any file of |a| is to be written or removed. */
bool apply_container_changes(const ApplyContainer *a);
/* Whether any file is to be written or removed. */
bool apply_plan_changes(const ApplyPlan *p);
/* Whether anything is to be written, removed, started, restarted or stopped. */
bool apply_plan_acts(const ApplyPlan *p);
