/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* AddDevice=: the host's nodes checked before the plan, and named for the scope's DeviceAllow= (devices.h). */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "apparmor.h"
#include "devices.h"
#include "log.h"
#include "string-util.h"

static const char *file_type_name(mode_t m) {
        return S_ISDIR(m) ? "a directory" : S_ISREG(m) ? "a regular file" : S_ISFIFO(m) ? "a fifo" :
               S_ISSOCK(m) ? "a socket" : "not a device";
}

int launch_devices_check(const Container *c, const char *apparmor) {
        int ret = 0;

        for (size_t i = 0; i < c->n_devices; i++) {
                const Device *d = c->devices + i;
                struct stat st;

                /* stat(), not lstat(): a symlink counts for what it leads to, on the host */
                if (stat(d->source, &st) < 0) {
                        if (errno == ENOENT && d->optional) {
                                log_info("%s:%u: AddDevice=-%s: the host has no '%s', skipping it.", d->file, d->line,
                                         d->source, d->source);
                                continue;
                        }
                        ret = log_error_errno(errno, "%s:%u: AddDevice=%s: cannot use the host's '%s': %m", d->file,
                                              d->line, d->source, d->source);
                        continue;
                }
                if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) &&
                    streq_ptr(apparmor, APPARMOR_DEFAULT_PROFILE) && apparmor_default_denies_dev(d->target)) {
                        const char *base = strrchr(d->target, '/') + 1;

                        ret = log_error_errno(SYNTHETIC_ERRNO(EACCES), "%s:%u: AddDevice=%s: the AppArmor profile "
                                              "ctr-default denies '%s' by name inside the container (the host's "
                                              "disks, memory and kernel log), so the node would not open; give it "
                                              "another container path, e.g. AddDevice=%s:/dev/ctr-%s, or choose "
                                              "AppArmorProfile=.", d->file, d->line, d->source, d->target,
                                              d->source, base);
                        continue;
                }
                if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
                        continue;
                ret = log_error_errno(SYNTHETIC_ERRNO(ENODEV), "%s:%u: AddDevice=%s: '%s' is %s, not a character "
                                      "or block device.", d->file, d->line, d->source, d->source,
                                      file_type_name(st.st_mode));
        }
        return ret;
}

int launch_device_allow_node(const Device *d, char **ret) {
        struct stat st;

        *ret = NULL;
        if (stat(d->source, &st) < 0 || (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)))
                return 0;
        *ret = strprintf("/dev/%s/%u:%u", S_ISCHR(st.st_mode) ? "char" : "block", major(st.st_rdev),
                         minor(st.st_rdev));
        return *ret ? 0 : -ENOMEM;
}
