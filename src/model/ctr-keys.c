/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Container] keys: the key table and one parser per key. ctr-file.c reads the files and calls
 * container_key_assign() for every assignment of a [Container] section. */

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctr-keys.h"
#include "env-util.h"
#include "name-util.h"
#include "quadlet-keys.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

void volume_free_many(Volume *v, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(v[i].source);
                free(v[i].destination);
        }
        free(v);
}

void tmpfs_free_many(Tmpfs *t, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(t[i].destination);
        free(t);
}

void port_mapping_free_many(PortMapping *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(p[i].host_address);
        free(p);
}

typedef struct KeyContext {
        KeyState *lc;
        const char *file;
        unsigned line;
        const char *key;
        const char *raw;        /* the value as written, before specifier expansion */
        DiagnosticLevel level;  /* what a bad value is: isolation keys reject the file */
} KeyContext;

/* Reports a bad value. The message is a clause without final punctuation; a warning gets ", ignoring." and
 * an error ".", so every message names what happens. */
static int key_invalid(KeyContext *k, int error, const char *format, ...) _printf_(3, 4);

static int key_invalid(KeyContext *k, int error, const char *format, ...) {
        _cleanup_free_ char *m = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&m, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        if (k->level == DIAGNOSTIC_ERROR)
                k->lc->failed = true;
        r = diagnostics_add(k->lc->diag, k->level, error ?: EINVAL, k->file, k->line, "Container", k->key,
                            k->raw, "%s%s", m, k->level == DIAGNOSTIC_ERROR ? "." : ", ignoring.");
        return r < 0 ? r : 0;
}

static int check_list_size(KeyContext *k, size_t n) {
        if (n < CTR_LIST_MAX)
                return 0;
        /* Too many entries is never silently truncated. */
        k->level = DIAGNOSTIC_ERROR;
        (void) key_invalid(k, E2BIG, "Too many entries for %s= (at most %u)", k->key, CTR_LIST_MAX);
        return -E2BIG;
}

static int parse_bool_field(KeyContext *k, const char *v, bool *field, bool def) {
        int b;

        if (isempty(v)) {
                *field = def;
                return 0;
        }
        b = parse_boolean(v);
        if (b < 0)
                return key_invalid(k, EINVAL, "Invalid boolean '%s' for %s=", v, k->key);
        *field = b;
        return 0;
}

static int parse_abs_path_field(KeyContext *k, const char *v, char **field) {
        char *p;

        if (isempty(v)) {
                *field = mfree(*field);
                return 0;
        }
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL, "%s= must be an absolute path without '..', got '%s'", k->key, v);
        free(*field);
        *field = p;
        return 0;
}

static int key_image(KeyContext *k, const char *v) {
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

static int key_root_directory(KeyContext *k, const char *v) {
        int r;

        r = parse_abs_path_field(k, v, &k->lc->c->root_directory);
        if (r >= 0 && !isempty(v)) {
                k->lc->root_key = "RootDirectory";
                k->lc->root_file = k->file;
                k->lc->root_line = k->line;
        }
        return r;
}

static int key_layer(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char *p;

        if (isempty(v)) {
                c->layers = strv_free(c->layers);
                return 0;
        }
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL, "Layer= must be an absolute path without '..', got '%s'", v);
        if (check_list_size(k, strv_length(c->layers)) < 0) {
                free(p);
                return 0;
        }
        return strv_consume(&c->layers, p);
}

static int key_read_only(KeyContext *k, const char *v) {
        return parse_bool_field(k, v, &k->lc->c->read_only, false);
}

static int key_ephemeral(KeyContext *k, const char *v) {
        return parse_bool_field(k, v, &k->lc->c->ephemeral, false);
}

static int key_init(KeyContext *k, const char *v) {
        return parse_bool_field(k, v, &k->lc->c->init, false);
}

static int key_notify(KeyContext *k, const char *v) {
        return parse_bool_field(k, v, &k->lc->c->notify, false);
}

static int key_no_new_privileges(KeyContext *k, const char *v) {
        return parse_bool_field(k, v, &k->lc->c->no_new_privileges, true);
}

static int key_exec(KeyContext *k, const char *v) {
        _cleanup_strv_free_ char **l = NULL;
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                c->exec = strv_free(c->exec);
                return 0;
        }

        for (const char *p = v;;) {
                char *w;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid quoting or escape in Exec= '%s'", v);
                if (r == 0)
                        break;
                if (check_list_size(k, strv_length(l)) < 0) {
                        free(w);
                        return 0;
                }
                r = strv_consume(&l, w);
                if (r < 0)
                        return r;
        }
        if (strv_isempty(l))
                return key_invalid(k, EINVAL, "Exec= '%s' has no command", v);
        if (isempty(l[0]))
                return key_invalid(k, EINVAL, "Exec= '%s' has an empty program name", v);

        strv_free(c->exec);
        c->exec = TAKE_PTR(l);
        return 0;
}

static int key_environment(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                c->environment = strv_free(c->environment);
                return 0;
        }

        /* Validate the whole line first, so an unterminated quote does not apply half of it. */
        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid quoting or escape in Environment= '%s'", v);
                if (r == 0)
                        break;
        }

        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL, *prefix = NULL;
                char **e;

                r = extract_first_word(&p, &w, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;

                if (!env_assignment_is_valid(w)) {
                        r = key_invalid(k, EINVAL, "Invalid environment assignment '%s' in Environment=", w);
                        if (r < 0)
                                return r;
                        continue;
                }

                /* A later assignment of the same name replaces the earlier one. */
                prefix = strndup(w, (size_t) (strchr(w, '=') - w + 1));
                if (!prefix)
                        return -ENOMEM;
                for (e = c->environment; e && *e; e++)
                        if (startswith(*e, prefix))
                                break;
                if (e && *e) {
                        free(*e);
                        *e = TAKE_PTR(w);
                        continue;
                }
                if (check_list_size(k, strv_length(c->environment)) < 0)
                        return 0;
                r = strv_consume(&c->environment, TAKE_PTR(w));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int key_environment_file(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        _cleanup_free_ char *p = NULL;
        bool optional;
        char *s;

        if (isempty(v)) {
                c->environment_files = strv_free(c->environment_files);
                return 0;
        }
        optional = v[0] == '-';
        if (path_normalize_absolute(v + optional, &p) < 0)
                return key_invalid(k, EINVAL, "EnvironmentFile= must be an absolute path without '..', got '%s'", v);
        if (check_list_size(k, strv_length(c->environment_files)) < 0)
                return 0;
        if (asprintf(&s, "%s%s", optional ? "-" : "", p) < 0)
                return -ENOMEM;
        return strv_consume(&c->environment_files, s);
}

static int key_working_directory(KeyContext *k, const char *v) {
        return parse_abs_path_field(k, v, &k->lc->c->working_directory);
}

static int key_user(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->user = mfree(k->lc->c->user);
                return 0;
        }
        if (!user_group_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid user name or number '%s' for User=", v);
        return free_and_strdup(&k->lc->c->user, v);
}

static int key_group(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->group = mfree(k->lc->c->group);
                return 0;
        }
        if (!user_group_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid group name or number '%s' for Group=", v);
        return free_and_strdup(&k->lc->c->group, v);
}

static int key_supplementary_groups(KeyContext *k, const char *v) {
        _cleanup_strv_free_ char **l = NULL;
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                c->supplementary_groups = strv_free(c->supplementary_groups);
                return 0;
        }
        r = strv_split(v, WHITESPACE, &l);
        if (r < 0)
                return r;
        STRV_FOREACH(g, l)
                if (!user_group_is_valid(*g))
                        return key_invalid(k, EINVAL,
                                           "Invalid group name or number '%s' for SupplementaryGroups=", *g);
        if (check_list_size(k, strv_length(c->supplementary_groups) + strv_length(l)) < 0)
                return 0;
        return strv_extend_strv(&c->supplementary_groups, l);
}

static int key_hostname(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->hostname = mfree(k->lc->c->hostname);
                return 0;
        }
        if (!hostname_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid host name '%s' for Hostname=", v);
        return free_and_strdup(&k->lc->c->hostname, v);
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

static int key_volume(KeyContext *k, const char *v) {
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

        if (check_list_size(k, c->n_volumes) < 0)
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

static int key_tmpfs(KeyContext *k, const char *v) {
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

        if (check_list_size(k, c->n_tmpfs) < 0)
                return 0;
        n = reallocarray(c->tmpfs, c->n_tmpfs + 1, sizeof(Tmpfs));
        if (!n)
                return -ENOMEM;
        c->tmpfs = n;
        t.destination = TAKE_PTR(destination);
        c->tmpfs[c->n_tmpfs++] = t;
        return 0;
}

static int key_network(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        const char *other;

        if (isempty(v) || streq(v, "none")) {
                c->network = NETWORK_NONE;
                c->network_container = mfree(c->network_container);
                return 0;
        }
        if (streq(v, "host") || streq(v, "bridge")) {
                c->network = streq(v, "host") ? NETWORK_HOST : NETWORK_BRIDGE;
                c->network_container = mfree(c->network_container);
                return 0;
        }
        other = startswith(v, "container:");
        if (!other)
                return key_invalid(k, EINVAL,
                                   "Invalid Network= '%s', expected none, host, bridge or container:NAME", v);
        if (!container_name_is_valid(other))
                return key_invalid(k, EINVAL, "Invalid container name '%s' in Network=", other);
        if (c->name && streq(other, c->name))
                return key_invalid(k, EINVAL, "Network= cannot name the container itself ('%s')", other);
        c->network = NETWORK_CONTAINER;
        return free_and_strdup(&c->network_container, other);
}

static int key_publish_port(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        int r;

        if (isempty(v)) {
                port_mapping_free_many(c->ports, c->n_ports);
                c->ports = NULL;
                c->n_ports = 0;
                return 0;
        }

        for (const char *p = v;;) {
                _cleanup_free_ char *w = NULL;
                PortMapping m, *n;

                r = extract_first_word(&p, &w, NULL, 0);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid PublishPort= '%s'", v);
                if (r == 0)
                        break;

                r = parse_port_mapping(w, &m);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return key_invalid(k, EINVAL,
                                           "Invalid port mapping '%s' for PublishPort=, "
                                           "expected [ADDRESS:]HOSTPORT:CONTAINERPORT[/tcp|/udp]",
                                           w);
                if (check_list_size(k, c->n_ports) < 0) {
                        free(m.host_address);
                        return 0;
                }
                n = reallocarray(c->ports, c->n_ports + 1, sizeof(PortMapping));
                if (!n) {
                        free(m.host_address);
                        return -ENOMEM;
                }
                c->ports = n;
                c->ports[c->n_ports++] = m;
        }
        return 0;
}

static int parse_caps_field(KeyContext *k, const char *v, uint64_t *field) {
        _cleanup_free_ char *bad = NULL;
        uint64_t m;
        int r;

        if (isempty(v)) {
                *field = 0;
                return 0;
        }
        r = parse_capability_set(v, &m, &bad);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return key_invalid(k, EINVAL, "Unknown capability '%s' in %s=", strna(bad), k->key);
        *field |= m;
        return 0;
}

static int key_add_capability(KeyContext *k, const char *v) {
        return parse_caps_field(k, v, &k->lc->c->add_capabilities);
}

static int key_drop_capability(KeyContext *k, const char *v) {
        return parse_caps_field(k, v, &k->lc->c->drop_capabilities);
}

static int key_seccomp_profile(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        char *p;

        if (isempty(v) || streq(v, "default")) {
                c->seccomp_profile = mfree(c->seccomp_profile);
                return 0;
        }
        if (streq(v, "unconfined"))
                return free_and_strdup(&c->seccomp_profile, "unconfined");
        if (path_normalize_absolute(v, &p) < 0)
                return key_invalid(k, EINVAL,
                                   "Invalid SeccompProfile= '%s', expected default, unconfined or an absolute path",
                                   v);
        free(c->seccomp_profile);
        c->seccomp_profile = p;
        return 0;
}

static int parse_memory_field(KeyContext *k, const char *v, uint64_t *field, uint32_t *scale, bool allow_zero) {
        uint64_t b;
        int r;

        if (isempty(v)) {
                *field = LIMIT_UNSET;
                *scale = 0;
                return 0;
        }
        if (endswith(v, "%") || endswith(v, "\u2030") || endswith(v, "\u2031")) {
                r = parse_permyriad(v);
                if (r < 0)
                        return key_invalid(k, EINVAL, "Invalid percentage '%s' for %s=", v, k->key);
                if (r == 0)
                        return key_invalid(k, ERANGE, "Percentage '%s' for %s= is too small", v, k->key);
                *field = LIMIT_UNSET;
                *scale = permyriad_to_scale(r);
                return 0;
        }
        r = parse_size_or_infinity(v, &b);
        if (r < 0)
                return key_invalid(k, EINVAL, "Invalid size '%s' for %s=", v, k->key);
        if (b == 0 && !allow_zero)
                return key_invalid(k, ERANGE, "Size '%s' for %s= is too small", v, k->key);
        *field = b;
        *scale = 0;
        return 0;
}

static int key_memory_max(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_max, &k->lc->c->memory_max_scale, false);
}

static int key_memory_high(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_high, &k->lc->c->memory_high_scale, false);
}

static int key_memory_swap_max(KeyContext *k, const char *v) {
        return parse_memory_field(k, v, &k->lc->c->memory_swap_max, &k->lc->c->memory_swap_max_scale, true);
}

static int parse_weight_field(KeyContext *k, const char *v, uint64_t *field) {
        uint64_t w;

        if (isempty(v)) {
                *field = LIMIT_UNSET;
                return 0;
        }
        if (safe_atou64(v, &w) < 0 || w < 1 || w > 10000)
                return key_invalid(k, EINVAL, "Invalid weight '%s' for %s=, expected 1…10000", v, k->key);
        *field = w;
        return 0;
}

static int key_cpu_weight(KeyContext *k, const char *v) {
        return parse_weight_field(k, v, &k->lc->c->cpu_weight);
}

static int key_io_weight(KeyContext *k, const char *v) {
        return parse_weight_field(k, v, &k->lc->c->io_weight);
}

static int key_cpu_quota(KeyContext *k, const char *v) {
        int r;

        if (isempty(v)) {
                k->lc->c->cpu_quota_per_sec_usec = LIMIT_UNSET;
                return 0;
        }
        r = endswith(v, "%") ? parse_permyriad_unbounded(v) : -EINVAL;
        if (r <= 0)
                return key_invalid(k, EINVAL,
                                   "Invalid CPU quota '%s' for CPUQuota=, expected a percentage above 0%%", v);
        /* 100% = one CPU = 1 s of CPU time per second; a permyriad is 100 µs. */
        k->lc->c->cpu_quota_per_sec_usec = (uint64_t) r * 100;
        return 0;
}

static int key_allowed_cpus(KeyContext *k, const char *v) {
        char *l;
        int r;

        if (isempty(v)) {
                k->lc->c->allowed_cpus = mfree(k->lc->c->allowed_cpus);
                return 0;
        }
        r = parse_cpu_list(v, &l);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return key_invalid(k, EINVAL, "Invalid CPU list '%s' for AllowedCPUs=", v);
        free(k->lc->c->allowed_cpus);
        k->lc->c->allowed_cpus = l;
        return 0;
}

static int key_tasks_max(KeyContext *k, const char *v) {
        Container *c = k->lc->c;
        uint64_t n;
        int r;

        if (isempty(v)) {
                c->tasks_max = LIMIT_UNSET;
                c->tasks_max_scale = 0;
                return 0;
        }
        if (streq(v, "infinity")) {
                c->tasks_max = LIMIT_INFINITY;
                c->tasks_max_scale = 0;
                return 0;
        }
        if (endswith(v, "%")) {
                r = parse_permyriad(v);
                if (r <= 0)
                        return key_invalid(k, EINVAL, "Invalid percentage '%s' for TasksMax=", v);
                c->tasks_max = LIMIT_UNSET;
                c->tasks_max_scale = permyriad_to_scale(r);
                return 0;
        }
        if (safe_atou64(v, &n) < 0 || n == 0 || n >= LIMIT_UNSET)
                return key_invalid(k, EINVAL, "Invalid number of tasks '%s' for TasksMax=", v);
        c->tasks_max = n;
        c->tasks_max_scale = 0;
        return 0;
}

static int key_slice(KeyContext *k, const char *v) {
        if (isempty(v)) {
                k->lc->c->slice = mfree(k->lc->c->slice);
                return 0;
        }
        if (!slice_name_is_valid(v))
                return key_invalid(k, EINVAL, "Invalid slice unit name '%s' for Slice=", v);
        return free_and_strdup(&k->lc->c->slice, v);
}

static int parse_signal_field(KeyContext *k, const char *v, int *field, int def) {
        int s;

        if (isempty(v)) {
                *field = def;
                return 0;
        }
        s = parse_signal(v);
        if (s < 0)
                return key_invalid(k, EINVAL, "Invalid signal '%s' for %s=", v, k->key);
        *field = s;
        return 0;
}

static int key_stop_signal(KeyContext *k, const char *v) {
        return parse_signal_field(k, v, &k->lc->c->stop_signal, SIGTERM);
}

static int key_reload_signal(KeyContext *k, const char *v) {
        return parse_signal_field(k, v, &k->lc->c->reload_signal, SIGHUP);
}

static int key_stop_timeout_sec(KeyContext *k, const char *v) {
        uint64_t u;

        if (isempty(v)) {
                k->lc->c->stop_timeout_usec = CTR_STOP_TIMEOUT_DEFAULT_USEC;
                return 0;
        }
        if (parse_sec(v, &u) < 0)
                return key_invalid(k, EINVAL, "Invalid duration '%s' for StopTimeoutSec=", v);
        /* As systemd's TimeoutStopSec=: 0 disables the timeout. */
        k->lc->c->stop_timeout_usec = u == 0 ? USEC_INFINITY : u;
        return 0;
}

typedef int (*KeyParser)(KeyContext *k, const char *value);

typedef struct KeyDef {
        const char *name;
        KeyParser parse;
        bool isolation;         /* a bad value rejects the file */
        bool specifiers;        /* %-specifiers are expanded (strings and paths; not numbers, where "50%" is a
                                 * percentage) */
} KeyDef;

/* Sorted by name (bsearch). */
static const KeyDef key_table[] = {
        { "AddCapability",       key_add_capability,        true,  false },
        { "AllowedCPUs",         key_allowed_cpus,          false, false },
        { "CPUQuota",            key_cpu_quota,             false, false },
        { "CPUWeight",           key_cpu_weight,            false, false },
        { "DropCapability",      key_drop_capability,       true,  false },
        { "Environment",         key_environment,           false, true  },
        { "EnvironmentFile",     key_environment_file,      false, true  },
        { "Ephemeral",           key_ephemeral,             true,  false },
        { "Exec",                key_exec,                  false, true  },
        { "Group",               key_group,                 true,  true  },
        { "Hostname",            key_hostname,              false, true  },
        { "IOWeight",            key_io_weight,             false, false },
        { "Image",               key_image,                 true,  true  },
        { "Init",                key_init,                  false, false },
        { "Layer",               key_layer,                 true,  true  },
        { "MemoryHigh",          key_memory_high,           false, false },
        { "MemoryMax",           key_memory_max,            false, false },
        { "MemorySwapMax",       key_memory_swap_max,       false, false },
        { "Network",             key_network,               true,  true  },
        { "NoNewPrivileges",     key_no_new_privileges,     true,  false },
        { "Notify",              key_notify,                false, false },
        { "PublishPort",         key_publish_port,          true,  false },
        { "ReadOnly",            key_read_only,             true,  false },
        { "ReloadSignal",        key_reload_signal,         false, false },
        { "RootDirectory",       key_root_directory,        true,  true  },
        { "SeccompProfile",      key_seccomp_profile,       true,  true  },
        { "Slice",               key_slice,                 false, true  },
        { "StopSignal",          key_stop_signal,           false, false },
        { "StopTimeoutSec",      key_stop_timeout_sec,      false, false },
        { "SupplementaryGroups", key_supplementary_groups,  true,  true  },
        { "TasksMax",            key_tasks_max,             false, false },
        { "Tmpfs",               key_tmpfs,                 true,  true  },
        { "User",                key_user,                  true,  true  },
        { "Volume",              key_volume,                true,  true  },
        { "WorkingDirectory",    key_working_directory,     false, true  },
};

static int key_def_compare(const void *a, const void *b) {
        return strcmp(a, ((const KeyDef *) b)->name);
}

static const KeyDef *key_lookup(const char *key) {
        return bsearch(key, key_table, ELEMENTSOF(key_table), sizeof(KeyDef), key_def_compare);
}

const char *container_key_suggest(const char *key) {
        const char *best = NULL;
        unsigned best_distance, max;

        /* A third of the key's length, at least 1 and at most 3: "Imagee" → "Image", "Volumes" → "Volume",
         * but "Foo" suggests nothing. */
        max = MIN(MAX((unsigned) strlen(key) / 3, 1U), 3U);
        best_distance = max + 1;
        for (size_t i = 0; i < ELEMENTSOF(key_table); i++) {
                unsigned d = strcase_distance(key, key_table[i].name, max + 1);

                if (d < best_distance) {
                        best = key_table[i].name;
                        best_distance = d;
                }
        }
        return best;
}

/* An unknown key rejects the file: it may be a misspelt isolation key, or a setting another tool would
 * have applied, and either way the container would start with less than its author asked for. */
static int key_unknown(KeyState *lc, const char *file, unsigned line, const char *key, const char *value) {
        const char *s, *ctr;
        bool quadlet;
        int r;

        lc->failed = true;
        quadlet = quadlet_key_lookup(key, &ctr);
        if (quadlet && ctr)
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Quadlet's '%s=' is not supported by ctr, did you mean '%s='?", key, ctr);
        else if (quadlet)
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Quadlet's '%s=' is not supported by ctr.", key);
        else if ((s = container_key_suggest(key)))
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Unknown key '%s' in [Container], did you mean '%s'?", key, s);
        else
                r = diagnostics_add(lc->diag, DIAGNOSTIC_ERROR, ENOENT, file, line, "Container", key, value,
                                    "Unknown key '%s' in [Container].", key);
        return r < 0 ? r : 0;
}

bool container_key_is_known(const char *key) {
        return key && key_lookup(key);
}

bool container_key_is_isolation(const char *key) {
        const KeyDef *d = key ? key_lookup(key) : NULL;
        return d && d->isolation;
}

int container_key_assign(KeyState *lc, const char *file, unsigned line, const char *key, const char *value) {
        _cleanup_free_ char *expanded = NULL;
        const KeyDef *d;
        KeyContext k;
        int r;

        d = key_lookup(key);
        if (!d)
                return key_unknown(lc, file, line, key, value);

        k = (KeyContext) {
                .lc = lc,
                .file = file,
                .line = line,
                .key = key,
                .raw = value,
                .level = d->isolation ? DIAGNOSTIC_ERROR : DIAGNOSTIC_WARNING,
        };

        if (!utf8_is_valid(value))
                return key_invalid(&k, EINVAL, "%s= value is not valid UTF-8", key);

        if (d->specifiers && strchr(value, '%')) {
                char bad = 0;

                r = specifier_expand(value, &lc->spec, &expanded, &bad);
                if (r == -EBADMSG) {
                        if (bad == '\0')
                                return key_invalid(&k, EBADMSG, "Lone '%%' at the end of '%s' for %s=", value, key);
                        return key_invalid(&k, EBADMSG, "Unknown specifier '%%%c' in '%s' for %s=", bad, value, key);
                }
                if (r < 0)
                        return r;
                value = expanded;
        }

        return d->parse(&k, value);
}
