/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The journal of a container (logs.c), also used by "ctrctl status" for its last lines. */

#include <stdbool.h>
#include <stdint.h>

typedef enum OutputMode {
        OUTPUT_SHORT,
        OUTPUT_JSON,
        OUTPUT_CAT,
} OutputMode;

typedef struct JournalOptions {
        uint64_t lines;         /* the last N entries; UINT64_MAX = all */
        uint64_t since_usec;    /* CLOCK_REALTIME; 0 = from the start */
        OutputMode mode;
        bool follow;
        bool escape;            /* short and cat: control characters escaped (a terminal); JSON is escaped anyway */
        const char *indent;     /* prefix for each line (status), NULL = none */
} JournalOptions;

/* Entries of ctr@NAME.service and ctr-NAME.scope (their own processes, _SYSTEMD_UNIT=, and what systemd
 * says about them, UNIT= from PID 1), oldest first. Returns the number of entries shown, or -errno. */
int journal_show(const char *name, const JournalOptions *o);
