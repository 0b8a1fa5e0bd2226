/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl image list [--json]: every reference of the store, NAME TAG DIGEST SIZE CREATED (the digest is the
 * manifest's, the one containers record, shortened to 12 hex digits as Docker shows image IDs).
 * ctrctl image inspect [--json] REF…: an image's digests, layers, size and config, and the containers that
 * use it. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctrctl-util.h"
#include "ctrctl.h"
#include "image-ctl.h"
#include "image-usage.h"
#include "json.h"
#include "log.h"
#include "pager.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"

static bool arg_json = false;

enum {
        ARG_JSON = VERB_OPTION_BASE,
};

static int json_option(int c, _unused_ const char *value) {
        if (c != ARG_JSON)
                return -EINVAL;
        arg_json = true;
        return 0;
}

static const struct option json_options[] = {
        { "json", no_argument, NULL, ARG_JSON },
        {}
};

static char *format_created(char *buf, size_t size, uint64_t usec) {
        time_t t = (time_t) (usec / USEC_PER_SEC);
        struct tm tm;

        if (usec == 0 || !localtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%d %H:%M", &tm) == 0)
                snprintf(buf, size, "-");
        return buf;
}

static void json_image(JsonWriter *w, const Image *i) {
        const ImageConfig *c = &i->config;

        json_field_string(w, "manifest_digest", i->manifest_digest);
        json_field_string(w, "index_digest", i->index_digest[0] ? i->index_digest : NULL);
        json_field_string(w, "config_digest", i->config_digest);
        json_field_unsigned(w, "size", i->size);
        json_field_unsigned(w, "created_usec", c->created_usec);
        json_field_string(w, "os", c->os);
        json_field_string(w, "architecture", c->architecture);
        json_field_strv(w, "layers", i->diff_ids);
        json_key(w, "config");
        json_begin_object(w);
        json_key(w, "entrypoint");
        c->entrypoint ? json_strv(w, c->entrypoint) : json_null(w);
        json_key(w, "cmd");
        c->cmd ? json_strv(w, c->cmd) : json_null(w);
        json_field_strv(w, "env", c->env);
        json_field_string(w, "user", c->user);
        json_field_string(w, "working_dir", c->working_dir);
        json_field_string(w, "stop_signal", c->stop_signal);
        json_field_strv(w, "volumes", c->volumes);
        json_field_strv(w, "exposed_ports", c->exposed_ports);
        json_field_strv(w, "labels", c->labels);
        json_key(w, "healthcheck");
        if (!c->healthcheck.test)
                json_null(w);
        else {
                json_begin_object(w);
                json_field_strv(w, "test", c->healthcheck.test);
                json_field_unsigned(w, "interval_nsec", c->healthcheck.interval_nsec);
                json_field_unsigned(w, "timeout_nsec", c->healthcheck.timeout_nsec);
                json_field_unsigned(w, "start_period_nsec", c->healthcheck.start_period_nsec);
                json_field_unsigned(w, "retries", c->healthcheck.retries);
                json_end_object(w);
        }
        json_end_object(w);
}

int image_verb_list(int argc, char *argv[]) {
        static const char *const headers[] = { "NAME", "TAG", "DIGEST", ">SIZE", "CREATED", NULL };
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_table_free_ Table *t = NULL;
        ImageRef *refs = NULL;
        JsonWriter w;
        size_t n = 0;
        int i, r = 0, status;

        i = image_verb_begin(argc, argv, json_options, NULL, json_option, false, false, &s, &status);
        if (i == 0)
                return status;
        if (s) {
                r = image_store_list_refs(s, &refs, &n);
                if (r < 0)
                        return log_error_errno(r, "Cannot list the images in %s: %m", image_store_path(s));
        }

        if (arg_json) {
                json_writer_init(&w, stdout);
                json_begin_array(&w);
        } else if (table_new(headers, &t) < 0) {
                image_refs_free(refs, n);
                return log_oom();
        }
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *ref = NULL, *error = NULL;
                _cleanup_image_free_ Image *image = NULL;
                char size[FORMAT_BYTES_MAX], created[64];

                ref = strprintf("%s:%s", refs[k].name, refs[k].tag);
                if (!ref) {
                        r = log_oom();
                        break;
                }
                /* a broken image is listed, with what is known, and a warning */
                if (image_store_resolve(s, ref, &image, &error) < 0)
                        log_warning("Image %s: %s", ref, strna(error));
                /* NAME:sha256-HEX of a pull by an index's digest: the index is HEX (image-pull.h) */
                else if (startswith(refs[k].tag, "sha256-") &&
                         !streq(refs[k].tag + strlen("sha256-"), digest_hex(image->manifest_digest)) &&
                         strlen(refs[k].tag) - strlen("sha256-") == DIGEST_HEX_LENGTH)
                        (void) snprintf(image->index_digest, sizeof(image->index_digest), DIGEST_PREFIX "%s",
                                        refs[k].tag + strlen("sha256-"));
                if (arg_json) {
                        json_begin_object(&w);
                        json_field_string(&w, "name", refs[k].name);
                        json_field_string(&w, "tag", refs[k].tag);
                        json_field_string(&w, "reference", ref);
                        if (image)
                                json_image(&w, image);
                        else
                                json_field_string(&w, "manifest_digest", refs[k].manifest_digest);
                        json_end_object(&w);
                        continue;
                }
                if (table_add(t, refs[k].name) < 0 || table_add(t, refs[k].tag) < 0 ||
                    table_addf(t, "%.12s", digest_hex(refs[k].manifest_digest)) < 0 ||
                    table_add(t, image ? format_bytes(size, sizeof(size), image->size) : NULL) < 0 ||
                    table_add(t, image ? format_created(created, sizeof(created), image->config.created_usec) :
                                         NULL) < 0) {
                        r = log_oom();
                        break;
                }
        }
        image_refs_free(refs, n);
        if (r < 0)
                return r;
        if (arg_json) {
                json_end_array(&w);
                return CTRCTL_EXIT_SUCCESS;
        }
        (void) pager_open(arg_no_pager);
        r = table_print(t, stdout, !arg_no_legend, colors_enabled());
        if (r < 0)
                return r;
        if (!arg_no_legend)
                printf("\n%zu image%s listed.\n", n, n == 1 ? "" : "s");
        return CTRCTL_EXIT_SUCCESS;
}

static void print_strv(const char *label, char *const *l) {
        if (strv_isempty(l))
                return;
        printf("%12s:", label);
        STRV_FOREACH(x, l) {
                _cleanup_free_ char *e = NULL;

                printf(" %s", escape_non_printable(*x, SIZE_MAX, &e) >= 0 ? e : "?");
        }
        putchar('\n');
}

static void print_field(const char *label, const char *value) {
        _cleanup_free_ char *e = NULL;

        if (!isempty(value))
                printf("%12s: %s\n", label, escape_non_printable(value, SIZE_MAX, &e) >= 0 ? e : "?");
}

static void print_image(const Image *i, char *const *users) {
        char size[FORMAT_BYTES_MAX], created[FORMAT_TIMESTAMP_MAX];
        const ImageConfig *c = &i->config;

        print_field("Name", i->name);
        print_field("Digest", i->manifest_digest);
        print_field("Index", i->index_digest);
        print_field("Config", i->config_digest);
        print_field("Created", c->created_usec > 0 ? format_timestamp(created, sizeof(created), c->created_usec) :
                                                     NULL);
        printf("%12s: %s/%s\n", "Platform", strna(c->os), strna(c->architecture));
        printf("%12s: %s in %zu layer%s\n", "Size", format_bytes(size, sizeof(size), i->size), i->n_layers,
               i->n_layers == 1 ? "" : "s");
        for (size_t k = 0; k < i->n_layers; k++)
                printf("%12s  %s\n", "", i->diff_ids[k]);
        print_strv("Entrypoint", c->entrypoint);
        print_strv("Cmd", c->cmd);
        print_strv("Env", c->env);
        print_field("User", c->user);
        print_field("WorkingDir", c->working_dir);
        print_field("StopSignal", c->stop_signal);
        print_strv("Volumes", c->volumes);
        print_strv("Ports", c->exposed_ports);
        print_strv("Labels", c->labels);
        print_strv("Used by", users);
}

int image_verb_inspect(int argc, char *argv[]) {
        _cleanup_image_store_free_ ImageStore *s = NULL;
        ImageUser *users = NULL;
        size_t n_users = 0;
        JsonWriter w;
        int i, r, ret = CTRCTL_EXIT_SUCCESS;

        i = image_verb_begin(argc, argv, json_options, NULL, json_option, false, true, &s, &ret);
        if (i == 0)
                return ret;
        (void) image_users_collect(s, &users, &n_users);

        if (arg_json) {
                json_writer_init(&w, stdout);
                json_begin_array(&w);
        }
        for (; i < argc; i++) {
                _cleanup_image_free_ Image *image = NULL;
                _cleanup_strv_free_ char **used = NULL;
                _cleanup_free_ char *error = NULL;

                r = image_store_resolve(s, argv[i], &image, &error);
                if (r < 0) {
                        ret = image_resolve_failed(r, argv[i], error);
                        continue;
                }
                if (image_users_of(users, n_users, image->manifest_digest, &used) < 0) {
                        ret = log_oom();
                        break;
                }
                if (arg_json) {
                        json_begin_object(&w);
                        json_field_string(&w, "name", image->name);
                        json_image(&w, image);
                        json_field_strv(&w, "used_by", used);
                        json_end_object(&w);
                } else {
                        if (i > 1 && ret == CTRCTL_EXIT_SUCCESS)
                                putchar('\n');
                        print_image(image, used);
                }
        }
        if (arg_json)
                json_end_array(&w);
        image_users_free(users, n_users);
        return ret;
}
