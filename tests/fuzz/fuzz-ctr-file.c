/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the .ctr parser. The input is a .ctr file and up to four drop-ins, split at every
 * "\n#--\n", parsed in memory (container_load_texts(): nothing is opened, so the target runs at the parser's
 * own speed). Every diagnostic is formatted too, so the message code runs on hostile values.
 *
 * An input that starts with "#!dropins\n" is instead split at every "\n#--\n" into a main file and up to
 * four drop-ins, written to a two-directory search path in a private temporary directory, and loaded with
 * container_enumerate() + container_load_source() and with container_load(), which must agree.
 *
 * Built without libFuzzer (fuzz-main.c), the same function replays the seed corpus as a regression test. */

#include <string.h>

#include "ctr-file.h"
#include "fuzz-util.h"
#include "strv.h"

static void format_all(Diagnostics *diag) {
        for (size_t i = 0; i < diag->n; i++) {
                char *s = NULL;

                if (diagnostic_format(&diag->items[i], &s) >= 0)
                        free(s);
        }
}

static int fuzz_texts(const uint8_t *data, size_t size) {
        static const char sep[] = "\n#--\n";
        static const char *const names[] = { "/etc/ctr/fuzz.ctr.d/0.conf", "/etc/ctr/fuzz.ctr.d/1.conf",
                                             "/etc/ctr/fuzz.ctr.d/2.conf", "/etc/ctr/fuzz.ctr.d/3.conf" };
        const char *p = (const char *) data, *end = p + size;
        ConfigText texts[5];
        Diagnostics diag = {};
        Container *c = NULL;
        size_t n = 0;

        while (n < ELEMENTSOF(texts)) {
                const char *q = memmem(p, (size_t) (end - p), sep, sizeof(sep) - 1);
                size_t len = q && n + 1 < ELEMENTSOF(texts) ? (size_t) (q - p) : (size_t) (end - p);

                texts[n] = (ConfigText) { n == 0 ? "/etc/ctr/fuzz.ctr" : names[n - 1], p, len };
                n++;
                if (len == (size_t) (end - p))
                        break;
                p += len + sizeof(sep) - 1;
        }

        if (container_load_texts("fuzz", &texts[0], texts + 1, n - 1, &diag, &c) >= 0)
                FUZZ_CHECK(c && c->config && c->config_size > 0);
        format_all(&diag);

        container_free(c);
        diagnostics_clear(&diag);
        return 0;
}

static int fuzz_dropins(const uint8_t *data, size_t size) {
        static const char sep[] = "\n#--\n";
        char dirs[2][512], path[600];
        char *search_path[3] = { dirs[0], dirs[1], NULL };
        const uint8_t *p = data, *end = data + size;
        ContainerSource *s = NULL;
        Diagnostics d1 = {}, d2 = {};
        Container *a = NULL, *b = NULL;
        size_t n = 0;
        const char *base_dir = fuzz_fresh_dir();
        int r1 = 0, r2;

        if (!base_dir)
                return 0;
        for (unsigned i = 0; i < 2; i++) {
                snprintf(dirs[i], sizeof(dirs[i]), "%s/d%u", base_dir, i);
                if (mkdir(dirs[i], 0755) < 0)
                        return 0;
                snprintf(path, sizeof(path), "%s/fuzz.ctr.d", dirs[i]);
                if (mkdir(path, 0755) < 0)
                        return 0;
        }

        /* Piece 0 is the main file in d1 (the lower directory); pieces 1… alternate between the directories
         * with names from a small set, so same-named drop-ins replace each other. */
        for (unsigned i = 0; i < 5 && p <= end; i++) {
                const uint8_t *q = memmem(p, (size_t) (end - p), sep, sizeof(sep) - 1);
                size_t len = q ? (size_t) (q - p) : (size_t) (end - p);

                if (i == 0)
                        snprintf(path, sizeof(path), "%s/fuzz.ctr", dirs[1]);
                else
                        snprintf(path, sizeof(path), "%s/fuzz.ctr.d/%u.conf", dirs[i % 2], i % 3);
                if (len == 4 && memcmp(p, "MASK", 4) == 0) {
                        (void) unlink(path);
                        if (symlink("/dev/null", path) < 0)
                                return 0;
                } else if (fuzz_write_file(path, p, len) < 0)
                        return 0;
                if (!q)
                        break;
                p = q + sizeof(sep) - 1;
        }

        if (container_enumerate_full(search_path, &d1, &s, &n) >= 0 && n > 0)
                r1 = container_load_source(&s[0], &d1, &a);
        r2 = container_load("fuzz", search_path, &d2, &b);
        format_all(&d1);
        format_all(&d2);

        /* The generator (enumerate) and the launcher (load) must never disagree. */
        FUZZ_CHECK(n == 0 || (r1 < 0) == (r2 < 0));
        FUZZ_CHECK(!a || !b || (a->config_size == b->config_size &&
                                memcmp(a->config, b->config, a->config_size) == 0));

        container_free(a);
        container_free(b);
        container_source_free_many(s, n);
        diagnostics_clear(&d1);
        diagnostics_clear(&d2);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char marker[] = "#!dropins\n";

        if (size > CTR_FILE_SIZE_MAX + 1)
                return 0;
        if (size >= sizeof(marker) - 1 && memcmp(data, marker, sizeof(marker) - 1) == 0)
                return fuzz_dropins(data + sizeof(marker) - 1, size - (sizeof(marker) - 1));
        return fuzz_texts(data, size);
}
