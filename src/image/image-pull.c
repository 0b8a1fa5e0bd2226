/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* image_pull() (image-pull.h). Each layer is streamed: the registry client sends its bytes, as they
 * arrive and hashed on the way, into a socket whose other end an unpacker thread reads with
 * image_store_put_layer() (decompressed, unpacked and its diff_id checked on the stream, in a temporary
 * directory of its own), so nothing is written twice and a layer is unpacked while it downloads. The
 * compressed digest is known to be right only at the end: until then the layer is only in the unpacker's
 * temporary directory or, once its diff_id matched, in the store under that diff_id, which is what the
 * image's config names (a blob that is corrupt yet unpacks to the right tree cannot harm); the reference
 * is written only after every blob verified. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image-pull.h"
#include "image-ref.h"
#include "log.h"
#include "oci-json.h"
#include "parse-util.h"
#include "registry-client.h"
#include "registry-platform.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

#define PULL_LOCK_DIR "pull"
/* how often a pull waiting for another's layer looks at that pull's progress and at the lock */
#define LOCK_WAIT_POLL_MSEC 200

typedef struct PullLayer {
        struct Pull *pull;
        const OciDescriptor *desc;
        const char *diff_id;
        unsigned index;                 /* from 1 */
        int lock_fd;                    /* PULL_LOCK_DIR/HEX.lock, held while it is downloaded */
        bool present;
        /* its unpacker thread, reading |read_fd| */
        pthread_t thread;
        bool thread_running;
        int read_fd;
        uint64_t start_usec;            /* CLOCK_MONOTONIC, when its download started */
        ImageStoreWork *work;           /* its own temporary directory (made by the main thread) */
        int unpack_result;
        char *unpack_error;
} PullLayer;

typedef struct Pull {
        ImageStore *store;
        ImageStoreWork *work;
        RegistryClient *client;
        const ImagePullOptions *options;
        char *name;                     /* NAME:TAG as committed */
        PullLayer *layers;
        size_t n_layers;
        unsigned layers_done;
        RegistryBlob *blobs;            /* of the round running */
        size_t n_blobs;
        uint64_t bytes_done, bytes_total;
        uint64_t waited_bytes;          /* of the layer another pull downloads while this one waits */
        int lock_dir_fd;
        char **error;
} Pull;

/* a sentence in *p->error (when the caller wants one), and |r| */
#define pull_fail(p, r, ...) ((void) strprintf_replace((p)->error, __VA_ARGS__), (r))

static void pull_progress(Pull *p, PullPhase phase, const PullLayer *l, bool downloaded) {
        uint64_t in_flight = 0;

        if (!p->options->progress)
                return;
        for (size_t i = 0; i < p->n_blobs; i++)
                in_flight += p->blobs[i].received;
        p->options->progress(&(PullProgress) {
                .phase = phase,
                .name = p->name,
                .layer = l ? l->index : 0,
                .n_layers = (unsigned) p->n_layers,
                .layers_done = p->layers_done,
                .digest = l ? l->desc->digest : NULL,
                .layer_size = l ? l->desc->size : 0,
                .downloaded = downloaded,
                .layer_usec = l && downloaded ? now_monotonic_usec() - l->start_usec : 0,
                .bytes_done = p->bytes_done + in_flight + p->waited_bytes,
                .bytes_total = p->bytes_total,
        }, p->options->userdata);
}

/* The bytes of a layer received so far are written into its lock file while it downloads, for the pulls
 * that wait for it (layer_wait()): one fixed-width number at offset 0, so a reader sees either the old or
 * the new one, never a mix of lengths. */
#define LOCK_PROGRESS_WIDTH 20

static void lock_progress_write(int lock_fd, uint64_t received) {
        char buf[LOCK_PROGRESS_WIDTH + 1];

        (void) snprintf(buf, sizeof(buf), "%0*" PRIu64 "\n", LOCK_PROGRESS_WIDTH - 1, received);
        /* progress for a waiting pull to show, nothing more: a failure only leaves it an older figure */
        if (pwrite(lock_fd, buf, LOCK_PROGRESS_WIDTH, 0) < 0)
                log_debug_errno(errno, "Failed to record the pull's progress: %m");
}

static uint64_t lock_progress_read(int lock_fd) {
        char buf[LOCK_PROGRESS_WIDTH + 1];
        ssize_t n = pread(lock_fd, buf, LOCK_PROGRESS_WIDTH, 0);
        const char *digits;
        uint64_t u;

        if (n != LOCK_PROGRESS_WIDTH)
                return 0;
        buf[LOCK_PROGRESS_WIDTH - 1] = '\0';
        digits = buf + strspn(buf, "0");      /* the padding: safe_atou64() takes no leading zero */
        if (*digits == '\0')
                return 0;
        return safe_atou64(digits, &u) < 0 ? 0 : u;
}

static void transfer_progress(void *userdata) {
        Pull *p = userdata;

        for (size_t i = 0; i < p->n_blobs; i++) {
                PullLayer *l = p->blobs[i].userdata;

                if (l->lock_fd >= 0)
                        lock_progress_write(l->lock_fd, p->blobs[i].received);
        }
        pull_progress(p, PULL_PHASE_PROGRESS, NULL, false);
}

/* Whether the store has layer |l| (by diff_id, or its blob recorded as unpacked to that diff_id). */
static bool layer_present(Pull *p, const PullLayer *l) {
        char known[DIGEST_STRING_MAX];

        if (image_store_has_layer(p->store, l->diff_id))
                return true;
        return image_store_lookup_compressed(p->store, l->desc->digest, known) >= 0 &&
               streq(known, l->diff_id);
}

static void layer_mark_done(Pull *p, PullLayer *l, bool downloaded) {
        l->present = true;
        p->layers_done++;
        pull_progress(p, PULL_PHASE_LAYER_DONE, l, downloaded);
}

/* PULL_LOCK_DIR/HEX.lock of |l|, opened (made when missing) */
static int layer_lock_open(Pull *p, PullLayer *l) {
        _cleanup_free_ char *name = strprintf("%s.lock", digest_hex(l->desc->digest));
        int fd;

        if (!name)
                return -ENOMEM;
        fd = openat(p->lock_dir_fd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        return fd < 0 ? negative_errno() : fd;
}

/* Takes |l|'s download lock: 1 taken, 0 another pull holds it (layer_wait() waits for it). */
static int layer_lock(Pull *p, PullLayer *l) {
        _cleanup_close_ int fd = layer_lock_open(p, l);

        if (fd < 0)
                return fd;
        while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno == EWOULDBLOCK)
                        return 0;
                if (errno != EINTR)
                        return negative_errno();
        }
        l->lock_fd = TAKE_FD(fd);
        return 1;
}

/* Waits until another pull is done with |l|'s lock, then takes it (1). Meanwhile the bytes that pull
 * received for the layer, read from the lock file a few times a second, count as this pull's progress:
 * a start waiting for it (ctr-launch's Pull=) keeps extending its timeout while they grow, and stops
 * when they stop. */
static int layer_wait(Pull *p, PullLayer *l) {
        _cleanup_close_ int fd = layer_lock_open(p, l);

        if (fd < 0)
                return fd;
        p->waited_bytes = 0;
        for (;;) {
                uint64_t other;

                if (flock(fd, LOCK_EX | LOCK_NB) >= 0)
                        break;
                if (errno != EWOULDBLOCK && errno != EINTR)
                        return negative_errno();
                other = MIN(lock_progress_read(fd), l->desc->size);
                if (other > p->waited_bytes) {
                        p->waited_bytes = other;
                        pull_progress(p, PULL_PHASE_PROGRESS, NULL, false);
                }
                (void) poll(NULL, 0, LOCK_WAIT_POLL_MSEC);
        }
        p->waited_bytes = 0;
        l->lock_fd = TAKE_FD(fd);
        return 1;
}

/* Once the layer is in place nobody needs its lock file: whoever opens it later finds the layer present
 * after taking the lock, whichever inode that lock is on. */
static void layer_unlock(Pull *p, PullLayer *l, bool remove) {
        if (l->lock_fd < 0)
                return;
        if (remove) {
                _cleanup_free_ char *name = strprintf("%s.lock", digest_hex(l->desc->digest));

                if (name)
                        (void) unlinkat(p->lock_dir_fd, name, 0);
        }
        l->lock_fd = safe_close(l->lock_fd);
}

/* The unpacker: the layer from |read_fd| into the store, in its own temporary directory (an
 * ImageStoreWork is not shared between threads). Closing |read_fd| tells the sender it is done. */
static void *unpacker(void *userdata) {
        PullLayer *l = userdata;
        char got[DIGEST_STRING_MAX];

        l->unpack_result = image_store_put_layer(l->work, l->read_fd, NULL, UINT64_MAX, l->diff_id,
                                                 l->pull->options->limits, got, NULL, &l->unpack_error);
        l->read_fd = safe_close(l->read_fd);
        return NULL;
}

static int unpacker_join(PullLayer *l, RegistryBlob *b) {
        b->fd = safe_close(b->fd);      /* the end of the stream, if the download did not get there */
        if (l->thread_running) {
                (void) pthread_join(l->thread, NULL);
                l->thread_running = false;
        }
        l->work = image_store_work_end(l->work);
        return l->unpack_result;
}

/* A temporary directory of the store. Begun by the threads of one process one at a time, and again when
 * another process's cleaning took the new directory for a leftover in the moment before it was locked. */
static int work_begin(ImageStore *s, ImageStoreWork **ret) {
        int r;

        for (unsigned attempt = 0;; attempt++) {
                r = image_store_work_begin(s, ret);
                if (r != -ENOENT || attempt >= 3)
                        return r;
        }
}

static int blob_start(RegistryBlob *b, void *userdata) {
        Pull *p = userdata;
        PullLayer *l = b->userdata;
        int sv[2], r;

        r = work_begin(p->store, &l->work);
        if (r < 0)
                return pull_fail(p, r, "Cannot prepare the store at %s: %s", image_store_path(p->store),
                                 strerror(-r));
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
                return pull_fail(p, negative_errno(), "Cannot stream layer %s: %m", b->digest);
        /* room for the network to run ahead of the unpacker a little */
        (void) setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &(int) { 1 << 20 }, sizeof(int));
        b->fd = sv[0];
        l->read_fd = sv[1];
        r = pthread_create(&l->thread, NULL, unpacker, l);
        if (r != 0) {
                b->fd = safe_close(b->fd);
                l->read_fd = safe_close(l->read_fd);
                return pull_fail(p, -r, "Cannot start unpacking layer %s: %s", b->digest, strerror(r));
        }
        l->thread_running = true;
        l->start_usec = now_monotonic_usec();
        lock_progress_write(l->lock_fd, 0);   /* not what a pull that died with the lock had written */
        return 0;
}

static int blob_done(RegistryBlob *b, void *userdata) {
        Pull *p = userdata;
        PullLayer *l = b->userdata;
        char got[DIGEST_STRING_MAX];
        int r;

        r = unpacker_join(l, b);
        if (r < 0) {
                /* the store names the blob it was given, and the unpacker got a stream: name it here */
                const char *why = l->unpack_error ? strstr(l->unpack_error, " refused: ") : NULL;

                if (why)
                        return pull_fail(p, r, "Layer %s (blob %s) refused: %s", l->diff_id, b->digest,
                                         why + strlen(" refused: "));
                if (p->error) {
                        free(*p->error);
                        *p->error = TAKE_PTR(l->unpack_error);
                }
                return r;
        }
        /* the blob verified: recorded as unpacked to its diff_id (the layer is present: nothing is read) */
        (void) image_store_put_layer(p->work, -EBADF, b->digest, b->size, l->diff_id, p->options->limits, got,
                                     NULL, NULL);
        p->bytes_done += b->size;
        b->received = 0;
        layer_unlock(p, l, true);
        layer_mark_done(p, l, true);
        return 0;
}

/* Downloads and unpacks the layers whose locks this pull holds. */
static int pull_round(Pull *p, PullLayer **todo, size_t n) {
        int r;

        p->blobs = calloc(n + 1, sizeof(RegistryBlob));
        if (!p->blobs)
                return -ENOMEM;
        p->n_blobs = n;
        for (size_t i = 0; i < n; i++)
                p->blobs[i] = (RegistryBlob) { .digest = todo[i]->desc->digest, .size = todo[i]->desc->size,
                                               .fd = -EBADF, .userdata = todo[i] };
        r = registry_get_blobs(p->client, p->blobs, n, p->options->parallel ?: PULL_PARALLEL_DEFAULT,
                               blob_start, blob_done, transfer_progress, p, p->error);
        /* after a failure: the unpackers still running see the stream end and give up */
        for (size_t i = 0; i < n; i++) {
                (void) unpacker_join(todo[i], &p->blobs[i]);
                todo[i]->unpack_error = mfree(todo[i]->unpack_error);
        }
        p->blobs = mfree(p->blobs);
        p->n_blobs = 0;
        return r;
}

/* Every layer present: the ones another pull is fetching waited for, the others downloaded. */
static int pull_layers(Pull *p) {
        _cleanup_free_ PullLayer **todo = calloc(p->n_layers + 1, sizeof(PullLayer *));
        int r;

        if (!todo)
                return -ENOMEM;
        for (;;) {
                size_t n = 0;
                PullLayer *waiting = NULL;

                for (size_t i = 0; i < p->n_layers; i++) {
                        PullLayer *l = &p->layers[i];

                        if (l->present)
                                continue;
                        r = layer_lock(p, l);
                        if (r < 0)
                                return pull_fail(p, r, "Cannot lock layer %s for download: %s",
                                                 l->desc->digest, strerror(-r));
                        if (r == 0) {
                                waiting = waiting ?: l;
                                continue;
                        }
                        if (layer_present(p, l)) {     /* made by a pull that held the lock before us */
                                layer_unlock(p, l, false);
                                p->bytes_done += l->desc->size;   /* it was counted as to download */
                                layer_mark_done(p, l, false);
                                continue;
                        }
                        todo[n++] = l;
                }
                if (n > 0) {
                        r = pull_round(p, todo, n);
                        for (size_t i = 0; i < n; i++)
                                layer_unlock(p, todo[i], false);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (!waiting)
                        return 0;
                /* only layers others are downloading: wait for one, then look again */
                pull_progress(p, PULL_PHASE_WAITING, waiting, false);
                r = layer_wait(p, waiting);
                if (r < 0)
                        return pull_fail(p, r, "Cannot lock layer %s for download: %s", waiting->desc->digest,
                                         strerror(-r));
                layer_unlock(p, waiting, false);
        }
}

/* NAME:TAG to commit under; a digest without a tag as NAME:sha256-HEX */
static int pull_name(const ImageReference *ref, char **ret) {
        _cleanup_free_ char *tag = NULL;

        if (ref->tag)
                return image_reference_format(ref->name, ref->tag, NULL, ret);
        tag = strprintf("sha256-%s", digest_hex(ref->digest));
        if (!tag)
                return -ENOMEM;
        return image_reference_format(ref->name, tag, NULL, ret);
}

static int pull_image(Pull *p, const ImageReference *ref, Image **ret) {
        _cleanup_free_ char *json = NULL, *media_type = NULL, *config_json = NULL;
        _cleanup_(oci_manifest_done) OciManifest m = {};
        _cleanup_strv_free_ char **diff_ids = NULL;
        char digest[DIGEST_STRING_MAX];
        ImageConfig config = {};
        size_t size, config_size;
        int r;

        r = registry_get_platform_manifest(p->client, ref->digest[0] ? ref->digest : ref->tag,
                                           p->options->platform, &json, &size, &media_type, digest, p->error);
        if (r < 0)
                return r;
        r = oci_manifest_parse(json, size, NULL, &m, p->error);
        if (r < 0)
                return r;

        /* the config first: the diff_ids say which layers the store has */
        r = image_store_get_blob(p->store, m.config.digest, &config_json, &config_size, NULL);
        if (r < 0)
                r = registry_get_blob(p->client, m.config.digest, m.config.size, OCI_JSON_MAX, &config_json,
                                      &config_size, p->error);
        if (r < 0)
                return r;
        r = oci_config_parse(config_json, config_size, &config, &diff_ids, p->error);
        if (r < 0)
                return r;
        image_config_done(&config);
        if (strv_length(diff_ids) != m.n_layers)
                return pull_fail(p, -EBADMSG, "Manifest %s lists %zu layers, its config %zu diff_ids.",
                                 digest, m.n_layers, strv_length(diff_ids));

        p->layers = calloc(m.n_layers + 1, sizeof(PullLayer));
        if (!p->layers)
                return -ENOMEM;
        p->n_layers = m.n_layers;
        for (size_t i = 0; i < m.n_layers; i++)
                p->layers[i] = (PullLayer) { .pull = p, .desc = &m.layers[i], .diff_id = diff_ids[i],
                                             .index = (unsigned) i + 1, .lock_fd = -EBADF, .read_fd = -EBADF };
        for (size_t i = 0; i < m.n_layers; i++)
                if (!layer_present(p, &p->layers[i]))
                        p->bytes_total += m.layers[i].size;
        pull_progress(p, PULL_PHASE_RESOLVED, NULL, false);
        for (size_t i = 0; i < m.n_layers; i++)
                if (layer_present(p, &p->layers[i]))
                        layer_mark_done(p, &p->layers[i], false);

        r = pull_layers(p);
        if (r < 0)
                return r;

        /* config, manifest, then the reference: visible from here on */
        r = image_store_put_blob(p->work, config_json, config_size, m.config.digest, NULL);
        if (r >= 0)
                r = image_store_put_blob(p->work, json, size, digest, NULL);
        if (r >= 0)
                r = image_store_commit_ref(p->work, ref->name, strrchr(p->name, ':') + 1, digest);
        /* pinned to an index (NAME:TAG@sha256:INDEX): NAME:sha256-INDEX records which manifest it gave, so
         * that the reference resolves here without asking the registry again */
        if (r >= 0 && ref->digest[0] && ref->tag && !streq(ref->digest, digest)) {
                _cleanup_free_ char *index_tag = strprintf("sha256-%s", digest_hex(ref->digest));

                r = index_tag ? image_store_commit_ref(p->work, ref->name, index_tag, digest) : -ENOMEM;
        }
        if (r < 0)
                return pull_fail(p, r, "Cannot write image %s into the store: %s", p->name, strerror(-r));
        return ret ? image_store_resolve(p->store, p->name, ret, p->error) : 0;
}

int image_pull(ImageStore *s, const char *reference, const ImagePullOptions *o, Image **ret,
               char **ret_error) {
        static const ImagePullOptions no_options = {};
        _cleanup_(image_reference_done) ImageReference ref = {};
        Pull p = {
                .store = s,
                .options = o ?: &no_options,
                .lock_dir_fd = -EBADF,
                .error = ret_error,
        };
        int r;

        r = image_reference_parse(reference, &ref);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return pull_fail(&p, -EINVAL, "'%s' is not a valid image reference.", reference);
        r = pull_name(&ref, &p.name);
        if (r < 0)
                return r;

        r = registry_client_for_name(ref.name, &(RegistryClientOptions) {
                                        .tls = p.options->tls,
                                        .auth_file = p.options->auth_file,
                                }, &p.client, ret_error);
        if (r >= 0)
                r = work_begin(s, &p.work);
        if (r >= 0) {
                int store_fd = open(image_store_path(s), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

                if (store_fd < 0 || (mkdirat(store_fd, PULL_LOCK_DIR, 0700) < 0 && errno != EEXIST) ||
                    (p.lock_dir_fd = openat(store_fd, PULL_LOCK_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
                                            O_NOFOLLOW)) < 0)
                        r = pull_fail(&p, negative_errno(), "Cannot prepare the store at %s: %m",
                                      image_store_path(s));
                safe_close(store_fd);
        } else if (r != -ENOMEM && !(ret_error && *ret_error))
                r = pull_fail(&p, r, "Cannot prepare the store at %s: %s", image_store_path(s), strerror(-r));
        if (r >= 0)
                r = pull_image(&p, &ref, ret);

        if (p.layers)
                for (size_t i = 0; i < p.n_layers; i++)
                        layer_unlock(&p, &p.layers[i], false);
        free(p.layers);
        safe_close(p.lock_dir_fd);
        image_store_work_end(p.work);
        registry_client_free(p.client);
        free(p.name);
        return r;
}
