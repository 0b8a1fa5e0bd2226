/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <time.h>

#define USEC_INFINITY UINT64_MAX
#define USEC_PER_SEC UINT64_C(1000000)

static inline uint64_t timespec_to_usec(const struct timespec *ts) {
        return (uint64_t) ts->tv_sec * USEC_PER_SEC + (uint64_t) ts->tv_nsec / 1000;
}

/* CLOCK_REALTIME in µs: timestamps to show or store (runtime state, journal). */
static inline uint64_t now_realtime_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_REALTIME, &ts);
        return timespec_to_usec(&ts);
}

/* CLOCK_MONOTONIC in µs: deadlines and rates. */
static inline uint64_t now_monotonic_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return timespec_to_usec(&ts);
}
