/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the .ctr parser. The input is one .ctr file, loaded through the same entry point
 * "ctrctl validate" uses (container_load_file() on an arbitrary path, here a memfd). Every diagnostic is
 * formatted too, so the message code runs on hostile values.
 *
 * An input that starts with "#!dropins\n" is instead split at every "\n#--\n" into a main file and up to
 * four drop-ins, written to a two-directory search path in a private temporary directory, and loaded with
 * container_enumerate() + container_load_source() and with container_load(), which must agree.
 *
 * Built without libFuzzer (fuzz-main.c), the same function replays the seed corpus as a regression test. */

#include <string.h>
#include <sys/mman.h>

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

static int fuzz_one_file(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        Diagnostics diag = {};
        Container *c = NULL;
        char path[64];

        fd = memfd_create("fuzz.ctr", MFD_CLOEXEC);
        if (fd < 0 || loop_write(fd, data, size) < 0)
                return 0;
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

        (void) container_load_file(path, "fuzz", NULL, &diag, &c);
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
        return fuzz_one_file(data, size);
}
