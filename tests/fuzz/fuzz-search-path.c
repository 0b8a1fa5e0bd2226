/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the search path: the input is a layout of .ctr files and drop-ins over three
 * directories, and container_enumerate() (what the generator uses), container_enumerate_one() and
 * container_load() (what the launcher and ctrctl use) must agree on every name it finds.
 *
 * One input byte per (name, directory) cell: names n00, n01, … in turn, each over d0 (first on the search
 * path), d1, d2; at most 40 names. The byte's low three bits say what the cell holds:
 *   0        nothing
 *   1, 2     NAME.ctr, a valid container
 *   3        NAME.ctr -> /dev/null (masked)
 *   4, 5, 6  the drop-in NAME.ctr.d/W.conf (W = those bits), a [Service] setting
 *   7        NAME.ctr.d/7.conf -> /dev/null (a masked drop-in)
 * bit 3 makes the file's contents invalid (a .ctr without Image=, a drop-in with an unknown section key
 * that rejects); bit 4 makes the file a directory instead. tests/fuzz/corpus/fuzz-search-path/unit-layout
 * is the fixed layout test-ctr-file's enumerate_agrees_with_load used. */

#include <string.h>

#include "ctr-file.h"
#include "fuzz-util.h"
#include "strv.h"

#define NAMES_MAX 40U

static int make_cell(const char *dir, unsigned name, uint8_t b) {
        static const char valid[] = "[Container]\nImage=host\n", invalid[] = "[Container]\n",
                          dropin[] = "[Service]\nRestart=always\n", bad_dropin[] = "[Container]\nImage=\n";
        unsigned what = b & 7;
        bool bad = b & 8, directory = b & 0x10;
        char path[4096];

        if (what == 0)
                return 0;
        if (what <= 3)
                snprintf(path, sizeof(path), "%s/n%02u.ctr", dir, name);
        else {
                snprintf(path, sizeof(path), "%s/n%02u.ctr.d", dir, name);
                if (mkdir(path, 0755) < 0 && errno != EEXIST)
                        return -errno;
                snprintf(path, sizeof(path), "%s/n%02u.ctr.d/%u.conf", dir, name, what);
        }

        if (directory)
                return mkdir(path, 0755) < 0 ? -errno : 0;
        if (what == 3 || what == 7)
                return symlink("/dev/null", path) < 0 ? -errno : 0;
        if (what <= 2)
                return bad ? fuzz_write_file(path, invalid, strlen(invalid)) :
                             fuzz_write_file(path, valid, strlen(valid));
        return bad ? fuzz_write_file(path, bad_dropin, strlen(bad_dropin)) :
                     fuzz_write_file(path, dropin, strlen(dropin));
}

static void check_name(char *const *dirs, const ContainerSource *s) {
        ContainerSource *one = NULL;
        Container *a = NULL, *b = NULL;
        size_t n_one = 0;
        int ra, rb;

        /* the one-name look-up finds what the listing found */
        FUZZ_CHECK(container_enumerate_one(dirs, s->name, &one, &n_one) >= 0);
        FUZZ_CHECK(n_one == 1);
        FUZZ_CHECK(streq(one[0].name, s->name));
        FUZZ_CHECK(!one[0].path == !s->path && (!s->path || streq(one[0].path, s->path)));
        FUZZ_CHECK(strv_equal(one[0].dropins, s->dropins));
        FUZZ_CHECK(one[0].masked == s->masked);
        container_source_free_many(one, n_one);

        /* and loading it either way gives the same answer, from the same drop-ins */
        ra = container_load_source(s, NULL, &a);
        rb = container_load(s->name, dirs, NULL, &b);
        FUZZ_CHECK(ra == rb);
        if (ra >= 0) {
                FUZZ_CHECK(strv_equal(s->dropins, b->dropin_paths));
                FUZZ_CHECK(strv_equal(a->dropin_paths, b->dropin_paths));
                FUZZ_CHECK(a->config_size == b->config_size && memcmp(a->config, b->config, a->config_size) == 0);
        }
        container_free(a);
        container_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char dirs_buf[3][512], *dirs[4] = { dirs_buf[0], dirs_buf[1], dirs_buf[2], NULL };
        ContainerSource *s = NULL;
        const char *base;
        size_t n = 0;

        base = fuzz_fresh_dir();
        if (!base)
                return 0;
        for (unsigned d = 0; d < 3; d++) {
                snprintf(dirs_buf[d], sizeof(dirs_buf[d]), "%s/d%u", base, d);
                if (mkdir(dirs_buf[d], 0755) < 0)
                        return 0;
        }
        for (size_t k = 0; k < size && k < NAMES_MAX * 3; k++)
                if (make_cell(dirs[k % 3], (unsigned) (k / 3), data[k]) < 0)
                        return 0;

        FUZZ_CHECK(container_enumerate(dirs, &s, &n) >= 0);
        for (size_t i = 0; i < n; i++) {
                /* sorted, each name once */
                FUZZ_CHECK(i == 0 || strcmp(s[i - 1].name, s[i].name) < 0);
                check_name(dirs, &s[i]);
        }
        container_source_free_many(s, n);
        return 0;
}
