/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Without libFuzzer: runs LLVMFuzzerTestOneInput() once on every file named on the command line (or every
 * file in a directory), so the seed corpus is a regression test in every build, also under valgrind. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        r = read_full_file_at(AT_FDCWD, path, 16U * 1024U * 1024U, &data, &size);
        if (r < 0) {
                fprintf(stderr, "Failed to read '%s': %s\n", path, strerror(-r));
                return r;
        }
        LLVMFuzzerTestOneInput((const uint8_t *) data, size);
        printf("ok - %s\n", path);
        return 0;
}

int main(int argc, char *argv[]) {
        unsigned n = 0;

        for (int i = 1; i < argc; i++) {
                struct stat st;
                DIR *d;

                if (stat(argv[i], &st) < 0 || !S_ISDIR(st.st_mode)) {
                        if (run_file(argv[i]) < 0)
                                return EXIT_FAILURE;
                        n++;
                        continue;
                }

                d = opendir(argv[i]);
                if (!d)
                        return EXIT_FAILURE;
                for (struct dirent *de; (de = readdir(d));) {
                        char p[4096];

                        if (de->d_name[0] == '.')
                                continue;
                        snprintf(p, sizeof(p), "%s/%s", argv[i], de->d_name);
                        if (run_file(p) < 0) {
                                closedir(d);
                                return EXIT_FAILURE;
                        }
                        n++;
                }
                closedir(d);
        }

        printf("%u passed, 0 failed\n", n);
        return n > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
