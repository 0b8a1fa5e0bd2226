/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Rendering a Container into what systemd reads: the drop-in text for ctr@NAME.service and the [Install]
 * symlinks. Every value goes through the escaping of its key's parser (unit-escape.c); writing the result is
 * the output directory's (unit-output.c). */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffer.h"
#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "specifier.h"
#include "string-util.h"
#include "strv.h"
#include "unit-writer.h"

/* "Key=Value\n" */
static int buffer_assignment(Buffer *b, const char *key, const char *value) {
        int r;

        r = buffer_puts(b, key);
        if (r < 0)
                return r;
        r = buffer_putc(b, '=');
        if (r < 0)
                return r;
        r = buffer_puts(b, value);
        if (r < 0)
                return r;
        return buffer_putc(b, '\n');
}

static bool unit_settings_have(const Container *c, const char *section, const char *key) {
        for (size_t i = 0; i < c->n_unit_settings; i++)
                if (streq(c->unit_settings[i].section, section) && streq(c->unit_settings[i].key, key))
                        return true;
        return false;
}

/* Appends "Key=" + escape(value) + "\n"; on -EINVAL (value not representable) the buffer is unchanged. */
static int buffer_escaped_assignment(Buffer *b, const char *key, const char *prefix, const char *value,
                                     bool word, UnitWordFlags flags) {
        size_t saved = b->size;
        int r;

        r = buffer_puts(b, key);
        if (r >= 0)
                r = buffer_putc(b, '=');
        if (r >= 0 && prefix) {
                /* The prefix ("CONTAINER_NAME=") is part of the word: escape both together. */
                _cleanup_free_ char *joined = strjoin(prefix, value);

                if (!joined)
                        r = -ENOMEM;
                else
                        r = buffer_put_unit_word(b, joined, flags);
        } else if (r >= 0)
                r = word ? buffer_put_unit_word(b, value, flags) : buffer_put_unit_value(b, value);
        if (r >= 0)
                r = buffer_putc(b, '\n');
        if (r < 0 && b->data) {
                b->size = saved;
                b->data[saved] = '\0';
        }
        return r;
}

/* "Key=<escaped value>\n" for a value that systemd expands specifiers in. */
static int buffer_value(Buffer *b, const char *key, const char *value) {
        return buffer_escaped_assignment(b, key, NULL, value, false, 0);
}

/* "Key=<escaped word>\n" for one word of a list. */
static int buffer_word(Buffer *b, const char *key, const char *prefix, const char *word, UnitWordFlags flags) {
        return buffer_escaped_assignment(b, key, prefix, word, true, flags);
}

static int buffer_requires_mounts_for(Buffer *b, const Container *c, const char *path, Diagnostics *diag) {
        int r;

        r = buffer_word(b, "RequiresMountsFor", NULL, path, 0);
        if (r == -EINVAL)
                return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, c->source_path, 0, "Unit",
                                       "RequiresMountsFor", path,
                                       "Path '%s' cannot be expressed in RequiresMountsFor=, not adding it.",
                                       path);
        return r;
}

/* Whether the container keeps anything below the state directory (its writable layer, named volumes, an
 * image from the local store), so that /var must be mounted before it starts. Ephemeral= and ReadOnly=
 * containers have their upper layer on a tmpfs. */
static bool container_uses_state_dir(const Container *c) {
        if (!c->ephemeral && !c->read_only)
                return true;
        if (c->image && !streq(c->image, "host"))
                return true;
        for (size_t i = 0; i < c->n_volumes; i++)
                if (c->volumes[i].type == VOLUME_NAMED)
                        return true;
        return false;
}

/* [Service] keys that make the unit a ctr container: they belong to the template, and a .ctr that set them
 * would replace the launcher or break its readiness protocol. */
static const char *const template_owned_keys[] = {
        "BusName",
        "ExecStart",
        "NotifyAccess",
        "PIDFile",
        "Type",
};

static bool key_is_template_owned(const char *section, const char *key) {
        if (!streq(section, "Service"))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(template_owned_keys); i++)
                if (streq(key, template_owned_keys[i]))
                        return true;
        return false;
}

static int buffer_pass_through(Buffer *b, const Container *c, const char *section, Diagnostics *diag) {
        int r;

        for (size_t i = 0; i < c->n_unit_settings; i++) {
                const UnitSetting *s = &c->unit_settings[i];
                size_t n;

                if (!streq(s->section, section))
                        continue;

                if (key_is_template_owned(s->section, s->key)) {
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EPERM, s->file, s->line, s->section,
                                            s->key, s->value,
                                            "[%s] %s= is set by ctr@.service and cannot be changed, ignoring.",
                                            s->section, s->key);
                        if (r < 0)
                                return r;
                        continue;
                }

                /* The parser gives us systemd syntax already; only what cannot survive a line of its own
                 * is refused. */
                n = strlen(s->value);
                if (strpbrk(s->value, "\n\r") || (n > 0 && s->value[n - 1] == '\\')) {
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, s->file, s->line, s->section,
                                            s->key, s->value,
                                            "Value of %s= cannot be written to the unit, ignoring.", s->key);
                        if (r < 0)
                                return r;
                        continue;
                }

                r = buffer_assignment(b, s->key, s->value);
                if (r < 0)
                        return r;
        }

        return 0;
}

int unit_dropin_from_container(const Container *c, Diagnostics *diag, char **ret, size_t *ret_size) {
        _cleanup_free_ char *description = NULL, *absolute = NULL;
        _cleanup_buffer_ Buffer b = {};
        const char *source;
        char *text;
        size_t size;
        int r;

        /* One allocation for a typical drop-in (a few hundred bytes) rather than growing one from nothing:
         * the generator renders thousands. */
        r = buffer_reserve(&b, 1024);
        if (r < 0)
                return r;
        r = buffer_puts(&b, "# Generated by ctr-generator(8). Do not edit: change the .ctr file and run\n"
                            "# \"systemctl daemon-reload\".\n"
                            "\n[Unit]\n");
        if (r < 0)
                return r;

        source = c->source_path ?: (c->dropin_paths ? c->dropin_paths[0] : NULL);
        /* systemd wants SourcePath= absolute; a relative CTR_CONFIG_PATH entry gives relative paths. */
        if (source && !path_is_absolute(source)) {
                _cleanup_free_ char *cwd = get_current_dir_name();

                if (!cwd)
                        return negative_errno();
                r = path_join(cwd, source, &absolute);
                if (r < 0)
                        return r;
                source = absolute;
        }
        if (source) {
                r = buffer_value(&b, "SourcePath", source);
                if (r == -EINVAL)
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, source, 0, "Unit", "SourcePath",
                                            source, "Path cannot be expressed in SourcePath=, not adding it.");
                if (r < 0)
                        return r;
        }

        if (!unit_settings_have(c, "Unit", "Description")) {
                description = strjoin("Container ", c->name);
                if (!description)
                        return -ENOMEM;
                r = buffer_value(&b, "Description", description);
                if (r < 0)
                        return r;
        }

        /* A bridged container's NAT and published ports live in nftables: start after the host's firewall
         * (nftables.service, whose "flush ruleset" would drop them, orders itself before network-pre.target)
         * and its network, as nspawn's and Docker's units do. */
        if (c->network == NETWORK_BRIDGE) {
                r = buffer_puts(&b, "After=network.target\n");
                if (r < 0)
                        return r;
        }

        /* A container that may pull its image at start (Pull=, pull-start.h) needs the network up first, as
         * Quadlet orders a container with an image; one that never pulls does not wait for it. */
        if (container_may_pull(c)) {
                r = buffer_puts(&b, "Wants=network-online.target\nAfter=network-online.target\n");
                if (r < 0)
                        return r;
        }

        /* Network=container:NAME (and JoinNamespaces=) joins NAME's namespaces at start, so NAME must run
         * first, and once NAME is gone we would hold namespaces nothing else uses: BindsTo= starts NAME with
         * us and stops (or restarts) us whenever NAME stops, fails or restarts; After= orders the start. */
        if (container_joins(c)) {
                _cleanup_free_ char *unit = strjoin("ctr@", container_joins(c), ".service");

                if (!unit)
                        return -ENOMEM;
                /* a value, not a quoted word: systemd does not unquote unit names in dependencies, and a
                 * valid name holds nothing to quote (the backslashes of systemd's escaping stay as they are) */
                r = buffer_value(&b, "BindsTo", unit);
                if (r >= 0)
                        r = buffer_value(&b, "After", unit);
                if (r < 0)
                        return r;
        }

        /* Mount points the container needs, in the order a reader of the .ctr would list them. */
        if (c->root_directory) {
                r = buffer_requires_mounts_for(&b, c, c->root_directory, diag);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(l, c->layers) {
                r = buffer_requires_mounts_for(&b, c, *l, diag);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_volumes; i++) {
                if (c->volumes[i].type != VOLUME_BIND)
                        continue;
                r = buffer_requires_mounts_for(&b, c, c->volumes[i].source, diag);
                if (r < 0)
                        return r;
        }
        if (container_uses_state_dir(c)) {
                r = buffer_requires_mounts_for(&b, c, CTR_STATE_DIR, diag);
                if (r < 0)
                        return r;
        }

        r = buffer_pass_through(&b, c, "Unit", diag);
        if (r < 0)
                return r;

        r = buffer_puts(&b, "\n[Service]\n");
        if (r < 0)
                return r;
        r = buffer_value(&b, "SyslogIdentifier", c->name);
        if (r < 0)
                return r;
        r = buffer_word(&b, "LogExtraFields", "CONTAINER_NAME=", c->name, UNIT_WORD_CUNESCAPE);
        if (r < 0)
                return r;
        /* what the generator read, for ctr-launch to notice an edit without daemon-reload; a stamp, not a
         * hash: hashing would load libcrypto into every generator run (config-hash.h) */
        if (!isempty(c->config_stamp)) {
                r = buffer_word(&b, "Environment", "CTR_CONFIG_STAMP=", c->config_stamp, UNIT_WORD_CUNESCAPE);
                if (r < 0)
                        return r;
        }
        /* systemd's stop timeout must cover the monitor's own: StopTimeoutSec= for the workload, then the
         * SIGKILL and the teardown. The template's 30 s covers the default 10 s. */
        if (c->stop_timeout_usec != CTR_STOP_TIMEOUT_DEFAULT_USEC) {
                char t[64];

                if (c->stop_timeout_usec == USEC_INFINITY)
                        snprintf(t, sizeof(t), "infinity");
                else
                        snprintf(t, sizeof(t), "%" PRIu64 "us",
                                 c->stop_timeout_usec + CTR_STOP_TIMEOUT_MARGIN_USEC);
                r = buffer_value(&b, "TimeoutStopSec", t);
                if (r < 0)
                        return r;
        }
        /* HealthOnFailure=restart: the monitor stops the unhealthy container and exits with this status, which
         * systemd restarts on even with Restart=no (the [Service] section may still say RestartSec= and the
         * like). Also for a store image without HealthCmd=: its config may bring the check. */
        if (container_may_check_health(c) && c->health_on_failure == HEALTH_ON_FAILURE_RESTART) {
                char status[16];

                snprintf(status, sizeof(status), "%i", CTR_EXIT_UNHEALTHY);
                r = buffer_value(&b, "RestartForceExitStatus", status);
                if (r < 0)
                        return r;
        }
        /* The monitor lives in the same slice as the container's scope. */
        if (c->slice) {
                r = buffer_value(&b, "Slice", c->slice);
                if (r < 0)
                        return r;
        }

        r = buffer_pass_through(&b, c, "Service", diag);
        if (r < 0)
                return r;

        size = b.size;
        text = buffer_steal(&b);
        if (!text)
                return -ENOMEM;
        *ret = text;
        if (ret_size)
                *ret_size = size;
        return 0;
}

static const struct {
        const char *key;
        const char *suffix;
} install_keys[] = {
        { "WantedBy",   ".wants"    },
        { "RequiredBy", ".requires" },
        { "UpheldBy",   ".upholds"  },
};

static int install_add_targets(_unused_ const Container *c, const UnitSetting *s, const SpecifierContext *ctx,
                               char ***targets, Diagnostics *diag) {
        const char *p = s->value;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL, *expanded = NULL;
                char bad = 0;

                r = extract_first_word(&p, &word, NULL, EXTRACT_UNQUOTE);
                if (r == -EINVAL)
                        return diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, s->file, s->line, s->section,
                                               s->key, s->value, "Failed to split %s= value, ignoring.",
                                               s->key);
                if (r < 0)
                        return r;
                if (r == 0)
                        return 0;

                r = specifier_expand(word, ctx, &expanded, &bad);
                if (r == -EBADMSG) {
                        if (bad)
                                r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EBADMSG, s->file, s->line,
                                                    s->section, s->key, s->value,
                                                    "Unknown specifier '%%%c' in %s=, ignoring '%s'.",
                                                    bad, s->key, word);
                        else
                                r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EBADMSG, s->file, s->line,
                                                    s->section, s->key, s->value,
                                                    "Lone '%%' at the end of %s=, ignoring '%s'.", s->key, word);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (r < 0)
                        return r;

                if (!unit_name_is_valid(expanded) || strstr(expanded, "@.")) {
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, s->file, s->line, s->section,
                                            s->key, s->value, "Invalid unit name '%s' in %s=, ignoring.",
                                            expanded, s->key);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (strv_contains(*targets, expanded))
                        continue;
                r = strv_consume(targets, TAKE_PTR(expanded));
                if (r < 0)
                        return r;
        }
}

int unit_install_symlinks(const Container *c, Diagnostics *diag, char ***ret) {
        char **targets[ELEMENTSOF(install_keys)] = {};
        _cleanup_strv_free_ char **links = NULL;
        _cleanup_free_ char *unit = NULL;
        SpecifierContext ctx = { .name = c->name };
        int r = 0;

        unit = strjoin("ctr@", c->name, ".service");
        if (!unit)
                return -ENOMEM;

        for (size_t i = 0; i < c->n_unit_settings; i++) {
                const UnitSetting *s = &c->unit_settings[i];
                size_t k;

                if (!streq(s->section, "Install"))
                        continue;

                for (k = 0; k < ELEMENTSOF(install_keys); k++)
                        if (streq(s->key, install_keys[k].key))
                                break;
                if (k >= ELEMENTSOF(install_keys)) {
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EOPNOTSUPP, s->file, s->line, s->section,
                                            s->key, s->value,
                                            "[Install] %s= is not supported for containers, ignoring.", s->key);
                        if (r < 0)
                                goto finish;
                        continue;
                }

                /* An empty assignment resets the list, as in systemd. */
                if (isempty(s->value)) {
                        targets[k] = strv_free(targets[k]);
                        continue;
                }

                r = install_add_targets(c, s, &ctx, &targets[k], diag);
                if (r < 0)
                        goto finish;
        }

        for (size_t k = 0; k < ELEMENTSOF(install_keys); k++)
                STRV_FOREACH(t, targets[k]) {
                        char *link = strjoin(*t, install_keys[k].suffix, "/", unit);

                        if (!link) {
                                r = -ENOMEM;
                                goto finish;
                        }
                        r = strv_consume(&links, link);
                        if (r < 0)
                                goto finish;
                }

        strv_sort(links);
        *ret = TAKE_PTR(links);
        r = 0;

finish:
        for (size_t k = 0; k < ELEMENTSOF(install_keys); k++)
                strv_free(targets[k]);
        return r;
}
