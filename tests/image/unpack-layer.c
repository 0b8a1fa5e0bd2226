/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* unpack-layer BLOB DEST [EXPECTED-DIFF-ID]: layer_unpack() of one layer blob (any compression) into the
 * existing empty directory DEST; prints the diff_id. For the comparison with other tools (run-unpack-compare);
 * not installed. Exit 0, or 1 with the error on stderr. */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layer-unpack.h"
#include "macro.h"

int main(int argc, char *argv[]) {
        _cleanup_close_ int in = -EBADF, dest = -EBADF;
        _cleanup_free_ char *error = NULL;
        char diff_id[DIGEST_STRING_MAX];
        int r;

        if (argc < 3 || argc > 4) {
                fprintf(stderr, "usage: %s BLOB DEST [EXPECTED-DIFF-ID]\n", program_invocation_short_name);
                return 2;
        }
        in = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (in < 0) {
                fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
                return 1;
        }
        dest = open(argv[2], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dest < 0) {
                fprintf(stderr, "%s: %s\n", argv[2], strerror(errno));
                return 1;
        }
        r = layer_unpack(in, dest, NULL, argc > 3 ? argv[3] : NULL, diff_id, &error);
        if (r < 0) {
                fprintf(stderr, "layer %s: %s (%s)\n", argv[1], strna(error), strerror(-r));
                return 1;
        }
        printf("%s\n", diff_id);
        return 0;
}
