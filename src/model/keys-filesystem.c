/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the container's file system: its root (Image=, AutoUpdate=, RootDirectory=, Layer=,
 * ReadOnly=, Ephemeral=) and what is mounted on it (Volume=, Tmpfs=). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

int key_image(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        if (isempty(v)) {
                c->image = mfree(c->image);
                return 0;
        }
        if (!streq(v, "host") && !image_reference_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid image reference '%s' for Image=", v);
        k->lc->root_key = "Image";
        k->lc->root_file = k->file;
        k->lc->root_line = k->line;
        return free_and_strdup(&c->image, v);
}

int key_auto_update(KeyContext *k, const char *v) {
        Container *c = k->lc->c;

        /* empty: back to the default */
        for (AutoUpdate a = 0; a < _AUTO_UPDATE_MAX; a++)
                if (isempty(v) ? a == AUTO_UPDATE_NO : streq(v, auto_update_to_string(a))) {
                        c->auto_update = a;
                        return 0;
                }
        return key_invalid(k, EINVAL, "Invalid value '%s' for AutoUpdate= (registry, local or no)", v);
}

int key_pull(KeyContext *k, const char *v) {
        /* empty: back to the default */
        for (PullPolicy p = 0; p < _PULL_MAX; p++)
                if (isempty(v) ? p == PULL_MISSING : streq(v, pull_policy_to_string(p))) {
                        k->lc->c->pull = p;
                        return 0;
                }
        return key_invalid(k, EINVAL, "Invalid value '%s' for Pull= (missing, never, always or newer)", v);
}

int key_root_directory(KeyContext *k, const char *v) {
        int r;

        r = key_parse_abs_path(k, v, &k->lc->c->root_directory);
        if (r >= 0 && !isempty(v)) {
                k->lc->root_key = "RootDirectory";
                k->lc->root_file = k->file;
                k->lc->root_line = k->line;
        }
        return r;
}

int key_layer(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char *p;

        if (isempty(v)) {
                c->layers = strv_free(c->layers);
                return 0;
        }
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL, "Layer= must be an absolute path without '..', got '%s'", v);
        if (key_check_list_size(k, strv_length(c->layers)) < 0) {
                free(p);
                return 0;
        }
        return strv_consume(&c->layers, p);
}

int key_read_only(KeyContext *k, const char *v) {
        return key_parse_bool(k, v, &k->lc->c->read_only, false);
}

int key_ephemeral(KeyContext *k, const char *v) {
        return key_parse_bool(k, v, &k->lc->c->ephemeral, false);
}

static int check_mask(KeyContext *k, const char *word, char **ret) {
        _cleanup_free_ char *path = NULL;

        if (path_normalize_absolute(word, &path) < 0 || streq(path, "/"))
                return key_invalid(k, EINVAL, "Mask= takes absolute paths without '..', other than /, got '%s'",
                                   word);
        *ret = strv_contains(k->lc->c->mask_paths, path) ? NULL : TAKE_PTR(path);
        return 1;
}

int key_mask(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->mask_paths, CTR_LIST_MAX, EXTRACT_UNQUOTE, check_mask);
}

/* Two mounts on one destination: the later one hides the earlier, which is never what was meant. */
static const char *mount_destination_used(const Container *c, const char *destination) {
        for (size_t i = 0; i < c->n_volumes; i++)
                if (streq(c->volumes[i].destination, destination))
                        return "Volume=";
        for (size_t i = 0; i < c->n_tmpfs; i++)
                if (streq(c->tmpfs[i].destination, destination))
                        return "Tmpfs=";
        return NULL;
}

int key_volume(KeyContext *k, const char *v) {
        _cleanup_strv_free_ char **parts = NULL;
        _cleanup_free_ char *source = NULL, *destination = NULL;
        Container *c = k->lc->c;
        /* nosuid and nodev unless asked otherwise: root in the container could otherwise mknod the host's
         * disk on a volume and read it, or leave a setuid binary there for a host user to run. */
        Volume vol = { .recursive = true, .nosuid = true, .nodev = true };
        const char *used;
        Volume *n;
        int r;

        if (isempty(v)) {
                volume_free_many(c->volumes, c->n_volumes);
                c->volumes = NULL;
                c->n_volumes = 0;
                return 0;
        }

        /* Split by hand: strv_split() would drop empty fields, which must be errors here. */
        for (const char *p = v;;) {
                size_t l = strcspn(p, ":");
                char *f;

                if (strv_length(parts) >= 3)
                        return key_invalid(k, EINVAL, "Volume= takes SOURCE:DESTINATION[:OPTIONS], got '%s'", v);
                f = strndup(p, l);
                if (!f)
                        return -ENOMEM;
                r = strv_consume(&parts, f);
                if (r < 0)
                        return r;
                if (p[l] == '\0')
                        break;
                p += l + 1;
        }
        if (strv_length(parts) < 2)
                return key_invalid(k, EINVAL, "Volume= takes SOURCE:DESTINATION[:OPTIONS], got '%s'", v);

        if (isempty(parts[0]))
                return key_invalid(k, EINVAL, "Volume= source is empty in '%s'", v);
        if (parts[0][0] == '/') {
                if (path_normalize_absolute(parts[0], &source) < 0)
                        return key_invalid(k, EINVAL, "Volume= source must be an absolute path without '..', got '%s'",
                                           parts[0]);
                vol.type = VOLUME_BIND;
        } else if (volume_name_is_valid(parts[0])) {
                source = strdup(parts[0]);
                if (!source)
                        return -ENOMEM;
                vol.type = VOLUME_NAMED;
        } else
                return key_invalid(k, EINVAL,
                                   "Volume= source must be an absolute path or a volume name "
                                   "([A-Za-z0-9][A-Za-z0-9_.-]*), got '%s'",
                                   parts[0]);

        if (!path_is_absolute(parts[1]))
                return key_invalid(k, EINVAL, "Volume= destination must be an absolute path, got '%s'", parts[1]);
        if (path_normalize_absolute(parts[1], &destination) < 0)
                return key_invalid(k, EINVAL, "Volume= destination must not contain '..', got '%s'", parts[1]);
        if (streq(destination, "/"))
                return key_invalid(k, EINVAL, "Volume= destination must not be '/', got '%s'", parts[1]);

        if (parts[2]) {
                if (isempty(parts[2]))
                        return key_invalid(k, EINVAL, "Volume= options are empty in '%s'", v);
                for (const char *p = parts[2];;) {
                        size_t l = strcspn(p, ",");
                        _cleanup_free_ char *o = strndup(p, l);

                        if (!o)
                                return -ENOMEM;
                        if (streq(o, "ro"))
                                vol.read_only = true;
                        else if (streq(o, "rw"))
                                vol.read_only = false;
                        else if (streq(o, "nosuid"))
                                vol.nosuid = true;
                        else if (streq(o, "suid"))
                                vol.nosuid = false;
                        else if (streq(o, "nodev"))
                                vol.nodev = true;
                        else if (streq(o, "dev"))
                                vol.nodev = false;
                        else if (streq(o, "noexec"))
                                vol.noexec = true;
                        else if (streq(o, "rbind"))
                                vol.recursive = true;
                        else if (streq(o, "norbind"))
                                vol.recursive = false;
                        else if (streq(o, "idmap"))
                                vol.idmap = true;
                        else
                                return key_invalid(k, EINVAL, "Unknown Volume= option '%s' in '%s'", o, v);
                        if (p[l] == '\0')
                                break;
                        p += l + 1;
                }
        }

        used = mount_destination_used(c, destination);
        if (used)
                return key_invalid(k, EEXIST, "Volume= destination '%s' is already used by %s", destination, used);

        if (key_check_list_size(k, c->n_volumes) < 0)
                return 0;
        n = reallocarray(c->volumes, c->n_volumes + 1, sizeof(Volume));
        if (!n)
                return -ENOMEM;
        c->volumes = n;
        vol.source = TAKE_PTR(source);
        vol.destination = TAKE_PTR(destination);
        c->volumes[c->n_volumes++] = vol;
        return 0;
}

int key_tmpfs(KeyContext *k, const char *v) {
        _cleanup_free_ char *path = NULL, *destination = NULL;
        Container *c = k->lc->c;
        /* nosuid and nodev as for volumes, and as Docker and Podman mount theirs; unlike them not noexec,
         * which protects nothing the writable root does not already allow. */
        Tmpfs t = { .size = LIMIT_UNSET, .mode = 01777, .nosuid = true, .nodev = true };
        const char *colon, *used;
        Tmpfs *n;
        int r;

        if (isempty(v)) {
                tmpfs_free_many(c->tmpfs, c->n_tmpfs);
                c->tmpfs = NULL;
                c->n_tmpfs = 0;
                return 0;
        }

        colon = strchr(v, ':');
        path = colon ? strndup(v, (size_t) (colon - v)) : strdup(v);
        if (!path)
                return -ENOMEM;
        if (!path_is_absolute(path))
                return key_invalid(k, EINVAL, "Tmpfs= destination must be an absolute path, got '%s'", path);
        if (path_normalize_absolute(path, &destination) < 0)
                return key_invalid(k, EINVAL, "Tmpfs= destination must not contain '..', got '%s'", path);
        if (streq(destination, "/"))
                return key_invalid(k, EINVAL, "Tmpfs= destination must not be '/', got '%s'", path);

        if (colon) {
                if (colon[1] == '\0')
                        return key_invalid(k, EINVAL, "Tmpfs= options are empty in '%s'", v);
                for (const char *p = colon + 1;;) {
                        size_t l = strcspn(p, ",");
                        _cleanup_free_ char *o = strndup(p, l);
                        const char *a;

                        if (!o)
                                return -ENOMEM;
                        if ((a = startswith(o, "size="))) {
                                r = parse_size(a, &t.size);
                                if (r < 0 || t.size == 0)
                                        return key_invalid(k, EINVAL, "Invalid Tmpfs= size '%s' in '%s'", a, v);
                        } else if ((a = startswith(o, "mode="))) {
                                if (parse_mode(a, &t.mode) < 0)
                                        return key_invalid(k, EINVAL, "Invalid Tmpfs= mode '%s' in '%s'", a, v);
                        } else if (streq(o, "ro"))
                                t.read_only = true;
                        else if (streq(o, "rw"))
                                t.read_only = false;
                        else if (streq(o, "nosuid"))
                                t.nosuid = true;
                        else if (streq(o, "suid"))
                                t.nosuid = false;
                        else if (streq(o, "nodev"))
                                t.nodev = true;
                        else if (streq(o, "dev"))
                                t.nodev = false;
                        else if (streq(o, "noexec"))
                                t.noexec = true;
                        else
                                return key_invalid(k, EINVAL, "Unknown Tmpfs= option '%s' in '%s'", o, v);
                        if (p[l] == '\0')
                                break;
                        p += l + 1;
                }
        }

        used = mount_destination_used(c, destination);
        if (used)
                return key_invalid(k, EEXIST, "Tmpfs= destination '%s' is already used by %s", destination, used);

        if (key_check_list_size(k, c->n_tmpfs) < 0)
                return 0;
        n = reallocarray(c->tmpfs, c->n_tmpfs + 1, sizeof(Tmpfs));
        if (!n)
                return -ENOMEM;
        c->tmpfs = n;
        t.destination = TAKE_PTR(destination);
        c->tmpfs[c->n_tmpfs++] = t;
        return 0;
}
