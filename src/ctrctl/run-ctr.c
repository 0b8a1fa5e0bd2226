/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* ctrctl run's ad-hoc container written down: its options become the keys of RUNTIME_DIR/NAME.ctr (values
 * escaped so the parser reads back exactly what was given), written exclusively (never over another
 * container's file) and checked with the one parser before anything runs it (run.c). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr-file.h"
#include "fd-util.h"
#include "log.h"
#include "paths.h"
#include "run-ctr.h"
#include "string-util.h"
#include "strv.h"

int run_ctr_check_value(const char *what, const char *v) {
        /* one line of the .ctr: no newline, and no trailing backslash (a continuation) */
        if (strpbrk(v, "\n\r") || endswith(v, "\\")) {
                log_error("Invalid %s '%s': newlines and a trailing backslash cannot be written to a .ctr.", what, v);
                return -EINVAL;
        }
        return 0;
}

/* "%" → "%%" (specifiers are expanded in .ctr values) */
static int escape_specifiers(FILE *f, const char *s) {
        for (; *s; s++) {
                if (*s == '%')
                        fputc('%', f);
                fputc(*s, f);
        }
        return 0;
}

/* One word in double quotes, as the parser's EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE reads it back. */
static void write_quoted(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                switch (*p) {
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                case '%':
                        fputs("%%", f);
                        break;
                default:
                        if (*p < ' ' || *p == 0x7f)
                                fprintf(f, "\\x%02x", *p);
                        else
                                fputc(*p, f);
                }
        fputc('"', f);
}

int run_ctr_format(const RunCtr *o, const char *image, char **cmd, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;

        fputs("# Written by \"ctrctl run\". It lives in /run: gone after a reboot", f);
        fputs(o->rm ? "; --rm removes it when the container exits.\n" : ".\n", f);
        fputs("[Unit]\nDescription=ctrctl run ", f);
        escape_specifiers(f, image);
        fputs("\n\n[Container]\n", f);
        fputs("Image=", f);
        escape_specifiers(f, image);
        fputc('\n', f);
        if (!strv_isempty(cmd)) {
                fputs("Exec=", f);
                STRV_FOREACH(w, cmd) {
                        if (w != cmd)
                                fputc(' ', f);
                        write_quoted(f, *w);
                }
                fputc('\n', f);
        }
        STRV_FOREACH(e, o->env) {
                fputs("Environment=", f);
                write_quoted(f, *e);
                fputc('\n', f);
        }
        STRV_FOREACH(v, o->volumes) {
                fputs("Volume=", f);
                escape_specifiers(f, *v);
                fputc('\n', f);
        }
        if (o->memory)
                fprintf(f, "MemoryMax=%s\n", o->memory);
        if (o->user) {
                fputs("User=", f);
                escape_specifiers(f, o->user);
                fputc('\n', f);
        }
        if (o->workdir) {
                fputs("WorkingDirectory=", f);
                escape_specifiers(f, o->workdir);
                fputc('\n', f);
        }
        if (o->network) {
                fputs("Network=", f);
                escape_specifiers(f, o->network);
                fputc('\n', f);
        } else if (o->publish)
                /* as with "docker run -p": publishing a port means a bridged network */
                fputs("Network=bridge\n", f);
        STRV_FOREACH(p, o->publish) {
                fputs("PublishPort=", f);
                escape_specifiers(f, *p);
                fputc('\n', f);
        }
        if (o->rm)
                fputs("Ephemeral=yes\n", f);

        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

int run_ctr_generate_name(char **ret) {
        uint32_t r;

        if (getrandom(&r, sizeof(r), 0) != sizeof(r))
                return -errno ?: -EIO;
        return asprintf(ret, "run-%08x", r) < 0 ? -ENOMEM : 0;
}

/* Writes |text| to |path| exclusively (a name in use is an error), atomically for readers. */
static int write_file_exclusive(const char *path, const char *text) {
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t n = strlen(text);
        int r;

        if (asprintf(&tmp, "%s.tmp", path) < 0)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return -errno;
        r = loop_write(fd, text, n);
        if (r >= 0 && fsync(fd) < 0)
                r = -errno;
        if (r < 0) {
                (void) unlink(tmp);
                return r;
        }
        /* link() fails if the name exists: never replace another container's file */
        if (link(tmp, path) < 0) {
                r = -errno;
                (void) unlink(tmp);
                return r;
        }
        (void) unlink(tmp);
        return 0;
}

static int validate_file(const char *path, const char *name) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics diag = {};
        int r;

        r = container_load_file(path, name, NULL, &diag, &c);
        (void) diagnostics_log(&diag, DIAGNOSTICS_PLAIN);
        diagnostics_clear(&diag);
        if (r == -EBADMSG)
                return log_error_errno(r, "The options make an invalid container, see the errors above.");
        if (r < 0)
                return log_error_errno(r, "Failed to check '%s': %m", path);
        return 0;
}

int run_ctr_write(const RunCtr *o, const char *name, const char *image, char **cmd, char **ret_path) {
        _cleanup_free_ char *text = NULL, *path = NULL;
        int r;

        r = run_ctr_format(o, image, cmd, &text);
        if (r < 0)
                return log_oom();
        if (mkdir(runtime_dir(), 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s: %m", runtime_dir());
        if (asprintf(&path, "%s/%s.ctr", runtime_dir(), name) < 0)
                return log_oom();
        r = write_file_exclusive(path, text);
        if (r == -EEXIST)
                return log_error_errno(r, "'%s' exists already; choose another name with --name.", path);
        if (r < 0)
                return log_error_errno(r, "Failed to write '%s': %m", path);

        r = validate_file(path, name);
        if (r < 0) {
                (void) unlink(path);
                return r;
        }
        *ret_path = TAKE_PTR(path);
        return 0;
}
