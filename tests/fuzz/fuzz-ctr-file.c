/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the .ctr parser: the input is one .ctr file, loaded through the same entry point
 * "ctrctl validate" uses (container_load_file() on an arbitrary path, here a memfd). Every diagnostic is
 * formatted too, so the message code runs on hostile values. Built without libFuzzer (fuzz-main.c), the
 * same function replays the seed corpus as a regression test. */

#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ctr-file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = -EBADF;
        Diagnostics diag = {};
        Container *c = NULL;
        char path[64];
        size_t done = 0;

        if (size > CTR_FILE_SIZE_MAX + 1)
                return 0;

        fd = memfd_create("fuzz.ctr", MFD_CLOEXEC);
        if (fd < 0)
                return 0;
        while (done < size) {
                ssize_t k = write(fd, data + done, size - done);
                if (k <= 0)
                        return 0;
                done += (size_t) k;
        }
        snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

        (void) container_load_file(path, "fuzz", NULL, &diag, &c);

        for (size_t i = 0; i < diag.n; i++) {
                char *s = NULL;

                if (diagnostic_format(&diag.items[i], &s) >= 0)
                        free(s);
        }

        container_free(c);
        diagnostics_clear(&diag);
        return 0;
}
