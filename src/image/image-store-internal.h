/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the store's files share (image-store.c: open, blobs, references, resolve; image-store-layer.c:
 * temporary directories and layers; image-store-prune.c): the struct and the layout's names. Not for
 * callers outside src/image/image-store*.c. */

#include "image-store-layout.h"
#include "image-store.h"


struct ImageStore {
        char *path;             /* STATE/images */
        int fd;                 /* its directory */
};

struct ImageStoreWork {
        ImageStore *store;
        int lock_fd;            /* STATE/images/.lock, flock()ed shared */
        int dir_fd;             /* tmp/NAME, flock()ed exclusive */
        char *name;             /* NAME below tmp/ */
        unsigned counter;       /* for names inside it */
};

/* flock() on STATE/images/.lock (LOCK_SH or LOCK_EX, waiting); the fd to close to release it. */
int image_store_lock(ImageStore *s, int operation, int *ret_fd);
/* Removes tmp/ entries whose owner is gone (their flock() free). */
int image_store_clean_tmp(ImageStore *s);
/* Writes |data| as |dir_fd|/|name| atomically: a temporary name in |w|'s directory, fsync when |sync|,
 * rename. */
int image_store_write_file(ImageStoreWork *w, int dir_fd, const char *name, const void *data, size_t size,
                           bool sync);
/* Disk usage (st_blocks) of |name| below |dir_fd|, a tree walked without following symlinks. */
uint64_t image_store_disk_usage(int dir_fd, const char *name);
