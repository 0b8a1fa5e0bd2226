/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The generator's output directory: files and symlinks written so that a reader never sees half of one
 * (a temporary name renamed over the old one), or, for a directory nobody reads yet, created in place.
 * A dry run prints what would be written instead. What goes into the files is the renderer's
 * (unit-writer.c). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "string-util.h"
#include "strv.h"
#include "unit-output.h"

int unit_output_open(UnitOutput *o, const char *path, FILE *dry_run, UnitOutputFlags flags) {
        int fd;

        *o = (UnitOutput) { .dir_fd = -EBADF, .dry_run = dry_run, .flags = flags, .pid = getpid() };
        if (dry_run)
                return 0;
        if (isempty(path))
                return -EINVAL;

        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd < 0)
                return negative_errno();

        o->dir_fd = fd;
        return 0;
}

void unit_output_close(UnitOutput *o) {
        o->dir_fd = safe_close(o->dir_fd);
        o->link_dirs = strv_free(o->link_dirs);
}

/* Splits "DIR/FILE" into a copy of DIR and a pointer to FILE. */
static int split_path(const char *path, char **ret_dir, const char **ret_file) {
        const char *slash;
        char *dir;

        slash = strchr(path, '/');
        if (!slash || slash == path || !slash[1] || strchr(slash + 1, '/') ||
            path[0] == '.' || slash[1] == '.')
                return -EINVAL;

        dir = strndup(path, slash - path);
        if (!dir)
                return -ENOMEM;

        *ret_dir = dir;
        *ret_file = slash + 1;
        return 0;
}

static int output_mkdir(UnitOutput *o, const char *dir) {
        if (mkdirat(o->dir_fd, dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static int output_tmp_name(UnitOutput *o, const char *dir, const char *file, char **ret) {
        if (asprintf(ret, "%s/.#%s.%lx.%lx", dir, file, (unsigned long) o->pid, o->tmp_counter++) < 0)
                return -ENOMEM;
        return 0;
}

/* Creates |name| exclusively and fills it; on failure nothing is left behind. */
static int write_new_file(int dir_fd, const char *name, const char *contents, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return negative_errno();

        r = loop_write(fd, contents, size);
        if (r >= 0 && close(TAKE_FD(fd)) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlinkat(dir_fd, name, 0);
        return r;
}

int unit_output_write_file(UnitOutput *o, const char *path, const char *contents, size_t size) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *file;
        int r;

        if (o->dry_run) {
                fprintf(o->dry_run, "# %s\n", path);
                fwrite(contents, 1, size, o->dry_run);
                if (size > 0 && contents[size - 1] != '\n')
                        fputc('\n', o->dry_run);
                fputc('\n', o->dry_run);
                return ferror(o->dry_run) ? -EIO : 0;
        }

        r = split_path(path, &dir, &file);
        if (r < 0)
                return r;
        /* Drop-in directories are one per unit: no point in remembering them. */
        r = output_mkdir(o, dir);
        if (r < 0)
                return r;

        if (o->flags & UNIT_OUTPUT_PRIVATE) {
                r = write_new_file(o->dir_fd, path, contents, size);
                if (r != -EEXIST)
                        return r;
        }

        r = output_tmp_name(o, dir, file, &tmp);
        if (r < 0)
                return r;
        r = write_new_file(o->dir_fd, tmp, contents, size);
        if (r < 0)
                return r;
        if (renameat(o->dir_fd, tmp, o->dir_fd, path) < 0) {
                r = negative_errno();
                (void) unlinkat(o->dir_fd, tmp, 0);
                return r;
        }
        return 0;
}

int unit_output_symlink(UnitOutput *o, const char *path, const char *target) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *file;
        int r;

        if (o->dry_run) {
                fprintf(o->dry_run, "# %s -> %s\n\n", path, target);
                return ferror(o->dry_run) ? -EIO : 0;
        }

        r = split_path(path, &dir, &file);
        if (r < 0)
                return r;
        /* The same few .wants/ directories come up for every container. */
        if (!strv_contains(o->link_dirs, dir)) {
                r = output_mkdir(o, dir);
                if (r < 0)
                        return r;
                if (strv_length(o->link_dirs) < 64) {
                        r = strv_extend(&o->link_dirs, dir);
                        if (r < 0)
                                return r;
                }
        }

        /* A new symlink appears whole; only replacing one needs the rename. */
        if (o->flags & UNIT_OUTPUT_PRIVATE) {
                if (symlinkat(target, o->dir_fd, path) >= 0)
                        return 0;
                if (errno != EEXIST)
                        return negative_errno();
        }

        r = output_tmp_name(o, dir, file, &tmp);
        if (r < 0)
                return r;
        if (symlinkat(target, o->dir_fd, tmp) < 0)
                return negative_errno();
        if (renameat(o->dir_fd, tmp, o->dir_fd, path) < 0) {
                r = negative_errno();
                (void) unlinkat(o->dir_fd, tmp, 0);
                return r;
        }
        return 0;
}
