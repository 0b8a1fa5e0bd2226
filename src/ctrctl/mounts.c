/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <libmount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "mounts.h"
#include "string-util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct libmnt_table *, mnt_unref_table);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct libmnt_iter *, mnt_free_iter);

/* Column widths stop growing here: one long target must not push every other line off the screen. */
#define TARGET_WIDTH_MAX 40
#define FSTYPE_WIDTH_MAX 12

static void container_mount_done(ContainerMount *m) {
        free(m->target);
        free(m->fstype);
        free(m->source);
        *m = (ContainerMount) {};
}

void container_mounts_free(ContainerMount *m, size_t n) {
        for (size_t i = 0; m && i < n; i++)
                container_mount_done(m + i);
        free(m);
}

/* A line libmount cannot parse is skipped (1), not fatal: the rest of the table is still worth showing. */
static int skip_bad_line(_unused_ struct libmnt_table *t, _unused_ const char *filename, _unused_ int line) {
        return 1;
}

static int mount_from_fs(struct libmnt_fs *fs, ContainerMount *ret) {
        const char *source = mnt_fs_get_source(fs), *root = mnt_fs_get_root(fs), *vfs = mnt_fs_get_vfs_options(fs);
        ContainerMount m = {
                .target = strdup(strempty(mnt_fs_get_target(fs))),
                .fstype = strdup(strempty(mnt_fs_get_fstype(fs))),
                /* the mount's flags (mountinfo's field 6), not the superblock's: a read-only bind of a
                 * writable file system is ro */
                .read_only = vfs && mnt_optstr_get_option(vfs, "ro", NULL, NULL) == 0,
        };

        if (root && !streq(root, "/")) {
                if (asprintf(&m.source, "%s[%s]", strna(source), root) < 0)
                        m.source = NULL;
        } else
                m.source = strdup(strna(source));
        if (!m.target || !m.fstype || !m.source) {
                container_mount_done(&m);
                return -ENOMEM;
        }
        *ret = m;
        return 0;
}

int container_mounts_read(pid_t pid, ContainerMount **ret, size_t *ret_n) {
        _cleanup_(mnt_unref_tablep) struct libmnt_table *t = NULL;
        _cleanup_(mnt_free_iterp) struct libmnt_iter *it = NULL;
        ContainerMount *m;
        struct libmnt_fs *fs;
        char path[64];
        size_t n = 0;
        int r;

        snprintf(path, sizeof(path), "/proc/%i/mountinfo", (int) pid);
        t = mnt_new_table();
        it = mnt_new_iter(MNT_ITER_FORWARD);
        if (!t || !it)
                return -ENOMEM;
        (void) mnt_table_set_parser_errcb(t, skip_bad_line);
        r = mnt_table_parse_file(t, path);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;

        m = calloc((size_t) mnt_table_get_nents(t) + 1, sizeof(ContainerMount));
        if (!m)
                return -ENOMEM;
        while (mnt_table_next_fs(t, it, &fs) == 0) {
                r = mount_from_fs(fs, m + n);
                if (r < 0) {
                        container_mounts_free(m, n);
                        return r;
                }
                n++;
        }
        *ret = m;
        *ret_n = n;
        return 0;
}

typedef struct Shown {
        char *target, *fstype, *source;
} Shown;

static void shown_free(Shown *s, size_t n) {
        for (size_t i = 0; s && i < n; i++) {
                free(s[i].target);
                free(s[i].fstype);
                free(s[i].source);
        }
        free(s);
}

int container_mounts_print(const ContainerMount *m, size_t n, size_t max) {
        size_t k = MIN(n, max);
        int wt = 0, wf = 0;
        Shown *s;

        if (n == 0)
                return 0;
        s = calloc(k, sizeof(Shown));
        if (!s)
                return -ENOMEM;
        /* the container names its mount points and, with CAP_SYS_ADMIN, its sources: escaped, as its command
         * lines are */
        for (size_t i = 0; i < k; i++) {
                if (escape_non_printable(m[i].target, SIZE_MAX, &s[i].target) < 0 ||
                    escape_non_printable(m[i].fstype, SIZE_MAX, &s[i].fstype) < 0 ||
                    escape_non_printable(m[i].source, SIZE_MAX, &s[i].source) < 0) {
                        shown_free(s, k);
                        return -ENOMEM;
                }
                if ((int) strlen(s[i].target) > wt)
                        wt = (int) strlen(s[i].target);
                if ((int) strlen(s[i].fstype) > wf)
                        wf = (int) strlen(s[i].fstype);
        }
        wt = MIN(wt, TARGET_WIDTH_MAX);
        wf = MIN(wf, FSTYPE_WIDTH_MAX);
        for (size_t i = 0; i < k; i++)
                printf("%11s%s %-*s %s %-*s %s\n", i == 0 ? "Mounts" : "", i == 0 ? ":" : " ", wt, s[i].target,
                       m[i].read_only ? "ro" : "rw", wf, s[i].fstype, s[i].source);
        if (n > k)
                printf("%11s  … and %zu more\n", "", n - k);
        shown_free(s, k);
        return 0;
}

int container_mounts_show(pid_t pid, size_t max) {
        ContainerMount *m = NULL;
        size_t n = 0;
        int r;

        r = container_mounts_read(pid, &m, &n);
        if (r < 0)
                return r;
        r = container_mounts_print(m, n, max);
        container_mounts_free(m, n);
        return r;
}
