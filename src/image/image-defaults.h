/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What an image's config supplies to a container that runs it, as `docker run` applies it: the defaults
 * of the settings its .ctr leaves unset. The .ctr's explicit settings always win. ctr-launch applies them
 * to the Container it is about to plan (the rest of the launcher then reads the Container as for any other
 * root); ctrctl applies them to show the effective settings and where each came from. Here, not in
 * src/runtime's plan: the plan may not see ImageConfig (src/image is above it); what the plan needs of the
 * image (its Env, its Volumes, its mstack directory) it gets as plain data (PlanImage). Logs nothing. */

#include "ctr-file.h"
#include "image.h"

typedef enum SettingOrigin {
        SETTING_DEFAULT,        /* ctr's own default (root, the home directory, SIGTERM, /bin/sh) */
        SETTING_CTR,            /* the .ctr file */
        SETTING_IMAGE,          /* the image's config */
        _SETTING_ORIGIN_MAX,
} SettingOrigin;

/* "default", ".ctr", "image" */
const char *setting_origin_to_string(SettingOrigin o) _const_;

typedef struct ImageDefaults {
        char **entrypoint;              /* the effective entrypoint and command (the workload's command line is */
        char **command;                 /* both, in this order; c->exec after image_defaults_apply()) */
        SettingOrigin entrypoint_origin, command_origin;
        SettingOrigin user_origin, working_directory_origin, stop_signal_origin;
        SettingOrigin health_origin;    /* of the health check's command (SETTING_DEFAULT: none) */
        bool make_working_directory;    /* the image's WorkingDir: created when missing, as Docker does */
        char **environment;             /* the image's Env (its valid assignments): below EnvironmentFile= and
                                         * Environment=, above ctr's defaults (PATH…) */
        char **volumes;                 /* the image's Volumes that apply: normalised, sorted, none that a
                                         * Volume= or Tmpfs= of the .ctr replaces */
} ImageDefaults;

void image_defaults_done(ImageDefaults *d);

/* Applies |config| (NULL for Image=host and RootDirectory=: only Entrypoint= and Exec= are combined) to
 * |c|: c->exec becomes the whole command line (entrypoint + command; NULL = ctr's default, /bin/sh, which
 * only a container without an image has) and c->entrypoint is consumed; c->user, c->group,
 * c->working_directory and c->stop_signal get the image's where the .ctr set none; so does the health check
 * (the image's Healthcheck, unless the .ctr says HealthCmd=), each of its durations and its retries where the
 * .ctr set none. -ENOEXEC when an image
 * container has no command at all, -EINVAL for a config value ctr cannot use (a bad User, StopSignal,
 * Volumes path or Healthcheck), -EPERM for a volume on /proc or /sys; *ret_error then says why (may be NULL). |ret| is
 * filled on success. */
int image_defaults_apply(Container *c, const ImageConfig *config, ImageDefaults *ret, char **ret_error);
