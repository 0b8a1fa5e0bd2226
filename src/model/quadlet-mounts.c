/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Translations of Quadlet's file system keys: the root (Rootfs=, ReadOnly=, ReadOnlyTmpfs=, VolatileTmp=)
 * and what is mounted on it (Volume=, Mount=, Tmpfs=, ShmSize=, Timezone=). */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "name-util.h"
#include "parse-util.h"
#include "quadlet-translate.h"
#include "string-util.h"
#include "strv.h"

/* Splits at every |sep|, keeping empty fields ("a::b" is three). */
static int split_keep_empty(const char *s, char sep, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r;

        for (;;) {
                const char *e = strchr(s, sep);
                char *f = e ? strndup(s, (size_t) (e - s)) : strdup(s);

                if (!f)
                        return -ENOMEM;
                r = strv_consume(&l, f);
                if (r < 0)
                        return r;
                if (!e)
                        break;
                s = e + 1;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

static int add_option(Buffer *b, const char *o) {
        if (b->size > 0 && buffer_putc(b, ',') < 0)
                return -ENOMEM;
        return buffer_puts(b, o);
}

static int remember_destination(QuadletUnit *u, const char *dst) {
        return strv_extend(&u->destinations, dst);
}

/* SOURCE as ctr's Volume= takes it: a path (relative ones below the unit file's directory), NAME.volume's
 * podman name, or a volume name. NULL (reported) when it has none. */
static int volume_source(QuadletUnit *u, const QuadletKey *k, const char *src, char **ret) {
        const char *name;

        *ret = NULL;
        if (src[0] == '/' || src[0] == '%' || src[0] == '.' || strchr(src, '/'))
                return quadlet_path(u->source_dir, src, ret);
        if (endswith(src, ".volume")) {
                name = u->lookup && u->lookup->volume ? u->lookup->volume(u->lookup->userdata, src) : NULL;
                *ret = name ? strdup(name) : strprintf("systemd-%.*s", (int) (strlen(src) - strlen(".volume")), src);
                return *ret ? 0 : -ENOMEM;
        }
        if (!volume_name_is_valid(src))
                return quadlet_drop(u, k->lost, "'%s' is neither a path nor a volume name ctr takes", src);
        *ret = strdup(src);
        return *ret ? 0 : -ENOMEM;
}

/* SOURCE:DESTINATION[:OPTIONS], from Volume= or built from Mount=. */
static int translate_volume(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **parts = NULL, **options = NULL;
        _cleanup_free_ char *src = NULL;
        _cleanup_buffer_ Buffer opts = {};
        int r;

        r = split_keep_empty(v, ':', &parts);
        if (r < 0)
                return r;
        if (strv_length(parts) == 1 || isempty(parts[0]))
                return quadlet_drop(u, false, "an anonymous volume, which Quadlet removes with the container: the "
                                    "container's writable layer keeps what is written there");
        if (strv_length(parts) > 3 || parts[1][0] != '/')
                return quadlet_drop(u, k->lost, "not SOURCE:DESTINATION[:OPTIONS] with an absolute DESTINATION");
        r = volume_source(u, k, parts[0], &src);
        if (r < 0 || !src)
                return r;

        if (parts[2]) {
                r = split_keep_empty(parts[2], ',', &options);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(o, options) {
                if (STR_IN_SET(*o, "ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "rbind", "norbind",
                               "idmap"))
                        r = add_option(&opts, *o);
                else if (streq(*o, "bind"))
                        r = add_option(&opts, "norbind");
                else if (STR_IN_SET(*o, "exec", ""))
                        r = 0;
                else if (STR_IN_SET(*o, "z", "Z"))
                        /* a relabel lets a confined container read the files; ctr's is not confined by SELinux */
                        r = quadlet_note(u, false, "option %s dropped: ctr applies no SELinux labels, so the "
                                         "container reads the files without them", *o);
                else if (streq(*o, "O"))
                        return quadlet_drop(u, k->lost, "an overlay whose writes podman discards: a plain volume "
                                            "would let the container change %s", src);
                else if (streq(*o, "U"))
                        r = quadlet_note(u, false, "option U dropped: ctr does not chown the source; give it to the "
                                         "container's user yourself");
                else if (startswith(*o, "idmap"))
                        r = quadlet_note(u, false, "option %s became idmap: the container's own range", *o) < 0 ?
                            -ENOMEM : add_option(&opts, "idmap");
                else
                        r = quadlet_note(u, false, "option %s dropped (mount propagation, copy and the like are "
                                         "not ctr's)", *o);
                if (r < 0)
                        return r;
        }

        /* keep-id shows the host's ids as they are (translate_keep_id()); a named volume is idmap anyway */
        if (u->keep_id && src[0] == '/' && !(opts.size > 0 && strstr(opts.data, "idmap"))) {
                r = quadlet_note(u, false, "idmap added: keep-id shows the host's ids as they are");
                if (r >= 0)
                        r = add_option(&opts, "idmap");
                if (r < 0)
                        return r;
        }
        r = remember_destination(u, parts[1]);
        if (r < 0)
                return r;
        if (opts.size > 0)
                return quadlet_emit(u, "Volume", "%s:%s:%s", src, parts[1], opts.data);
        return quadlet_emit(u, "Volume", "%s:%s", src, parts[1]);
}

int quadlet_translate_volume(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (isempty(v))
                return quadlet_emit(u, "Volume", "%s", "");
        return translate_volume(u, k, v);
}

static int translate_tmpfs(QuadletUnit *u, const QuadletKey *k, const char *dst, const char *options) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_buffer_ Buffer opts = {};
        int r;

        if (dst[0] != '/')
                return quadlet_drop(u, k->lost, "not an absolute path");
        if (options && split_keep_empty(options, ',', &l) < 0)
                return -ENOMEM;
        STRV_FOREACH(o, l) {
                const char *size = startswith(*o, "size=");

                if (size) {
                        _cleanup_free_ char *s = NULL, *opt = NULL;

                        if (quadlet_size(size, &s) < 0)
                                r = quadlet_note(u, false, "option %s dropped: not a size ctr takes", *o);
                        else
                                r = (opt = strprintf("size=%s", s)) ? add_option(&opts, opt) : -ENOMEM;
                } else if (startswith(*o, "mode=") ||
                           STR_IN_SET(*o, "ro", "rw", "noexec", "nosuid", "suid", "nodev", "dev"))
                        r = add_option(&opts, *o);
                else if (STR_IN_SET(*o, "exec", ""))
                        r = 0;
                else
                        r = quadlet_note(u, false, "option %s dropped: ctr's Tmpfs= takes size, mode, ro, rw, "
                                         "noexec, nosuid, suid, nodev and dev", *o);
                if (r < 0)
                        return r;
        }
        r = remember_destination(u, dst);
        if (r < 0)
                return r;
        if (opts.size > 0)
                return quadlet_emit(u, "Tmpfs", "%s:%s", dst, opts.data);
        return quadlet_emit(u, "Tmpfs", "%s", dst);
}

int quadlet_translate_tmpfs(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *dst = NULL;
        const char *colon = strchr(v, ':');

        if (isempty(v))
                return quadlet_emit(u, "Tmpfs", "%s", "");
        dst = strndup(v, colon ? (size_t) (colon - v) : strlen(v));
        if (!dst)
                return -ENOMEM;
        return translate_tmpfs(u, k, dst, colon ? colon + 1 : NULL);
}

int quadlet_translate_mount(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **fields = NULL;
        _cleanup_free_ char *type = NULL, *src = NULL, *dst = NULL, *spec = NULL;
        _cleanup_buffer_ Buffer opts = {};
        int r;

        /* podman reads the fields as a CSV record: "dst=/a,b" is one field */
        for (const char *p = v;;) {
                _cleanup_free_ char *field = NULL;

                r = extract_first_word(&p, &field, ",", EXTRACT_UNQUOTE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return quadlet_drop(u, k->lost, "unbalanced quotes");
                if (r == 0)
                        break;
                if (strv_consume(&fields, TAKE_PTR(field)) < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(f, fields) {
                _cleanup_free_ char *name = strndup(*f, strcspn(*f, "="));
                const char *value = strchr(*f, '=') ? strchr(*f, '=') + 1 : NULL;

                if (!name)
                        return -ENOMEM;
                if (streq(name, "type"))
                        r = free_and_strdup(&type, value);
                else if (STR_IN_SET(name, "source", "src"))
                        r = free_and_strdup(&src, value);
                else if (STR_IN_SET(name, "destination", "dst", "target", "dest"))
                        r = free_and_strdup(&dst, value);
                else if (STR_IN_SET(name, "ro", "readonly"))
                        r = add_option(&opts, !value || parse_boolean(value) > 0 ? "ro" : "rw");
                else if (streq(name, "rw"))
                        r = add_option(&opts, !value || parse_boolean(value) > 0 ? "rw" : "ro");
                else if (streq(name, "bind-nonrecursive"))
                        r = add_option(&opts, !value || parse_boolean(value) > 0 ? "norbind" : "rbind");
                else if (streq(name, "relabel") || (streq(name, "Z") && !value) || (streq(name, "z") && !value))
                        r = add_option(&opts, "Z");
                else if (STR_IN_SET(name, "tmpfs-size", "tmpfs-mode") && value) {
                        _cleanup_free_ char *o = strprintf("%s=%s", streq(name, "tmpfs-size") ? "size" : "mode",
                                                           value);
                        r = o ? add_option(&opts, o) : -ENOMEM;
                }
                else if (STR_IN_SET(name, "U", "idmap", "nosuid", "suid", "nodev", "dev", "noexec", "exec"))
                        r = add_option(&opts, *f);
                else
                        r = add_option(&opts, name);
                if (r < 0)
                        return -ENOMEM;
        }

        if (!type || !dst)
                return quadlet_drop(u, k->lost, "a mount needs type= and destination=");
        if (streq(type, "tmpfs") || streq(type, "ramfs"))
                return translate_tmpfs(u, k, dst, opts.size > 0 ? opts.data : NULL);
        if (!STR_IN_SET(type, "bind", "volume"))
                return quadlet_drop(u, false, "type=%s has no counterpart: ctr mounts host paths, volumes and "
                                    "tmpfs", type);
        spec = mfree(spec);
        spec = opts.size > 0 ? strprintf("%s:%s:%s", strempty(src), dst, opts.data) :
                               strprintf("%s:%s", strempty(src), dst);
        if (!spec)
                return -ENOMEM;
        return translate_volume(u, k, spec);
}

int quadlet_translate_mask(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_strv_free_ char **paths = NULL;
        _cleanup_buffer_ Buffer out = {};

        if (split_keep_empty(v, ':', &paths) < 0)
                return -ENOMEM;
        STRV_FOREACH(p, paths) {
                _cleanup_free_ char *quoted = NULL;

                if (isempty(*p))
                        continue;
                if ((*p)[0] != '/' || streq(*p, "/"))
                        return quadlet_drop(u, k->lost, "'%s' is not an absolute path other than /", *p);
                if (quadlet_quote_word(*p, &quoted) < 0 || (out.size > 0 && buffer_putc(&out, ' ') < 0) ||
                    buffer_puts(&out, quoted) < 0)
                        return -ENOMEM;
        }
        return quadlet_emit(u, "Mask", "%s", strempty(out.data));
}

int quadlet_translate_shm_size(QuadletUnit *u, const QuadletKey *k, const char *v) {
        _cleanup_free_ char *size = NULL;

        if (u->section == QUADLET_POD && u->role == QUADLET_POD_MEMBER)
                return 0;
        if (quadlet_size(v, &size) < 0)
                return quadlet_drop(u, k->lost, "not a size");
        if (strv_contains(u->destinations, "/dev/shm"))
                return quadlet_drop(u, false, "/dev/shm is mounted above");
        if (remember_destination(u, "/dev/shm") < 0)
                return -ENOMEM;
        return quadlet_emit(u, "Tmpfs", "/dev/shm:size=%s,noexec", size);
}

int quadlet_translate_read_only(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int b = parse_boolean(v);

        if (b < 0)
                return quadlet_drop(u, k->lost, "not a boolean");
        u->read_only = b;
        return quadlet_emit(u, "ReadOnly", "%s", b ? "yes" : "no");
}

int quadlet_translate_read_only_tmpfs(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int b = parse_boolean(v);

        if (b < 0)
                return quadlet_drop(u, k->lost, "not a boolean");
        u->read_only_tmpfs = b;
        u->read_only_tmpfs_set = true;
        return 0;
}

int quadlet_translate_volatile_tmp(QuadletUnit *u, const QuadletKey *k, const char *v) {
        int b = parse_boolean(v);

        if (b < 0)
                return quadlet_drop(u, k->lost, "not a boolean");
        if (!b || strv_contains(u->destinations, "/tmp"))
                return 0;
        if (remember_destination(u, "/tmp") < 0)
                return -ENOMEM;
        return quadlet_emit(u, "Tmpfs", "/tmp:size=512M,mode=1777");
}

int quadlet_translate_timezone(QuadletUnit *u, const QuadletKey *k, const char *v) {
        if (strv_contains(u->destinations, "/etc/localtime"))
                return quadlet_drop(u, false, "/etc/localtime is mounted above");
        if (streq(v, "local")) {
                if (remember_destination(u, "/etc/localtime") < 0)
                        return -ENOMEM;
                return quadlet_emit(u, "Volume", "/etc/localtime:/etc/localtime:ro");
        }
        if (isempty(v) || !alnum_or(v, "/_+-") || strstr(v, "..") || v[0] == '/')
                return quadlet_drop(u, k->lost, "not a time zone name (Europe/Berlin) or local");
        if (remember_destination(u, "/etc/localtime") < 0)
                return -ENOMEM;
        return quadlet_emit(u, "Volume", "/usr/share/zoneinfo/%s:/etc/localtime:ro", v);
}

int quadlet_translate_rootfs(QuadletUnit *u, _unused_ const QuadletKey *k, const char *v) {
        _cleanup_free_ char *dir = NULL, *path = NULL;
        const char *colon = strchr(v, ':');
        int r;

        dir = strndup(v, colon ? (size_t) (colon - v) : strlen(v));
        if (!dir)
                return -ENOMEM;
        r = quadlet_path(u->source_dir, dir, &path);
        if (r < 0)
                return r;
        if (colon && !streq(colon + 1, "O")) {
                r = quadlet_note(u, false, "options %s dropped", colon + 1);
                if (r < 0)
                        return r;
        }
        r = quadlet_comment(u, "Rootfs=%s: the directory stays as it is, the container writes to a layer of "
                            "its own above it", v);
        if (r < 0)
                return r;
        u->root_set = true;
        return quadlet_emit(u, "RootDirectory", "%s", path);
}
