/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl security [--json] [--threshold=N] [--name NAME] [--dropin-dir DIR] FILE|NAME…
 *
 * The exposure score of each container (src/model/exposure.h): what weakens its isolation, each setting with
 * its weight and reason, and the total from 0 to 10, in the manner of `systemd-analyze security`. Arguments as
 * validate takes them. A store image's config applies first (its User decides whether the workload runs as
 * root), as the launcher applies it. --threshold=N exits 1 when a total is above N, so a CM run or CI can gate
 * on it; validate --security-threshold=N does the same beside its other checks. The AppArmor profile the
 * container gets on this machine is said beside the score ("unavailable" where AppArmor is off), which does
 * not count it: the score is the file's, the same on every machine. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apparmor.h"
#include "ctr-file.h"
#include "ctrctl.h"
#include "exposure.h"
#include "image-defaults.h"
#include "image-store.h"
#include "json.h"
#include "load-argument.h"
#include "log.h"
#include "security.h"
#include "string-util.h"
#include "strv.h"

static bool arg_json = false;
static int arg_threshold = -1;          /* tenths; -1: none */
static LoadOptions arg_load = {};

enum {
        ARG_JSON = VERB_OPTION_BASE,
        ARG_THRESHOLD,
};

int security_threshold_parse(const char *s, int *ret) {
        unsigned whole = 0, tenth = 0;
        int n = 0;

        /* "5", "5.0", "4.5": one decimal at most, 0 to 10 */
        if (sscanf(s, "%2u%n", &whole, &n) != 1 || (s[n] != '\0' && s[n] != '.'))
                return -EINVAL;
        if (s[n] == '.') {
                if (s[n + 1] < '0' || s[n + 1] > '9' || s[n + 2] != '\0')
                        return -EINVAL;
                tenth = (unsigned) (s[n + 1] - '0');
        }
        if (whole * 10 + tenth > EXPOSURE_MAX)
                return -ERANGE;
        *ret = (int) (whole * 10 + tenth);
        return 0;
}

int security_exposure(Container *c, Exposure *ret) {
        _cleanup_image_store_free_ ImageStore *store = NULL;
        _cleanup_(image_freep) Image *image = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};
        _cleanup_free_ char *error = NULL;
        bool known = true;

        /* the image's User, as the launcher applies it; an image the store lacks leaves it unknown */
        if (c->image && !streq(c->image, "host") && !c->user) {
                known = image_store_open(NULL, false, &store) >= 0 &&
                        image_store_resolve(store, c->image, &image, &error) >= 0;
                if (known && image_defaults_apply(c, &image->config, &d, NULL) == -ENOMEM)
                        return -ENOMEM;
        }
        return container_exposure(c, known, ret);
}

static int handle_option(int c, const char *value) {
        int r;

        switch (c) {
        case ARG_JSON:
                arg_json = true;
                return 0;
        case ARG_THRESHOLD:
                r = security_threshold_parse(value, &arg_threshold);
                if (r < 0)
                        return log_error_errno(r, "Invalid --threshold=%s: a score from 0 to 10, one decimal at "
                                               "most.", value);
                return 0;
        default:
                return load_options_parse(&arg_load, c, value) > 0 ? 0 : -EINVAL;
        }
}

static int item_compare(const void *a, const void *b) {
        const ExposureItem *x = a, *y = b;

        return x->weight != y->weight ? (x->weight < y->weight ? 1 : -1) : strcmp(x->setting, y->setting);
}

static void print_text(const Container *c, const Exposure *e) {
        printf("%s: exposure %u.%u %s\n", c->name, e->total / 10, e->total % 10, exposure_level(e->total));
        printf("  apparmor: %s\n", apparmor_profile_describe(c->apparmor_profile, apparmor_enabled()));
        for (size_t i = 0; i < e->n; i++)
                printf("  %2u.%u  %-40s %s\n", e->items[i].weight / 10, e->items[i].weight % 10,
                       e->items[i].setting, e->items[i].reason);
}

static void print_json(JsonWriter *w, const Container *c, const Exposure *e) {
        json_begin_object(w);
        json_field_string(w, "name", c->name);
        json_field_string(w, "file", c->source_path);
        json_key(w, "exposure");
        json_fixed2(w, e->total * 10);
        json_field_string(w, "level", exposure_level(e->total));
        json_field_string(w, "apparmor", apparmor_profile_describe(c->apparmor_profile, apparmor_enabled()));
        json_key(w, "items");
        json_begin_array(w);
        for (size_t i = 0; i < e->n; i++) {
                json_begin_object(w);
                json_field_string(w, "id", e->items[i].id);
                json_field_string(w, "setting", e->items[i].setting);
                json_key(w, "weight");
                json_fixed2(w, e->items[i].weight * 10);
                json_field_string(w, "reason", e->items[i].reason);
                json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
}

int verb_security(int argc, char *argv[]) {
        static const struct option options[] = {
                { "json",      no_argument,       NULL, ARG_JSON },
                { "threshold", required_argument, NULL, ARG_THRESHOLD },
                LOAD_ARGUMENT_OPTIONS,
                {}
        };
        _cleanup_strv_free_ char **search_path = NULL;
        int r, first, ret = CTRCTL_EXIT_SUCCESS;
        JsonWriter w;

        first = load_verb_begin(argc, argv, options, handle_option, &arg_load, &search_path);
        if (first <= 0)
                return -first;

        if (arg_json) {
                json_writer_init(&w, stdout);
                json_begin_array(&w);
        }
        for (int i = first; i < argc; i++) {
                _cleanup_container_free_ Container *c = NULL;
                _cleanup_(exposure_done) Exposure e = {};
                Diagnostics diag = {};
                bool invalid;

                r = load_argument(argv[i], &arg_load, search_path, &diag, &c);
                (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN);
                invalid = diagnostics_has_errors(&diag);
                diagnostics_clear(&diag);
                if (r < 0)
                        return log_error_errno(r, "Failed to load '%s': %m", argv[i]);
                if (!c || invalid) {
                        ret = CTRCTL_EXIT_FAILURE;
                        continue;
                }
                r = security_exposure(c, &e);
                if (r < 0)
                        return log_error_errno(r, "Failed to score '%s': %m", argv[i]);
                if (e.n > 1)    /* qsort() of NULL, even of 0 items, is undefined */
                        qsort(e.items, e.n, sizeof(ExposureItem), item_compare);
                if (arg_json)
                        print_json(&w, c, &e);
                else
                        print_text(c, &e);
                if (arg_threshold >= 0 && e.total > (unsigned) arg_threshold) {
                        log_error("Container '%s': exposure %u.%u is above --threshold=%d.%d.", c->name,
                                  e.total / 10, e.total % 10, arg_threshold / 10, arg_threshold % 10);
                        ret = CTRCTL_EXIT_FAILURE;
                }
        }
        if (arg_json) {
                json_end_array(&w);
                fputc('\n', stdout);
        }
        if (fflush(stdout) != 0)
                return log_error_errno(EIO, "Failed to write output: %m");
        return ret;
}
