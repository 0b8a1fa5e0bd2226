/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for layer_unpack() (src/image): any bytes as a layer blob (a tar, compressed or not) are
 * unpacked into a fresh directory DIR/dest; whatever happens, nothing lands outside it: the canary
 * directory beside it (DIR/canary, which the seeds' symlinks and hardlinks aim at) stays empty and without
 * xattrs, DIR holds nothing else, and the working directory during the unpack is the canary, so a path
 * wrongly resolved from it lands there too. A failure always comes with its text. Root gets past the
 * owners; as another user most inputs stop at their first chown. */

#include <sys/mman.h>
#include <sys/xattr.h>

#include "fileio.h"
#include "fuzz-util.h"
#include "layer-unpack.h"
#include "string-util.h"

static bool dir_has_only(const char *path, unsigned n_expected) {
        DirIter it;
        const struct dirent64 *de;
        unsigned n = 0;

        if (dir_iter_open(AT_FDCWD, path, &it) < 0)
                return false;
        while (dir_iter_next(&it, &de) > 0)
                n++;
        dir_iter_close(&it);
        return n == n_expected;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_close_ int in = -EBADF, dest_fd = -EBADF, cwd = -EBADF;
        _cleanup_free_ char *dest = NULL, *canary = NULL, *error = NULL;
        LayerLimits limits = LAYER_LIMITS_DEFAULT;
        const char *dir;
        char diff_id[DIGEST_STRING_MAX];
        int r;

        dir = fuzz_fresh_dir();
        if (!dir)
                return 0;
        dest = strprintf("%s/dest", dir);
        canary = strprintf("%s/canary", dir);
        if (!dest || !canary || mkdir(dest, 0755) < 0 || mkdir(canary, 0755) < 0)
                return 0;
        dest_fd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        in = memfd_create("layer", MFD_CLOEXEC);
        if (dest_fd < 0 || in < 0 || loop_write(in, data, size) < 0 || lseek(in, 0, SEEK_SET) < 0)
                return 0;

        /* small enough that one input stays fast (a bomb stops at a few MiB) */
        limits.max_entries = 4096;
        limits.max_total_bytes = 64U << 20;
        limits.max_file_bytes = 16U << 20;
        limits.ratio_min_bytes = 1U << 20;

        /* the caller's working directory back afterwards (fuzz-main.c reads relative paths) */
        cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        FUZZ_CHECK(cwd >= 0 && chdir(canary) >= 0);
        r = layer_unpack(in, dest_fd, &limits, NULL, diff_id, &error);
        FUZZ_CHECK(fchdir(cwd) >= 0);

        FUZZ_CHECK(r >= 0 || r == -ENOMEM || error);
        FUZZ_CHECK(r < 0 || digest_is_valid(diff_id));
        FUZZ_CHECK(dir_has_only(canary, 0));
        FUZZ_CHECK(listxattr(canary, NULL, 0) <= 0);
        FUZZ_CHECK(dir_has_only(dir, 2));
        return 0;
}
