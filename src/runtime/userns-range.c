/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The allocation of PrivateUsers= ranges (userns-range.h): records in STATE/userns/, under a lock. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "mkdir-util.h"
#include "parse-util.h"
#include "string-util.h"
#include "strv.h"
#include "userns-range.h"

#define RECORD_MAX 64U
#define HOST_FILE_MAX (16U * 1024U * 1024U)

typedef struct Record {
        char *name;
        UsernsRange range;
} Record;

static bool overlaps(const UsernsRange *a, uint64_t base, uint64_t count) {
        return (uint64_t) a->base < base + count && base < (uint64_t) a->base + a->count;
}

static int parse_record(const char *text, UsernsRange *ret) {
        _cleanup_strv_free_ char **f = NULL;
        UsernsRange r;

        if (strv_split(text, " \n", &f) < 0)
                return -ENOMEM;
        if (strv_length(f) != 2 || safe_atou32(f[0], &r.base) < 0 || safe_atou32(f[1], &r.count) < 0 ||
            r.base == 0 || r.count == 0 || (uint64_t) r.base + r.count > UINT32_MAX)
                return -EBADMSG;
        *ret = r;
        return 0;
}

static int read_record_at(int dir, const char *name, UsernsRange *ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(dir, name, RECORD_MAX, &text, NULL);
        if (r < 0)
                return r;
        return parse_record(text, ret);
}

int userns_range_read(const char *state_dir, const char *name, UsernsRange *ret) {
        _cleanup_free_ char *dir = strprintf("%s/userns", state_dir);
        _cleanup_close_ int fd = -EBADF;

        if (!dir)
                return -ENOMEM;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        return read_record_at(fd, name, ret);
}

/* Whether anything of container |name| is left: its persistent layer, its image root, or it runs (its runtime
 * directory, or a launcher between its allocation and that directory holding its record, see
 * userns_range_acquire()). */
static bool container_exists(const UsernsPaths *paths, int dir, const char *name) {
        static const char *const suffixes[] = { "", ".mstack" };

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                _cleanup_free_ char *p = strprintf("%s/containers/%s%s", paths->state_dir, name, suffixes[i]);
                if (!p || access(p, F_OK) >= 0)
                        return true;    /* out of memory: keep the record rather than reuse its range */
        }
        _cleanup_free_ char *p = strprintf("%s/%s", paths->runtime_dir, name);
        if (!p || access(p, F_OK) >= 0)
                return true;
        _cleanup_close_ int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0;
}

static void records_free(Record *r, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(r[i].name);
        free(r);
}

static int records_add(Record **records, size_t *n, char *name, UsernsRange range) {
        Record *nr;

        if (!name)
                return -ENOMEM;
        nr = reallocarray(*records, *n + 1, sizeof(Record));
        if (!nr) {
                free(name);
                return -ENOMEM;
        }
        *records = nr;
        nr[(*n)++] = (Record) { .name = name, .range = range };
        return 0;
}

/* Every record but |name|'s (returned apart); stale ones are removed on the way. */
static int load_records(int dir, const UsernsPaths *paths, const char *name, Record **ret, size_t *ret_n,
                        UsernsRange *ret_own, bool *ret_has_own) {
        const struct dirent64 *de;
        Record *records = NULL;
        size_t n = 0;
        DirIter it;
        int r;

        *ret_has_own = false;
        r = dir_iter_open(dir, ".", &it);
        if (r < 0)
                return r;
        while ((r = dir_iter_next(&it, &de)) > 0) {
                UsernsRange range;

                if (de->d_name[0] == '.' || de->d_type != DT_REG)
                        continue;
                if (read_record_at(dir, de->d_name, &range) < 0)
                        continue;       /* not ours or half-written: ignored, never reused as free */
                if (streq(de->d_name, name)) {
                        *ret_own = range;
                        *ret_has_own = true;
                        continue;
                }
                if (!container_exists(paths, dir, de->d_name)) {
                        (void) unlinkat(dir, de->d_name, 0);
                        continue;
                }
                r = records_add(&records, &n, strdup(de->d_name), range);
                if (r < 0)
                        break;
        }
        dir_iter_close(&it);
        if (r < 0) {
                records_free(records, n);
                return r;
        }
        *ret = records;
        *ret_n = n;
        return 0;
}

/* The host's ids, read once per allocation: passwd and group (the 3rd field), subuid and subgid
 * (NAME:START:COUNT), each entry a record named after where it comes from. */
static int load_host_ids(const char *etc, Record **records, size_t *n) {
        static const struct {
                const char *file;
                bool sub;
        } files[] = { { "passwd", false }, { "group", false }, { "subuid", true }, { "subgid", true } };

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *path = strprintf("%s/%s", etc, files[i].file), *text = NULL;
                char *save = NULL;
                int r;

                if (!path)
                        return -ENOMEM;
                r = read_text_file(path, HOST_FILE_MAX, &text, NULL);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return r;
                for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        _cleanup_strv_free_ char **f = NULL;
                        uint32_t start, count = 1;

                        if (strv_split(line, ":", &f) < 0)
                                return -ENOMEM;
                        if (strv_length(f) < 3 || safe_atou32(files[i].sub ? f[1] : f[2], &start) < 0 ||
                            (files[i].sub && safe_atou32(f[2], &count) < 0))
                                continue;
                        r = records_add(records, n, strprintf("'%s' of the host's /etc/%s", f[0], files[i].file),
                                        (UsernsRange) { .base = start, .count = count });
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int write_record(int dir, const char *name, const UsernsRange *range) {
        _cleanup_free_ char *tmp = strprintf(".%s.tmp", name);
        _cleanup_close_ int fd = -EBADF;
        char text[32];
        int r, n;

        if (!tmp)
                return -ENOMEM;
        n = snprintf(text, sizeof(text), "%u %u\n", range->base, range->count);
        fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, text, (size_t) n);
        if (r >= 0 && fsync(fd) < 0)
                r = negative_errno();
        if (r >= 0 && renameat(dir, tmp, dir, name) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlinkat(dir, tmp, 0);
        return r;
}

/* A shared lock on the record for as long as the caller keeps *ret_fd: the container is starting, its state
 * may not exist yet, and its range must not be taken for stale. */
static int hold_record(int dir, const char *name, int *ret_fd) {
        int fd;

        if (!ret_fd)
                return 0;
        fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        if (flock(fd, LOCK_SH) < 0) {
                safe_close(fd);
                return negative_errno();
        }
        *ret_fd = fd;
        return 0;
}

int userns_range_acquire(const UsernsPaths *paths, const char *name, const UsernsRange *want, UsernsRange *ret,
                         char **ret_other, int *ret_hold_fd) {
        _cleanup_free_ char *dir_path = NULL, *other = NULL;
        _cleanup_close_ int dir = -EBADF, lock = -EBADF;
        Record *records = NULL;
        UsernsRange own = {}, pick = {};
        size_t n = 0, n_containers;
        bool has_own;
        int r;

        if (ret_other)
                *ret_other = NULL;
        dir_path = strprintf("%s/userns", paths->state_dir);
        if (!dir_path)
                return -ENOMEM;
        r = mkdir_p(dir_path, 0755, 0700);
        if (r < 0)
                return r;
        dir = open(dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return negative_errno();
        lock = openat(dir, ".lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lock < 0)
                return negative_errno();
        if (flock(lock, LOCK_EX) < 0)
                return negative_errno();

        r = load_records(dir, paths, name, &records, &n, &own, &has_own);
        if (r < 0)
                return r;
        n_containers = n;

        if (want) {
                pick = *want;
                /* an explicit range may be the operator's choice of a host user's ids: only the other
                 * containers' are refused */
                for (size_t i = 0; i < n_containers; i++)
                        if (overlaps(&records[i].range, pick.base, pick.count)) {
                                other = strprintf("container '%s' (%u:%u)", records[i].name,
                                                  records[i].range.base, records[i].range.count);
                                r = other ? -EADDRINUSE : -ENOMEM;
                                goto finish;
                        }
        } else if (has_own && own.count == USERNS_RANGE_SIZE && own.base >= USERNS_POOL_FIRST &&
                   own.base < USERNS_POOL_END) {
                /* stable across restarts: the persistent layer was written with it */
                r = hold_record(dir, name, ret_hold_fd);
                if (r >= 0)
                        *ret = own;
                goto finish;
        } else {
                r = load_host_ids(paths->etc_dir, &records, &n);
                if (r < 0)
                        goto finish;
                r = -ENOSPC;
                for (uint64_t base = USERNS_POOL_FIRST; base < USERNS_POOL_END; base += USERNS_RANGE_SIZE) {
                        bool used = false;
                        for (size_t i = 0; i < n && !used; i++)
                                used = overlaps(&records[i].range, base, USERNS_RANGE_SIZE);
                        if (used)
                                continue;
                        pick = (UsernsRange) { .base = (uint32_t) base, .count = USERNS_RANGE_SIZE };
                        r = 0;
                        break;
                }
                if (r < 0)
                        goto finish;
        }

        if (!has_own || own.base != pick.base || own.count != pick.count) {
                r = write_record(dir, name, &pick);
                if (r < 0)
                        goto finish;
        }
        r = hold_record(dir, name, ret_hold_fd);
        if (r < 0)
                goto finish;
        *ret = pick;
        r = 0;
finish:
        records_free(records, n);
        if (ret_other)
                *ret_other = TAKE_PTR(other);
        return r;
}

int userns_range_release(const char *state_dir, const char *name) {
        _cleanup_free_ char *p = strprintf("%s/userns/%s", state_dir, name);

        if (!p)
                return -ENOMEM;
        if (unlink(p) < 0 && errno != ENOENT)
                return negative_errno();
        return 0;
}
