/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl convert's inputs (convert-files.h): reading Quadlet files and their drop-ins, the files beside them
 * they refer to, and resolving the references between them. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf-parser.h"
#include "container.h"
#include "convert-files.h"
#include "ctr-file.h"
#include "fileio.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

static const char *const suffixes[] = {
        ".container", ".pod", ".volume", ".network", ".image", ".kube", ".build", ".artifact", NULL,
};

static void clear_items(QuadletFile *f) {
        for (size_t i = 0; i < f->n_items; i++) {
                free(f->items[i].section);
                free(f->items[i].key);
                free(f->items[i].value);
                free(f->items[i].file);
        }
        f->items = mfree(f->items);
        f->n_items = 0;
        f->dropins = strv_free(f->dropins);
}

static void quadlet_file_done(QuadletFile *f) {
        clear_items(f);
        free(f->path);
        free(f->dir);
        free(f->base);
        free(f->name);
        free(f->prefix);
        free(f->instance);
        free(f->reference);
}

static int collect(const char *file, unsigned line, const char *section, const char *key, const char *value,
                   void *userdata) {
        QuadletFile *f = userdata;
        Assignment *a;

        if (!key)
                return 0;
        a = reallocarray(f->items, f->n_items + 1, sizeof(Assignment));
        if (!a)
                return -ENOMEM;
        f->items = a;
        a = &f->items[f->n_items];
        *a = (Assignment) {
                .section = strdup(section),
                .key = strdup(key),
                .value = strdup(value),
                .file = strdup(file),
                .line = line,
        };
        f->n_items++;
        return a->section && a->key && a->value && a->file ? 0 : -ENOMEM;
}

/* Quadlet continues a line that ends in a backslash and then blanks ("Exec=a \ "), where systemd and ctr
 * take the backslash as the value's: those blanks are removed (in place), so the line continues here too. */
static void strip_blanks_after_continuation(char *text, size_t *size) {
        size_t in = 0, out = 0;

        while (in < *size) {
                size_t n = strcspn(text + in, "\n"), end = n, backslashes = 0;

                while (end > 0 && strchr(" \t\r", text[in + end - 1]))
                        end--;
                while (backslashes < end && text[in + end - 1 - backslashes] == '\\')
                        backslashes++;
                if (backslashes % 2 == 0)
                        end = n;        /* not a continuation: the line as it is */
                memmove(text + out, text + in, end);
                out += end;
                in += n;
                if (in < *size)
                        text[out++] = text[in++];       /* the newline */
        }
        text[out] = '\0';
        *size = out;
}

static int parse_one(Conversion *c, QuadletFile *f, const char *path) {
        _cleanup_free_ char *text = NULL;
        Diagnostics quiet = {};
        size_t size;
        int r;

        r = read_text_file(path, QUADLET_FILE_MAX, &text, &size);
        if (r < 0) {
                f->failed = true;
                return diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, -r, path, 0, NULL, NULL, NULL,
                                       "Failed to read: %s", strerror(-r));
        }
        strip_blanks_after_continuation(text, &size);
        /* a file beside the converted ones is read for what they take from it: its own faults are reported
         * when it is converted itself */
        r = conf_parse_buffer(path, text, size, CTR_LINE_MAX, collect, f, f->sibling ? &quiet : &c->diag);
        diagnostics_clear(&quiet);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                f->failed = true;
        return 0;
}

static int compare_basenames(const void *a, const void *b) {
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

/* The *.conf of |dir| not yet in *paths (by name) added to it. */
static int list_dropins(const char *dir, char ***paths) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = dir_list_names(AT_FDCWD, dir, &names);
        if (r < 0 && r != -ENOENT && r != -ENOTDIR)
                return log_error_errno(r, "Failed to read '%s': %m", dir);
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = NULL;
                bool seen = false;

                if (!endswith(*n, ".conf") || (*n)[0] == '.')
                        continue;
                STRV_FOREACH(q, *paths)
                        seen = seen || streq(path_basename(*q), *n);
                if (seen)
                        continue;
                if (path_join(dir, *n, &p) < 0 || strv_consume(paths, TAKE_PTR(p)) < 0)
                        return log_oom();
        }
        return 0;
}

/* Parses f's main file and its drop-ins: FILE.container.d/ *.conf, and of an instance of a template
 * (PREFIX@INSTANCE.container) also PREFIX@.container.d/ *.conf, as Quadlet reads them (the instance's own
 * file of a name replacing the template's), in name order. */
static int parse_file(Conversion *c, QuadletFile *f) {
        _cleanup_free_ char *own = NULL, *template = NULL;
        const char *at = strchr(f->base, '@');
        bool instance = at && f->suffix && !startswith(at + 1, f->suffix);
        int r;

        r = parse_one(c, f, f->path);
        if (r < 0)
                return log_oom();

        own = strprintf("%s/%s.d", f->dir, f->base);
        if (!own)
                return log_oom();
        if (instance) {
                template = strprintf("%s/%.*s@%s.d", f->dir, (int) (at - f->base), f->base, f->suffix);
                if (!template)
                        return log_oom();
        }
        r = list_dropins(own, &f->dropins);
        if (r >= 0 && template)
                r = list_dropins(template, &f->dropins);
        if (r < 0)
                return r;
        if (f->dropins)
                qsort(f->dropins, strv_length(f->dropins), sizeof(char *), compare_basenames);
        STRV_FOREACH(p, f->dropins) {
                r = parse_one(c, f, *p);
                if (r < 0)
                        return log_oom();
        }
        return 0;
}

static int add_file(Conversion *c, const char *path, bool sibling) {
        _cleanup_free_ char *parent = NULL, *dir = NULL;
        QuadletFile *files, *f;
        const char *base = path_basename(path);

        /* the file by the name it is found under (a template's instance is often a link to the template),
         * in its directory's real path (relative paths in it are resolved there) */
        parent = strndup(path, (size_t) (base - path));
        if (!parent)
                return log_oom();
        dir = realpath(isempty(parent) ? "." : parent, NULL);
        if (!dir || access(path, F_OK) < 0)
                return log_error_errno(errno, "Failed to resolve '%s': %m", path);
        files = reallocarray(c->files, c->n_files + 1, sizeof(QuadletFile));
        if (!files)
                return log_oom();
        c->files = files;
        f = &c->files[c->n_files++];
        *f = (QuadletFile) { .sibling = sibling, .dir = TAKE_PTR(dir) };

        f->path = strdup(path);
        f->base = strdup(base);
        if (!f->path || !f->base)
                return log_oom();
        STRV_FOREACH(s, (char **) suffixes)
                if (endswith(base, *s))
                        f->suffix = *s;
        return parse_file(c, f);
}

int conversion_add_argument(Conversion *c, const char *arg) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = dir_list_names(AT_FDCWD, arg, &names);
        if (r == -ENOTDIR) {
                bool known = false;

                STRV_FOREACH(s, (char **) suffixes)
                        known = known || endswith(arg, *s);
                if (!known) {
                        log_error("'%s' is not a Quadlet unit (.container, .pod, .volume, .network, .image, .kube, "
                                  ".build, .artifact).", arg);
                        return -EINVAL;
                }
                return add_file(c, arg, false);
        }
        if (r < 0)
                return log_error_errno(r, "Failed to read '%s': %m", arg);
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = NULL;
                bool known = false;

                STRV_FOREACH(s, (char **) suffixes)
                        known = known || endswith(*n, *s);
                if (!known || (*n)[0] == '.')
                        continue;
                if (path_join(arg, *n, &p) < 0)
                        return log_oom();
                r = add_file(c, p, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool is_loaded(Conversion *c, const char *path) {
        _cleanup_free_ char *abs = realpath(path, NULL);

        for (size_t i = 0; abs && i < c->n_files; i++) {
                _cleanup_free_ char *other = realpath(c->files[i].path, NULL);
                if (other && streq(other, abs))
                        return true;
        }
        return !abs;
}

static int add_sibling(Conversion *c, const char *dir, const char *name) {
        _cleanup_free_ char *p = NULL;

        if (strchr(name, '/') || path_join(dir, name, &p) < 0)
                return p ? 0 : log_oom();
        if (is_loaded(c, p))
                return 0;
        return add_file(c, p, true);
}

/* Every .container in |dir|, as siblings: the members of a pod are found by reading them. */
static int add_containers_beside(Conversion *c, const char *dir) {
        _cleanup_strv_free_ char **names = NULL;
        int r = 0;

        if (dir_list_names(AT_FDCWD, dir, &names) < 0)
                return 0;
        STRV_FOREACH(n, names)
                if (r >= 0 && endswith(*n, ".container") && (*n)[0] != '.')
                        r = add_sibling(c, dir, *n);
        return r;
}

/* Quadlet finds the units a file refers to (NAME.image, NAME.build, NAME.volume also in Mount=, NAME.pod,
 * NAME.container) in its search path: those beside a file converted alone are read too, for what it takes from them, and so are
 * the other containers of its pod (its owner is the first of them by name), or of a .pod converted alone. */
int conversion_add_siblings(Conversion *c) {
        for (size_t i = 0; i < c->n_files; i++) {
                if (streq(c->files[i].suffix, ".pod") && !c->files[i].sibling) {
                        _cleanup_free_ char *dir = strdup(c->files[i].dir);
                        int r;

                        if (!dir)
                                return log_oom();
                        r = add_containers_beside(c, dir);
                        if (r < 0)
                                return r;
                }
                for (size_t j = 0; j < c->files[i].n_items; j++) {
                        _cleanup_free_ char *dir = strdup(c->files[i].dir), *ref = NULL;
                        const Assignment *a = &c->files[i].items[j];
                        const char *v = a->value, *src;
                        int r = 0;

                        if (!dir || !(ref = strndup(v, strcspn(v, ":"))))
                                return log_oom();
                        if (!STR_IN_SET(a->section, "Container", "Pod") || c->files[i].sibling)
                                continue;
                        if ((streq(a->key, "Image") && (endswith(v, ".image") || endswith(v, ".build"))) ||
                            (STR_IN_SET(a->key, "Volume", "Network") &&
                             (endswith(ref, ".volume") || endswith(ref, ".container") || endswith(ref, ".network"))))
                                r = add_sibling(c, dir, ref);
                        else if (streq(a->key, "Pod") && endswith(v, ".pod")) {
                                r = add_sibling(c, dir, v);
                                if (r >= 0)
                                        r = add_containers_beside(c, dir);
                        } else if (streq(a->key, "Mount") && (src = strstr(v, "source=") ?: strstr(v, "src="))) {
                                _cleanup_free_ char *source = NULL;

                                src += strcspn(src, "=") + 1;
                                source = strndup(src, strcspn(src, ",\" "));
                                if (!source)
                                        return log_oom();
                                if (endswith(source, ".volume"))
                                        r = add_sibling(c, dir, source);
                        }
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* The last value of |section| |key| in f (main file and drop-ins), or NULL. */
static const char *lookup_last(const QuadletFile *f, const char *section, const char *key) {
        const char *v = NULL;

        for (size_t i = 0; i < f->n_items; i++)
                if (streq(f->items[i].section, section) && streq(f->items[i].key, key))
                        v = f->items[i].value;
        return v;
}

static QuadletFile *find_base(Conversion *c, const char *base) {
        for (size_t i = 0; i < c->n_files; i++)
                if (streq(c->files[i].base, base))
                        return &c->files[i];
        return NULL;
}

static const char *lookup_container(void *userdata, const char *ref) {
        Conversion *c = userdata;
        const char *s;

        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i];
                _cleanup_free_ char *service = NULL, *podman = NULL;
                const char *cn;

                if (!f->name || !streq(f->suffix, ".container"))
                        continue;
                if (streq(ref, f->base))
                        return f->name;
                /* the Quadlet service (ServiceName= or the file's name), and the podman container's name */
                s = lookup_last(f, "Container", "ServiceName");
                service = s ? strprintf("%s.service", s) :
                              strprintf("%.*s.service", (int) (strlen(f->base) - strlen(".container")), f->base);
                podman = strprintf("systemd-%.*s", (int) (strlen(f->base) - strlen(".container")), f->base);
                cn = lookup_last(f, "Container", "ContainerName");
                if (!service || !podman)
                        return NULL;
                if (streq(ref, service) || streq(ref, podman) || streq_ptr(ref, cn))
                        return f->name;
        }
        return NULL;
}

static const char *lookup_reference(Conversion *c, const char *ref, const char *suffix) {
        QuadletFile *f = endswith(ref, suffix) ? find_base(c, ref) : NULL;
        return f ? f->reference : NULL;
}

static const char *lookup_volume(void *userdata, const char *ref) {
        return lookup_reference(userdata, ref, ".volume");
}

static const char *lookup_image(void *userdata, const char *ref) {
        return lookup_reference(userdata, ref, ".image") ?: lookup_reference(userdata, ref, ".build");
}

static const char *lookup_pod(void *userdata, const char *ref) {
        return lookup_reference(userdata, ref, ".pod");
}

static const char *lookup_network(void *userdata, const char *ref) {
        return lookup_reference(userdata, ref, ".network");
}

/* What a .network stands for to the containers on it (QuadletLookup.network): "" when it is open to
 * podman's other networks, as ctr0 is, else why it is not. */
static int network_reach(const QuadletFile *f, char **ret) {
        const char *internal = lookup_last(f, "Network", "Internal");

        if (internal && parse_boolean(internal) > 0) {
                *ret = strprintf("%s has Internal=%s, no way out", f->base, internal);
                return *ret ? 0 : -ENOMEM;
        }
        for (size_t i = 0; i < f->n_items; i++) {
                const Assignment *a = &f->items[i];
                _cleanup_strv_free_ char **opts = NULL;

                if (!streq(a->section, "Network") || !streq(a->key, "Options"))
                        continue;
                if (strv_split(a->value, ",", &opts) < 0)
                        return -ENOMEM;
                STRV_FOREACH(o, opts) {
                        const char *v = startswith(*o, "isolate=");

                        if (streq(*o, "isolate") || (v && parse_boolean(v) != 0)) {
                                *ret = strprintf("%s has Options=%s, which keeps podman's other networks out",
                                                 f->base, *o);
                                return *ret ? 0 : -ENOMEM;
                        }
                }
        }
        *ret = strdup("");
        return *ret ? 0 : -ENOMEM;
}

static int strip_suffix(const char *base, const char *suffix, char **ret) {
        *ret = strndup(base, strlen(base) - strlen(suffix));
        return *ret ? 0 : -ENOMEM;
}

/* PREFIX@INSTANCE (or PREFIX@ with DefaultInstance=INSTANCE): ctr's name for it is PREFIX-INSTANCE, since
 * ctr@.service is itself the template and a ctr name takes no '@'. A template with no instance keeps its
 * name, which convert refuses. */
static int name_template_instance(QuadletFile *f) {
        const char *at = strchr(f->name, '@'), *v;

        if (!at)
                return 0;
        v = at[1] ? at + 1 : lookup_last(f, "Install", "DefaultInstance");
        if (isempty(v))
                return 0;
        f->prefix = strndup(f->name, (size_t) (at - f->name));
        f->instance = strdup(v);
        if (!f->prefix || !f->instance)
                return -ENOMEM;
        free(f->name);
        f->name = strprintf("%s-%s", f->prefix, f->instance);
        return f->name ? 0 : -ENOMEM;
}

/* The containers of a pod converted alone are converted with it (they were read beside it as siblings,
 * quietly: they are parsed again so that their own faults are reported). */
static int promote_members(Conversion *c) {
        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i];

                if (!f->sibling || !f->pod || f->pod->sibling || !container_name_is_valid(f->name))
                        continue;
                clear_items(f);
                f->sibling = false;
                f->failed = false;
                if (parse_file(c, f) < 0)
                        return -ENOMEM;
                f->pod->promoted = true;
        }
        return 0;
}

/* Names every container, resolves what .volume, .image and .pod files stand for, and who owns each pod; two
 * files that would be written as one NAME.ctr are reported, and the second is not converted. */
int conversion_index(Conversion *c) {
        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i];
                const char *v;

                if (streq(f->suffix, ".container")) {
                        v = lookup_last(f, "Container", "ServiceName");
                        if (v ? !(f->name = strdup(v)) : strip_suffix(f->base, ".container", &f->name) < 0)
                                return log_oom();
                        if (!v && name_template_instance(f) < 0)
                                return log_oom();
                } else if (streq(f->suffix, ".volume")) {
                        v = lookup_last(f, "Volume", "VolumeName");
                        f->reference = v ? strdup(v) : strprintf("systemd-%.*s",
                                                                 (int) (strlen(f->base) - strlen(".volume")), f->base);
                        if (!f->reference)
                                return log_oom();
                } else if (streq(f->suffix, ".network")) {
                        if (network_reach(f, &f->reference) < 0)
                                return log_oom();
                } else if (streq(f->suffix, ".image")) {
                        v = lookup_last(f, "Image", "ImageTag") ?: lookup_last(f, "Image", "Image");
                        if (v && !(f->reference = strdup(v)))
                                return log_oom();
                } else if (streq(f->suffix, ".build")) {
                        /* the image a .build makes is its first ImageTag= */
                        for (size_t j = 0; j < f->n_items && !f->reference; j++)
                                if (streq(f->items[j].section, "Build") && streq(f->items[j].key, "ImageTag") &&
                                    !isempty(f->items[j].value) && !(f->reference = strdup(f->items[j].value)))
                                        return log_oom();
                }
        }

        /* A pod's owner is the first of its containers by name (of those ctr can name: not a template): it
         * joins no one, the others join it. */
        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i], *pod;
                const char *v = f->name ? lookup_last(f, "Container", "Pod") : NULL;

                if (!v || !(pod = find_base(c, v)) || !streq(pod->suffix, ".pod"))
                        continue;
                f->pod = pod;
                if (!container_name_is_valid(f->name))
                        continue;
                if (!pod->reference || strcmp(f->name, pod->reference) < 0)
                        if (free_and_strdup(&pod->reference, f->name) < 0)
                                return log_oom();
        }
        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i];
                const char *v;

                if (f->pod)
                        f->role = streq_ptr(f->name, f->pod->reference) ? QUADLET_POD_OWNER : QUADLET_POD_MEMBER;
                /* A pod no container names is its infra container alone, as podman runs it: it holds the pod's
                 * network, and is named as Quadlet names the pod's service (NAME-pod, or ServiceName=). */
                if (streq(f->suffix, ".pod") && !f->reference && !f->sibling) {
                        v = lookup_last(f, "Pod", "ServiceName");
                        f->name = v ? strdup(v) : strprintf("%.*s-pod", (int) (strlen(f->base) - strlen(".pod")),
                                                            f->base);
                        if (!f->name || !(f->reference = strdup(f->name)))
                                return log_oom();
                        f->role = QUADLET_POD_OWNER;
                }
        }

        if (promote_members(c) < 0)
                return log_oom();

        /* Two files converted into one NAME.ctr: the second would replace the first without a word. */
        for (size_t i = 0; i < c->n_files; i++) {
                QuadletFile *f = &c->files[i];

                for (size_t j = 0; j < i && f->name && !f->sibling && !f->failed; j++) {
                        const QuadletFile *g = &c->files[j];

                        if (g->sibling || g->failed || !streq_ptr(g->name, f->name))
                                continue;
                        if (diagnostics_add(&c->diag, DIAGNOSTIC_ERROR, EEXIST, f->path, 0, NULL, NULL, NULL,
                                            "%s would be %s.ctr, which %s is converted into: not converted (give "
                                            "one of them another ServiceName=).", f->base, f->name, g->path) < 0)
                                return log_oom();
                        f->failed = true;
                }
        }
        return 0;
}

void conversion_lookup(Conversion *c, QuadletLookup *ret) {
        *ret = (QuadletLookup) {
                .userdata = c,
                .container = lookup_container,
                .volume = lookup_volume,
                .image = lookup_image,
                .pod = lookup_pod,
                .network = lookup_network,
        };
}

void conversion_done(Conversion *c) {
        diagnostics_clear(&c->diag);
        for (size_t i = 0; i < c->n_files; i++)
                quadlet_file_done(&c->files[i]);
        c->files = mfree(c->files);
        c->n_files = 0;
}
