/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl image rm [--force] REF…: removes references. NAME:TAG removes that one; a digest (or
 * NAME@sha256:…) every reference to that image. Refused, naming the containers, when a container would lose
 * its image: a defined one whose Image= is a removed reference or whose image would have no name left, a
 * running one whose image would have no name left. --force removes anyway: a running container keeps its
 * layers (prune keeps what running containers use), a defined one fails at its next start.
 * ctrctl image prune: removes what no reference and no container needs, prints the space reclaimed. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ctrctl-util.h"
#include "ctrctl.h"
#include "image-ctl.h"
#include "image-ref.h"
#include "image-usage.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"

static bool arg_force = false;

static int rm_option(int c, _unused_ const char *value) {
        if (c != 'f')
                return -EINVAL;
        arg_force = true;
        return 0;
}

/* The references "NAME:TAG" removing |reference| (resolved to |image|) takes away, and how many others
 * name the same image. */
static int removed_refs(ImageStore *s, const char *reference, const Image *image, char ***ret_removed,
                        size_t *ret_remaining) {
        _cleanup_(image_reference_done) ImageReference want = {};
        _cleanup_strv_free_ char **removed = NULL;
        ImageRef *refs = NULL;
        size_t n = 0, remaining = 0;
        bool by_digest;
        int r;

        (void) reference;
        by_digest = !image->name || image_reference_parse(image->name, &want) < 0 || !want.tag ||
                    want.digest[0] != '\0';
        r = image_store_list_refs(s, &refs, &n);
        if (r < 0)
                return r;
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *ref = NULL;
                bool match;

                if (!streq(refs[k].manifest_digest, image->manifest_digest))
                        continue;
                match = by_digest ? (!want.name || streq(want.name, refs[k].name)) :
                                    streq(want.name, refs[k].name) && streq(want.tag, refs[k].tag);
                if (!match) {
                        remaining++;
                        continue;
                }
                ref = strprintf("%s:%s", refs[k].name, refs[k].tag);
                if (!ref || strv_consume(&removed, TAKE_PTR(ref)) < 0) {
                        image_refs_free(refs, n);
                        return -ENOMEM;
                }
        }
        image_refs_free(refs, n);
        *ret_removed = TAKE_PTR(removed);
        *ret_remaining = remaining;
        return 0;
}

int image_verb_rm(int argc, char *argv[]) {
        static const struct option options[] = {
                { "force", no_argument, NULL, 'f' },
                {}
        };
        _cleanup_image_store_free_ ImageStore *s = NULL;
        ImageUser *users = NULL;
        size_t n_users = 0;
        int i, r, ret = CTRCTL_EXIT_SUCCESS;

        i = image_verb_begin(argc, argv, options, "f", rm_option, false, true, &s, &ret);
        if (i == 0)
                return ret;
        r = image_users_collect(s, &users, &n_users);
        if (r < 0)
                return log_error_errno(r, "Cannot find which containers use which image: %m");

        for (; i < argc; i++) {
                _cleanup_image_free_ Image *image = NULL;
                _cleanup_strv_free_ char **removed = NULL, **blockers = NULL;
                _cleanup_free_ char *error = NULL, *list = NULL;
                size_t remaining = 0;
                unsigned n_removed = 0;

                r = image_store_resolve(s, argv[i], &image, &error);
                if (r == -ENOLINK || r == -EBADMSG)
                        log_warning("%s", strna(error));        /* a broken image can still be removed */
                else if (r < 0) {
                        ret = image_resolve_failed(r, argv[i], error);
                        continue;
                }
                if (image) {
                        r = removed_refs(s, argv[i], image, &removed, &remaining);
                        if (r < 0) {
                                ret = log_oom();
                                break;
                        }
                        for (size_t k = 0; k < n_users; k++) {
                                const ImageUser *u = &users[k];
                                char *b;

                                if (!streq(u->manifest_digest, image->manifest_digest))
                                        continue;
                                if (remaining > 0 && (u->running || !strv_contains(removed, u->reference)))
                                        continue;
                                b = strprintf("%s%s", u->container, u->running ? " (running)" : "");
                                if (!b || strv_consume(&blockers, b) < 0) {
                                        ret = log_oom();
                                        goto finish;
                                }
                        }
                }
                if (blockers && !arg_force) {
                        strv_sort(blockers);
                        (void) strv_join(blockers, ", ", &list);
                        log_error("Image %s is used by %s; not removed (--force removes the name anyway).",
                                  argv[i], strna(list));
                        ret = CTRCTL_EXIT_FAILURE;
                        continue;
                }
                r = image_store_untag(s, argv[i], &n_removed);
                if (r == -ENOENT)
                        ret = image_resolve_failed(r, argv[i], NULL);
                else if (r < 0) {
                        log_error_errno(r, "Cannot remove image %s: %m", argv[i]);
                        ret = CTRCTL_EXIT_FAILURE;
                } else
                        printf("Untagged %u reference%s of %s.\n", n_removed, n_removed == 1 ? "" : "s",
                               argv[i]);
        }
finish:
        image_users_free(users, n_users);
        return ret;
}

int image_verb_prune(int argc, char *argv[]) {
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_strv_free_ char **keep = NULL;
        ImagePruneStats stats = {};
        ImageUser *users = NULL;
        size_t n_users = 0;
        char size[FORMAT_BYTES_MAX];
        int i, r, status;

        i = image_verb_begin(argc, argv, NULL, NULL, NULL, false, false, &s, &status);
        if (i == 0)
                return status;
        if (s) {
                /* every image a container uses stays, named or not */
                r = image_users_collect(s, &users, &n_users);
                if (r < 0)
                        return log_error_errno(r, "Cannot find which containers use which image: %m");
                for (size_t k = 0; k < n_users; k++)
                        if (strv_extend(&keep, users[k].manifest_digest) < 0) {
                                image_users_free(users, n_users);
                                return log_oom();
                        }
                image_users_free(users, n_users);
                r = image_store_prune(s, keep, &stats);
                if (r < 0)
                        return log_error_errno(r, "Cannot prune the image store %s: %m", image_store_path(s));
        }
        printf("Removed %u layer%s and %u blob%s, reclaimed %s.\n", stats.layers, stats.layers == 1 ? "" : "s",
               stats.blobs, stats.blobs == 1 ? "" : "s", format_bytes(size, sizeof(size), stats.bytes));
        return CTRCTL_EXIT_SUCCESS;
}
