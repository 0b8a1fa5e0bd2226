/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "fileio.h"
#include "macro.h"
#include "proc-util.h"
#include "string-util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

int pid_stat_field(pid_t pid, unsigned field, unsigned long long *ret) {
        _cleanup_free_ char *buf = NULL;
        char path[64];
        const char *p;
        int r;

        if (field < 4)
                return -EINVAL;
        snprintf(path, sizeof(path), "/proc/%i/stat", (int) pid);
        r = read_full_file_at(AT_FDCWD, path, 4096, &buf, NULL);
        if (r < 0)
                return r;
        p = strrchr(buf, ')');
        if (!p)
                return -EBADMSG;
        /* from field 3 on, one space-separated word each */
        p++;
        for (unsigned f = 3; f < field; f++) {
                p += strspn(p, " ");
                p += strcspn(p, " ");
        }
        if (sscanf(p, " %llu", ret) != 1)
                return -EBADMSG;
        return 0;
}

/* The path of the unified hierarchy's line "0::/path" of a /proc/PID/cgroup's |text|: the first line on a
 * unified system, a later one on a hybrid. Its end is the line's. */
static const char *cgroup_text_path(const char *text) {
        const char *p = startswith(text, "0::");

        if (p)
                return p;
        p = strstr(text, "\n0::");
        return p ? p + strlen("\n0::") : NULL;
}

/* Where |component| ends as a whole component of the cgroup |path| (up to its line's end), else NULL. */
static const char *cgroup_path_component_end(const char *path, const char *component) {
        size_t n = strlen(component);
        const char *end = strchrnul(path, '\n');

        if (n == 0)
                return NULL;
        for (const char *s = path; (s = strstr(s, component)) && s < end; s += n)
                if (s > path && s[-1] == '/' && (s[n] == '/' || s[n] == '\n' || s[n] == '\0'))
                        return s + n;
        return NULL;
}

int cgroup_text_dir(const char *text, const char *upto, char **ret) {
        const char *p = cgroup_text_path(text), *e;

        if (!p)
                return -ENODATA;
        e = upto ? cgroup_path_component_end(p, upto) : strchrnul(p, '\n');
        if (!e)
                return -ENODATA;
        *ret = strndup(p, (size_t) (e - p));
        return *ret ? 0 : -ENOMEM;
}

int pid_cgroup_dir(pid_t pid, const char *upto, char **ret) {
        _cleanup_free_ char *path = NULL, *contents = NULL, *dir = NULL;
        struct statfs sfs;
        int r;

        /* only the unified hierarchy (what systemd gives a scope) is mounted at /sys/fs/cgroup itself */
        if (statfs("/sys/fs/cgroup", &sfs) < 0)
                return -errno;
        if (sfs.f_type != CGROUP2_SUPER_MAGIC)
                return -EOPNOTSUPP;

        if (asprintf(&path, "/proc/%i/cgroup", (int) pid) < 0)
                return -ENOMEM;
        r = read_full_file_at(AT_FDCWD, path, 64 * 1024, &contents, NULL);
        if (r < 0)
                return r;
        r = cgroup_text_dir(contents, upto, &dir);
        if (r < 0)
                return r;
        *ret = strprintf("/sys/fs/cgroup%s", dir);
        return *ret ? 0 : -ENOMEM;
}

bool proc_cgroup_has_component(int proc_dir_fd, const char *component) {
        _cleanup_free_ char *text = NULL;
        const char *path;

        if (read_full_file_at(proc_dir_fd, "cgroup", 64 * 1024, &text, NULL) < 0)
                return false;
        /* "0::/machine.slice/ctr-web.scope/…" */
        path = cgroup_text_path(text);
        return path && cgroup_path_component_end(path, component);
}

int exit_status_from_siginfo(const siginfo_t *si) {
        switch (si->si_code) {
        case CLD_EXITED:
                return si->si_status;
        case CLD_KILLED:
        case CLD_DUMPED:
                return 128 + si->si_status;
        default:
                return 255;
        }
}

int stack_trim(size_t keep) {
        _cleanup_free_ char *maps = NULL;
        uintptr_t sp = (uintptr_t) __builtin_frame_address(0), lo = 0, hi = 0, end;
        uintptr_t page = (uintptr_t) sysconf(_SC_PAGESIZE);
        const char *line;
        int r;

        r = read_text_file("/proc/self/maps", 4U << 20, &maps, NULL);
        if (r < 0)
                return r;
        line = strstr(maps, " [stack]\n");
        if (!line)
                return -ESRCH;
        while (line > maps && line[-1] != '\n')
                line--;
        if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) != 2)
                return -EBADMSG;
        if (sp < lo || sp >= hi)
                return -ESRCH;
        if (sp - lo <= keep)
                return 0;
        end = (sp - keep) & ~(page - 1);
        if (end > lo && madvise((void *) lo, end - lo, MADV_DONTNEED) < 0)
                return -errno;
        return 0;
}
