/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* One Quadlet file's assignments into the text of a .ctr file: [Container] and [Pod] keys through the
 * table, [Unit], [Service] and [Install] carried over with Quadlet's own rewrites undone, and the defaults
 * that differ between podman and ctr written out, so that the converted container runs as its original
 * did. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quadlet-convert.h"
#include "string-util.h"
#include "strv.h"

void quadlet_unit_init(QuadletUnit *u, const char *name, const char *source_dir, bool main, QuadletRole role,
                       const char *pod_owner, const QuadletLookup *lookup, Diagnostics *diag) {
        *u = (QuadletUnit) {
                .name = name,
                .source_dir = source_dir,
                .main = main,
                .role = role,
                .pod_owner = pod_owner,
                .lookup = lookup,
                .diag = diag,
                .read_only_tmpfs = true,
        };
}

void quadlet_unit_done(QuadletUnit *u) {
        buffer_done(&u->out_unit);
        buffer_done(&u->out_container);
        buffer_done(&u->out_service);
        buffer_done(&u->out_install);
        buffer_done(&u->out_comments);
        u->uid_map = mfree(u->uid_map);
        u->gid_map = mfree(u->gid_map);
        u->keep_id_uid = mfree(u->keep_id_uid);
        u->keep_id_gid = mfree(u->keep_id_gid);
        u->remap_users = mfree(u->remap_users);
        u->destinations = strv_free(u->destinations);
        u->secrets = strv_free(u->secrets);
}

static Buffer *section_buffer(QuadletUnit *u, const char *section) {
        if (streq(section, "Unit"))
                return &u->out_unit;
        if (streq(section, "Service"))
                return &u->out_service;
        if (streq(section, "Install"))
                return &u->out_install;
        if (streq(section, "Container"))
                return &u->out_container;
        return &u->out_comments;
}

static Buffer *current_buffer(QuadletUnit *u) {
        /* [Pod] keys translate into the member's [Container]; [Quadlet] and unknown sections' comments go
         * before the first section. */
        if (u->section & (QUADLET_CONTAINER | QUADLET_POD))
                return &u->out_container;
        return section_buffer(u, strempty(u->section_name));
}

static int emit_va(Buffer *b, const char *key, const char *format, va_list ap) {
        _cleanup_free_ char *v = NULL;
        int r;

        if (vasprintf(&v, format, ap) < 0)
                return -ENOMEM;
        r = buffer_puts(b, key);
        if (r >= 0)
                r = buffer_putc(b, '=');
        if (r >= 0)
                r = buffer_puts(b, v);
        if (r >= 0)
                r = buffer_putc(b, '\n');
        return r;
}

int quadlet_emit(QuadletUnit *u, const char *key, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = emit_va(&u->out_container, key, format, ap);
        va_end(ap);
        return r;
}

int quadlet_emit_section(QuadletUnit *u, const char *section, const char *key, const char *format, ...) {
        va_list ap;
        int r;

        va_start(ap, format);
        r = emit_va(section_buffer(u, section), key, format, ap);
        va_end(ap);
        return r;
}

/* "# ctr convert: KEY=VALUE<middle>REASON" into the current section, and the same as a diagnostic. */
static int comment_va(QuadletUnit *u, DiagnosticLevel level, const char *middle, const char *format, va_list ap) {
        _cleanup_free_ char *reason = NULL, *line = NULL;
        int r;

        if (vasprintf(&reason, format, ap) < 0)
                return -ENOMEM;
        line = strprintf("# ctr convert: %s=%s%s%s\n", u->key, strempty(u->value), middle, reason);
        if (!line)
                return -ENOMEM;
        r = buffer_puts(current_buffer(u), line);
        if (r < 0)
                return r;
        return diagnostics_add(u->diag, level, EOPNOTSUPP, u->file, u->line, NULL, u->key, u->value, "%s=%s%s%s",
                               u->key, strempty(u->value), middle, reason);
}

int quadlet_drop(QuadletUnit *u, bool lost, const char *format, ...) {
        va_list ap;
        int r;

        u->n_dropped++;
        if (lost)
                u->lost = true;
        va_start(ap, format);
        r = comment_va(u, lost ? DIAGNOSTIC_ERROR : DIAGNOSTIC_WARNING,
                       lost ? " not translated (isolation or data): " : " not translated: ", format, ap);
        va_end(ap);
        return r;
}

int quadlet_note(QuadletUnit *u, bool lost, const char *format, ...) {
        va_list ap;
        int r;

        if (lost)
                u->lost = true;
        va_start(ap, format);
        r = comment_va(u, lost ? DIAGNOSTIC_ERROR : DIAGNOSTIC_WARNING, lost ? " (isolation or data): " : ": ",
                       format, ap);
        va_end(ap);
        return r;
}

int quadlet_comment(QuadletUnit *u, const char *format, ...) {
        _cleanup_free_ char *text = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&text, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = buffer_puts(current_buffer(u), "# ctr convert: ");
        if (r >= 0)
                r = buffer_puts(current_buffer(u), text);
        if (r >= 0)
                r = buffer_putc(current_buffer(u), '\n');
        return r;
}

/* |s| into b as a systemd unit name's instance or prefix: unescaped (%I, %P: "-" is "/", "\xNN" a byte)
 * or not, with "%" doubled, so that neither ctr nor systemd expands it again. */
static int put_name_part(Buffer *b, const char *s, bool unescape) {
        int r = 0;

        for (const char *p = s; *p && r >= 0; p++) {
                unsigned x;

                if (unescape && *p == '-')
                        r = buffer_putc(b, '/');
                else if (unescape && p[0] == '\\' && p[1] == 'x' && isxdigit((unsigned char) p[2]) &&
                         isxdigit((unsigned char) p[3]) && sscanf(p + 2, "%2x", &x) == 1 && x != 0) {
                        r = buffer_putc(b, (char) x);
                        p += 3;
                } else if (*p == '%')
                        r = buffer_puts(b, "%%");
                else
                        r = buffer_putc(b, *p);
        }
        return r;
}

/* Quadlet's unit is NAME.service, ctr's ctr@NAME.service: %N and %p (NAME there) become %i (NAME here), %P
 * and %I likewise; of a template's instance (PREFIX@INSTANCE, converted into PREFIX-INSTANCE), %i and %I
 * are the instance and %p and %P the prefix, written out. In [Container] ctr expands only %n %N %i %H %%:
 * %h, the home of a system service's user, is written as /root (*ret_home set), and *ret_bad gets any other
 * (the assignment is dropped); in the sections systemd reads, systemd expands the rest itself. */
static int rewrite_specifiers(const QuadletUnit *u, const char *s, bool container, char **ret, char *ret_bad,
                              bool *ret_home) {
        _cleanup_buffer_ Buffer b = {};
        int r = 0;

        *ret_bad = 0;
        *ret_home = false;
        for (const char *p = s; *p && r >= 0; p++) {
                if (*p != '%') {
                        r = buffer_putc(&b, *p);
                        continue;
                }
                p++;
                if (u->instance && *p && strchr("iI", *p))
                        r = put_name_part(&b, u->instance, *p == 'I');
                else if (u->instance && *p && strchr("pP", *p))
                        r = put_name_part(&b, u->prefix, *p == 'P');
                else if (*p && strchr("NpPIi", *p))
                        r = buffer_puts(&b, "%i");
                else if (*p == 'h' && container) {
                        r = buffer_puts(&b, "/root");
                        *ret_home = true;
                }
                else if (*p && (!container || strchr("nH%", *p))) {
                        r = buffer_putc(&b, '%');
                        if (r >= 0)
                                r = buffer_putc(&b, *p);
                } else {
                        *ret_bad = *p ?: '%';
                        return 0;
                }
                if (!*p)
                        break;
        }
        if (r < 0)
                return r;
        *ret = buffer_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

static const char *const dependency_keys[] = {
        "After", "Before", "BindsTo", "Conflicts", "OnFailure", "OnSuccess", "PartOf", "PropagatesReloadTo",
        "PropagatesStopTo", "ReloadPropagatedFrom", "Requires", "Requisite", "StopPropagatedFrom", "Upholds",
        "Wants", "WantedBy", "RequiredBy", "UpheldBy", NULL,
};

/* One unit name of a dependency: NAME.container (or the service of a converted container) is ctr@NAME.service,
 * a pod is its owner's; units of files ctr has no counterpart for are dropped (*ret NULL, reported). */
static int rewrite_unit_name(QuadletUnit *u, const char *word, char **ret) {
        const char *ctr = NULL;

        if (endswith(word, ".pod")) {
                ctr = u->lookup && u->lookup->pod ? u->lookup->pod(u->lookup->userdata, word) : NULL;
                if (!ctr) {
                        *ret = NULL;
                        return quadlet_note(u, false, "%s dropped: the pod was not converted with this file", word);
                }
        } else if (endswith(word, ".container") || endswith(word, ".service")) {
                ctr = u->lookup && u->lookup->container ? u->lookup->container(u->lookup->userdata, word) : NULL;
                if (!ctr && endswith(word, ".container")) {
                        _cleanup_free_ char *base = strndup(word, strlen(word) - strlen(".container"));
                        if (!base)
                                return -ENOMEM;
                        *ret = strprintf("ctr@%s.service", base);
                        return *ret ? 0 : -ENOMEM;
                }
        } else
                FOREACH_STRING(suffix, ".volume", ".network", ".image", ".build", ".kube", ".artifact")
                        if (endswith(word, suffix)) {
                                *ret = NULL;
                                return quadlet_note(u, false, "%s dropped: ctr has no unit for a %s file", word, suffix);
                        }

        *ret = ctr ? strprintf("ctr@%s.service", ctr) : strdup(word);
        return *ret ? 0 : -ENOMEM;
}

static int pass_through(QuadletUnit *u, const char *section, const char *key, const char *value) {
        _cleanup_buffer_ Buffer out = {};
        const char *p = value;
        int r;

        if (streq(section, "Service")) {
                if (STR_IN_SET(key, "Type", "NotifyAccess", "ExecStart", "PIDFile", "BusName", "KillMode"))
                        return quadlet_drop(u, false, "ctr@.service sets it: ctr-launch is the service's main "
                                            "process (Type=notify), a workload that exits ends the service");
                if (STR_IN_SET(key, "User", "Group", "DynamicUser"))
                        return quadlet_drop(u, false, "the container's user is User= in [Container]");
        }
        if (streq(section, "Install") && streq(key, "DefaultInstance") && u->instance)
                return quadlet_comment(u, "DefaultInstance=%s: this container is the instance %s of %s@", value,
                                       u->instance, u->prefix);
        if (streq(section, "Install") && STR_IN_SET(key, "Alias", "Also", "DefaultInstance"))
                return quadlet_drop(u, false, "ctr's generator enables with WantedBy=, RequiredBy= and UpheldBy= "
                                    "only");

        if (!strv_contains((char **) dependency_keys, key))
                return quadlet_emit_section(u, section, key, "%s", value);

        for (;;) {
                _cleanup_free_ char *word = NULL, *ctr = NULL;

                r = extract_first_word(&p, &word, NULL, 0);
                if (r < 0)
                        return quadlet_emit_section(u, section, key, "%s", value);
                if (r == 0)
                        break;
                r = rewrite_unit_name(u, word, &ctr);
                if (r < 0)
                        return r;
                if (!ctr)
                        continue;
                if ((out.size > 0 && buffer_putc(&out, ' ') < 0) || buffer_puts(&out, ctr) < 0)
                        return -ENOMEM;
        }
        if (out.size == 0 && !isempty(value))
                return 0;
        return quadlet_emit_section(u, section, key, "%s", out.size > 0 ? out.data : "");
}

/* How Quadlet reads a value (podman's unitfile.go). These keys take one value, and a pair of double quotes
 * around all of it is removed (Lookup): Image="x" is the image x. */
static const char *const single_value_keys[] = {
        "AppArmor", "AutoUpdate", "CgroupsMode", "ContainerName", "Entrypoint", "ExitPolicy", "Group",
        "HealthCmd", "HealthInterval", "HealthLogDestination", "HealthMaxLogCount", "HealthMaxLogSize",
        "HealthOnFailure", "HealthRetries", "HealthStartPeriod", "HealthStartupCmd", "HealthStartupInterval",
        "HealthStartupRetries", "HealthStartupSuccess", "HealthStartupTimeout", "HealthTimeout", "HostName",
        "IP", "IP6", "Image", "LogDriver", "Memory", "Notify", "PidsLimit", "Pod", "PodName", "Pull",
        "ReloadSignal", "Retry", "RetryDelay", "Rootfs", "SeccompProfile", "SecurityLabelFileType",
        "SecurityLabelLevel", "SecurityLabelType", "ServiceName", "ShmSize", "StopSignal", "StopTimeout",
        "SubGIDMap", "SubUIDMap", "Timezone", "User", "UserNS", "WorkingDir", NULL,
};

/* These are split into words as a command line is (quotes and C escapes), each word one value (LookupAllArgs):
 * Mount="type=bind,src=/a b,dst=/b" is one mount, Secret=a b two secrets. */
static const char *const word_list_keys[] = {
        "EnvironmentFile", "Mask", "Mount", "Secret", "Unmask", NULL,
};

static int translate_value(QuadletUnit *u, const QuadletKey *k, const char *value) {
        if (k->translate)
                return k->translate(u, k, value);
        if (k->status == QUADLET_NO || !k->ctr)
                return quadlet_drop(u, k->lost, "%s", k->note);
        return quadlet_emit(u, k->ctr, "%s", value);
}

static int translate_words(QuadletUnit *u, const QuadletKey *k, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        const char *p = value;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE | EXTRACT_CUNESCAPE);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)      /* as podman, which takes an unbalanced quote as it is */
                        return translate_value(u, k, value);
                if (r == 0)
                        break;
                if (strv_consume(&words, TAKE_PTR(word)) < 0)
                        return -ENOMEM;
        }
        STRV_FOREACH(w, words) {
                r = translate_value(u, k, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int translate_key(QuadletUnit *u, const char *key, const char *value) {
        const QuadletKey *k = quadlet_key_find(key);
        _cleanup_free_ char *unquoted = NULL;
        size_t n = strlen(value);

        if (startswith(key, "X-"))
                return 0;
        if (!k || !(k->sections & u->section))
                return quadlet_drop(u, false, "not a key of Quadlet's [%s]",
                                    u->section == QUADLET_POD ? "Pod" : "Container");
        /* A pod's network, ports, hostname and users are its owner's; its volumes and names every member's
         * (each has an /etc/hosts and /etc/resolv.conf of its own). */
        if (u->section == QUADLET_POD && u->role == QUADLET_POD_MEMBER &&
            !STR_IN_SET(key, "Volume", "AddHost", "DNS", "DNSSearch", "DNSOption"))
                return 0;
        /* An empty value resets a list or goes back to the default, in both: so does ctr's key of the same
         * setting (Entrypoint= empty is no entrypoint in both). */
        if (isempty(value)) {
                if (k->status != QUADLET_NO && k->ctr && in_charset(k->ctr, LETTERS))
                        return quadlet_emit(u, k->ctr, "%s", "");
                return 0;
        }
        if (strv_contains((char **) word_list_keys, key))
                return translate_words(u, k, value);
        if (n >= 2 && value[0] == '"' && value[n - 1] == '"' && strv_contains((char **) single_value_keys, key)) {
                unquoted = strndup(value + 1, n - 2);
                if (!unquoted)
                        return -ENOMEM;
                value = unquoted;
                if (isempty(value))
                        return translate_key(u, key, value);
        }
        return translate_value(u, k, value);
}

int quadlet_unit_add(QuadletUnit *u, const char *file, unsigned line, const char *section, const char *key,
                     const char *value) {
        _cleanup_free_ char *rewritten = NULL;
        bool ours, home;
        char bad;
        int r;

        if (!key)
                return 0;

        u->file = file;
        u->line = line;
        u->key = key;
        u->value = value;
        u->section = streq(section, "Container") ? QUADLET_CONTAINER : streq(section, "Pod") ? QUADLET_POD : 0;
        u->section_name = section;
        ours = u->section != 0;

        if (!ours && !STR_IN_SET(section, "Unit", "Service", "Install")) {
                if (startswith(section, "X-"))
                        return 0;
                if (streq(section, "Quadlet"))
                        return quadlet_drop(u, false, "[Quadlet] is podman's; ctr adds network-online.target only "
                                            "for a container that may pull its image");
                return quadlet_drop(u, false, "section [%s] has no counterpart", section);
        }

        r = rewrite_specifiers(u, value, ours, &rewritten, &bad, &home);
        if (r < 0)
                return r;
        if (bad) {
                const QuadletKey *k = quadlet_key_find(key);
                return quadlet_drop(u, k && k->lost, "the specifier %%%c has no counterpart in ctr, which expands "
                                    "%%n %%N %%i %%H and %%%% in [Container]", bad);
        }
        if (home) {
                r = quadlet_note(u, false, "%%h is /root: ctr@.service is a system service, run by root (in a "
                                 "rootless Quadlet it was the user's home)");
                if (r < 0)
                        return r;
        }
        u->value = rewritten;

        if (ours)
                r = translate_key(u, key, rewritten);
        else
                r = pass_through(u, section, key, rewritten);
        u->value = value;
        return r;
}

int quadlet_unit_add_infra(QuadletUnit *u) {
        int r;

        u->section = QUADLET_POD;
        u->section_name = "Container";
        r = quadlet_comment(u, "the pod's infra container: no container names the pod in Pod=, so this one holds "
                            "its network (containers added later join it: Network=container:%s, PrivateUsers=no)",
                            u->name);
        if (r >= 0)
                r = quadlet_emit(u, "Image", "host");
        if (r >= 0)
                r = quadlet_emit(u, "Exec", "sleep infinity");
        if (r >= 0)
                r = quadlet_emit(u, "Init", "yes");
        u->root_set = true;
        return r;
}

static int apply_id_maps(QuadletUnit *u) {
        unsigned inside, host, count;
        char tail;

        if (!u->uid_map && !u->gid_map)
                return 0;
        u->file = u->uid_map ? u->uid_map_file : u->gid_map_file;
        u->line = u->uid_map ? u->uid_map_line : u->gid_map_line;
        u->key = u->uid_map ? "UIDMap" : "GIDMap";
        u->value = u->uid_map ?: u->gid_map;
        u->section = QUADLET_CONTAINER;
        u->section_name = "Container";
        /* Podman takes the GID map from the UID map when only that is given. */
        if (u->gid_map && u->uid_map && !streq(u->gid_map, u->uid_map))
                return quadlet_drop(u, true, "GIDMap=%s differs from it: ctr maps user and group ids alike",
                                    u->gid_map);
        if (sscanf(u->value, "%u:%u:%u%c", &inside, &host, &count, &tail) != 3 || inside != 0 || host == 0 ||
            count == 0)
                return quadlet_drop(u, true, "ctr maps one range from container id 0: 0:HOSTID:COUNT");
        if (u->role == QUADLET_POD_MEMBER)
                return quadlet_drop(u, true, "a member of a pod joins the namespaces of %s, which ctr does not do "
                                    "from a user namespace of its own", u->pod_owner);
        u->users_set = u->private_users_pick = true;
        return quadlet_emit(u, "PrivateUsers", "%u:%u", host, count);
}

static int add_default_tmpfs(QuadletUnit *u, const char *path) {
        if (strv_contains(u->destinations, path))
                return 0;
        return quadlet_emit(u, "Tmpfs", "%s", path);
}

/* The defaults where podman and ctr differ, once the main file is read. */
static int apply_defaults(QuadletUnit *u) {
        int r;

        r = apply_id_maps(u);
        if (r < 0)
                return r;
        u->section = QUADLET_CONTAINER;
        u->section_name = "Container";

        /* podman runs a keep-id container as the user it maps (rootful: root, or uid=, gid=) unless User= */
        if (u->keep_id && !u->user_set) {
                r = buffer_puts(&u->out_container, "# ctr convert: keep-id runs the container as its uid= and "
                                "gid= (0 unless given), not as the image's user\n");
                if (r >= 0)
                        r = quadlet_emit(u, "User", "%s", u->keep_id_uid ?: "0");
                if (r >= 0)
                        r = quadlet_emit(u, "Group", "%s", u->keep_id_gid ?: "0");
                if (r < 0)
                        return r;
        }
        if (!u->network_set) {
                r = buffer_puts(&u->out_container, "# ctr convert: podman's default network is a bridge with NAT "
                                "(ctr's is none)\n");
                if (r >= 0)
                        r = quadlet_emit(u, "Network", "bridge");
                if (r < 0)
                        return r;
        }
        if (!u->users_set) {
                r = buffer_puts(&u->out_container, "# ctr convert: rootful podman runs a container without a "
                                "user namespace unless UserNS= says so (PrivateUsers=pick isolates it further)\n");
                if (r >= 0)
                        r = quadlet_emit(u, "PrivateUsers", "no");
                if (r < 0)
                        return r;
        }
        if (u->read_only && u->read_only_tmpfs) {
                r = buffer_puts(&u->out_container, "# ctr convert: ReadOnlyTmpfs= (podman's default) keeps these "
                                "writable\n");
                if (r < 0)
                        return r;
                FOREACH_STRING(path, "/tmp", "/var/tmp", "/run") {
                        r = add_default_tmpfs(u, path);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int append_section(Buffer *out, const char *name, Buffer *b, bool always) {
        int r;

        if (b->size == 0 && !always)
                return 0;
        r = buffer_puts(out, out->size > 0 ? "\n[" : "[");
        if (r >= 0)
                r = buffer_puts(out, name);
        if (r >= 0)
                r = buffer_puts(out, "]\n");
        if (r >= 0 && b->size > 0)
                r = buffer_append(out, b->data, b->size);
        return r;
}

int quadlet_unit_finish(QuadletUnit *u, const char *header, char **ret) {
        _cleanup_buffer_ Buffer out = {};
        int r;

        if (u->main) {
                r = apply_defaults(u);
                if (r < 0)
                        return r;
        }

        if (header && (buffer_puts(&out, header) < 0 || buffer_putc(&out, '\n') < 0))
                return -ENOMEM;
        if (u->out_comments.size > 0 && buffer_append(&out, u->out_comments.data, u->out_comments.size) < 0)
                return -ENOMEM;
        r = append_section(&out, "Unit", &u->out_unit, false);
        if (r >= 0)
                r = append_section(&out, "Container", &u->out_container, u->main);
        if (r >= 0)
                r = append_section(&out, "Service", &u->out_service, false);
        if (r >= 0)
                r = append_section(&out, "Install", &u->out_install, false);
        if (r < 0)
                return r;
        *ret = buffer_steal(&out);
        return *ret ? 0 : -ENOMEM;
}
