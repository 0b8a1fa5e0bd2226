/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* For the unit tests that start from a .ctr text: it is written as NAME.ctr into a fresh temporary directory,
 * loaded with container_load_file() (diagnostics dropped, or kept), and the directory removed again. */

#include "ctr-file.h"
#include "string-util.h"
#include "test.h"

/* The same, with the diagnostics kept in |diag| (cleared by the caller). */
static inline int test_load_ctr_text_diag(const char *name, const char *text, Diagnostics *diag, Container **ret) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *file = NULL, *path = NULL;
        int r;

        if (!dir || asprintf(&file, "%s.ctr", name) < 0 || asprintf(&path, "%s/%s", dir, file) < 0)
                return -ENOMEM;
        r = test_write(dir, file, text);
        if (r < 0)
                return r;
        return container_load_file(path, NULL, NULL, diag, ret);
}

static inline int test_load_ctr_text(const char *name, const char *text, Container **ret) {
        Diagnostics diag = {};
        int r;

        r = test_load_ctr_text_diag(name, text, &diag, ret);
        diagnostics_clear(&diag);
        return r;
}

/* The same, with *ret_message (may be NULL) the first diagnostic as "NAME.ctr:LINE: MESSAGE", or "(none)"
 * (a static buffer). */
static inline int test_load_ctr_text_message(const char *name, const char *text, Container **ret,
                                             const char **ret_message) {
        static char buf[1024];
        Diagnostics d = {};
        int r;

        r = test_load_ctr_text_diag(name, text, &d, ret);
        if (d.n > 0)
                snprintf(buf, sizeof(buf), "%s.ctr:%u: %s", name, d.items[0].line, d.items[0].message);
        else
                strcpy(buf, "(none)");
        if (ret_message)
                *ret_message = buf;
        diagnostics_clear(&d);
        return r;
}

/* "[Container]\nImage=host\n" and |line| loaded as web.ctr must be rejected (-EBADMSG, no Container), its first
 * diagnostic beginning with |prefix| and, when |message| is given, being exactly it: 0, else -EINVAL (what it
 * got on stderr), -ENOMEM. */
static inline int test_load_line_rejected(const char *line, const char *prefix, const char *message) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = strprintf("[Container]\nImage=host\n%s\n", line);
        const char *m = NULL;
        int r;

        if (!text)
                return -ENOMEM;
        r = test_load_ctr_text_message("web", text, &c, &m);
        if (r != -EBADMSG || c || !startswith(m, prefix) || (message && !streq(m, message))) {
                fprintf(stderr, "'%s': r=%d message='%s'\n", line, r, strna(m));
                return -EINVAL;
        }
        return 0;
}
