/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* An image as the rest of ctr sees it: what the store resolved a reference to (docs/images.md). The store
 * (image-store.h) fills it; the plan and the launcher read it; ctrctl shows it. Pure data: no fds, nothing
 * that needs the store open. */

#include <stdint.h>

#include "digest.h"
#include "macro.h"

/* The parts of an OCI image config ("config" object of application/vnd.oci.image.config.v1+json, the same
 * fields in Docker's) that ctr applies or shows. NULL / NULL-terminated lists when the image has none. */
/* The config's Healthcheck as Docker writes it: Test ["NONE"], ["CMD", ARG…] or ["CMD-SHELL", COMMAND]
 * (NULL: none given, [] too: inherit), durations in nanoseconds and a count, 0 for "not given". */
typedef struct ImageHealthcheck {
        char **test;
        uint64_t interval_nsec;
        uint64_t timeout_nsec;
        uint64_t start_period_nsec;
        unsigned retries;
} ImageHealthcheck;

typedef struct ImageConfig {
        char **entrypoint;      /* Entrypoint */
        char **cmd;             /* Cmd */
        char **env;             /* Env, "NAME=VALUE" */
        char *user;             /* User: "name", "uid", "uid:gid", "name:group"; NULL or "" = root */
        char *working_dir;      /* WorkingDir, absolute; NULL = "/" */
        char *stop_signal;      /* StopSignal, as written ("SIGQUIT", "3") */
        char **volumes;         /* the keys of Volumes: absolute paths inside the container */
        char **exposed_ports;   /* the keys of ExposedPorts: "80/tcp" (shown, not applied) */
        char **labels;          /* Labels as "KEY=VALUE" (shown, not applied) */
        ImageHealthcheck healthcheck; /* Healthcheck (Docker's; buildah writes it with --format docker) */
        char *os;               /* the top-level "os" and "architecture" of the config */
        char *architecture;
        uint64_t created_usec;  /* "created", 0 when absent or unparsable */
} ImageConfig;

typedef struct Image {
        char *name;                             /* the reference it was resolved from, normalised
                                                 * (image_reference_normalize()); NULL when looked up by digest */
        char manifest_digest[DIGEST_STRING_MAX];/* what the container's writable layer records */
        char index_digest[DIGEST_STRING_MAX];   /* resolved from an index's digest (NAME@sha256:INDEX) that a
                                                 * pull followed to manifest_digest; "" otherwise */
        char config_digest[DIGEST_STRING_MAX];
        char **diff_ids;                        /* "sha256:…", bottom layer first, n_layers of them */
        size_t n_layers;
        uint64_t size;                          /* bytes of the unpacked layers (as the store recorded them) */
        ImageConfig config;
} Image;

void image_config_done(ImageConfig *c);
Image *image_free(Image *i);
DEFINE_TRIVIAL_CLEANUP_FUNC(Image *, image_free);
#define _cleanup_image_free_ _cleanup_(image_freep)
