/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>

#include "macro.h"
#include "mkdir-util.h"

/* mkdir() with the mode given, not the umask's: chmod() only what we created ourselves. Something that
 * exists is checked to be a directory only when |check| (the last component: for one on the way, the next
 * mkdir() says ENOTDIR anyway, and a start of ctr-launch should not pay a stat() per component). */
static int mkdir_exact(const char *path, mode_t mode, bool check) {
        struct stat st;

        if (mkdir(path, mode) < 0) {
                if (errno != EEXIST)
                        return negative_errno();
                if (!check)
                        return 0;
                if (stat(path, &st) < 0)
                        return negative_errno();
                return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
        }
        if (chmod(path, mode) < 0)
                return negative_errno();
        return 1;
}

int mkdir_p(const char *path, mode_t parents_mode, mode_t mode) {
        _cleanup_free_ char *p = strdup(path);
        int r;

        if (!p)
                return -ENOMEM;
        for (char *s = p + 1; *s; s++) {
                if (*s != '/' || s[1] == '/' || s[1] == '\0')
                        continue;
                *s = '\0';
                r = mkdir_exact(p, parents_mode, false);
                *s = '/';
                if (r < 0)
                        return r;
        }
        return mkdir_exact(p, mode, true);
}
