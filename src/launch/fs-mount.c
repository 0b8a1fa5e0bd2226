/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "fs-mount.h"
#include "sync.h"

void append_kernel_message(int fs_fd, ExecError *err) {
        char buf[256], last[256] = "";
        ssize_t n;

        if (!err || fs_fd < 0)
                return;
        while ((n = read(fs_fd, buf, sizeof(buf) - 1)) > 0) {
                while (n > 0 && buf[n - 1] == '\n')
                        n--;
                buf[n] = '\0';
                if (buf[0] == 'e' || last[0] == '\0')
                        snprintf(last, sizeof(last), "%s", buf[1] == ' ' ? buf + 2 : buf);
        }
        if (last[0] != '\0') {
                size_t l = strlen(err->message);
                snprintf(err->message + l, sizeof(err->message) - l, " [kernel: %s]", last);
        }
}

int fs_mount_detached(const char *fstype, const char *source, const char *options, unsigned attr, int *ret_fd,
                      ExecError *err) {
        _cleanup_close_ int fs = -EBADF, mnt = -EBADF;
        _cleanup_free_ char *opts = NULL;
        char *save = NULL;
        int r;

        fs = fsopen(fstype, FSOPEN_CLOEXEC);
        if (fs < 0)
                return launch_error(err, errno, "Failed to create a %s filesystem", fstype);
        if (fsconfig(fs, FSCONFIG_SET_STRING, "source", source ?: fstype, 0) < 0) {
                r = launch_error(err, errno, "Failed to set the source of a %s filesystem", fstype);
                append_kernel_message(fs, err);
                return r;
        }
        if (options) {
                opts = strdup(options);
                if (!opts)
                        return launch_error(err, ENOMEM, "Out of memory");
                for (char *o = strtok_r(opts, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
                        char *eq = strchr(o, '=');
                        if (eq)
                                *eq = '\0';
                        if ((eq ? fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0) :
                          fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0)) < 0) {
                                r = launch_error(err, errno, "Failed to set option '%s' of a %s filesystem",
                                                 o, fstype);
                                append_kernel_message(fs, err);
                                return r;
                        }
                }
        }
        if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                r = launch_error(err, errno, "Failed to create a %s filesystem (%s)", fstype, strempty(options));
                append_kernel_message(fs, err);
                return r;
        }
        mnt = fsmount(fs, FSMOUNT_CLOEXEC, attr);
        if (mnt < 0)
                return launch_error(err, errno, "Failed to mount a %s filesystem", fstype);
        *ret_fd = TAKE_FD(mnt);
        return 0;
}
