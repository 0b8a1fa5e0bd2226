/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The loader: reads one container's files (the main NAME.ctr, then its drop-ins), hands every assignment
 * of [Container] to the key table (ctr-keys.c) and keeps [Unit], [Service] and [Install] as they are,
 * keeps what it read for the config hash (config-hash.c) and a stamp of each file, and checks the file as a whole at the end. Which files those
 * are is the search path's (search-path.c); the syntax is conf-parser's. */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buffer.h"
#include "conf-parser.h"
#include "ctr-file.h"
#include "fileio.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

typedef enum SectionKind {
        SECTION_NONE,
        SECTION_CONTAINER,
        SECTION_PASSTHROUGH,
        SECTION_IGNORED,
} SectionKind;

typedef struct LoadContext {
        KeyState keys;          /* the container, diagnostics, specifiers and whether an error was reported */
        SectionKind section_kind;
        unsigned n_assignments;
        Buffer config;          /* becomes Container.config */
        Buffer stamp;           /* becomes Container.config_stamp */
} LoadContext;

static void load_context_done(LoadContext *lc) {
        buffer_done(&lc->config);
        buffer_done(&lc->stamp);
        free(lc->keys.ports_value);
}

static int load_error(LoadContext *lc, int error, const char *file, unsigned line, const char *section,
                      const char *key, const char *value, const char *format, ...) _printf_(8, 9);

static int load_error(LoadContext *lc, int error, const char *file, unsigned line, const char *section,
                      const char *key, const char *value, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        lc->keys.failed = true;
        va_start(ap, format);
        r = vasprintf(&m, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        return diagnostics_add(lc->keys.diag, DIAGNOSTIC_ERROR, error, file, line, section, key, value, "%s", m);
}

/* Room for one more pass-through setting: 8 at first, then doubling. Not one realloc per line: the generator
 * loads thousands of containers, and an array that grows by one moves to the top of the heap, whose free at
 * the end of each container then costs glibc a consolidation of all small free chunks. The capacity is not
 * stored: 8 below 8 entries, else the power of two at or above the count. */
static int unit_settings_grow(Container *c) {
        size_t n = c->n_unit_settings;
        UnitSetting *u;

        if (n > 0 && (n < 8 || (n & (n - 1)) != 0))
                return 0;
        u = reallocarray(c->unit_settings, n < 8 ? 8 : n * 2, sizeof(UnitSetting));
        if (!u)
                return -ENOMEM;
        c->unit_settings = u;
        return 0;
}

static int passthrough_assignment(LoadContext *lc, const char *file, unsigned line, const char *section,
                                  const char *key, const char *value) {
        Container *c = lc->keys.c;
        UnitSetting *n;
        int r;

        /* systemd would drop it with a warning too; say so here, with our file and line. */
        if (!utf8_is_valid(value)) {
                r = diagnostics_add(lc->keys.diag, DIAGNOSTIC_WARNING, EINVAL, file, line, section, key, value,
                                    "%s= value in section [%s] is not valid UTF-8, ignoring.", key, section);
                return r < 0 ? r : 0;
        }

        r = unit_settings_grow(c);
        if (r < 0)
                return r;

        n = &c->unit_settings[c->n_unit_settings];
        *n = (UnitSetting) {
                .section = strdup(section),
                .key = strdup(key),
                .value = strdup(value),
                .file = strdup(file),
                .line = line,
        };
        if (!n->section || !n->key || !n->value || !n->file) {
                free(n->section);
                free(n->key);
                free(n->value);
                free(n->file);
                return -ENOMEM;
        }
        c->n_unit_settings++;
        return 0;
}

static int on_item(const char *file, unsigned line, const char *section, const char *key, const char *value,
                   void *userdata) {
        LoadContext *lc = userdata;
        int r;

        if (!key) {
                if (streq(section, "Container"))
                        lc->section_kind = SECTION_CONTAINER;
                else if (streq(section, "Unit") || streq(section, "Service") || streq(section, "Install"))
                        lc->section_kind = SECTION_PASSTHROUGH;
                else {
                        lc->section_kind = SECTION_IGNORED;
                        if (!startswith(section, "X-")) {
                                r = diagnostics_add(lc->keys.diag, DIAGNOSTIC_WARNING, ENOENT, file, line, section,
                                                    NULL, NULL, "Unknown section [%s], ignoring.", section);
                                if (r < 0)
                                        return r;
                        }
                }
                return 0;
        }

        if (++lc->n_assignments > CTR_ASSIGNMENTS_MAX) {
                r = load_error(lc, E2BIG, file, line, section, key, value,
                               "Too many assignments (more than %u).", CTR_ASSIGNMENTS_MAX);
                return r < 0 ? r : -E2BIG;
        }

        /* X- keys are for other tools: silently ignored everywhere, as systemd does. */
        if (startswith(key, "X-"))
                return 0;

        switch (lc->section_kind) {
        case SECTION_CONTAINER:
                return container_key_assign(&lc->keys, file, line, key, value);
        case SECTION_PASSTHROUGH:
                return passthrough_assignment(lc, file, line, section, key, value);
        default:
                return 0;
        }
}

/* What the config hash covers and the stamp of the file (see container.h). */
static int record_file(LoadContext *lc, const char *path, const struct stat *st, const char *data, size_t size) {
        /* "PATH\nSIZE\nDATA\n" and ",INO:SIZE:MTIMESECNSEC" (nanoseconds in 9 digits) */
        if (buffer_puts(&lc->config, path) < 0 || buffer_putc(&lc->config, '\n') < 0 ||
            buffer_put_u64(&lc->config, size, 0) < 0 || buffer_putc(&lc->config, '\n') < 0 ||
            buffer_append(&lc->config, data, size) < 0 || buffer_putc(&lc->config, '\n') < 0)
                return -ENOMEM;

        if ((lc->stamp.size > 0 && buffer_putc(&lc->stamp, ',') < 0) ||
            buffer_put_u64(&lc->stamp, (uint64_t) st->st_ino, 0) < 0 || buffer_putc(&lc->stamp, ':') < 0 ||
            buffer_put_i64(&lc->stamp, (int64_t) st->st_size) < 0 || buffer_putc(&lc->stamp, ':') < 0 ||
            buffer_put_i64(&lc->stamp, (int64_t) st->st_mtim.tv_sec) < 0)
                return -ENOMEM;
        /* printf's "%09ld" for a negative value (no kernel gives one) */
        if (st->st_mtim.tv_nsec < 0) {
                char buf[32];
                int n = snprintf(buf, sizeof(buf), "%09ld", st->st_mtim.tv_nsec);

                return buffer_append(&lc->stamp, buf, (size_t) n);
        }
        return buffer_put_u64(&lc->stamp, (uint64_t) st->st_mtim.tv_nsec, 9);
}

static const char *file_type_name(mode_t mode) {
        switch (mode & S_IFMT) {
        case S_IFDIR:
                return "a directory";
        case S_IFIFO:
                return "a FIFO";
        case S_IFSOCK:
                return "a socket";
        case S_IFCHR:
                return "a character device";
        case S_IFBLK:
                return "a block device";
        default:
                return "not a regular file";
        }
}

/* Parses one file's text into |lc|, recording it for the hash and the stamp. */
static int load_one_text(LoadContext *lc, const char *path, const struct stat *st, const char *data,
                         size_t size) {
        int r;

        r = record_file(lc, path, st, data, size);
        if (r < 0)
                return r;

        lc->section_kind = SECTION_NONE;
        r = conf_parse_buffer(path, data, size, CTR_LINE_MAX, on_item, lc, lc->keys.diag);
        if (r == -EBADMSG || r == -E2BIG) {
                lc->keys.failed = true;
                return r == -E2BIG ? -EBADMSG : 0;
        }
        return r;
}

static int load_one_file(LoadContext *lc, const char *path) {
        _cleanup_free_ char *data = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        size_t size;
        int r;

        /* O_NONBLOCK: a FIFO named as the file (or swapped in after the directory scan) must not hang the
         * launcher, ctrctl or the generator in open(); only a regular file is read at all. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0 || fstat(fd, &st) < 0) {
                r = -errno;
                int q = load_error(lc, -r, path, 0, NULL, NULL, NULL, "Failed to read file: %s.", strerror(-r));
                return q < 0 ? q : r;
        }
        if (!S_ISREG(st.st_mode)) {
                r = load_error(lc, EBADFD, path, 0, NULL, NULL, NULL, "Not a regular file (%s), refusing it.",
                               file_type_name(st.st_mode));
                return r < 0 ? r : S_ISDIR(st.st_mode) ? -EISDIR : -EBADMSG;
        }

        r = read_full_fd(fd, &st, CTR_FILE_SIZE_MAX, &data, &size);
        if (r == -EFBIG) {
                r = load_error(lc, EFBIG, path, 0, NULL, NULL, NULL, "File is larger than %u bytes.",
                               CTR_FILE_SIZE_MAX);
                return r < 0 ? r : -EBADMSG;
        }
        if (r < 0) {
                int q = load_error(lc, -r, path, 0, NULL, NULL, NULL, "Failed to read file: %s.", strerror(-r));
                return q < 0 ? q : r;
        }

        return load_one_text(lc, path, &st, data, size);
}

/* |texts| NULL: read the files; else 1 + strv_length(dropins) texts in the same order (texts[0] unused without
 * |main_path|). */
static int load_files(const char *name, const char *main_path, char *const *dropins, const ConfigText *texts,
                      Diagnostics *diag, Container **ret) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(load_context_done) LoadContext lc = { .keys.diag = diag };
        const char *file;
        int r;

        c = container_new(name);
        if (!c)
                return -ENOMEM;
        lc.keys.c = c;
        lc.keys.spec.name = name;
        if (buffer_puts(&lc.config, "ctr-config-v1\n") < 0 || buffer_puts(&lc.config, name) < 0 ||
            buffer_putc(&lc.config, '\n') < 0)
                return -ENOMEM;

        if (main_path) {
                c->source_path = strdup(main_path);
                if (!c->source_path)
                        return -ENOMEM;
        }
        r = strv_copy(dropins, &c->dropin_paths);
        if (r < 0)
                return r;

        file = main_path ?: (dropins ? dropins[0] : NULL);

        if (strv_length(dropins) > CTR_DROPINS_MAX) {
                r = load_error(&lc, E2BIG, file, 0, NULL, NULL, NULL, "Too many drop-ins (more than %u).",
                               CTR_DROPINS_MAX);
                return r < 0 ? r : -EBADMSG;
        }

        for (size_t i = main_path ? 0 : 1, n = strv_length(dropins); i <= n; i++) {
                const char *path = i == 0 ? main_path : dropins[i - 1];
                struct stat st = { .st_size = texts ? (off_t) texts[i].size : 0 };

                r = texts ? load_one_text(&lc, path, &st, texts[i].data, texts[i].size) : load_one_file(&lc, path);
                if (r < 0)
                        return r;
        }

        if (c->image && c->root_directory) {
                r = load_error(&lc, EINVAL, lc.keys.root_file ?: file, lc.keys.root_line, "Container",
                               lc.keys.root_key,
                               lc.keys.root_key && streq(lc.keys.root_key, "Image") ? c->image : c->root_directory,
                               "Image= and RootDirectory= are mutually exclusive.");
                if (r < 0)
                        return r;
        } else if (!c->image && !c->root_directory && !lc.keys.failed) {
                r = load_error(&lc, EINVAL, file, 0, "Container", NULL, NULL,
                               "Neither Image= nor RootDirectory= is set.");
                if (r < 0)
                        return r;
        }

        r = container_keys_check(&lc.keys);
        if (r < 0)
                return r;
        if (lc.keys.failed)
                return -EBADMSG;

        c->config_size = lc.config.size;
        c->config = buffer_steal(&lc.config);
        c->config_stamp = buffer_steal(&lc.stamp);
        if (!c->config || !c->config_stamp)
                return -ENOMEM;

        *ret = TAKE_PTR(c);
        return 0;
}

int container_load_source(const ContainerSource *s, Diagnostics *diag, Container **ret) {
        if (s->masked)
                return -ERFKILL;
        if (!s->path && strv_isempty(s->dropins))
                return -ENOENT;
        return load_files(s->name, s->path, s->dropins, NULL, diag, ret);
}

int container_load_texts(const char *name, const ConfigText *main, const ConfigText *dropins, size_t n_dropins,
                         Diagnostics *diag, Container **ret) {
        _cleanup_free_ ConfigText *texts = NULL;
        _cleanup_free_ char **paths = NULL;

        if (!name || (!main && n_dropins == 0))
                return -EINVAL;
        texts = calloc(n_dropins + 1, sizeof(ConfigText));
        paths = calloc(n_dropins + 1, sizeof(char *));
        if (!texts || !paths)
                return -ENOMEM;
        if (main)
                texts[0] = *main;
        for (size_t i = 0; i < n_dropins; i++) {
                texts[i + 1] = dropins[i];
                paths[i] = (char *) dropins[i].path;
        }
        /* |paths| borrows the texts' paths: load_files() only copies them */
        return load_files(name, main ? main->path : NULL, n_dropins > 0 ? paths : NULL, texts, diag, ret);
}

int container_load(const char *name, char *const *search_path, Diagnostics *diag, Container **ret) {
        ContainerSource *s = NULL;
        size_t n = 0;
        int r;

        if (!container_name_is_valid(name))
                return -EINVAL;

        r = container_enumerate_one(search_path, name, &s, &n);
        if (r < 0)
                return r;
        if (n == 0)
                r = -ENOENT;
        else
                r = container_load_source(&s[0], diag, ret);
        container_source_free_many(s, n);
        return r;
}

int container_load_file(const char *path, const char *name, char *const *search_path, Diagnostics *diag,
                        Container **ret) {
        return container_load_file_full(path, name, search_path, NULL, diag, ret);
}

int container_load_file_full(const char *path, const char *name, char *const *search_path, const char *dropin_dir,
                             Diagnostics *diag, Container **ret) {
        _cleanup_strv_free_ char **merged = NULL;
        _cleanup_free_ char *derived = NULL;
        ContainerSource *s = NULL;
        struct stat st;
        size_t n = 0;
        char **dropins = NULL;
        int r;

        if (!path)
                return -EINVAL;

        if (!name) {
                const char *b = path_basename(path), *e = endswith(b, ".ctr");

                derived = e ? strndup(b, (size_t) (e - b)) : strdup(b);
                if (!derived)
                        return -ENOMEM;
                name = derived;
        }
        if (!container_name_is_valid(name)) {
                r = diagnostics_add(diag, DIAGNOSTIC_ERROR, EINVAL, path, 0, NULL, NULL, NULL,
                                    "Invalid container name '%s'.", name);
                return r < 0 ? r : -EINVAL;
        }

        if (stat(path, &st) >= 0 && stat_is_masked(&st))
                return -ERFKILL;

        if (search_path) {
                r = container_enumerate_one(search_path, name, &s, &n);
                if (r < 0)
                        return r;
                if (n > 0)
                        dropins = s[0].dropins;
        }
        if (dropin_dir) {
                r = container_dropins_add_dir(dropins, dropin_dir, &merged);
                if (r < 0) {
                        container_source_free_many(s, n);
                        return r;
                }
                dropins = merged;
        }

        r = load_files(name, path, dropins, NULL, diag, ret);
        container_source_free_many(s, n);
        return r;
}
