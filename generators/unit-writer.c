/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "name-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "specifier.h"
#include "string-util.h"
#include "strv.h"
#include "unit-writer.h"

/* A growable text buffer: the generator builds thousands of small files, so no stdio in the hot path. */
typedef struct Buffer {
        char *data;
        size_t size, allocated;
} Buffer;

static int buffer_append(Buffer *b, const char *s, size_t n) {
        if (b->size + n + 1 > b->allocated) {
                size_t a = MAX(b->allocated * 2, b->size + n + 1);
                char *p;

                a = MAX(a, (size_t) 1024);
                p = realloc(b->data, a);
                if (!p)
                        return -ENOMEM;
                b->data = p;
                b->allocated = a;
        }
        memcpy(b->data + b->size, s, n);
        b->size += n;
        b->data[b->size] = '\0';
        return 0;
}

static int buffer_puts(Buffer *b, const char *s) {
        return buffer_append(b, s, strlen(s));
}

static int buffer_putc(Buffer *b, char c) {
        return buffer_append(b, &c, 1);
}

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

static bool char_is_control(unsigned char c) {
        return c < ' ' || c == 0x7f;
}

/* Appends |s| with every '%' doubled. */
static int buffer_put_specifier_escaped(Buffer *b, const char *s) {
        for (;;) {
                const char *p = strchr(s, '%');
                int r;

                if (!p)
                        return buffer_puts(b, s);
                r = buffer_append(b, s, (size_t) (p - s) + 1);
                if (r < 0)
                        return r;
                r = buffer_putc(b, '%');
                if (r < 0)
                        return r;
                s = p + 1;
        }
}

static int buffer_escape_value(Buffer *b, const char *s) {
        size_t n;

        n = strlen(s);
        /* systemd strips surrounding whitespace and joins a line ending in a backslash with the next one:
         * such a value would not read back as written. */
        if (n > 0 && (strchr(WHITESPACE, s[0]) || strchr(WHITESPACE, s[n - 1]) || s[n - 1] == '\\'))
                return -EINVAL;
        for (const char *p = s; *p; p++)
                if (char_is_control((unsigned char) *p) && *p != '\t')
                        return -EINVAL;

        return buffer_put_specifier_escaped(b, s);
}

static int buffer_escape_word(Buffer *b, const char *s, UnitWordFlags flags) {
        static const char hex[] = "0123456789abcdef";
        bool quote;
        int r;

        /* Bare when nothing in it is special to systemd's word splitting: the common case, one copy. */
        quote = isempty(s) || strpbrk(s, " \t\n\r\"'\\") != NULL;
        for (const char *p = s; *p && !quote; p++)
                if (char_is_control((unsigned char) *p))
                        quote = true;
        if (!quote)
                return buffer_put_specifier_escaped(b, s);

        r = buffer_putc(b, '"');
        if (r < 0)
                return r;

        for (const char *p = s; *p; p++) {
                unsigned char c = (unsigned char) *p;

                if (c == '%')
                        r = buffer_puts(b, "%%");
                else if (c == '"' || c == '\\') {
                        char e[2] = { '\\', (char) c };
                        r = buffer_append(b, e, 2);
                } else if (char_is_control(c) && (flags & UNIT_WORD_CUNESCAPE)) {
                        char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
                        r = buffer_append(b, e, 4);
                } else if (c == '\n' || c == '\r')
                        /* Without C unescaping there is no way to say a line break ("\n" reads as "n"). */
                        return -EINVAL;
                else
                        r = buffer_putc(b, (char) c);
                if (r < 0)
                        return r;
        }

        return buffer_putc(b, '"');
}

/* Runs an escaper into a buffer of its own and returns the string. */
static int escape_to_string(const char *s, UnitWordFlags flags, bool word, char **ret) {
        Buffer b = {};
        int r;

        r = word ? buffer_escape_word(&b, s, flags) : buffer_escape_value(&b, s);
        if (r >= 0 && !b.data)
                r = buffer_append(&b, "", 0);
        if (r < 0) {
                free(b.data);
                return r;
        }
        *ret = b.data;
        return 0;
}

int unit_escape_value(const char *s, char **ret) {
        return escape_to_string(s, 0, false, ret);
}

int unit_escape_word(const char *s, UnitWordFlags flags, char **ret) {
        return escape_to_string(s, flags, true, ret);
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
                _cleanup_free_ char *joined = NULL;

                if (asprintf(&joined, "%s%s", prefix, value) < 0)
                        r = -ENOMEM;
                else
                        r = buffer_escape_word(b, joined, flags);
        } else if (r >= 0)
                r = word ? buffer_escape_word(b, value, flags) : buffer_escape_value(b, value);
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
        const char *source;
        Buffer b = {};
        int r;

        r = buffer_puts(&b, "# Generated by ctr-generator(8). Do not edit: change the .ctr file and run\n"
                            "# \"systemctl daemon-reload\".\n"
                            "\n[Unit]\n");
        if (r < 0)
                goto fail;

        source = c->source_path ?: (c->dropin_paths ? c->dropin_paths[0] : NULL);
        /* systemd wants SourcePath= absolute; a relative CTR_CONFIG_PATH entry gives relative paths. */
        if (source && !path_is_absolute(source)) {
                _cleanup_free_ char *cwd = get_current_dir_name();

                if (!cwd) {
                        r = negative_errno();
                        goto fail;
                }
                r = path_join(cwd, source, &absolute);
                if (r < 0)
                        goto fail;
                source = absolute;
        }
        if (source) {
                r = buffer_value(&b, "SourcePath", source);
                if (r == -EINVAL)
                        r = diagnostics_add(diag, DIAGNOSTIC_WARNING, EINVAL, source, 0, "Unit", "SourcePath",
                                            source, "Path cannot be expressed in SourcePath=, not adding it.");
                if (r < 0)
                        goto fail;
        }

        if (!unit_settings_have(c, "Unit", "Description")) {
                if (asprintf(&description, "Container %s", c->name) < 0) {
                        r = -ENOMEM;
                        goto fail;
                }
                r = buffer_value(&b, "Description", description);
                if (r < 0)
                        goto fail;
        }

        /* A bridged container's NAT and published ports live in nftables: start after the host's firewall
         * (nftables.service, whose "flush ruleset" would drop them, orders itself before network-pre.target)
         * and its network, as nspawn's and Docker's units do. */
        if (c->network == NETWORK_BRIDGE) {
                r = buffer_puts(&b, "After=network.target\n");
                if (r < 0)
                        goto fail;
        }

        /* Mount points the container needs, in the order a reader of the .ctr would list them. */
        if (c->root_directory) {
                r = buffer_requires_mounts_for(&b, c, c->root_directory, diag);
                if (r < 0)
                        goto fail;
        }
        STRV_FOREACH(l, c->layers) {
                r = buffer_requires_mounts_for(&b, c, *l, diag);
                if (r < 0)
                        goto fail;
        }
        for (size_t i = 0; i < c->n_volumes; i++) {
                if (c->volumes[i].type != VOLUME_BIND)
                        continue;
                r = buffer_requires_mounts_for(&b, c, c->volumes[i].source, diag);
                if (r < 0)
                        goto fail;
        }
        if (container_uses_state_dir(c)) {
                r = buffer_requires_mounts_for(&b, c, CTR_STATE_DIR, diag);
                if (r < 0)
                        goto fail;
        }

        r = buffer_pass_through(&b, c, "Unit", diag);
        if (r < 0)
                goto fail;

        r = buffer_puts(&b, "\n[Service]\n");
        if (r < 0)
                goto fail;
        r = buffer_value(&b, "SyslogIdentifier", c->name);
        if (r < 0)
                goto fail;
        r = buffer_word(&b, "LogExtraFields", "CONTAINER_NAME=", c->name, UNIT_WORD_CUNESCAPE);
        if (r < 0)
                goto fail;
        if (!isempty(c->config_hash)) {
                r = buffer_word(&b, "Environment", "CTR_CONFIG_HASH=", c->config_hash, UNIT_WORD_CUNESCAPE);
                if (r < 0)
                        goto fail;
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
                        goto fail;
        }
        /* The monitor lives in the same slice as the container's scope. */
        if (c->slice) {
                r = buffer_value(&b, "Slice", c->slice);
                if (r < 0)
                        goto fail;
        }

        r = buffer_pass_through(&b, c, "Service", diag);
        if (r < 0)
                goto fail;

        *ret = b.data;
        if (ret_size)
                *ret_size = b.size;
        return 0;

fail:
        free(b.data);
        return r;
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

        if (asprintf(&unit, "ctr@%s.service", c->name) < 0)
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
                        char *link;

                        if (asprintf(&link, "%s%s/%s", *t, install_keys[k].suffix, unit) < 0) {
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

int unit_output_open(UnitOutput *o, const char *path, FILE *dry_run, UnitOutputFlags flags) {
        int fd;

        *o = (UnitOutput) { .dir_fd = -EBADF, .dry_run = dry_run, .flags = flags, .pid = getpid() };
        if (dry_run)
                return 0;
        if (isempty(path))
                return -EINVAL;

        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
                fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        if (fd < 0)
                return negative_errno();

        o->dir_fd = fd;
        return 0;
}

void unit_output_close(UnitOutput *o) {
        o->dir_fd = safe_close(o->dir_fd);
        o->link_dirs = strv_free(o->link_dirs);
}

/* Splits "DIR/FILE" into a copy of DIR and a pointer to FILE. */
static int split_path(const char *path, char **ret_dir, const char **ret_file) {
        const char *slash;
        char *dir;

        slash = strchr(path, '/');
        if (!slash || slash == path || !slash[1] || strchr(slash + 1, '/') ||
            path[0] == '.' || slash[1] == '.')
                return -EINVAL;

        dir = strndup(path, slash - path);
        if (!dir)
                return -ENOMEM;

        *ret_dir = dir;
        *ret_file = slash + 1;
        return 0;
}

static int output_mkdir(UnitOutput *o, const char *dir) {
        if (mkdirat(o->dir_fd, dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static int output_tmp_name(UnitOutput *o, const char *dir, const char *file, char **ret) {
        if (asprintf(ret, "%s/.#%s.%lx.%lx", dir, file, (unsigned long) o->pid, o->tmp_counter++) < 0)
                return -ENOMEM;
        return 0;
}

static int write_all(int fd, const char *p, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                p += k;
                n -= (size_t) k;
        }
        return 0;
}

/* Creates |name| exclusively and fills it; on failure nothing is left behind. */
static int write_new_file(int dir_fd, const char *name, const char *contents, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return negative_errno();

        r = write_all(fd, contents, size);
        if (r >= 0 && close(TAKE_FD(fd)) < 0)
                r = negative_errno();
        if (r < 0)
                (void) unlinkat(dir_fd, name, 0);
        return r;
}

int unit_output_write_file(UnitOutput *o, const char *path, const char *contents, size_t size) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *file;
        int r;

        if (o->dry_run) {
                fprintf(o->dry_run, "# %s\n", path);
                fwrite(contents, 1, size, o->dry_run);
                if (size > 0 && contents[size - 1] != '\n')
                        fputc('\n', o->dry_run);
                fputc('\n', o->dry_run);
                return ferror(o->dry_run) ? -EIO : 0;
        }

        r = split_path(path, &dir, &file);
        if (r < 0)
                return r;
        /* Drop-in directories are one per unit: no point in remembering them. */
        r = output_mkdir(o, dir);
        if (r < 0)
                return r;

        if (o->flags & UNIT_OUTPUT_PRIVATE) {
                r = write_new_file(o->dir_fd, path, contents, size);
                if (r != -EEXIST)
                        return r;
        }

        r = output_tmp_name(o, dir, file, &tmp);
        if (r < 0)
                return r;
        r = write_new_file(o->dir_fd, tmp, contents, size);
        if (r < 0)
                return r;
        if (renameat(o->dir_fd, tmp, o->dir_fd, path) < 0) {
                r = negative_errno();
                (void) unlinkat(o->dir_fd, tmp, 0);
                return r;
        }
        return 0;
}

int unit_output_symlink(UnitOutput *o, const char *path, const char *target) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL;
        const char *file;
        int r;

        if (o->dry_run) {
                fprintf(o->dry_run, "# %s -> %s\n\n", path, target);
                return ferror(o->dry_run) ? -EIO : 0;
        }

        r = split_path(path, &dir, &file);
        if (r < 0)
                return r;
        /* The same few .wants/ directories come up for every container. */
        if (!strv_contains(o->link_dirs, dir)) {
                r = output_mkdir(o, dir);
                if (r < 0)
                        return r;
                if (strv_length(o->link_dirs) < 64) {
                        r = strv_extend(&o->link_dirs, dir);
                        if (r < 0)
                                return r;
                }
        }

        /* A new symlink appears whole; only replacing one needs the rename. */
        if (o->flags & UNIT_OUTPUT_PRIVATE) {
                if (symlinkat(target, o->dir_fd, path) >= 0)
                        return 0;
                if (errno != EEXIST)
                        return negative_errno();
        }

        r = output_tmp_name(o, dir, file, &tmp);
        if (r < 0)
                return r;
        if (symlinkat(target, o->dir_fd, tmp) < 0)
                return negative_errno();
        if (renameat(o->dir_fd, tmp, o->dir_fd, path) < 0) {
                r = negative_errno();
                (void) unlinkat(o->dir_fd, tmp, 0);
                return r;
        }
        return 0;
}
