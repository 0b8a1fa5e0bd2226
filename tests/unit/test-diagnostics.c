/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* diagnostics_log(): the one printer of parser diagnostics, in the two forms the binaries print (tests of
 * the generator and of ctrctl compare that text byte for byte). */

#include "diagnostics.h"
#include "fileio.h"
#include "log.h"
#include "test.h"

/* What diagnostics_log(|d|, |flags|) writes to stderr. */
static int capture(const Diagnostics *d, DiagnosticsLogFlags flags, char **ret) {
        _cleanup_fclose_ FILE *f = tmpfile();
        int saved, r;

        if (!f)
                return -errno;
        fflush(stderr);
        saved = dup(STDERR_FILENO);
        if (saved < 0)
                return -errno;
        if (dup2(fileno(f), STDERR_FILENO) < 0) {
                r = -errno;
                close(saved);
                return r;
        }
        r = diagnostics_log(d, flags);
        fflush(stderr);
        (void) dup2(saved, STDERR_FILENO);
        close(saved);
        if (r < 0)
                return r;
        if (lseek(fileno(f), 0, SEEK_SET) < 0)
                return -errno;
        return read_full_fd(fileno(f), NULL, 65536, ret, NULL) < 0 ? -EIO : 0;
}

static void fill(Diagnostics *d) {
        (void) diagnostics_add(d, DIAGNOSTIC_WARNING, 0, "/etc/ctr/web.ctr", 3, "Container", "Imagee", "x",
                               "Unknown key '%s', ignoring.", "Imagee");
        (void) diagnostics_add(d, DIAGNOSTIC_ERROR, EINVAL, "/etc/ctr/web.ctr", 0, NULL, NULL, NULL,
                               "No Image= in [Container].");
        (void) diagnostics_add(d, DIAGNOSTIC_WARNING, 0, NULL, 0, NULL, NULL, NULL, "Nothing in particular.");
}

TEST(diagnostics_log_plain) {
        _cleanup_free_ char *all = NULL, *errors = NULL;
        Diagnostics d = {};

        fill(&d);
        ASSERT_EQ(d.n, 3);
        ASSERT_OK(capture(&d, DIAGNOSTICS_PLAIN, &all));
        ASSERT_STREQ(all, "/etc/ctr/web.ctr:3: warning: Unknown key 'Imagee', ignoring.\n"
                          "/etc/ctr/web.ctr: error: No Image= in [Container].\n"
                          "warning: Nothing in particular.\n");
        ASSERT_OK(capture(&d, DIAGNOSTICS_PLAIN | DIAGNOSTICS_ERRORS_ONLY, &errors));
        ASSERT_STREQ(errors, "/etc/ctr/web.ctr: error: No Image= in [Container].\n");
        diagnostics_clear(&d);
}

TEST(diagnostics_log_logged) {
        _cleanup_free_ char *all = NULL, *errors = NULL;
        Diagnostics d = {};

        fill(&d);
        log_set_program_name("ctr-test");
        log_set_target(LOG_TARGET_STDERR);
        ASSERT_OK(capture(&d, 0, &all));
        ASSERT_STREQ(all, "ctr-test: /etc/ctr/web.ctr:3: Unknown key 'Imagee', ignoring.\n"
                          "ctr-test: /etc/ctr/web.ctr: No Image= in [Container].\n"
                          "ctr-test: Nothing in particular.\n");
        /* at the levels they carry: a binary that logs only errors prints only the error */
        log_set_max_level(LOG_ERR);
        ASSERT_OK(capture(&d, 0, &errors));
        log_set_max_level(LOG_INFO);
        ASSERT_STREQ(errors, "ctr-test: /etc/ctr/web.ctr: No Image= in [Container].\n");
        diagnostics_clear(&d);
}

/* A file with thousands of bad lines: its diagnostics are kept in an array that doubles, not one realloc per
 * line (quadratic; under ASan, whose realloc always moves, it was most of such a parse). All are kept, in
 * order, and clearing leaves an empty list that can be used again. */
TEST(diagnostics_many) {
        Diagnostics d = {};
        size_t reallocs = 0, previous = 0;

        for (unsigned i = 1; i <= 20000; i++) {
                ASSERT_OK(diagnostics_add(&d, DIAGNOSTIC_WARNING, 0, "/etc/ctr/web.ctr", i, "Container", "K", "v",
                                          "Unknown key 'K%u', ignoring.", i));
                if (d.n_allocated != previous) {
                        reallocs++;
                        previous = d.n_allocated;
                }
        }
        ASSERT_EQ(d.n, 20000);
        ASSERT_TRUE(reallocs <= 12);
        ASSERT_EQ(d.items[19999].line, 20000);
        ASSERT_STREQ(d.items[4711].message, "Unknown key 'K4712', ignoring.");
        diagnostics_clear(&d);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(d.n_allocated, 0);
        ASSERT_OK(diagnostics_add(&d, DIAGNOSTIC_ERROR, EINVAL, NULL, 0, NULL, NULL, NULL, "Again."));
        ASSERT_EQ(d.n, 1);
        diagnostics_clear(&d);
}
