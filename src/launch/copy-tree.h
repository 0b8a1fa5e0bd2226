/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Copying a tree of files from one directory fd into another, never following a symlink: the host's /etc
 * files an Image=host root gets (rootfs.c), and what an image has at a volume's path into that volume on
 * its first use (mount-setup.c), as Docker fills a new anonymous volume. Regular files, symlinks (as they
 * are) and directories; anything else (devices, FIFOs, sockets) is skipped, and never opened. */

#include <stdbool.h>
#include <stdint.h>

typedef struct CopyTreeOptions {
        unsigned max_depth;             /* deeper: -ELOOP */
        unsigned max_entries;           /* more: -E2BIG */
        uint64_t max_file_size;         /* a larger file: -EFBIG */
        bool preserve_owner;            /* owners (and, after them, setuid/setgid modes) as in the source */
} CopyTreeOptions;

/* Copies the entries of directory |from| into directory |to_dir| (existing directories are merged into). */
int copy_tree_fd(int from, int to_dir, const CopyTreeOptions *o);

/* Copies the open regular file |from| (with |st|, its fstat()) to |name| below |to_dir|, replacing what is
 * there, with st's mode (and owner, o->preserve_owner). */
int copy_file_fd(int from, const struct stat *st, int to_dir, const char *name, const CopyTreeOptions *o);
