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

/* One line: "layer 2/5 sha256:0123456789ab 12.0M/48.1M 95.2M/s" and |suffix| (the last one of a layer ends
 * in "unpacked" and a newline). Called with |lock| held, |d->current.fd| valid. */
static void draw_line(ProgressDisplay *d, const char *suffix) {
        char done[FORMAT_BYTES_MAX], total[FORMAT_BYTES_MAX], rate[FORMAT_BYTES_MAX];
        uint64_t elapsed, pos = 0;
        off_t o;

        o = d->current.fd >= 0 ? lseek(d->current.fd, 0, SEEK_CUR) : -1;
        if (o > 0)
                pos = (uint64_t) o;
        elapsed = now_monotonic_usec() - d->started_usec;
        format_bytes(done, sizeof(done), pos);
        format_bytes(total, sizeof(total), d->current.size);
        format_bytes(rate, sizeof(rate), elapsed > 0 ? pos * USEC_PER_SEC / elapsed : 0);
        if (d->current.phase == IMPORT_PHASE_READ_ARCHIVE)
                fprintf(stderr, "\r\033[Kreading archive %s/%s %s/s%s", done, total, rate, suffix);
        else
                fprintf(stderr, "\r\033[Klayer %u/%u %.19s %s/%s %s/s%s", d->current.layer, d->current.n_layers,
                        d->digest, done, total, rate, suffix);
        fflush(stderr);
        d->drawn = true;
}

/* Called with |lock| held. */
static void draw(ProgressDisplay *d) {
        if (d->active)
                draw_line(d, "");
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
                /* the last line of this layer or archive stays: what was read, at what rate; a layer the
                 * store had already was not read at all. The fd goes after this call: not read again. */
                if (d->active && p->phase == IMPORT_PHASE_LAYER_DONE && !p->unpacked)
                        fprintf(stderr, "\r\033[Klayer %u/%u %.19s present\n", p->layer, p->n_layers, d->digest);
                else if (d->active)
                        draw_line(d, p->phase == IMPORT_PHASE_LAYER_DONE ? " unpacked\n" : "\n");
                d->active = false;
        } else {
                d->current = *p;
                snprintf(d->digest, sizeof(d->digest), "%s", p->digest ?: "");
                d->current.digest = NULL;
                d->started_usec = now_monotonic_usec();
                d->active = true;
                /* at once, not at the thread's next redraw: a layer quicker than that is shown too */
                draw(d);
        }
        pthread_mutex_unlock(&d->lock);
}
