/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl convert [--output DIR] [--check] FILE.container|FILE.pod|DIR…
 *
 * Podman Quadlet units into .ctr files: each .container (with its FILE.container.d/ *.conf drop-ins) becomes
 * NAME.ctr (and NAME.ctr.d/ *.conf), through the converter's table (src/model/quadlet-*.c). A .pod makes its
 * containers share the namespaces of the first of them, and one without containers becomes its infra container
 * (NAME-pod.ctr); .volume, .network, .image and .build files are read for what the containers take from them
 * and reported with what to do instead; .kube, .build and .artifact files are not converted. Every converted file is loaded with ctr's own parser before it is written, so what is written
 * validates. Exit status: 0, CTRCTL_EXIT_NOT_TRANSLATED when something that affects isolation or data was not
 * translated (the file is written with a comment saying what), 1 when a file could not be read or converted. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "convert-files.h"
#include "ctr-file.h"
#include "ctrctl.h"
#include "fd-util.h"
#include "fileio.h"
#include "log.h"
#include "mkdir-util.h"
#include "path-util.h"
#include "quadlet-convert.h"
#include "string-util.h"
#include "strv.h"

static const char *arg_output = NULL;
static bool arg_check = false;
static bool arg_key_table = false;

enum {
        ARG_OUTPUT = VERB_OPTION_BASE,
        ARG_CHECK,
        ARG_KEY_TABLE,
};

static int handle_option(int c, const char *value) {
        switch (c) {
        case ARG_OUTPUT:
                arg_output = value;
                return 0;
        case ARG_CHECK:
                arg_check = true;
                return 0;
        case ARG_KEY_TABLE:
                arg_key_table = true;
                return 0;
        default:
                return -EINVAL;
        }
}

/* Feeds the assignments of |path| (f's main file or one of its drop-ins) into u; a pod's keys follow its
 * owner's main file (and its [Install] every member's), as the pod's own unit would have applied them. */
static int feed(QuadletUnit *u, const QuadletFile *f, const char *path, bool with_pod) {
        int r;

        /* the keys others depend on first (quadlet_key_first()), then the rest in their order */
        for (unsigned pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < f->n_items; i++) {
                        const Assignment *a = &f->items[i];
                        bool first = STR_IN_SET(a->section, "Container", "Pod") && quadlet_key_first(a->key);

                        if (!streq(a->file, path) || first != (pass == 0))
                                continue;
                        r = quadlet_unit_add(u, a->file, a->line, a->section, a->key, a->value);
                        if (r < 0)
                                return r;
                }
        if (!with_pod || !f->pod)
                return 0;
        for (size_t i = 0; i < f->pod->n_items; i++) {
                const Assignment *a = &f->pod->items[i];

                if (u->role == QUADLET_POD_MEMBER && !STR_IN_SET(a->section, "Pod", "Install"))
                        continue;
                r = quadlet_unit_add(u, a->file, a->line, a->section, a->key, a->value);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int write_output(int dir_fd, const char *subdir, const char *name, const char *text) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (subdir) {
                if (mkdirat(dir_fd, subdir, 0755) < 0 && errno != EEXIST)
                        return -errno;
                fd = openat(dir_fd, subdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                dir_fd = fd;
        }
        r = write_file_atomic_at(dir_fd, name, text, strlen(text), 0644);
        return r;
}

/* Line |line| (from 1) of *text replaced by a comment saying why ctr refuses it; 0 when it is a comment
 * already (nothing to do), 1 when replaced. */
static int comment_out_line(char **text, unsigned line, bool lost, const char *why, char **ret_line) {
        char *start = *text, *end, *n;

        for (unsigned i = 1; i < line && start; i++) {
                start = strchr(start, '\n');
                if (start)
                        start++;
        }
        if (!start || *start == '\0' || *start == '#')
                return 0;
        end = strchrnul(start, '\n');
        *ret_line = strndup(start, (size_t) (end - start));
        n = strprintf("%.*s# ctr convert: %s not translated%s: ctr refuses it: %s%s", (int) (start - *text), *text,
                      strempty(*ret_line), lost ? " (isolation or data)" : "", why, end);
        if (!n || !*ret_line)
                return -ENOMEM;
        free(*text);
        *text = n;
        return 1;
}

/* What is written must load: ctr's own parser has the last word. A line it refuses, or ignores with a
 * warning, is commented out with its message (a refused one counts as lost: only keys of isolation or data
 * are refused) and the whole is loaded again. 1 when it loads, 0 when it does not (reported). */
static int check_loads(Conversion *c, QuadletFile *f, const char *ctr, char **main_text, char **texts,
                       ConfigText *dropins, size_t n) {
        for (unsigned attempt = 0; attempt < 256; attempt++) {
                _cleanup_container_free_ Container *loaded = NULL;
                Diagnostics check = {};
                bool changed = false;
                int r;

                r = container_load_texts(f->name, &(ConfigText) { .path = ctr, .data = *main_text,
                                                                  .size = strlen(*main_text) },
                                         dropins, n, &check, &loaded);
                if (r == -ENOMEM)
                        return r;
                for (size_t i = 0; i < check.n; i++) {
                        const Diagnostic *d = &check.items[i];
                        _cleanup_free_ char *line = NULL;
                        char **text = NULL;

                        if (d->line == 0 || !d->file)
                                continue;
                        if (streq(d->file, ctr))
                                text = main_text;
                        for (size_t j = 0; j < n && !text; j++)
                                if (streq(d->file, dropins[j].path))
                                        text = &texts[j];
                        if (!text)
                                continue;
                        r = comment_out_line(text, d->line, d->level == DIAGNOSTIC_ERROR, d->message, &line);
                        if (r < 0) {
                                diagnostics_clear(&check);
                                return r;
                        }
                        if (r == 0)
                                continue;
                        changed = true;
                        if (d->level == DIAGNOSTIC_ERROR)
                                c->lost = true;
                        r = diagnostics_add(&c->diag, d->level, d->error, f->path, 0, NULL, NULL, NULL,
                                            "%s not translated%s: ctr refuses it: %s", line,
                                            d->level == DIAGNOSTIC_ERROR ? " (isolation or data)" : "", d->message);
                        if (r < 0) {
                                diagnostics_clear(&check);
                                return r;
                        }
                }
                for (size_t j = 0; j < n; j++)
                        dropins[j].data = texts[j], dropins[j].size = strlen(texts[j]);
                if (!changed) {
                        bool ok = r >= 0 && !diagnostics_has_errors(&check);

                        if (!ok) {
                                f->failed = true;
                                (void) diagnostics_log(&check, DIAGNOSTICS_PLAIN);
                        }
                        diagnostics_clear(&check);
                        if (ok)
                                return 1;
                        return diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, EINVAL, f->path, 0, NULL, NULL, NULL,
                                               "The converted %s does not load (above): not written.", ctr);
                }
                diagnostics_clear(&check);
        }
        f->failed = true;
        return 0;
}

/* Converts one .container (and its drop-ins), checks the result with ctr's parser, and writes or prints it. */
static int convert_container(Conversion *c, QuadletFile *f, const QuadletLookup *lookup, int out_fd) {
        _cleanup_strv_free_ char **texts = NULL;
        _cleanup_free_ char *header = NULL, *main_text = NULL, *ctr = NULL;
        _cleanup_free_ ConfigText *dropins = NULL;
        QuadletUnit u;
        size_t n = strv_length(f->dropins);
        bool root;
        int r;

        if (!container_name_is_valid(f->name)) {
                const char *at = strchr(f->name, '@');

                /* ctr@NAME.service is itself the template: a .ctr is one container, its name takes no '@'; an
                 * instance (or a template's DefaultInstance=) is converted into PREFIX-INSTANCE */
                r = at && !at[1] ?
                        diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, EINVAL, f->path, 0, NULL, NULL, NULL,
                                        "%s is a Quadlet template without DefaultInstance=, and ctr has no template "
                                        ".ctr files: not converted; convert its instances (%sINSTANCE.container, "
                                        "links to it), each into %.*s-INSTANCE.ctr, or give it DefaultInstance=.",
                                        f->base, f->name, (int) (at - f->name), f->name) :
                        diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, EINVAL, f->path, 0, NULL, NULL, NULL,
                                        "'%s' is not a container name ctr takes (a name with '/' or another "
                                        "character a systemd instance cannot have): not converted; give it "
                                        "ServiceName=.", f->name);
                f->failed = true;
                return r < 0 ? -ENOMEM : 0;
        }

        ctr = strprintf("%s.ctr", f->name);
        header = strprintf("# ctr convert: %s from %s", ctr, f->path);
        if (!ctr || !header)
                return -ENOMEM;
        quadlet_unit_init(&u, f->name, f->dir, true, f->role, f->pod ? f->pod->reference : NULL, lookup, &c->diag);
        u.prefix = f->prefix;
        u.instance = f->instance;
        r = feed(&u, f, f->path, true);
        if (r >= 0 && streq(f->suffix, ".pod"))
                r = quadlet_unit_add_infra(&u);
        if (r >= 0)
                r = quadlet_unit_finish(&u, header, &main_text);
        root = u.root_set;
        c->lost = c->lost || u.lost;
        quadlet_unit_done(&u);
        if (r < 0)
                return r;

        dropins = calloc(n + 1, sizeof(ConfigText));
        if (!dropins)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                char *text;

                quadlet_unit_init(&u, f->name, f->dir, false, f->role, f->pod ? f->pod->reference : NULL, lookup,
                                  &c->diag);
                u.prefix = f->prefix;
                u.instance = f->instance;
                header = mfree(header);
                header = strprintf("# ctr convert: %s.d/%s from %s", ctr, path_basename(f->dropins[i]),
                                   f->dropins[i]);
                r = header ? feed(&u, f, f->dropins[i], false) : -ENOMEM;
                if (r >= 0)
                        r = quadlet_unit_finish(&u, header, &text);
                root = root || u.root_set;
                c->lost = c->lost || u.lost;
                quadlet_unit_done(&u);
                if (r < 0 || (r = strv_consume(&texts, text)) < 0)
                        return r;
                dropins[i] = (ConfigText) { .path = f->dropins[i], .data = texts[i], .size = strlen(texts[i]) };
        }

        if (!root) {
                f->failed = true;
                return diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, EINVAL, f->path, 0, NULL, NULL, NULL,
                                       "No Image= or Rootfs= that ctr can use: not converted.");
        }

        r = check_loads(c, f, ctr, &main_text, texts, dropins, n);
        if (r <= 0)
                return r;

        if (arg_check)
                return 0;
        if (out_fd < 0) {
                printf("%s%s", c->printed ? "\n" : "", main_text);
                c->printed = true;
                for (size_t i = 0; i < n; i++)
                        printf("\n%s", texts[i]);
                return 0;
        }
        r = write_output(out_fd, NULL, ctr, main_text);
        for (size_t i = 0; r >= 0 && i < n; i++) {
                _cleanup_free_ char *d = strprintf("%s.d", ctr);
                r = d ? write_output(out_fd, d, path_basename(f->dropins[i]), texts[i]) : -ENOMEM;
        }
        if (r < 0) {
                f->failed = true;
                return log_error_errno(r, "Failed to write %s into '%s': %m", ctr, arg_output) == -ENOMEM ? r : 0;
        }
        return 0;
}

/* The files ctr has no unit for: what the containers took from them, and what to do instead. */
static int report_other(Conversion *c, QuadletFile *f) {
        const char *what;
        bool error = false;

        if (streq(f->suffix, ".volume"))
                what = "ctr creates a named volume on first use (Volume=NAME:PATH, in /var/lib/ctr/volumes/NAME); "
                       "the containers naming it get its name. Device=, Type= and Options= have no counterpart: "
                       "mount the file system on the host and bind it with Volume=PATH:DESTINATION";
        else if (streq(f->suffix, ".network"))
                what = "bridged containers share ctr's bridge, ctr0 (Network=bridge, addresses from 10.121.0.0/16, "
                       "names in /etc/hosts), which podman's networks are like unless Internal= or Options=isolate "
                       "closes them (the containers on such a one are reported); Subnet= and the like have no "
                       "counterpart: IPAddressDeny= and IPAddressAllow= confine a container";
        else if (streq(f->suffix, ".image"))
                what = f->reference ? "the containers naming it get its Image= (or ImageTag=); pull it with "
                                      "ctrctl image pull, or leave it to the containers' Pull="
                                    : "it has no Image=";
        else if (streq(f->suffix, ".pod")) {
                _cleanup_free_ char *owner = strprintf("the containers naming it in Pod= share the "
                                                       "namespaces of the first of them by name, %s, which gets "
                                                       "its keys%s", strna(f->reference),
                                                       f->promoted ? " (converted with it)" : ": convert them");
                if (!owner)
                        return -ENOMEM;
                return diagnostics_add(&c->diag, DIAGNOSTIC_WARNING, EOPNOTSUPP, f->path, 0, NULL, NULL, NULL,
                                       "%s not converted itself: %s.", f->base, owner);
        }
        else {
                error = true;
                what = streq(f->suffix, ".build") ? "ctr builds no images: build it with podman build or buildah, "
                                                    "then ctrctl image import it" :
                       streq(f->suffix, ".kube") ? "ctr runs no Kubernetes YAML: write a .ctr file per container "
                                                   "of the pod (Network=container: joins them)" :
                                                   "ctr has no OCI artifacts: bind the files with Volume=";
        }
        if (error)
                f->failed = true;
        return diagnostics_add(&c->diag, error ? DIAGNOSTIC_ERROR : DIAGNOSTIC_WARNING, EOPNOTSUPP, f->path, 0, NULL,
                               NULL, NULL, "%s not converted: %s.", f->base, what);
}

/* docs/quadlet-keys.md, from the table itself. */
static int print_key_table(void) {
        printf("<!-- Generated by `ctrctl convert --key-table` from src/model/quadlet-table.c: do not edit. -->\n"
               "# Quadlet keys in ctr\n\n"
               "What `ctrctl convert` (ctrctl(1)) makes of every key of Podman Quadlet's `[Container]` and `[Pod]`\n"
               "sections (podman-systemd.unit(5)). **Y**: translated; **P**: the value forms the note names are\n"
               "translated; **N**: not translated, the key is dropped with a comment saying why. *Lost* marks keys\n"
               "whose untranslated values would leave the container less isolated or lose data: convert then exits\n"
               "with status 6. How it does on Quadlet's own test corpus, and why some files do not convert:\n"
               "[convert.md](convert.md).\n\n"
               "| Key | Sections | ctr | Status | Lost | Note |\n"
               "|---|---|---|---|---|---|\n");
        for (size_t i = 0; quadlet_key_nth(i); i++) {
                const QuadletKey *k = quadlet_key_nth(i);
                bool plain = k->ctr && in_charset(k->ctr, LETTERS);

                printf("| `%s=` | %s | %s%s%s%s | %s | %s | %s |\n", k->name,
                       k->sections == (QUADLET_CONTAINER | QUADLET_POD) ? "Container, Pod" :
                       k->sections == QUADLET_POD ? "Pod" : "Container",
                       k->ctr ? "`" : "", k->ctr ?: "", plain ? "=" : "", k->ctr ? "`" : "",
                       quadlet_status_to_string(k->status), k->lost && k->status != QUADLET_YES ? "yes" : "",
                       k->note);
        }
        return fflush(stdout) == 0 ? 0 : -EIO;
}

int verb_convert(int argc, char *argv[]) {
        static const struct option options[] = {
                { "output",    required_argument, NULL, ARG_OUTPUT    },
                { "check",     no_argument,       NULL, ARG_CHECK     },
                { "key-table", no_argument,       NULL, ARG_KEY_TABLE },
                {}
        };
        Conversion c = {};
        QuadletLookup lookup;
        _cleanup_close_ int out_fd = -EBADF;
        int r, first;

        conversion_lookup(&c, &lookup);
        first = verb_parse_options(argc, argv, options, NULL, handle_option);
        if (first <= 0)
                return first < 0 ? CTRCTL_EXIT_USAGE : CTRCTL_EXIT_SUCCESS;
        if (arg_key_table)
                return print_key_table() < 0 ? CTRCTL_EXIT_FAILURE : CTRCTL_EXIT_SUCCESS;
        if (first >= argc) {
                log_error("Too few arguments for 'convert'.");
                return CTRCTL_EXIT_USAGE;
        }
        if (arg_check && arg_output) {
                log_error("--check writes nothing: it takes no --output.");
                return CTRCTL_EXIT_USAGE;
        }

        for (int i = first; i < argc; i++) {
                r = conversion_add_argument(&c, argv[i]);
                if (r == -EINVAL) {     /* not a Quadlet unit: a usage error, as ctrctl(1) documents */
                        conversion_done(&c);
                        return CTRCTL_EXIT_USAGE;
                }
                if (r < 0)
                        goto finish;
        }
        r = conversion_add_siblings(&c);
        if (r < 0)
                goto finish;
        r = conversion_index(&c);
        if (r < 0)
                goto finish;

        if (arg_output) {
                r = mkdir_p(arg_output, 0755, 0755);
                if (r < 0) {
                        log_error_errno(r, "Failed to create '%s': %m", arg_output);
                        goto finish;
                }
                out_fd = open(arg_output, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (out_fd < 0) {
                        r = log_error_errno(errno, "Failed to open '%s': %m", arg_output);
                        goto finish;
                }
        }

        for (size_t i = 0; i < c.n_files; i++) {
                QuadletFile *f = &c.files[i];

                if (f->failed || f->sibling)
                        r = 0;
                else if (streq(f->suffix, ".container") || (streq(f->suffix, ".pod") && f->name))
                        r = convert_container(&c, f, &lookup, out_fd);
                else
                        r = report_other(&c, f);
                if (r < 0) {
                        log_oom();
                        goto finish;
                }
                c.failed = c.failed || (f->failed && !f->sibling);
        }
        r = 0;

finish:
        (void) diagnostics_log(&c.diag, DIAGNOSTICS_PLAIN);
        conversion_done(&c);
        if (fflush(stdout) != 0 && r >= 0)
                r = log_error_errno(EIO, "Failed to write output: %m");
        if (r < 0 || c.failed)
                return CTRCTL_EXIT_FAILURE;
        return c.lost ? CTRCTL_EXIT_NOT_TRANSLATED : CTRCTL_EXIT_SUCCESS;
}
