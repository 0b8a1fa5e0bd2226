/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The search path: which directories hold .ctr files, which NAME.ctr and NAME.ctr.d/ *.conf drop-ins win
 * for a name (priority, same-named drop-ins, masking by a link to /dev/null), and the one-pass enumeration
 * the generator runs over thousands of files. Reads directories, never a file's contents: that is the
 * loader's (ctr-file.c). */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "alloc-util.h"
#include "fileio.h"
#include "path-util.h"
#include "search-path.h"
#include "string-util.h"
#include "strv.h"

static const char *const default_search_path[] = {
        "/etc/ctr",
        "/run/ctr",
        "/usr/local/lib/ctr",
        "/usr/lib/ctr",
        NULL,
};

int ctr_search_path(char ***ret) {
        const char *e;

        e = secure_getenv("CTR_CONFIG_PATH");
        if (e)
                return strv_split(e, ":", ret);
        return strv_copy((char **) default_search_path, ret);
}

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

/* |dir| is a directory of the search path, or "DIR/NAME.ctr.d" for a drop-in; |entry| a name in it. */
static int entry_list_add(EntryList *l, size_t *allocated, const char *name, size_t name_len,
                          const char *file, const char *dir, const char *entry, unsigned priority, bool masked) {
        Entry e = { .priority = priority, .masked = masked };
        int r;

        if (ARRAY_RESERVE(l->items, *allocated, l->n + 1) < 0)
                return -ENOMEM;

        e.name = strndup(name, name_len);
        if (file)
                e.file = strdup(file);
        /* path_join() drops a trailing '/': "/etc/ctr/" from CTR_CONFIG_PATH must give the same paths (and
         * config hash) as "/etc/ctr". Not asprintf(): this runs for every file of the search path. */
        r = path_join(dir, entry, &e.path);
        if (!e.name || (file && !e.file) || r < 0) {
                free(e.name);
                free(e.file);
                free(e.path);
                return -ENOMEM;
        }
        l->items[l->n++] = e;
        return 0;
}

bool stat_is_masked(const struct stat *st) {
        return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

/* What a directory entry is: 1 a file to load, 2 /dev/null, 3 directory, 0 missing (a dangling link). Uses
 * d_type when it is definite, so a plain directory of regular files costs no stat() calls. A FIFO, socket or
 * device counts as a file: the loader refuses it with an error naming it, where skipping it silently
 * would start the container without what the author put there. */
static int classify_entry(int dir_fd, const char *name, unsigned char d_type) {
        struct stat st;

        if (d_type == DT_REG)
                return 1;
        if (d_type == DT_DIR)
                return 3;
        if (fstatat(dir_fd, name, &st, 0) < 0)
                return 0;
        if (stat_is_masked(&st))
                return 2;
        if (S_ISDIR(st.st_mode))
                return 3;
        return 1;
}

bool ctr_file_name_is_temporary(const char *name) {
        /* NAME~, NAME.swp, NAME.tmp, NAME.dpkg-new, NAME.rpmnew, NAME.ucf-dist and the like never end in ".ctr"
         * or ".conf", so they are never read; what can end so are dot files (".#NAME" Emacs locks, ".NAME.swp",
         * ".NAME.XXXXXX" that ctrctl apply writes before a rename, ".ansible_tmp*NAME", ".chef-NAME*") and "#NAME" */
        return name[0] == '.' || name[0] == '#';
}

/* |dir| NULL: |dname| is the drop-in directory's path as it is. */
static int scan_dropin_dir(int parent_fd, const char *dir, const char *dname, const char *name, size_t name_len,
                           unsigned priority, EntryList *dropins, size_t *allocated) {
        _cleanup_free_ char *path = NULL;
        const struct dirent64 *de;
        DirIter it;
        int r;

        r = dir_iter_open(parent_fd, dname, &it);
        if (r < 0)
                return r == -ENOENT || r == -ENOTDIR || r == -EACCES ? 0 : r;
        if (dir)
                r = path_join(dir, dname, &path);
        else
                r = (path = strdup(dname)) ? 0 : -ENOMEM;
        if (r < 0) {
                dir_iter_close(&it);
                return r;
        }

        while ((r = dir_iter_next(&it, &de)) > 0) {
                int t;

                if (ctr_file_name_is_temporary(de->d_name) || !endswith(de->d_name, ".conf"))
                        continue;
                t = classify_entry(it.fd, de->d_name, de->d_type);
                if (t != 1 && t != 2)
                        continue;
                r = entry_list_add(dropins, allocated, name, name_len, de->d_name, path, de->d_name, priority,
                                   t == 2);
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
                        r = entry_list_add(mains, mains_allocated, only, l, NULL, dir, f, priority, t == 2);
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

                if (ctr_file_name_is_temporary(de->d_name))
                        continue;

                /* NAME.ctr (a file) or NAME.ctr.d (its drop-ins); nothing else is ours */
                bool main_file = (e = endswith(de->d_name, ".ctr"));
                if (!main_file && !(e = endswith(de->d_name, ".ctr.d")))
                        continue;
                l = (size_t) (e - de->d_name);
                memcpy(n, de->d_name, l);
                n[l] = '\0';
                if (!container_name_is_valid(n)) {
                        r = invalid_name(diag, dir, de->d_name, n);
                        if (r < 0)
                                break;
                        continue;
                }
                if (main_file) {
                        t = classify_entry(it.fd, de->d_name, de->d_type);
                        if (t != 1 && t != 2)
                                continue;
                        r = entry_list_add(mains, mains_allocated, n, l, NULL, dir, de->d_name, priority, t == 2);
                } else {
                        if (de->d_type != DT_DIR && classify_entry(it.fd, de->d_name, de->d_type) != 3)
                                continue;
                        r = scan_dropin_dir(it.fd, dir, de->d_name, n, l, priority, dropins, dropins_allocated);
                }
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
        _cleanup_(entry_list_done) EntryList mains = {}, dropins = {};
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
                        return r;
        }

        return merge_entries(&mains, &dropins, ret, ret_n);
}

int container_enumerate(char *const *search_path, ContainerSource **ret, size_t *ret_n) {
        return enumerate_internal(search_path, NULL, NULL, ret, ret_n);
}

int container_enumerate_full(char *const *search_path, Diagnostics *diag, ContainerSource **ret, size_t *ret_n) {
        return enumerate_internal(search_path, NULL, diag, ret, ret_n);
}

int container_enumerate_one(char *const *search_path, const char *name, ContainerSource **ret, size_t *ret_n) {
        return enumerate_internal(search_path, name, NULL, ret, ret_n);
}

int container_dropins_add_dir(char *const *dropins, const char *dir, char ***ret) {
        _cleanup_(entry_list_done) EntryList l = {};
        _cleanup_strv_free_ char **out = NULL;
        size_t allocated = 0, j = 0;
        int r;

        r = scan_dropin_dir(AT_FDCWD, NULL, dir, "x", 1, 0, &l, &allocated);
        if (r < 0)
                return r;
        if (l.n > 1)
                qsort(l.items, l.n, sizeof(Entry), entry_compare);

        /* both lists are in file-name order: merge them, |dir|'s entry replacing (or masking) a same-named one */
        STRV_FOREACH(d, dropins) {
                const char *b = path_basename(*d);
                int c = 1;

                for (; j < l.n && (c = strcmp(l.items[j].file, b)) < 0; j++)
                        if (!l.items[j].masked && strv_extend(&out, l.items[j].path) < 0)
                                return -ENOMEM;
                if (c == 0)
                        continue;
                if (strv_extend(&out, *d) < 0)
                        return -ENOMEM;
        }
        for (; j < l.n; j++)
                if (!l.items[j].masked && strv_extend(&out, l.items[j].path) < 0)
                        return -ENOMEM;

        *ret = TAKE_PTR(out);
        return 0;
}
