/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The progress line of `ctrctl image import` on a terminal (stderr): "layer 2/5 sha256:0123456789ab
 * 12.0M/48.1M 95.2M/s", drawn when a layer starts and redrawn a few times a second by a thread that reads how
 * far the importer is in the blob it reads (the fd's offset), so the importer itself never waits for the
 * terminal. Each layer's last line stays: "… 48.1M/48.1M 95.2M/s unpacked", or "… present" for a layer
 * the store had. */

#include "image-import.h"
#include "macro.h"

typedef struct ProgressDisplay ProgressDisplay;

int progress_display_new(ProgressDisplay **ret);
/* Stops the thread and clears the line. */
ProgressDisplay *progress_display_free(ProgressDisplay *d);
DEFINE_TRIVIAL_CLEANUP_FUNC(ProgressDisplay *, progress_display_free);

/* An ImportProgressFunction; |userdata| the ProgressDisplay. */
void progress_display_update(const ImportProgress *p, void *userdata);
