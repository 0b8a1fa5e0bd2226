/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctr-generator: a systemd generator (systemd.generator(7)) that turns every valid NAME.ctr on the search
 * path into a drop-in for the static template ctr@.service plus its [Install] symlinks. A bad file is
 * logged with file:line and skipped (the launcher then refuses to start it, with the same message); the
 * generator itself only fails when it cannot write its output. */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ctr-file.h"
#include "diagnostics.h"
#include "image-store-layout.h"
#include "log.h"
#include "paths.h"
#include "string-util.h"
#include "strv.h"
#include "unit-writer.h"
#include "version.h"

#ifndef CTR_UNIT_DIR
#define CTR_UNIT_DIR "/usr/lib/systemd/system"
#endif

#define EXIT_USAGE 2

static bool arg_dry_run = false;

static void help(void) {
        printf("%s [OPTIONS…] NORMAL-DIR [EARLY-DIR LATE-DIR]\n"
               "%s --dry-run\n\n"
               "Generates ctr@NAME.service drop-ins and [Install] symlinks from the .ctr files on the\n"
               "search path (CTR_CONFIG_PATH, or /etc/ctr /run/ctr /usr/local/lib/ctr /usr/lib/ctr).\n\n"
               "  -h --help      Show this help\n"
               "     --version   Show the version\n"
               "     --dry-run   Print what would be written instead of writing it\n\n"
               "See ctr-generator(8).\n",
               program_invocation_short_name, program_invocation_short_name);
}

/* SYSTEMD_LOG_TARGET as systemd's own generators read it, or CTR_LOG_TARGET; tests use "console". */
static void parse_log_target(void) {
        const char *e = getenv("CTR_LOG_TARGET") ?: getenv("SYSTEMD_LOG_TARGET");

        if (arg_dry_run)
                log_set_target(LOG_TARGET_STDERR);
        if (!e)
                return;
        if (strcasecmp(e, "console") == 0 || strcasecmp(e, "stderr") == 0)
                log_set_target(LOG_TARGET_STDERR);
        else if (strcasecmp(e, "kmsg") == 0)
                log_set_target(LOG_TARGET_KMSG);
        else if (strcasecmp(e, "journal") == 0 || strcasecmp(e, "journal-or-kmsg") == 0)
                log_set_target(LOG_TARGET_JOURNAL);
}

static int parse_argv(int argc, char *argv[], const char **ret_dir) {
        enum { ARG_VERSION = 0x100, ARG_DRY_RUN };
        static const struct option options[] = {
                { "help",    no_argument, NULL, 'h'         },
                { "version", no_argument, NULL, ARG_VERSION },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                {}
        };
        int c, n;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("ctr-generator %s\n", PACKAGE_VERSION);
                        return 0;
                case ARG_DRY_RUN:
                        arg_dry_run = true;
                        break;
                default:
                        return -EINVAL;
                }

        /* systemd passes three directories; one is fine for a manual run; --dry-run needs none. */
        n = argc - optind;
        if (!(n == 1 || n == 3 || (arg_dry_run && n == 0))) {
                fprintf(stderr, "%s: expected one or three output directories, got %i. See --help.\n",
                        program_invocation_short_name, n);
                return -EINVAL;
        }

        *ret_dir = n > 0 ? argv[optind] : NULL;
        return 1;
}

/* Image=REF that the store does not hold (yet); the unit is generated all the same. A container that may pull
 * gets a notice (its start pulls it); one that may not (Pull=never, an image id) a warning: it has to be
 * imported or pulled before the start, which fails with the same hint otherwise. Silent when there is no store
 * at all: nothing imported yet, or /var not mounted yet when systemd runs generators. */
static void warn_image_missing(const Container *c) {
        /* opened at the first container with an image, kept for the run: -EBADF not yet, < -EBADF no store */
        static int store_fd = -EBADF;

        if (!c->image || streq(c->image, "host"))
                return;
        if (store_fd == -EBADF)
                store_fd = image_store_dir_open(state_dir());
        if (store_fd < 0 || image_store_has_reference_at(store_fd, c->image) != 0)
                return;
        if (container_may_pull(c))
                log_notice("Image=%s of '%s' is not in the local image store yet; ctr@%s.service pulls it when it "
                           "starts (Pull=%s).", c->image, c->name, c->name, pull_policy_to_string(c->pull));
        else
                log_warning("Image=%s of '%s' is not in the local image store; import or pull it before "
                            "ctr@%s.service starts (ctrctl image import …, ctrctl image pull …).", c->image,
                            c->name, c->name);
}

/* Writes one container's drop-in and symlinks. Returns < 0 only when the output cannot be written. */
static int generate_one(UnitOutput *out, const ContainerSource *s, const char *template_path) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_strv_free_ char **links = NULL;
        _cleanup_free_ char *dropin = NULL, *path = NULL;
        Diagnostics diag = {};
        size_t size;
        int r;

        if (s->masked) {
                log_debug("Container '%s' is masked, skipping.", s->name);
                return 0;
        }

        r = container_load_source(s, &diag, &c);
        (void) diagnostics_log(&diag, 0);
        diagnostics_clear(&diag);
        if (r == -EBADMSG) {
                /* The launcher parses the file again at start and fails with the same messages. */
                log_error("%s: invalid, not generating ctr@%s.service.",
                          s->path ?: (s->dropins ? s->dropins[0] : s->name), s->name);
                return 0;
        }
        if (r < 0) {
                log_error_errno(r, "Failed to load container '%s', skipping: %m", s->name);
                return 0;
        }

        warn_image_missing(c);

        r = unit_dropin_from_container(c, &diag, &dropin, &size);
        if (r >= 0)
                r = unit_install_symlinks(c, &diag, &links);
        (void) diagnostics_log(&diag, 0);
        diagnostics_clear(&diag);
        if (r < 0) {
                log_error_errno(r, "Failed to generate ctr@%s.service, skipping: %m", s->name);
                return 0;
        }

        path = strjoin("ctr@", c->name, ".service.d/" CTR_DROPIN_NAME);
        if (!path)
                return log_oom();
        r = unit_output_write_file(out, path, dropin, size);
        if (r < 0)
                return log_error_errno(r, "Failed to write '%s': %m", path);

        STRV_FOREACH(l, links) {
                r = unit_output_symlink(out, *l, template_path);
                if (r < 0)
                        return log_error_errno(r, "Failed to create symlink '%s': %m", *l);
        }

        return 0;
}

int main(int argc, char *argv[]) {
        _cleanup_strv_free_ char **search_path = NULL;
        ContainerSource *sources = NULL;
        UnitOutput out = { .dir_fd = -EBADF };
        Diagnostics diag = {};
        const char *dir = NULL;
        size_t n_sources = 0;
        int r, ret = EXIT_SUCCESS;

        log_set_program_name("ctr-generator");
        /* At boot systemd gives generators no terminal: the kernel log is where messages survive. Someone
         * running the generator by hand wants to see them. */
        log_set_target(isatty(STDERR_FILENO) ? LOG_TARGET_STDERR : LOG_TARGET_KMSG);
        log_parse_environment();

        r = parse_argv(argc, argv, &dir);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_SUCCESS;
        parse_log_target();

        r = ctr_search_path(&search_path);
        if (r < 0) {
                log_error_errno(r, "Failed to determine the search path: %m");
                return EXIT_SUCCESS;
        }

        /* Files whose names cannot be containers are warned about: an admin wonders why "my@web.ctr" does
         * nothing. */
        r = container_enumerate_full(search_path, &diag, &sources, &n_sources);
        (void) diagnostics_log(&diag, 0);
        diagnostics_clear(&diag);
        if (r < 0) {
                log_error_errno(r, "Failed to enumerate .ctr files: %m");
                return EXIT_SUCCESS;
        }

        /* systemd reads the directory only after we exit. */
        r = unit_output_open(&out, dir, arg_dry_run ? stdout : NULL, UNIT_OUTPUT_PRIVATE);
        if (r < 0) {
                log_error_errno(r, "Failed to open output directory '%s': %m", dir);
                ret = EXIT_FAILURE;
                goto finish;
        }

        for (size_t i = 0; i < n_sources; i++)
                if (generate_one(&out, &sources[i], CTR_UNIT_DIR "/" CTR_TEMPLATE_NAME) < 0)
                        ret = EXIT_FAILURE;

        if (arg_dry_run && fflush(stdout) != 0) {
                log_error_errno(EIO, "Failed to write to standard output: %m");
                ret = EXIT_FAILURE;
        }

finish:
        unit_output_close(&out);
        container_source_free_many(sources, n_sources);
        return ret;
}
