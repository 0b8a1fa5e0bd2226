/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pulling an image from a registry into the store (registry-client.h for the wire, image-store.h for the
 * store): the manifest (an index resolved to this machine's platform, or to |platform|), the config first,
 * so that layers the store has (by diff_id, or by compressed digest) are not downloaded at all; the others
 * downloaded |parallel| at a time, each hashed as it arrives, then unpacked; the reference written last,
 * as an import does (a killed pull leaves nothing visible). Two pulls of the same image at once download
 * each layer once: a layer's download is done under STATE/images/pull/HEX.lock (HEX: the blob's digest),
 * and whoever waited for it finds the layer present. The holder writes the bytes it has received into
 * that file; a pull waiting for it reports them as its own PULL_PHASE_PROGRESS, so that a start waiting
 * on another's download still extends its timeout while bytes flow there. Logs nothing; a failure comes
 * with a sentence. */

#include <stdbool.h>
#include <stdint.h>

#include "image-store.h"
#include "registry-client.h"

typedef enum PullPhase {
        PULL_PHASE_RESOLVED,            /* manifest and config read: n_layers, bytes_total known */
        PULL_PHASE_PROGRESS,            /* bytes flowing (a few times a second) */
        PULL_PHASE_WAITING,             /* for another pull that downloads layer |layer| */
        PULL_PHASE_LAYER_DONE,          /* layer |layer| present: downloaded and unpacked, or found */
} PullPhase;

typedef struct PullProgress {
        PullPhase phase;
        const char *name;               /* the normalised reference */
        unsigned layer, n_layers;       /* |layer| from 1 for the per-layer phases, else 0 */
        unsigned layers_done;           /* present so far, of n_layers */
        const char *digest;             /* the layer's blob digest (per-layer phases) */
        uint64_t layer_size;            /* its compressed size */
        bool downloaded;                /* LAYER_DONE: false when the store had it */
        uint64_t layer_usec;            /* LAYER_DONE, downloaded: from its first byte asked to unpacked */
        uint64_t bytes_done, bytes_total;       /* compressed bytes of what needs downloading */
} PullProgress;

/* Called in the caller's thread, never from an unpacker. ctr-launch's start-time pull (issue 13, later)
 * is meant to send systemd STATUS=Pulling NAME: layers_done/n_layers layers, bytes_done/bytes_total and
 * EXTEND_TIMEOUT_USEC= from PULL_PHASE_PROGRESS while bytes_done grows (a stall stops the extensions, so
 * TimeoutStartSec= still ends it). */
typedef void (*PullProgressFunction)(const PullProgress *p, void *userdata);

typedef struct ImagePullOptions {
        const char *platform;           /* "linux/ARCH[/VARIANT]", NULL: this machine's */
        RegistryTlsPolicy tls;          /* 0: TLS unless the registry is configured insecure */
        const char *auth_file;          /* NULL: registry_auth_file() */
        unsigned parallel;              /* downloads at once, 0: PULL_PARALLEL_DEFAULT */
        const LayerLimits *limits;      /* NULL: LAYER_LIMITS_DEFAULT */
        PullProgressFunction progress;  /* may be NULL */
        void *userdata;
} ImagePullOptions;

#define PULL_PARALLEL_DEFAULT 3U

/* Pulls |reference| (as image_reference_normalize() takes it; "NAME@sha256:…" without a tag is kept as
 * NAME:sha256-HEX so that prune keeps it; when that digest is an index's, the file holds the digest of the
 * manifest picked from it, and the store keeps that manifest, not the index: image_store_resolve() of
 * NAME@sha256:INDEX finds it there and says so in Image.index_digest) and returns the image as image_store_resolve() would (|ret| may
 * be NULL). Errors: -EINVAL a reference or platform that does not parse, -ENOENT no such repository, tag
 * or blob, -EACCES authentication refused or required, -ENOTSUP no image for the platform, or a media type
 * the store does not take, -EBADMSG a corrupt blob or document (named), -EIO a transfer that failed;
 * the unpacker's (layer-unpack.h). */
int image_pull(ImageStore *s, const char *reference, const ImagePullOptions *o, Image **ret,
               char **ret_error);
