/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl auto-update [--dry-run] [--json]
 *
 * For every container with AutoUpdate=registry or local (ctr.ctr(5)), as podman auto-update does:
 *   1. the digest it runs: IMAGE_DIGEST= of its runtime state while its launcher is alive; for a container
 *      that is not running, what the store's tag points at (what its next start would run);
 *   2. the digest it should run: registry, what the tag points at in its registry now (the manifest for
 *      this machine, nothing downloaded but one or two manifests); local, what the store's tag points at;
 *   3. when they differ (and not --dry-run): registry pulls the image (the tag moves in the store), then a
 *      running container is restarted (RestartUnit over sd-bus, waiting for the job: with Notify=yes that is
 *      until the container's READY=1). A restart that fails rolls back: the tag is pointed at the previous
 *      digest again (whose layers the store kept: the runtime state named it) and the unit restarted on it.
 * One line per container: NAME, IMAGE, OLD and NEW digest, RESULT (unchanged, pending, pulled, updated,
 * rolled-back, failed, skipped). Exit status 0 when every container is unchanged, pending, pulled or
 * updated; 1 when one failed or was rolled back. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus-util.h"
#include "ctr-file.h"
#include "ctrctl-util.h"
#include "ctrctl.h"
#include "image-pull.h"
#include "image-store.h"
#include "json.h"
#include "log.h"
#include "paths.h"
#include "registry-platform.h"
#include "runtime-state.h"
#include "string-util.h"
#include "strv.h"
#include "table.h"

static bool arg_dry_run = false;
static bool arg_json = false;

enum {
        ARG_DRY_RUN = VERB_OPTION_BASE,
        ARG_JSON,
};

typedef enum UpdateResult {
        UPDATE_UNCHANGED,
        UPDATE_PENDING,         /* --dry-run: an update is there */
        UPDATE_PULLED,          /* not running: the new image is in the store for its next start */
        UPDATE_UPDATED,         /* restarted on the new image */
        UPDATE_ROLLED_BACK,     /* the new image failed to start: running the previous one again */
        UPDATE_FAILED,
        UPDATE_SKIPPED,         /* nothing to update: not an image of the store */
        _UPDATE_RESULT_MAX,
} UpdateResult;

static const char *const update_result_table[_UPDATE_RESULT_MAX] = {
        [UPDATE_UNCHANGED] = "unchanged",
        [UPDATE_PENDING] = "pending",
        [UPDATE_PULLED] = "pulled",
        [UPDATE_UPDATED] = "updated",
        [UPDATE_ROLLED_BACK] = "rolled-back",
        [UPDATE_FAILED] = "failed",
        [UPDATE_SKIPPED] = "skipped",
};

typedef struct Update {
        Container *container;
        bool running;
        char old[DIGEST_STRING_MAX];    /* "" when not known */
        char new[DIGEST_STRING_MAX];
        UpdateResult result;
        char *message;                  /* why it failed, was rolled back or skipped */
} Update;

typedef struct Context {
        ImageStore *store;              /* opened (created) on first use */
        sd_bus *bus;                    /* connected on first restart */
} Context;

static int handle_option(int c, _unused_ const char *value) {
        switch (c) {
        case ARG_DRY_RUN:
                arg_dry_run = true;
                return 0;
        case ARG_JSON:
                arg_json = true;
                return 0;
        default:
                return -EINVAL;
        }
}

/* The result with a sentence (printf-style), logged as it happens. */
_printf_(3, 4)
static int update_set(Update *u, UpdateResult result, const char *format, ...) {
        va_list ap;
        int r;

        u->result = result;
        free(u->message);
        va_start(ap, format);
        r = vasprintf(&u->message, format, ap);
        va_end(ap);
        if (r < 0) {
                u->message = NULL;
                return log_oom();
        }
        if (result == UPDATE_FAILED || result == UPDATE_ROLLED_BACK)
                log_error("%s: %s", u->container->name, u->message);
        else
                log_info("%s: %s", u->container->name, u->message);
        return 0;
}

static int context_store(Context *ctx, ImageStore **ret) {
        int r;

        if (!ctx->store) {
                /* --dry-run leaves no trace: no store made where there was none */
                r = image_store_open(NULL, !arg_dry_run, &ctx->store);
                if (r == -ENOENT)
                        return r;
                if (r < 0)
                        return log_error_errno(r, "Cannot open the image store in %s/images: %m", state_dir());
        }
        *ret = ctx->store;
        return 0;
}

/* What the store's tag for |reference| points at; "" when it does not hold it. */
static int store_digest(Context *ctx, const char *reference, char ret[DIGEST_STRING_MAX], char **ret_error) {
        _cleanup_image_free_ Image *image = NULL;
        ImageStore *s = NULL;
        int r;

        ret[0] = '\0';
        r = context_store(ctx, &s);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        r = image_store_resolve(s, reference, &image, ret_error);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        memcpy(ret, image->manifest_digest, DIGEST_STRING_MAX);
        return 0;
}

/* The digest a running container's launcher recorded; false when it is not running (no state, or its
 * launcher gone). */
static bool running_digest(const char *name, char ret[DIGEST_STRING_MAX]) {
        _cleanup_(runtime_state_done) RuntimeState st = {};

        if (runtime_state_read(name, &st) < 0 || !st.image_digest || st.monitor_pid <= 0)
                return false;
        if (kill(st.monitor_pid, 0) < 0 && errno == ESRCH)
                return false;
        if (strlen(st.image_digest) >= DIGEST_STRING_MAX)
                return false;
        strcpy(ret, st.image_digest);
        return true;
}

/* Restarts ctr@NAME and waits for the job: 0 when it is active (with Notify=yes: ready), else -EIO with
 * systemd's words in *ret_text. */
static int restart(Context *ctx, const char *name, char **ret_text) {
        _cleanup_bus_error_ sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *unit = NULL, *result = NULL, *state = NULL;
        int r;

        if (!ctx->bus) {
                r = bus_connect(NULL, &ctx->bus);
                if (r < 0)
                        return bus_log_connect_error(r, NULL);
        }
        if (container_service_name(name, &unit) < 0)
                return log_oom();
        r = bus_unit_job(ctx->bus, "RestartUnit", unit, BUS_JOB_TIMEOUT_USEC, &result, &error);
        if (r < 0) {
                *ret_text = strprintf("Failed to restart %s: %s", unit, error.message ?: strerror(-r));
                return *ret_text ? -EIO : -ENOMEM;
        }
        if (streq(result, "done") && bus_unit_get_string(ctx->bus, unit, NULL, "ActiveState", &state) >= 0 &&
            streq(state, "active"))
                return 0;
        if (streq(result, "done"))      /* the job was done, the container gone already */
                *ret_text = strprintf("%s is %s after its restart.", unit, strna(state));
        else if (bus_job_failure_text(ctx->bus, unit, result, ret_text) < 0)
                return -ENOMEM;
        return *ret_text ? -EIO : -ENOMEM;
}

/* The new image failed: the tag back to |u->old|, and the container restarted on it. */
static int roll_back(Context *ctx, Update *u, const char *why) {
        _cleanup_free_ char *error = NULL, *text = NULL;
        const Container *c = u->container;
        ImageStore *s = NULL;
        int r;

        r = context_store(ctx, &s);
        if (r < 0)
                return r;
        r = image_store_tag(s, u->old, c->image, &error);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return update_set(u, UPDATE_FAILED, "%s; tagging the previous image %s as %s again failed: %s",
                                  why, u->old, c->image, error ?: strerror(-r));
        r = restart(ctx, c->name, &text);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return update_set(u, UPDATE_FAILED, "%s; restarting it on the previous image %s failed too: %s",
                                  why, u->old, text ?: strerror(-r));
        return update_set(u, UPDATE_ROLLED_BACK, "%s; rolled back: %s runs %s again.", why, c->name, u->old);
}

static int update_one(Context *ctx, Update *u) {
        _cleanup_free_ char *error = NULL, *text = NULL, *why = NULL;
        _cleanup_image_free_ Image *image = NULL;
        const Container *c = u->container;
        ImageStore *s = NULL;
        int r;

        if (!c->image || streq(c->image, "host"))
                return update_set(u, UPDATE_SKIPPED, "AutoUpdate=%s needs Image= naming an image of the store.",
                                  auto_update_to_string(c->auto_update));

        u->running = running_digest(c->name, u->old);
        if (!u->running) {
                r = store_digest(ctx, c->image, u->old, &error);
                if (r < 0 && r != -ENOMEM)
                        return update_set(u, UPDATE_FAILED, "Cannot resolve %s in the store: %s", c->image,
                                          error ?: strerror(-r));
                if (r < 0)
                        return r;
        }

        if (c->auto_update == AUTO_UPDATE_REGISTRY)
                r = registry_resolve_digest(c->image, NULL, &(RegistryClientOptions) {}, u->new, &error);
        else
                r = store_digest(ctx, c->image, u->new, &error);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return update_set(u, UPDATE_FAILED, "Cannot check %s%s: %s", c->image,
                                  c->auto_update == AUTO_UPDATE_REGISTRY ? " in its registry" : " in the store",
                                  error ?: strerror(-r));
        if (streq(u->old, u->new) || isempty(u->new))
                return update_set(u, UPDATE_UNCHANGED, "%s is up to date (%s).", c->image,
                                  isempty(u->old) ? "not in the store" : u->old);
        if (arg_dry_run)
                return update_set(u, UPDATE_PENDING, "%s: %s → %s.", c->image, strempty(u->old), u->new);

        if (c->auto_update == AUTO_UPDATE_REGISTRY) {
                r = context_store(ctx, &s);
                if (r < 0)
                        return r;
                r = image_pull(s, c->image, &(ImagePullOptions) {}, &image, &error);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0)
                        return update_set(u, UPDATE_FAILED, "Cannot pull %s: %s", c->image,
                                          error ?: strerror(-r));
                /* what was pulled: the tag may have moved again since it was checked */
                memcpy(u->new, image->manifest_digest, DIGEST_STRING_MAX);
        }
        if (!u->running)
                return update_set(u, UPDATE_PULLED, "%s: %s → %s; %s is not running, its next start runs it.",
                                  c->image, strempty(u->old), u->new, c->name);

        r = restart(ctx, c->name, &text);
        if (r == -ENOMEM)
                return log_oom();
        if (r >= 0)
                return update_set(u, UPDATE_UPDATED, "%s: %s → %s, restarted.", c->image, u->old, u->new);
        why = strprintf("%s failed to start on %s (%s)", c->name, u->new, text ?: strerror(-r));
        if (!why)
                return log_oom();
        return roll_back(ctx, u, why);
}

static void print_json(const Update *updates, size_t n) {
        JsonWriter w;

        json_writer_init(&w, stdout);
        json_begin_array(&w);
        for (size_t i = 0; i < n; i++) {
                const Update *u = &updates[i];

                json_begin_object(&w);
                json_field_string(&w, "name", u->container->name);
                json_field_string(&w, "image", u->container->image);
                json_field_string(&w, "policy", auto_update_to_string(u->container->auto_update));
                json_field_bool(&w, "running", u->running);
                json_field_string(&w, "old_digest", isempty(u->old) ? NULL : u->old);
                json_field_string(&w, "new_digest", isempty(u->new) ? NULL : u->new);
                json_field_string(&w, "result", update_result_table[u->result]);
                json_field_string(&w, "message", u->message);
                json_end_object(&w);
        }
        json_end_array(&w);
}

static int print_table(const Update *updates, size_t n) {
        static const char *const headers[] = { "NAME", "IMAGE", "OLD", "NEW", "RESULT", NULL };
        _cleanup_table_free_ Table *t = NULL;
        int r;

        r = table_new(headers, &t);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                const Update *u = &updates[i];

                r = table_add(t, u->container->name);
                if (r >= 0)
                        r = table_add(t, u->container->image);
                /* "sha256:" and 12 hex digits, as image list shows them */
                if (r >= 0)
                        r = table_addf(t, "%.19s", isempty(u->old) ? "-" : u->old);
                if (r >= 0)
                        r = table_addf(t, "%.19s", isempty(u->new) ? "-" : u->new);
                if (r >= 0)
                        r = table_add(t, update_result_table[u->result]);
        }
        if (r < 0)
                return log_oom();
        return table_print(t, stdout, !arg_no_legend, false);
}

int verb_auto_update(int argc, char *argv[]) {
        static const struct option options[] = {
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                { "json",    no_argument, NULL, ARG_JSON    },
                {}
        };
        _cleanup_strv_free_ char **names = NULL;
        Context ctx = {};
        Update *updates = NULL;
        size_t n = 0;
        int i, r, status = CTRCTL_EXIT_SUCCESS;

        i = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (i <= 0)
                return i < 0 ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_SUCCESS;

        r = container_names_all(&names);
        if (r < 0)
                return log_error_errno(r, "Cannot list containers: %m");
        updates = calloc(strv_length(names) + 1, sizeof(Update));
        if (!updates)
                return log_oom();

        STRV_FOREACH(name, names) {
                Container *c = NULL;

                /* a file that does not load is validate's to report; it has no policy to follow */
                if (ctrctl_load_container(*name, false, &c) < 0)
                        continue;
                if (c->auto_update == AUTO_UPDATE_NO) {
                        container_free(c);
                        continue;
                }
                updates[n].container = c;
                r = update_one(&ctx, &updates[n++]);
                if (r < 0)
                        break;
        }

        if (r >= 0) {
                if (arg_json)
                        print_json(updates, n);
                else
                        r = print_table(updates, n);
        }
        for (size_t k = 0; k < n; k++) {
                if (updates[k].result == UPDATE_FAILED || updates[k].result == UPDATE_ROLLED_BACK)
                        status = CTRCTL_EXIT_FAILURE;
                container_free(updates[k].container);
                free(updates[k].message);
        }
        free(updates);
        sd_bus_flush_close_unref(ctx.bus);
        image_store_free(ctx.store);
        return r < 0 ? r : status;
}
