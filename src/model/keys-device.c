/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* AddDevice=[-]HOSTPATH[:CONTAINERPATH][:PERMISSIONS]: a device node of the host in the container, podman's
 * syntax. Only the text is checked here; what the host path is (a character or block device, symlinks
 * followed) is the launcher's to check at start (src/launch/devices.c), where the node is. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "path-util.h"
#include "string-util.h"

/* podman's device modes: r, w and m, each at most once, in any order; "rwm" order out */
static bool device_access_parse(const char *s, char ret[static 4]) {
        bool r = false, w = false, m = false;
        size_t n = 0;

        if (isempty(s))
                return false;
        for (const char *p = s; *p; p++) {
                bool *b = *p == 'r' ? &r : *p == 'w' ? &w : *p == 'm' ? &m : NULL;

                if (!b || *b)
                        return false;
                *b = true;
        }
        if (r)
                ret[n++] = 'r';
        if (w)
                ret[n++] = 'w';
        if (m)
                ret[n++] = 'm';
        ret[n] = '\0';
        return true;
}

/* The container's path: below /dev, on its tmpfs, not on the mounts of their own there (a node cannot be made
 * on devpts, and one on /dev/shm or /dev/mqueue would sit in the container's shared memory) */
static bool device_target_is_allowed(const char *t) {
        return path_is_same_or_below(t, "/dev") && !streq(t, "/dev") && !path_is_same_or_below(t, "/dev/pts") &&
               !path_is_same_or_below(t, "/dev/shm") && !path_is_same_or_below(t, "/dev/mqueue");
}

int key_add_device(KeyContext *k, const char *v) {
        _cleanup_free_ char *host = NULL, *source = NULL, *target = NULL, *file = NULL;
        Container *c = k->lc->c;
        const char *p, *colon, *second = NULL, *third = NULL;
        char access[4] = "rwm";
        bool optional;
        Device *n;

        if (isempty(v)) {
                device_free_many(c->devices, c->n_devices);
                c->devices = NULL;
                c->n_devices = 0;
                return 0;
        }
        optional = v[0] == '-';
        p = v + optional;
        colon = strchr(p, ':');
        host = colon ? strndup(p, (size_t) (colon - p)) : strdup(p);
        if (!host)
                return -ENOMEM;
        if (colon) {
                second = colon + 1;
                third = strchr(second, ':');
        }
        if (third && strchr(third + 1, ':'))
                return key_invalid(k, EINVAL, "AddDevice= takes [-]HOSTPATH[:CONTAINERPATH][:PERMISSIONS], got "
                                   "'%s'", v);
        if (path_normalize_absolute(host, &source) < 0)
                return key_invalid(k, EINVAL, "AddDevice= needs an absolute host path without '..', got '%s' (a "
                                   "CDI device name is not supported)", host);

        /* HOSTPATH:X is X as PERMISSIONS when it is one, else as CONTAINERPATH (as podman reads it) */
        if (third) {
                _cleanup_free_ char *t = strndup(second, (size_t) (third - second));

                if (!t)
                        return -ENOMEM;
                if (!device_access_parse(third + 1, access))
                        return key_invalid(k, EINVAL, "AddDevice= permissions are a combination of r, w and m, "
                                           "got '%s'", third + 1);
                if (path_normalize_absolute(t, &target) < 0)
                        return key_invalid(k, EINVAL, "AddDevice= needs an absolute container path without '..', "
                                           "got '%s'", t);
        } else if (second && !device_access_parse(second, access)) {
                if (path_normalize_absolute(second, &target) < 0)
                        return key_invalid(k, EINVAL, "AddDevice= takes a container path or permissions (a "
                                           "combination of r, w and m) after the host path, got '%s'", second);
        }
        if (!target) {
                target = strdup(source);
                if (!target)
                        return -ENOMEM;
        }
        if (!device_target_is_allowed(target))
                return key_invalid(k, EINVAL, "AddDevice= puts the node at '%s' in the container; it must be below "
                                   "/dev (not /dev/pts, /dev/shm or /dev/mqueue): give a container path there",
                                   target);

        /* one node per path: a later assignment for the same target replaces the earlier one */
        for (size_t i = 0; i < c->n_devices; i++)
                if (streq(c->devices[i].target, target)) {
                        free(c->devices[i].source);
                        free(c->devices[i].target);
                        free(c->devices[i].file);
                        memmove(c->devices + i, c->devices + i + 1, (c->n_devices - i - 1) * sizeof(Device));
                        c->n_devices--;
                        break;
                }
        if (key_check_list_size(k, c->n_devices) < 0)
                return 0;
        file = strdup(k->file);
        if (!file)
                return -ENOMEM;
        n = reallocarray(c->devices, c->n_devices + 1, sizeof(Device));
        if (!n)
                return -ENOMEM;
        c->devices = n;
        c->devices[c->n_devices] = (Device) {
                .source = TAKE_PTR(source),
                .target = TAKE_PTR(target),
                .optional = optional,
                .file = TAKE_PTR(file),
                .line = k->line,
        };
        memcpy(c->devices[c->n_devices].access, access, sizeof(access));
        c->n_devices++;
        return 0;
}
