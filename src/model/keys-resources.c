/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of resource control, passed on to the container's scope: memory (MemoryMax=,
 * MemoryHigh=, MemorySwapMax=), CPU (CPUWeight=, CPUQuota=, AllowedCPUs=), IOWeight=, TasksMax= and the
 * Slice= the scope goes into. None of them guards isolation: a bad value is a warning. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "name-util.h"
#include "parse-util.h"
#include "string-util.h"

static int parse_memory_field(KeyContext *k, const char *v, uint64_t *field, uint32_t *scale, bool allow_zero) {
        uint64_t b;
        int r;

        if (isempty(v)) {
                *field = LIMIT_UNSET;
                *scale = 0;
                return 0;
        }
        if (endswith(v, "%") || endswith(v, "\u2030") || endswith(v, "\u2031")) {
                r = parse_permyriad(v);
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid percentage '%s' for %s=", v, k->key);
                if (r == 0)
                        return key_invalid(k, ERANGE, "Percentage '%s' for %s= is too small", v, k->key);
                *field = LIMIT_UNSET;
                *scale = permyriad_to_scale(r);
                return 0;
        }
        r = parse_size_or_infinity(v, &b);
        if (r < 0)
                return key_invalid(k, EINVAL, "Invalid size '%s' for %s=", v, k->key);
        if (b == 0 && !allow_zero)
                return key_invalid(k, ERANGE, "Size '%s' for %s= is too small", v, k->key);
        *field = b;
        *scale = 0;
        return 0;
}

int key_memory_max(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_max, &k->lc->c->memory_max_scale, false);
}

int key_memory_high(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_high, &k->lc->c->memory_high_scale, false);
}

int key_memory_swap_max(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_swap_max, &k->lc->c->memory_swap_max_scale, true);
}

static int parse_weight_field(KeyContext *k, const char *v, uint64_t *field) {
        uint64_t w;

        if (isempty(v)) {
                *field = LIMIT_UNSET;
                return 0;
        }
        if (safe_atou64(v, &w) < 0 || w < 1 || w > 10000)
                return key_invalid(k, EINVAL, "Invalid weight '%s' for %s=, expected 1…10000", v, k->key);
        *field = w;
        return 0;
}

int key_cpu_weight(KeyContext *k, const char *v) {
        return parse_weight_field(k, v, &k->lc->c->cpu_weight);
}

int key_io_weight(KeyContext *k, const char *v) {
        return parse_weight_field(k, v, &k->lc->c->io_weight);
}

int key_cpu_quota(KeyContext *k, const char *v) {
        int r;

        if (isempty(v)) {
                k->lc->c->cpu_quota_per_sec_usec = LIMIT_UNSET;
                return 0;
        }
        r = endswith(v, "%") ? parse_permyriad_unbounded(v) : -EINVAL;
        if (r <= 0)
                return key_invalid(k, EINVAL,
                                   "Invalid CPU quota '%s' for CPUQuota=, expected a percentage above 0%%", v);
        /* 100% = one CPU = 1 s of CPU time per second; a permyriad is 100 µs. */
        k->lc->c->cpu_quota_per_sec_usec = (uint64_t) r * 100;
        return 0;
}

int key_allowed_cpus(KeyContext *k, const char *v) {
        char *l;
        int r;

        if (isempty(v)) {
                k->lc->c->allowed_cpus = mfree(k->lc->c->allowed_cpus);
                return 0;
        }
        r = parse_cpu_list(v, &l);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return key_invalid(k, EINVAL, "Invalid CPU list '%s' for AllowedCPUs=", v);
        free(k->lc->c->allowed_cpus);
        k->lc->c->allowed_cpus = l;
        return 0;
}

int key_tasks_max(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        uint64_t n;
        int r;

        if (isempty(v)) {
                c->tasks_max = LIMIT_UNSET;
                c->tasks_max_scale = 0;
                return 0;
        }
        if (streq(v, "infinity")) {
                c->tasks_max = LIMIT_INFINITY;
                c->tasks_max_scale = 0;
                return 0;
        }
        if (endswith(v, "%")) {
                r = parse_permyriad(v);
                if (r <= 0)
                        return key_invalid(k, EINVAL, "Invalid percentage '%s' for TasksMax=", v);
                c->tasks_max = LIMIT_UNSET;
                c->tasks_max_scale = permyriad_to_scale(r);
                return 0;
        }
        if (safe_atou64(v, &n) < 0 || n == 0 || n >= LIMIT_UNSET)
                return key_invalid(k, EINVAL, "Invalid number of tasks '%s' for TasksMax=", v);
        c->tasks_max = n;
        c->tasks_max_scale = 0;
        return 0;
}

int key_slice(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->slice = mfree(k->lc->c->slice);
                return 0;
        }
        if (!slice_name_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid slice unit name '%s' for Slice=", v);
        return free_and_strdup(&k->lc->c->slice, v);
}
