/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pull= at start: before the image is resolved, ctr-launch pulls Image= from its registry when the policy
 * says so (missing: the store does not have it; always and newer: every start). The pull runs in another
 * process, `ctrctl image pull --progress-fd=3 REF` (run as libexec's ctrctl-image, which `ctrctl image`
 * hands its verbs to; $CTR_CTRCTL overrides the path with either binary): the launcher itself
 * never links libcurl or OpenSSL, so a start that pulls nothing loads neither. Its progress lines
 * (image-pull.c in src/ctrctl) become systemd's STATUS=Pulling NAME: … and, while bytes arrive,
 * EXTEND_TIMEOUT_USEC= (the launcher is the service's main process: NotifyAccess=main would drop the
 * pull's own messages), so a slow pull does not hit TimeoutStartSec= and a stalled one still does. */

#include <stdbool.h>
#include <stdint.h>

#include "ctr-file.h"
#include "time-util.h"

/* Each extension gives the pull this long past the last byte that arrived. */
#define PULL_EXTEND_USEC (30 * USEC_PER_SEC)
/* No byte for this long: STATUS= says the pull is stalled (and again every such period). */
#define PULL_STALL_USEC (5 * USEC_PER_SEC)

/* What the launcher knows of a running pull, fed its progress lines. */
typedef struct PullWatch {
        char *name;                     /* from "resolved": the normalised reference */
        unsigned layers_done, n_layers;
        uint64_t bytes_done, bytes_total;
        uint64_t last_growth;             /* when bytes_done last grew (or the pull started) */
        uint64_t last_extend;             /* when EXTEND_TIMEOUT_USEC= was last sent, 0: never */
        uint64_t last_status;
        unsigned stall_reported;        /* stall periods reported since the last growth */
        char *pulled;                   /* from "pulled": the manifest digest */
} PullWatch;

void pull_watch_done(PullWatch *w);

/* Takes one progress line (without its newline) at time |now|. *ret_message: what to send systemd now
 * ("EXTEND_TIMEOUT_USEC=…\nSTATUS=…", or just STATUS=), NULL when nothing. A line that does not parse is
 * ignored. Pure: unit-tested. */
int pull_watch_line(PullWatch *w, const char *line, uint64_t now, char **ret_message);
/* No line arrived until |now|: the stall message, once per PULL_STALL_USEC without a byte, or NULL. */
int pull_watch_idle(PullWatch *w, uint64_t now, char **ret_message);

/* Pulls c's image below |state| when c->pull says so. Returns 0 when the container may go on (a Pull=newer
 * that failed with the image present: warned, the local image kept); -ENOENT when the pull failed and the
 * image is missing (logged: launch_image_resolve() then fails with how to get it); another -errno when the
 * start fails (logged; ctr-launch exits EXIT_SETUP). */
int launch_pull(const Container *c, const char *state);
