/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl image import|list|inspect|tag|rm|prune: the local image store (ctr-image(5)).
 *
 * This file: the sub-verb table, `import SOURCE [NAME[:TAG]] [--quiet]` (progress on a terminal) and
 * `tag REF NEW`. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctrctl-util.h"
#include "ctrctl.h"
#include "image-ctl.h"
#include "image-import.h"
#include "image-progress.h"
#include "log.h"
#include "paths.h"
#include "string-util.h"

/* Sorted by name; the help line as in ctrctl.c's table. */
static const Verb image_verbs[] = {
        { "image import",  1, 2,        image_verb_import,  0,
          "[--quiet] SOURCE [NAME[:TAG]]\tImport oci:DIR[:TAG], oci-archive:FILE[:TAG], "
          "docker-archive:FILE[:N] or a root filesystem tarball" },
        { "image inspect", 1, VERB_ANY, image_verb_inspect, 0,
          "[--json] REF…\tShow images: digests, layers, size and config" },
        { "image list",    0, 0,        image_verb_list,    0,
          "[--json]\tList images: name, tag, digest, size, creation" },
        { "image login",   1, 1,        image_verb_login,   0,
          "[-u USER] [--password-stdin] [--tls-verify=yes|no] [--no-verify] REGISTRY\tCheck credentials "
          "against a registry and save them (mode 0600)" },
        { "image logout",  1, 1,        image_verb_logout,  0,
          "REGISTRY\tRemove the saved credentials for a registry" },
        { "image prune",   0, 0,        image_verb_prune,   0,
          "\tRemove blobs and layers no image or container needs; print the space reclaimed" },
        { "image pull",    1, 1,        image_verb_pull,    0,
          "[--platform linux/ARCH] [--tls-verify=yes|no] [--quiet] [--progress-fd=N] REF\tPull an image from its registry" },
        { "image rm",      1, VERB_ANY, image_verb_rm,      0,
          "[--force] REF…\tRemove image references (refused while a container uses the image)" },
        { "image tag",     2, 2,        image_verb_tag,     0,
          "REF NEW\tName an image NEW (NAME[:TAG])" },
};

const Verb *image_verb_find(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(image_verbs); i++)
                if (streq(image_verbs[i].name + strlen("image "), name))
                        return &image_verbs[i];
        return NULL;
}

static void image_help(void) {
        printf("ctrctl image COMMAND …\n\nManage the local image store (ctr-image(5)).\n\nCommands:\n");
        for (size_t i = 0; i < ELEMENTSOF(image_verbs); i++) {
                const char *tab = strchr(image_verbs[i].help, '\t');

                printf("  %s %.*s\n      %s\n", image_verbs[i].name + strlen("image "),
                       (int) (tab - image_verbs[i].help), image_verbs[i].help, tab + 1);
        }
        printf("\nExit status: 0 success, 1 failure (or an image in use), 2 usage error, 4 no such image.\n"
               "See ctrctl(1).\n");
}

int verb_image(int argc, char *argv[]) {
        const Verb *v;

        if (argc < 2 || streq(argv[1], "--help") || streq(argv[1], "-h")) {
                if (argc < 2) {
                        log_error("Missing image command. See 'ctrctl image --help'.");
                        return CTRCTL_EXIT_USAGE;
                }
                image_help();
                return CTRCTL_EXIT_SUCCESS;
        }
        v = image_verb_find(argv[1]);
        if (!v) {
                log_error("Unknown image command '%s'. See 'ctrctl image --help'.", argv[1]);
                return CTRCTL_EXIT_USAGE;
        }
        return v->function(argc - 1, argv + 1);
}

int image_verb_begin(int argc, char *argv[], const struct option *options, const char *shortopts,
                     VerbOptionHandler handler, bool create, bool need_store, ImageStore **ret_store,
                     int *ret_status) {
        int i, r;

        i = verb_parse_options_for(image_verb_find(argv[0]), argc, argv, options, shortopts, handler);
        if (i <= 0) {
                *ret_status = i < 0 ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_SUCCESS;
                return 0;
        }
        r = image_store_open(NULL, create, ret_store);
        if (r == -ENOENT && !create) {
                *ret_store = NULL;
                if (!need_store)
                        return i;
                *ret_status = image_resolve_failed(-ENOENT, argv[i], NULL);
                return 0;
        }
        if (r < 0) {
                log_error_errno(r, "Cannot open the image store in %s/images: %m", state_dir());
                *ret_status = CTRCTL_EXIT_FAILURE;
                return 0;
        }
        return i;
}

int image_resolve_failed(int r, const char *reference, const char *error) {
        if (r == -ENOENT) {
                log_error("No image '%s' in the store. Import it: ctrctl image import SOURCE NAME[:TAG].",
                          reference);
                return CTRCTL_EXIT_NO_SUCH;
        }
        if (error)
                log_error("%s", error);
        else
                log_error_errno(r, "Cannot resolve image '%s': %m", reference);
        return CTRCTL_EXIT_FAILURE;
}

static bool arg_quiet = false;

static int import_option(int c, _unused_ const char *value) {
        if (c != 'q')
                return -EINVAL;
        arg_quiet = true;
        return 0;
}

int image_verb_import(int argc, char *argv[]) {
        static const struct option options[] = {
                { "quiet", no_argument, NULL, 'q' },
                {}
        };
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_image_free_ Image *image = NULL;
        _cleanup_free_ char *error = NULL;
        _cleanup_(progress_display_freep) ProgressDisplay *display = NULL;
        ImageImportOptions o = {};
        int i, r, status;

        i = image_verb_begin(argc, argv, options, "q", import_option, true, false, &s, &status);
        if (i == 0)
                return status;
        o.name = i + 1 < argc ? argv[i + 1] : NULL;
        if (!arg_quiet && isatty(STDERR_FILENO) && progress_display_new(&display) >= 0) {
                o.progress = progress_display_update;
                o.userdata = display;
        }
        r = image_import(s, argv[i], &o, &image, &error);
        display = progress_display_free(display);
        if (r < 0) {
                if (error)
                        log_error("Cannot import %s: %s", argv[i], error);
                else
                        log_error_errno(r, "Cannot import %s: %m", argv[i]);
                return r == -EINVAL ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_FAILURE;
        }
        if (!arg_quiet)
                fprintf(stderr, "Imported %s (%zu layer%s).\n", image->name, image->n_layers,
                        image->n_layers == 1 ? "" : "s");
        printf("%s\n", image->manifest_digest);
        return CTRCTL_EXIT_SUCCESS;
}

int image_verb_tag(int argc, char *argv[]) {
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_free_ char *error = NULL;
        int i, r, status;

        i = image_verb_begin(argc, argv, NULL, NULL, NULL, false, true, &s, &status);
        if (i == 0)
                return status;
        r = image_store_tag(s, argv[i], argv[i + 1], &error);
        if (r == -EINVAL) {
                log_error("%s", strna(error));
                return CTRCTL_EXIT_USAGE;
        }
        if (r < 0)
                return image_resolve_failed(r, argv[i], error);
        return CTRCTL_EXIT_SUCCESS;
}
