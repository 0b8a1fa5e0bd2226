/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the health check the monitor runs in the container (src/launch/health.h): what
 * (HealthCmd=), how often and how long (HealthInterval=, HealthTimeout=, HealthStartPeriod=), how many
 * failures make it unhealthy (HealthRetries=) and what happens then (HealthOnFailure=). Notify=healthy is
 * Notify='s (keys-process.c). A bad value warns and is ignored: a check never weakens isolation, it runs
 * exactly as "ctrctl exec" would. */

#include <errno.h>
#include <stdlib.h>

#include "key-parser.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"

int key_health_cmd(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char **l = NULL;
        int r;

        /* empty: back to the default (none, or later the image's); "none": none, whatever the image says */
        if (isempty(v) || streq(v, "none")) {
                c->health_cmd = strv_free(c->health_cmd);
                c->health_cmd_none = !isempty(v);
                return 0;
        }
        r = key_parse_command(k, v, &l);
        if (r < 0 || !l)
                return r;
        strv_free(c->health_cmd);
        c->health_cmd = l;
        c->health_cmd_none = false;
        return 0;
}

/* A duration above 0 (or 0 when |zero_ok|), no "infinity"; empty resets |field| to |def| (and *set to
 * false: an image's value may apply again). */
static int parse_health_duration(KeyContext *k, const char *v, uint64_t *field, bool *set, uint64_t def,
                                 bool zero_ok) {
        uint64_t u;

        if (isempty(v)) {
                *field = def;
                *set = false;
                return 0;
        }
        if (parse_sec(v, &u) < 0 || u == USEC_INFINITY)
                return key_invalid(k, EINVAL, "Invalid duration '%s' for %s=", v, k->key);
        if (u == 0 && !zero_ok)
                return key_invalid(k, ERANGE, "%s= must be longer than 0, got '%s'", k->key, v);
        *field = u;
        *set = true;
        return 0;
}

int key_health_interval(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        return parse_health_duration(k, v, &c->health_interval_usec, &c->health_interval_set,
                                     CTR_HEALTH_INTERVAL_DEFAULT_USEC, false);
}

int key_health_timeout(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        return parse_health_duration(k, v, &c->health_timeout_usec, &c->health_timeout_set,
                                     CTR_HEALTH_TIMEOUT_DEFAULT_USEC, false);
}

int key_health_start_period(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        return parse_health_duration(k, v, &c->health_start_period_usec, &c->health_start_period_set, 0, true);
}

int key_health_retries(KeyContext *k, const char *v) {
        unsigned u;

        if (isempty(v)) {
                k->lc->c->health_retries = CTR_HEALTH_RETRIES_DEFAULT;
                k->lc->c->health_retries_set = false;
                return 0;
        }
        if (safe_atou(v, &u) < 0 || u < 1 || u > CTR_HEALTH_RETRIES_MAX)
                return key_invalid(k, EINVAL, "Invalid count '%s' for HealthRetries= (1 to %u)", v,
                                   CTR_HEALTH_RETRIES_MAX);
        k->lc->c->health_retries = u;
        k->lc->c->health_retries_set = true;
        return 0;
}

int key_health_on_failure(KeyContext *k, const char *v) {
        /* empty: back to the default */
        for (HealthOnFailure h = 0; h < _HEALTH_ON_FAILURE_MAX; h++)
                if (isempty(v) ? h == HEALTH_ON_FAILURE_NONE : streq(v, health_on_failure_to_string(h))) {
                        k->lc->c->health_on_failure = h;
                        return 0;
                }
        return key_invalid(k, EINVAL, "Invalid value '%s' for HealthOnFailure= (none, kill, restart or stop)", v);
}
