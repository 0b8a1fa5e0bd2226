/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* One layer blob → one directory. A layer is input from strangers: it is read once, as a stream, and every
 * entry is made below the directory fd, one path component at a time with O_NOFOLLOW|O_DIRECTORY, so that no
 * symlink is ever followed, not even one this tar made a moment before. Refused, with the entry named:
 * absolute names, any ".." component (".wh..wh..opq" and "..foo" are names like any other), an entry whose
 * parent is a symlink or not a directory, hardlinks to a path outside the layer, not (yet) in it, or to a
 * directory, sockets, and anything over the limits below.
 *
 * Kept: owners (numeric), modes with setuid/setgid/sticky (set after the owner, which clears them), xattrs
 * (security.capability too: set after the owner, which clears it), device nodes, FIFOs, hardlinks, symlinks
 * (the target text as it is), mtimes (a directory's after everything in it). Not kept: xattrs that are
 * overlayfs's own (trusted.overlay.*, user.overlay.*: a layer must not forge a redirect or an opaque
 * directory other than by a whiteout) and security.selinux (the host's policy labels files, not an image).
 *
 * Whiteouts become overlayfs's own: ".wh.NAME" a 0:0 character device NAME, ".wh..wh..opq" the xattr
 * trusted.overlay.opaque=y on its directory; a missing parent is made 0755 root. The layer's own NAME wins
 * over its ".wh.NAME" in either order; a directory NAME the same layer also whites out (or has entries
 * below) is made opaque (what was below is gone, what this layer has stays). Other ".wh..wh.*" names (AUFS's own) are skipped. An entry
 * listed twice: the later wins (a directory over a directory updates its metadata, anything else replaces).
 *
 * The compression is whatever libarchive recognizes (gzip, zstd, xz, bzip2, or none); the diff_id, the
 * SHA-256 of the uncompressed stream to its last byte (end-of-archive blocks and any padding after them
 * included), is computed on the way. Needs root (owners, devices, trusted.* xattrs). Logs nothing above
 * debug. On failure the directory holds a partial tree: the caller removes it. */

#include <stdint.h>

#include "digest.h"

typedef struct LayerLimits {
        uint64_t max_entries;           /* tar entries, whiteouts included */
        uint64_t max_path_length;       /* bytes of an entry's name, a symlink's or hardlink's target */
        uint64_t max_total_bytes;       /* of the uncompressed stream (all data and headers) */
        uint64_t max_file_bytes;        /* one file's size (its apparent size, holes included) */
        /* uncompressed / compressed bytes, checked once the uncompressed stream is past |ratio_min_bytes|
         * (small layers compress well, tar's zero padding especially): a decompression bomb stops early
         * instead of filling the disk up to max_total_bytes. Real layers are below 10:1; a file of zeros
         * reaches 1,000:1 with gzip and far more with zstd. */
        uint64_t max_ratio;
        uint64_t ratio_min_bytes;
} LayerLimits;

#define LAYER_MAX_ENTRIES_DEFAULT       UINT64_C(1000000)
#define LAYER_MAX_PATH_LENGTH_DEFAULT   UINT64_C(4095)
#define LAYER_MAX_TOTAL_BYTES_DEFAULT   (UINT64_C(64) << 30)    /* 64 GiB */
#define LAYER_MAX_FILE_BYTES_DEFAULT    (UINT64_C(32) << 30)    /* 32 GiB */
#define LAYER_MAX_RATIO_DEFAULT         UINT64_C(1000)
#define LAYER_RATIO_MIN_BYTES_DEFAULT   (UINT64_C(256) << 20)   /* 256 MiB */

#define LAYER_LIMITS_DEFAULT                                            \
        ((LayerLimits) {                                                \
                .max_entries = LAYER_MAX_ENTRIES_DEFAULT,               \
                .max_path_length = LAYER_MAX_PATH_LENGTH_DEFAULT,       \
                .max_total_bytes = LAYER_MAX_TOTAL_BYTES_DEFAULT,       \
                .max_file_bytes = LAYER_MAX_FILE_BYTES_DEFAULT,         \
                .max_ratio = LAYER_MAX_RATIO_DEFAULT,                   \
                .ratio_min_bytes = LAYER_RATIO_MIN_BYTES_DEFAULT,       \
        })

/* Unpacks the layer read from |input_fd| (to its end) into the empty directory |dest_dir_fd| (not O_PATH),
 * with |limits| (NULL: LAYER_LIMITS_DEFAULT). |expected_diff_id| ("sha256:…", may be NULL) is checked
 * against the uncompressed stream; |ret_diff_id| (may be NULL) gets the one computed. Returns 0, or -errno
 * and in *|ret_error| (may be NULL; untouched on success; NULL when out of memory) a sentence naming the
 * entry: -EINVAL an absolute name or a ".." component, -ELOOP an entry below a symlink, -ENOTDIR below
 * something else, -ENOENT a hardlink to a path not in the layer, -EPERM a hardlink to a directory,
 * -EOPNOTSUPP a socket or unknown type, -E2BIG too many entries, -ENAMETOOLONG a name or target over the
 * limit, -EFBIG a file, the stream or the ratio over it, -EBADMSG a corrupt or truncated tar or
 * compressed stream, or a diff_id that differs from the expected one; other errors as the system calls
 * gave them. */
int layer_unpack(
                int input_fd,
                int dest_dir_fd,
                const LayerLimits *limits,
                const char *expected_diff_id,
                char ret_diff_id[DIGEST_STRING_MAX],
                char **ret_error);
