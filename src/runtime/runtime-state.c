/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "macro.h"
#include "parse-util.h"
#include "paths.h"
#include "proc-util.h"
#include "runtime-state.h"
#include "string-util.h"

/* room for CONFIG_STAMP with CTR_DROPINS_MAX drop-ins (about 45 bytes each) */
#define STATE_FILE_MAX 65536U
/* RUNTIME_DIR/NAME/config: larger ones are not read back (the configuration then counts as not known) */
#define RUNTIME_CONFIG_MAX (64U * 1024U * 1024U)

void runtime_state_done(RuntimeState *s) {
        s->name = mfree(s->name);
        s->scope = mfree(s->scope);
        s->config_hash = mfree(s->config_hash);
        s->config_stamp = mfree(s->config_stamp);
        s->config = mfree(s->config);
        s->config_size = 0;
        s->source_path = mfree(s->source_path);
        s->address = mfree(s->address);
        s->address6 = mfree(s->address6);
        s->image_digest = mfree(s->image_digest);
        s->launcher_version = mfree(s->launcher_version);
        s->launcher_binary = mfree(s->launcher_binary);
        s->health = mfree(s->health);
}

int runtime_state_dir(const char *name, bool create, char **ret) {
        char *p;

        if (isempty(name) || strchr(name, '/') || name[0] == '.')
                return -EINVAL;
        if (asprintf(&p, "%s/%s", runtime_dir(), name) < 0)
                return -ENOMEM;
        if (create) {
                if ((mkdir(runtime_dir(), 0755) < 0 && errno != EEXIST) ||
                    (mkdir(p, 0755) < 0 && errno != EEXIST)) {
                        int r = negative_errno();
                        free(p);
                        return r;
                }
        }
        *ret = p;
        return 0;
}

/* Values are single-line by construction; refuse anything that would break the format. */
static bool value_ok(const char *v) {
        return !v || !strpbrk(v, "\n\r");
}

/* DIR/NAME written through a temporary name and rename(), so that a reader sees the old file or the new. */
static int write_atomic(const char *dir, const char *name, const void *data, size_t size) {
        _cleanup_free_ char *path = strprintf("%s/%s", dir, name), *tmp = strprintf("%s/.%s.tmp", dir, name);
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (!path || !tmp)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, data, size);
        if (r >= 0 && rename(tmp, path) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

int runtime_state_write(const RuntimeState *s) {
        _cleanup_free_ char *dir = NULL, *path = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        FILE *f;
        int r;

        if (!value_ok(s->scope) || !value_ok(s->config_hash) || !value_ok(s->config_stamp) ||
            !value_ok(s->source_path) ||
            !value_ok(s->image_digest) || !value_ok(s->launcher_version) || !value_ok(s->launcher_binary) ||
            !value_ok(s->health))
                return -EINVAL;

        r = runtime_state_dir(s->name, true, &dir);
        if (r < 0)
                return r;
        /* before the state, which makes it count */
        if (s->config) {
                r = write_atomic(dir, "config", s->config, s->config_size);
                if (r < 0)
                        return r;
        }
        if (asprintf(&path, "%s/state", dir) < 0 || asprintf(&tmp, "%s/.state.tmp", dir) < 0)
                return -ENOMEM;

        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return negative_errno();
        f = fdopen(fd, "w");
        if (!f)
                return negative_errno();
        TAKE_FD(fd);

        fprintf(f, "NAME=%s\nINIT_PID=%i\nMONITOR_PID=%i\n", s->name, (int) s->init_pid, (int) s->monitor_pid);
        if (s->init_start > 0)
                fprintf(f, "INIT_START=%" PRIu64 "\n", s->init_start);
        if (s->scope)
                fprintf(f, "SCOPE=%s\n", s->scope);
        if (s->config_hash)
                fprintf(f, "CONFIG_HASH=%s\n", s->config_hash);
        if (s->config_stamp)
                fprintf(f, "CONFIG_STAMP=%s\n", s->config_stamp);
        if (s->source_path)
                fprintf(f, "SOURCE_PATH=%s\n", s->source_path);
        if (s->address)
                fprintf(f, "ADDRESS=%s\n", s->address);
        if (s->address6)
                fprintf(f, "ADDRESS6=%s\n", s->address6);
        if (s->image_digest)
                fprintf(f, "IMAGE_DIGEST=%s\n", s->image_digest);
        fprintf(f, "STARTED_USEC=%" PRIu64 "\n", s->started_usec);
        if (s->launcher_version)
                fprintf(f, "LAUNCHER_VERSION=%s\n", s->launcher_version);
        if (s->launcher_binary)
                fprintf(f, "LAUNCHER_BINARY=%s\n", s->launcher_binary);
        if (s->health)
                fprintf(f, "HEALTH=%s\nHEALTH_FAILING_STREAK=%u\n", s->health, s->health_failing_streak);

        if (fflush(f) != 0 || ferror(f)) {
                r = -EIO;
                fclose(f);
                (void) unlink(tmp);
                return r;
        }
        fclose(f);

        if (rename(tmp, path) < 0) {
                r = negative_errno();
                (void) unlink(tmp);
                return r;
        }
        return 0;
}

static int parse_pid(const char *v, pid_t *ret) {
        char *end;
        long l;

        errno = 0;
        l = strtol(v, &end, 10);
        if (errno != 0 || end == v || *end != '\0' || l < 0 || l > INT32_MAX)
                return -EINVAL;
        *ret = (pid_t) l;
        return 0;
}

int runtime_state_read(const char *name, RuntimeState *ret) {
        _cleanup_free_ char *dir = NULL, *path = NULL, *line = NULL;
        RuntimeState s = {};
        size_t allocated = 0, total = 0;
        ssize_t n;
        FILE *f;
        int r = 0;

        r = runtime_state_dir(name, false, &dir);
        if (r < 0)
                return r;
        if (asprintf(&path, "%s/state", dir) < 0)
                return -ENOMEM;

        f = fopen(path, "re");
        if (!f)
                return negative_errno();

        while ((n = getline(&line, &allocated, f)) > 0) {
                char *eq, **dst = NULL;

                total += (size_t) n;
                if (total > STATE_FILE_MAX) {
                        r = -EFBIG;
                        break;
                }
                line[strcspn(line, "\n")] = '\0';
                eq = strchr(line, '=');
                if (!eq)
                        continue;
                *eq++ = '\0';

                if (streq(line, "NAME"))
                        dst = &s.name;
                else if (streq(line, "SCOPE"))
                        dst = &s.scope;
                else if (streq(line, "CONFIG_HASH"))
                        dst = &s.config_hash;
                else if (streq(line, "CONFIG_STAMP"))
                        dst = &s.config_stamp;
                else if (streq(line, "SOURCE_PATH"))
                        dst = &s.source_path;
                else if (streq(line, "ADDRESS"))
                        dst = &s.address;
                else if (streq(line, "ADDRESS6"))
                        dst = &s.address6;
                else if (streq(line, "IMAGE_DIGEST"))
                        dst = &s.image_digest;
                else if (streq(line, "LAUNCHER_VERSION"))
                        dst = &s.launcher_version;
                else if (streq(line, "LAUNCHER_BINARY"))
                        dst = &s.launcher_binary;
                else if (streq(line, "HEALTH"))
                        dst = &s.health;
                else if (streq(line, "HEALTH_FAILING_STREAK"))
                        r = safe_atou(eq, &s.health_failing_streak);
                else if (streq(line, "INIT_PID"))
                        r = parse_pid(eq, &s.init_pid);
                else if (streq(line, "MONITOR_PID"))
                        r = parse_pid(eq, &s.monitor_pid);
                else if (streq(line, "STARTED_USEC") || streq(line, "INIT_START")) {
                        char *end;
                        unsigned long long v;

                        errno = 0;
                        v = strtoull(eq, &end, 10);
                        if (errno != 0 || *end != '\0' || end == eq)
                                r = -EINVAL;
                        else
                                *(streq(line, "INIT_START") ? &s.init_start : &s.started_usec) = v;
                }
                if (r < 0)
                        break;
                if (dst) {
                        free(*dst);
                        *dst = strdup(eq);
                        if (!*dst) {
                                r = -ENOMEM;
                                break;
                        }
                }
        }
        fclose(f);

        if (r >= 0 && (!s.name || !streq(s.name, name)))
                r = -EBADMSG;
        if (r >= 0) {
                _cleanup_free_ char *config = strprintf("%s/config", dir);

                r = config ? read_full_file_at(AT_FDCWD, config, RUNTIME_CONFIG_MAX, &s.config, &s.config_size)
                           : -ENOMEM;
                if (r == -ENOENT || r == -EFBIG)
                        r = 0;  /* a launcher before it, or a configuration too large to keep: not known */
        }
        if (r < 0) {
                runtime_state_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

int runtime_state_remove(const char *name) {
        _cleanup_free_ char *dir = NULL, *path = NULL;
        int r;

        r = runtime_state_dir(name, false, &dir);
        if (r < 0)
                return r;
        if (asprintf(&path, "%s/state", dir) < 0)
                return -ENOMEM;
        if (unlink(path) < 0 && errno != ENOENT)
                return negative_errno();
        path = mfree(path);
        if (asprintf(&path, "%s/config", dir) < 0)
                return -ENOMEM;
        if (unlink(path) < 0 && errno != ENOENT)
                return negative_errno();
        path = mfree(path);
        if (asprintf(&path, "%s/health-output", dir) < 0)
                return -ENOMEM;
        if (unlink(path) < 0 && errno != ENOENT)
                return negative_errno();
        /* The directory may still hold the notify socket's directory or the host root; that's the caller's. */
        if (rmdir(dir) < 0 && errno != ENOENT && errno != ENOTEMPTY)
                return negative_errno();
        return 0;
}

int runtime_state_write_health_output(const char *name, const char *output, size_t size) {
        _cleanup_free_ char *dir = NULL;
        int r;

        r = runtime_state_dir(name, true, &dir);
        if (r < 0)
                return r;
        return write_atomic(dir, "health-output", output, size);
}

int runtime_state_read_health_output(const char *name, size_t max, char **ret, uint64_t *ret_mtime_usec) {
        _cleanup_free_ char *dir = NULL, *path = NULL;
        struct stat st;
        int r;

        r = runtime_state_dir(name, false, &dir);
        if (r < 0)
                return r;
        path = strprintf("%s/health-output", dir);
        if (!path)
                return -ENOMEM;
        if (ret_mtime_usec && stat(path, &st) < 0)
                return negative_errno();
        r = read_full_file_at(AT_FDCWD, path, max, ret, NULL);
        if (r < 0)
                return r;
        if (ret_mtime_usec)
                *ret_mtime_usec = timespec_to_usec(&st.st_mtim);
        return 0;
}

int launcher_binary_id(const char *path, char **ret) {
        struct stat st;
        char *id;

        if (stat(path, &st) < 0)
                return negative_errno();
        /* the inode alone could be reused once the old binary is gone; with the mtime, a file written later
         * differs even then */
        id = strprintf("%llu:%llu:%lld.%09ld", (unsigned long long) st.st_dev, (unsigned long long) st.st_ino,
                       (long long) st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        if (!id)
                return -ENOMEM;
        *ret = id;
        return 0;
}

int runtime_launcher_replaced(const RuntimeState *s, const char *installed) {
        _cleanup_free_ char *id = NULL;
        int r;

        if (!s->launcher_binary)
                return -ENODATA;
        r = launcher_binary_id(installed, &id);
        if (r < 0)
                return r;
        return !streq(id, s->launcher_binary);
}

bool runtime_state_init_alive(const RuntimeState *s) {
        unsigned long long ppid, start;

        if (s->init_pid <= 0 || s->monitor_pid <= 0)
                return false;
        /* /proc/PID/stat gone: no such process (a zombie still has one, and is the init until reaped) */
        if (pid_stat_field(s->init_pid, 4, &ppid) < 0 || ppid != (unsigned long long) s->monitor_pid)
                return false;
        if (s->init_start > 0 &&
            (pid_stat_field(s->init_pid, 22, &start) < 0 || start != (unsigned long long) s->init_start))
                return false;
        return true;
}
