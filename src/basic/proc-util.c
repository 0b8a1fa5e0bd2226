/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "macro.h"
#include "proc-util.h"

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
