/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The Container model: the key table of [Container], loading a file with its drop-ins, the search path,
 * masking, enumeration and the config hash. Values are parsed by parse-util, the syntax by conf-parser. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "conf-parser.h"
#include "ctr-file.h"
#include "ctr-keys.h"
#include "fileio.h"
#include "parse-util.h"
#include "path-util.h"
#include "sha256.h"
#include "specifier.h"
#include "string-util.h"
#include "strv.h"

static const char *const default_search_path[] = {
        "/etc/ctr",
        "/run/ctr",
        "/usr/local/lib/ctr",
        "/usr/lib/ctr",
        NULL,
};

Container *container_new(const char *name) {
        Container *c;

        c = calloc(1, sizeof(Container));
        if (!c)
                return NULL;

        *c = (Container) {
                .network = NETWORK_NONE,
                .no_new_privileges = true,
                .memory_max = LIMIT_UNSET,
                .memory_high = LIMIT_UNSET,
                .memory_swap_max = LIMIT_UNSET,
                .cpu_weight = LIMIT_UNSET,
                .cpu_quota_per_sec_usec = LIMIT_UNSET,
                .tasks_max = LIMIT_UNSET,
                .io_weight = LIMIT_UNSET,
                .stop_signal = SIGTERM,
                .stop_timeout_usec = CTR_STOP_TIMEOUT_DEFAULT_USEC,
                .reload_signal = SIGHUP,
        };

        if (name) {
                c->name = strdup(name);
                if (!c->name)
                        return mfree(c);
        }
        return c;
}

static void unit_settings_free(UnitSetting *u, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(u[i].section);
                free(u[i].key);
                free(u[i].value);
                free(u[i].file);
        }
        free(u);
}

Container *container_free(Container *c) {
        if (!c)
                return NULL;

        free(c->name);
        free(c->source_path);
        strv_free(c->dropin_paths);
        free(c->image);
        free(c->root_directory);
        strv_free(c->layers);
        strv_free(c->exec);
        strv_free(c->environment);
        strv_free(c->environment_files);
        free(c->working_directory);
        free(c->user);
        free(c->group);
        strv_free(c->supplementary_groups);
        free(c->hostname);
        volume_free_many(c->volumes, c->n_volumes);
        tmpfs_free_many(c->tmpfs, c->n_tmpfs);
        free(c->network_container);
        port_mapping_free_many(c->ports, c->n_ports);
        free(c->seccomp_profile);
        free(c->allowed_cpus);
        free(c->slice);
        unit_settings_free(c->unit_settings, c->n_unit_settings);
        return mfree(c);
}

const char *container_hostname(const Container *c) {
        return c->hostname ?: c->name;
}

const char *container_slice(const Container *c) {
        return c->slice ?: "machine.slice";
}

bool container_name_is_valid(const char *name) {
        size_t l;

        if (!name)
                return false;
        l = strlen(name);
        if (l == 0 || l > CTR_NAME_MAX)
                return false;
        if (name[0] == '.')
                return false;
        /* systemd's unit name characters; '@' and '/' are not among them. */
        return in_charset(name, ALPHANUMERICAL ":-_.\\");
}

int ctr_search_path(char ***ret) {
        const char *e;

        e = secure_getenv("CTR_CONFIG_PATH");
        if (e)
                return strv_split(e, ":", ret);
        return strv_copy((char **) default_search_path, ret);
}

/* ---------------------------------------------------------------------------------------------------- */
/* Loading */

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
        Sha256 hash;
} LoadContext;

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

        n = reallocarray(c->unit_settings, c->n_unit_settings + 1, sizeof(UnitSetting));
        if (!n)
                return -ENOMEM;
        c->unit_settings = n;

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

static int hash_file(Sha256 *h, const char *path, const char *data, size_t size) {
        char buf[32];
        int n;

        n = snprintf(buf, sizeof(buf), "\n%zu\n", size);
        sha256_update(h, path, strlen(path));
        sha256_update(h, buf, (size_t) n);
        sha256_update(h, data, size);
        sha256_update(h, "\n", 1);
        return 0;
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

        hash_file(&lc->hash, path, data, size);

        lc->section_kind = SECTION_NONE;
        r = conf_parse_buffer(path, data, size, CTR_LINE_MAX, on_item, lc, lc->keys.diag);
        if (r == -EBADMSG || r == -E2BIG) {
                lc->keys.failed = true;
                return r == -E2BIG ? -EBADMSG : 0;
        }
        return r;
}

static int load_files(const char *name, const char *main_path, char *const *dropins, Diagnostics *diag,
                      Container **ret) {
        _cleanup_container_free_ Container *c = NULL;
        uint8_t digest[SHA256_DIGEST_SIZE];
        LoadContext lc = { .keys.diag = diag };
        const char *file;
        int r;

        c = container_new(name);
        if (!c)
                return -ENOMEM;
        lc.keys.c = c;
        lc.keys.spec.name = name;
        sha256_init(&lc.hash);
        sha256_update(&lc.hash, "ctr-config-v1\n", 14);
        sha256_update(&lc.hash, name, strlen(name));
        sha256_update(&lc.hash, "\n", 1);

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

        if (main_path) {
                r = load_one_file(&lc, main_path);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(d, dropins) {
                r = load_one_file(&lc, *d);
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

        if (lc.keys.failed)
                return -EBADMSG;

        sha256_final(&lc.hash, digest);
        sha256_to_hex(digest, c->config_hash);

        *ret = TAKE_PTR(c);
        return 0;
}

/* ---------------------------------------------------------------------------------------------------- */
/* Search path, drop-ins, masking, enumeration */

typedef struct Entry {
        char *name;             /* container name */
        char *file;             /* drop-in file name, NULL for a NAME.ctr */
        char *path;
        unsigned priority;      /* index in the search path, 0 = highest */
        bool masked;
} Entry;

typedef struct EntryList {
        Entry *items;
        size_t n;
} EntryList;

static void entry_list_done(EntryList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].name);
                free(l->items[i].file);
                free(l->items[i].path);
        }
        l->items = mfree(l->items);
        l->n = 0;
}

static int entry_list_add(EntryList *l, size_t *allocated, const char *name, size_t name_len,
                          const char *file, const char *dir, const char *subdir, const char *entry,
                          unsigned priority, bool masked) {
        Entry e = { .priority = priority, .masked = masked };

        if (l->n >= *allocated) {
                size_t a = MAX(*allocated * 2, (size_t) 64);
                Entry *n = reallocarray(l->items, a, sizeof(Entry));
                if (!n)
                        return -ENOMEM;
                l->items = n;
                *allocated = a;
        }

        /* "/etc/ctr/" from CTR_CONFIG_PATH must give the same paths (and config hash) as "/etc/ctr". */
        size_t dl = strlen(dir);
        while (dl > 0 && dir[dl - 1] == '/')
                dl--;

        e.name = strndup(name, name_len);
        if (file)
                e.file = strdup(file);
        if (subdir)
                (void) asprintf(&e.path, "%.*s/%s/%s", (int) dl, dir, subdir, entry);
        else
                (void) asprintf(&e.path, "%.*s/%s", (int) dl, dir, entry);
        if (!e.name || (file && !e.file) || !e.path) {
                free(e.name);
                free(e.file);
                free(e.path);
                return -ENOMEM;
        }
        l->items[l->n++] = e;
        return 0;
}

/* Masked: resolves to the /dev/null character device, as systemd's "null_or_empty" check for links. */
static bool stat_is_null(const struct stat *st) {
        return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* What a directory entry is: 1 a file to load, 2 /dev/null, 3 directory, 0 missing (a dangling link). Uses
 * d_type when it is definite, so a plain directory of regular files costs no stat() calls. A FIFO, socket or
 * device counts as a file: load_one_file() refuses it with an error naming it, where skipping it silently
 * would start the container without what the author put there. */
static int classify_entry(int dir_fd, const char *name, unsigned char d_type) {
        struct stat st;

        if (d_type == DT_REG)
                return 1;
        if (d_type == DT_DIR)
                return 3;
        if (fstatat(dir_fd, name, &st, 0) < 0)
                return 0;
        if (stat_is_null(&st))
                return 2;
        if (S_ISDIR(st.st_mode))
                return 3;
        return 1;
}

static int scan_dropin_dir(int parent_fd, const char *dir, const char *dname, const char *name, size_t name_len,
                           unsigned priority, EntryList *dropins, size_t *allocated) {
        const struct dirent64 *de;
        DirIter it;
        int r;

        r = dir_iter_open(parent_fd, dname, &it);
        if (r < 0)
                return r == -ENOENT || r == -ENOTDIR || r == -EACCES ? 0 : r;

        while ((r = dir_iter_next(&it, &de)) > 0) {
                int t;

                if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                        continue;
                t = classify_entry(it.fd, de->d_name, de->d_type);
                if (t != 1 && t != 2)
                        continue;
                r = entry_list_add(dropins, allocated, name, name_len, de->d_name, dir, dname, de->d_name,
                                   priority, t == 2);
                if (r < 0)
                        break;
        }
        dir_iter_close(&it);
        return r;
}

static int invalid_name(Diagnostics *diag, const char *dir, const char *entry, const char *name) {
        _cleanup_free_ char *p = NULL;

        if (!diag)
                return 0;
        if (asprintf(&p, "%s/%s", dir, entry) < 0)
                return -ENOMEM;
        return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, p, 0, NULL, NULL, NULL,
                               "Invalid container name '%s' (not a valid systemd instance name), ignoring.", name);
}

/* Scans |dir| for NAME.ctr and NAME.ctr.d/; |only| restricts it to one name (no listing of |dir|). */
static int scan_dir(const char *dir, unsigned priority, const char *only, EntryList *mains, size_t *mains_allocated,
                    EntryList *dropins, size_t *dropins_allocated, Diagnostics *diag) {
        const struct dirent64 *de;
        DirIter it;
        int r;

        r = dir_iter_open(AT_FDCWD, dir, &it);
        if (r < 0)
                return r == -ENOENT || r == -ENOTDIR || r == -EACCES ? 0 : r;

        if (only) {
                _cleanup_free_ char *f = NULL, *dd = NULL;
                size_t l = strlen(only);
                int t;

                if (asprintf(&f, "%s.ctr", only) < 0 || asprintf(&dd, "%s.ctr.d", only) < 0) {
                        dir_iter_close(&it);
                        return -ENOMEM;
                }
                t = classify_entry(it.fd, f, DT_UNKNOWN);
                r = 0;
                if (t == 1 || t == 2)
                        r = entry_list_add(mains, mains_allocated, only, l, NULL, dir, NULL, f, priority, t == 2);
                if (r >= 0)
                        r = scan_dropin_dir(it.fd, dir, dd, only, l, priority, dropins, dropins_allocated);
                dir_iter_close(&it);
                return r;
        }

        while ((r = dir_iter_next(&it, &de)) > 0) {
                /* A fixed buffer, not strndupa(): that would grow the stack with every entry. */
                char n[sizeof(de->d_name)];
                const char *e;
                size_t l;
                int t;

                if (de->d_name[0] == '.')
                        continue;

                if ((e = endswith(de->d_name, ".ctr"))) {
                        l = (size_t) (e - de->d_name);
                        memcpy(n, de->d_name, l);
                        n[l] = '\0';
                        if (!container_name_is_valid(n)) {
                                r = invalid_name(diag, dir, de->d_name, n);
                                if (r < 0)
                                        break;
                                continue;
                        }
                        t = classify_entry(it.fd, de->d_name, de->d_type);
                        if (t != 1 && t != 2)
                                continue;
                        r = entry_list_add(mains, mains_allocated, n, l, NULL, dir, NULL, de->d_name, priority,
                                           t == 2);
                } else if ((e = endswith(de->d_name, ".ctr.d"))) {
                        l = (size_t) (e - de->d_name);
                        memcpy(n, de->d_name, l);
                        n[l] = '\0';
                        if (!container_name_is_valid(n)) {
                                r = invalid_name(diag, dir, de->d_name, n);
                                if (r < 0)
                                        break;
                                continue;
                        }
                        if (de->d_type != DT_DIR && classify_entry(it.fd, de->d_name, de->d_type) != 3)
                                continue;
                        r = scan_dropin_dir(it.fd, dir, de->d_name, n, l, priority, dropins, dropins_allocated);
                } else
                        continue;
                if (r < 0)
                        break;
        }
        dir_iter_close(&it);
        return r;
}

static int entry_compare(const void *a, const void *b) {
        const Entry *x = a, *y = b;
        int r;

        r = strcmp(x->name, y->name);
        if (r != 0)
                return r;
        if (x->file || y->file) {
                r = strcmp(strempty(x->file), strempty(y->file));
                if (r != 0)
                        return r;
        }
        return x->priority < y->priority ? -1 : x->priority > y->priority;
}

void container_source_free_many(ContainerSource *s, size_t n) {
        if (!s)
                return;
        for (size_t i = 0; i < n; i++) {
                free(s[i].name);
                free(s[i].path);
                strv_free(s[i].dropins);
        }
        free(s);
}

/* Merges sorted mains and drop-ins into sources, one per name. */
static int merge_entries(EntryList *mains, EntryList *dropins, ContainerSource **ret, size_t *ret_n) {
        ContainerSource *s = NULL;
        size_t n = 0, i = 0, j = 0;
        int r;

        /* qsort() must not see the NULL array of an empty list. */
        if (mains->n > 1)
                qsort(mains->items, mains->n, sizeof(Entry), entry_compare);
        if (dropins->n > 1)
                qsort(dropins->items, dropins->n, sizeof(Entry), entry_compare);

        s = calloc(MAX(mains->n + dropins->n, (size_t) 1), sizeof(ContainerSource));
        if (!s)
                return -ENOMEM;

        while (i < mains->n || j < dropins->n) {
                const char *name;
                ContainerSource *cs = &s[n];

                if (i < mains->n && (j >= dropins->n || strcmp(mains->items[i].name, dropins->items[j].name) <= 0))
                        name = mains->items[i].name;
                else
                        name = dropins->items[j].name;

                cs->name = strdup(name);
                if (!cs->name) {
                        r = -ENOMEM;
                        goto fail;
                }
                n++;

                /* The highest-priority NAME.ctr wins; the lower ones are masked by it. */
                if (i < mains->n && streq(mains->items[i].name, name)) {
                        if (mains->items[i].masked)
                                cs->masked = true;
                        else
                                cs->path = TAKE_PTR(mains->items[i].path);
                        while (i < mains->n && streq(mains->items[i].name, name))
                                i++;
                }

                /* Drop-ins in file-name order; of the same file name the highest-priority one wins, and a
                 * masked one removes it. */
                while (j < dropins->n && streq(dropins->items[j].name, name)) {
                        Entry *e = &dropins->items[j];

                        if (!e->masked) {
                                r = strv_push(&cs->dropins, e->path);
                                if (r < 0)
                                        goto fail;
                                e->path = NULL;
                        }
                        while (j < dropins->n && streq(dropins->items[j].name, name) &&
                               streq(dropins->items[j].file, e->file))
                                j++;
                }
        }

        *ret = s;
        *ret_n = n;
        return 0;

fail:
        container_source_free_many(s, n);
        return r;
}

static int enumerate_internal(char *const *search_path, const char *only, Diagnostics *diag, ContainerSource **ret,
                              size_t *ret_n) {
        _cleanup_strv_free_ char **own = NULL;
        EntryList mains = {}, dropins = {};
        size_t ma = 0, da = 0;
        unsigned prio = 0;
        int r = 0;

        if (!search_path) {
                r = ctr_search_path(&own);
                if (r < 0)
                        return r;
                search_path = own;
        }

        STRV_FOREACH(d, search_path) {
                r = scan_dir(*d, prio++, only, &mains, &ma, &dropins, &da, diag);
                if (r < 0)
                        goto finish;
        }

        r = merge_entries(&mains, &dropins, ret, ret_n);

finish:
        entry_list_done(&mains);
        entry_list_done(&dropins);
        return r;
}

int container_enumerate(char *const *search_path, ContainerSource **ret, size_t *ret_n) {
        return enumerate_internal(search_path, NULL, NULL, ret, ret_n);
}

int container_enumerate_full(char *const *search_path, Diagnostics *diag, ContainerSource **ret, size_t *ret_n) {
        return enumerate_internal(search_path, NULL, diag, ret, ret_n);
}

int container_load_source(const ContainerSource *s, Diagnostics *diag, Container **ret) {
        if (s->masked)
                return -ERFKILL;
        if (!s->path && strv_isempty(s->dropins))
                return -ENOENT;
        return load_files(s->name, s->path, s->dropins, diag, ret);
}

int container_load(const char *name, char *const *search_path, Diagnostics *diag, Container **ret) {
        ContainerSource *s = NULL;
        size_t n = 0;
        int r;

        if (!container_name_is_valid(name))
                return -EINVAL;

        r = enumerate_internal(search_path, name, NULL, &s, &n);
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

        if (stat(path, &st) >= 0 && stat_is_null(&st))
                return -ERFKILL;

        if (search_path) {
                r = enumerate_internal(search_path, name, NULL, &s, &n);
                if (r < 0)
                        return r;
                if (n > 0)
                        dropins = s[0].dropins;
        }

        r = load_files(name, path, dropins, diag, ret);
        container_source_free_many(s, n);
        return r;
}
