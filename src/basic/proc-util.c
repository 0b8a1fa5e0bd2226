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

/* The unified hierarchy's line "0::/path" of /proc/PID/cgroup. */
int pid_cgroup_dir(pid_t pid, char **ret) {
        _cleanup_free_ char *path = NULL, *contents = NULL;
        struct statfs sfs;
        char *p, *e;
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
        p = strstr(contents, "0::");
        if (!p || (p != contents && p[-1] != '\n'))
                return -ENODATA;
        p += 3;
        e = strchrnul(p, '\n');
        if (asprintf(ret, "/sys/fs/cgroup%.*s", (int) (e - p), p) < 0)
                return -ENOMEM;
        return 0;
}

bool proc_cgroup_has_component(int proc_dir_fd, const char *component) {
        _cleanup_free_ char *text = NULL;
        const char *path;
        size_t n = strlen(component);

        if (n == 0 || read_full_file_at(proc_dir_fd, "cgroup", 64 * 1024, &text, NULL) < 0)
                return false;
        /* "0::/machine.slice/ctr-web.scope/…": the first line on a unified system, a later one on a hybrid */
        path = startswith(text, "0::");
        if (!path) {
                path = strstr(text, "\n0::");
                if (!path)
                        return false;
                path += strlen("\n0::");
        }
        for (const char *s = path; (s = strstr(s, component)); s += n)
                if (s > path && s[-1] == '/' && (s[n] == '/' || s[n] == '\n' || s[n] == '\0'))
                        return true;
        return false;
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
