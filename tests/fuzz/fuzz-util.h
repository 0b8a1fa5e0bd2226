/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the fuzz targets share: the entry point's prototype, the check that turns a broken property into a
 * finding, the input as a string, and a private directory emptied for every input. Not code under test. */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property of the code under test that does not hold: abort, so libFuzzer keeps the input (crash-*) and
 * the corpus replay fails. */
#define FUZZ_CHECK(e)                                                                           \
        do {                                                                                    \
                if (!(e)) {                                                                     \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #e);   \
                        abort();                                                                \
                }                                                                               \
        } while (0)

/* The input as a C string, up to its first NUL (the parsers under test take strings). NULL when out of
 * memory: the input is then not tried. */
static inline char *fuzz_string(const uint8_t *data, size_t size) {
        return strndup((const char *) data, size);
}

static char *fuzz_dir;

static inline int fuzz_rm_one(const char *p, _unused_ const struct stat *st, int flag, _unused_ struct FTW *ftw) {
        return flag == FTW_DP ? rmdir(p) : unlink(p);
}

static inline void fuzz_dir_remove(void) {
        if (fuzz_dir)
                (void) nftw(fuzz_dir, fuzz_rm_one, 8, FTW_DEPTH | FTW_PHYS);
        fuzz_dir = mfree(fuzz_dir);
}

/* A private directory, empty: made once (removed at exit), emptied for every further input. In /dev/shm
 * where there is one: a target that writes files for every input waits on the disk's metadata otherwise. */
static inline const char *fuzz_fresh_dir(void) {
        if (!fuzz_dir) {
                char t[] = "/dev/shm/ctr-fuzz-XXXXXX";

                if (!mkdtemp(t)) {
                        strcpy(t, "/tmp/ctr-fuzz-XXXXXX");
                        if (!mkdtemp(t))
                                return NULL;
                }
                fuzz_dir = strdup(t);
                if (!fuzz_dir) {
                        (void) rmdir(t);
                        return NULL;
                }
                atexit(fuzz_dir_remove);
                return fuzz_dir;
        }
        (void) nftw(fuzz_dir, fuzz_rm_one, 8, FTW_DEPTH | FTW_PHYS);
        if (mkdir(fuzz_dir, 0700) < 0)
                return NULL;
        return fuzz_dir;
}

static inline int fuzz_write_file(const char *path, const void *data, size_t size) {
        _cleanup_close_ int fd = -EBADF;

        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return -errno;
        return loop_write(fd, data, size);
}
