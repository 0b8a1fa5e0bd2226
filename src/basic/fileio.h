/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include "macro.h"

/* stdio and directory streams closed when the variable goes out of scope. */
DEFINE_TRIVIAL_CLEANUP_FUNC(FILE *, fclose);
DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_closedir_ _cleanup_(closedirp)

/* Reads a whole file (relative to |dir_fd|, AT_FDCWD for the cwd) into a NUL-terminated buffer. Returns
 * -EFBIG when it holds more than |max_size| bytes (checked while reading, so pipes and /proc files work),
 * -EISDIR for a directory. */
int read_full_file_at(int dir_fd, const char *path, size_t max_size, char **ret, size_t *ret_size);

/* A text file a user names in a .ctr (EnvironmentFile=, SeccompProfile=): a regular file (-EISDIR for a
 * directory, -EBADFD for anything else, checked without blocking on a FIFO), at most |max_size| bytes
 * (-EFBIG), without NUL bytes (-EBADMSG). */
int read_text_file(const char *path, size_t max_size, char **ret, size_t *ret_size);
/* The same for an fd the caller opened (with O_NONBLOCK, for the FIFO case). */
int read_text_fd(int fd, size_t max_size, char **ret, size_t *ret_size);

/* The same for an open fd, read from its current position. |st| is the fd's fstat() when the caller has it
 * already (NULL: done here). */
int read_full_fd(int fd, const struct stat *st, size_t max_size, char **ret, size_t *ret_size);

/* Writes |value| to an existing file with one write() (sysctls under /proc/sys want it whole). */
int write_string_file(const char *path, const char *value);

/* Replaces |name| in |dir_fd| (an open directory, not AT_FDCWD) with |data| (mode |mode|) so that a reader, and a crash at any point, sees the
 * old file or the new one whole, never a part: written to a temporary ".NAME.XXXXXX" beside it (a dot file,
 * which the search path ignores), fsync()ed, renamed over |name|, the directory fsync()ed. */
int write_file_atomic_at(int dir_fd, const char *name, const void *data, size_t size, mode_t mode);
/* The same, without the directory's fsync() unless |sync_dir|: a caller replacing many files in one directory
 * syncs it once after the last rename (each file is still old or new whole after a crash; the directory sync
 * only makes the renames durable). */
int write_file_atomic_at_full(int dir_fd, const char *name, const void *data, size_t size, mode_t mode,
                              bool sync_dir);
/* The NAME of such a temporary file (".NAME.XXXXXX"), which a writer killed before its rename leaves behind;
 * NULL when |file| is not one. Points into |file|, |*ret_len| bytes long. */
const char *atomic_temporary_target(const char *file, size_t *ret_len);

/* Opens (creating it, mode 0600) the lock file |path| relative to |dir_fd| and flock()s it with |operation|
 * (LOCK_EX, LOCK_SH, | LOCK_NB), waiting through EINTR. The lock lives as long as *ret_fd. */
int lock_file_at(int dir_fd, const char *path, int operation, int *ret_fd);

/* Reads a directory with getdents64() directly: opendir() and fdopendir() add fstat() and fcntl() calls, which
 * matter when the generator scans 10,000 drop-in directories. Entries "." and ".." are skipped. */
typedef struct DirIter {
        int fd;
        size_t pos, end;
        char buffer[16384] __attribute__((aligned(8)));
} DirIter;

/* Opens |path| relative to |dir_fd|. -ENOENT, -ENOTDIR … as openat(). */
int dir_iter_open(int dir_fd, const char *path, DirIter *it);
/* 1 and the next entry (valid until the next call), 0 at the end, < 0 on error. */
int dir_iter_next(DirIter *it, const struct dirent64 **ret);
void dir_iter_close(DirIter *it);
/* The names in |path| (relative to |dir_fd|), sorted, as a strv (NULL when empty). -ENOENT … as openat(). */
int dir_list_names(int dir_fd, const char *path, char ***ret);
