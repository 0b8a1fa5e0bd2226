/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctrctl-util.h"
#include "image-progress.h"
#include "time-util.h"

#define REDRAW_USEC (250 * 1000)
#define IN_SET_DONE(p) ((p) == IMPORT_PHASE_LAYER_DONE || (p) == IMPORT_PHASE_READ_ARCHIVE_DONE)

struct ProgressDisplay {
        pthread_t thread;
        pthread_mutex_t lock;
        pthread_cond_t cond;
        bool stop;
        /* what the importer reads now, under |lock| */
        ImportProgress current;
        char digest[80];
        uint64_t started_usec;
        bool active;
        bool drawn;
};

/* Called with |lock| held. */
static void draw(ProgressDisplay *d) {
        char done[FORMAT_BYTES_MAX], total[FORMAT_BYTES_MAX], rate[FORMAT_BYTES_MAX];
        uint64_t elapsed, pos = 0;
        off_t o;

        if (!d->active)
                return;
        o = d->current.fd >= 0 ? lseek(d->current.fd, 0, SEEK_CUR) : -1;
        if (o > 0)
                pos = (uint64_t) o;
        elapsed = now_monotonic_usec() - d->started_usec;
        format_bytes(done, sizeof(done), pos);
        format_bytes(total, sizeof(total), d->current.size);
        format_bytes(rate, sizeof(rate), elapsed > 0 ? pos * USEC_PER_SEC / elapsed : 0);
        if (d->current.phase == IMPORT_PHASE_READ_ARCHIVE)
                fprintf(stderr, "\r\033[Kreading archive %s/%s %s/s", done, total, rate);
        else
                fprintf(stderr, "\r\033[Klayer %u/%u %.19s %s/%s %s/s", d->current.layer, d->current.n_layers,
                        d->digest, done, total, rate);
        fflush(stderr);
        d->drawn = true;
}

static void *progress_thread(void *userdata) {
        ProgressDisplay *d = userdata;

        pthread_mutex_lock(&d->lock);
        while (!d->stop) {
                struct timespec ts;

                draw(d);
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += REDRAW_USEC * 1000;
                if (ts.tv_nsec >= 1000000000) {
                        ts.tv_sec++;
                        ts.tv_nsec -= 1000000000;
                }
                pthread_cond_timedwait(&d->cond, &d->lock, &ts);
        }
        pthread_mutex_unlock(&d->lock);
        return NULL;
}

int progress_display_new(ProgressDisplay **ret) {
        ProgressDisplay *d;

        d = calloc(1, sizeof(ProgressDisplay));
        if (!d)
                return -ENOMEM;
        pthread_mutex_init(&d->lock, NULL);
        pthread_cond_init(&d->cond, NULL);
        if (pthread_create(&d->thread, NULL, progress_thread, d) != 0) {
                free(d);
                return -EAGAIN;
        }
        *ret = d;
        return 0;
}

ProgressDisplay *progress_display_free(ProgressDisplay *d) {
        if (!d)
                return NULL;
        pthread_mutex_lock(&d->lock);
        d->stop = true;
        pthread_cond_signal(&d->cond);
        pthread_mutex_unlock(&d->lock);
        pthread_join(d->thread, NULL);
        if (d->drawn)
                fputs("\r\033[K", stderr);
        pthread_mutex_destroy(&d->lock);
        pthread_cond_destroy(&d->cond);
        free(d);
        return NULL;
}

void progress_display_update(const ImportProgress *p, void *userdata) {
        ProgressDisplay *d = userdata;

        pthread_mutex_lock(&d->lock);
        if (IN_SET_DONE(p->phase)) {
                /* the fd goes after this call: not read again */
                d->active = false;
                if (d->drawn && p->phase == IMPORT_PHASE_LAYER_DONE)
                        fprintf(stderr, "\r\033[Klayer %u/%u %.19s %s\n", p->layer, p->n_layers, d->digest,
                                p->unpacked ? "unpacked" : "present");
        } else {
                d->current = *p;
                snprintf(d->digest, sizeof(d->digest), "%s", p->digest ?: "");
                d->current.digest = NULL;
                d->started_usec = now_monotonic_usec();
                d->active = true;
        }
        pthread_mutex_unlock(&d->lock);
}
