/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What test-layer-unpack.c builds its layers with: tars written by libarchive's writer from a table of
 * entries, compressed as a registry serves them, a digest computed with EVP (not the code under test's
 * sha256.h), and a layer directory with an empty canary directory beside it. Include after test.h. */

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/xattr.h>

#include "buffer.h"
#include "digest.h"
#include "fd-util.h"
#include "fileio.h"
#include "layer-unpack.h"

typedef struct Entry {
        const char *path;
        mode_t type;                    /* AE_IFREG, AE_IFDIR, …; 0 with |link| set: a hardlink */
        mode_t mode;
        unsigned uid, gid;
        const char *data;               /* a regular file's contents */
        size_t size;                    /* of |data|; 0: strlen(data) */
        const char *link;               /* a symlink's or hardlink's target */
        unsigned major, minor;
        const char *xname;              /* one xattr (pax only) */
        const void *xvalue;
        size_t xsize;
        time_t mtime;
} Entry;

#define FILE_(p, d) { .path = (p), .type = AE_IFREG, .mode = 0644, .data = (d) }
#define DIR_(p) { .path = (p), .type = AE_IFDIR, .mode = 0755 }
#define SYMLINK_(p, t) { .path = (p), .type = AE_IFLNK, .mode = 0777, .link = (t) }
#define HARDLINK_(p, t) { .path = (p), .link = (t) }

static la_ssize_t buffer_write_cb(_unused_ struct archive *a, void *userdata, const void *p, size_t n) {
        return buffer_append(userdata, p, n) < 0 ? -1 : (la_ssize_t) n;
}

/* The uncompressed tar of |entries| in |format| (ARCHIVE_FORMAT_TAR_USTAR or _PAX_INTERCHANGE). */
static int make_tar(const Entry *entries, size_t n, int format, Buffer *ret) {
        struct archive *a = archive_write_new();
        int r = -EIO;

        if (!a)
                return -ENOMEM;
        if (archive_write_set_format(a, format) != ARCHIVE_OK ||
            archive_write_open(a, ret, NULL, buffer_write_cb, NULL) != ARCHIVE_OK)
                goto finish;
        for (size_t i = 0; i < n; i++) {
                const Entry *x = &entries[i];
                struct archive_entry *e = archive_entry_new();
                size_t size = x->data ? (x->size ?: strlen(x->data)) : 0;

                archive_entry_set_pathname(e, x->path);
                archive_entry_set_uid(e, x->uid);
                archive_entry_set_gid(e, x->gid);
                archive_entry_set_mtime(e, x->mtime ?: 1600000000, 0);
                if (x->type == 0) {
                        archive_entry_set_filetype(e, AE_IFREG);
                        archive_entry_set_perm(e, 0644);
                        archive_entry_set_hardlink(e, x->link);
                } else {
                        archive_entry_set_filetype(e, x->type);
                        archive_entry_set_perm(e, x->mode);
                        if (x->type == AE_IFLNK)
                                archive_entry_set_symlink(e, x->link);
                        if (x->type == AE_IFCHR || x->type == AE_IFBLK) {
                                archive_entry_set_rdevmajor(e, x->major);
                                archive_entry_set_rdevminor(e, x->minor);
                        }
                        if (x->type == AE_IFREG)
                                archive_entry_set_size(e, (la_int64_t) size);
                }
                if (x->xname)
                        archive_entry_xattr_add_entry(e, x->xname, x->xvalue, x->xsize);
                if (archive_write_header(a, e) != ARCHIVE_OK ||
                    (size > 0 && archive_write_data(a, x->data, size) != (la_ssize_t) size)) {
                        fprintf(stderr, "make_tar: %s\n", archive_error_string(a));
                        archive_entry_free(e);
                        goto finish;
                }
                archive_entry_free(e);
        }
        if (archive_write_close(a) == ARCHIVE_OK)
                r = 0;
finish:
        archive_write_free(a);
        return r;
}

/* |tar| compressed with |filter| (ARCHIVE_FILTER_NONE, _GZIP, _ZSTD, _XZ), as a registry would serve it. */
static int compress_blob(const Buffer *tar, int filter, Buffer *ret) {
        struct archive *a;
        struct archive_entry *e;
        int r = -EIO;

        if (filter == ARCHIVE_FILTER_NONE)
                return buffer_append(ret, tar->data, tar->size);
        a = archive_write_new();
        e = archive_entry_new();
        archive_entry_set_pathname(e, "layer");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_size(e, (la_int64_t) tar->size);
        /* no padding of the compressed stream to 10 KiB blocks: zstd reads zeros after a frame as a bad frame */
        if (archive_write_set_format_raw(a) == ARCHIVE_OK && archive_write_add_filter(a, filter) >= ARCHIVE_WARN &&
            archive_write_set_bytes_in_last_block(a, 1) == ARCHIVE_OK &&
            archive_write_open(a, ret, NULL, buffer_write_cb, NULL) == ARCHIVE_OK &&
            archive_write_header(a, e) == ARCHIVE_OK &&
            archive_write_data(a, tar->data, tar->size) == (la_ssize_t) tar->size &&
            archive_write_close(a) == ARCHIVE_OK)
                r = 0;
        else
                fprintf(stderr, "compress_blob: %s\n", archive_error_string(a));
        archive_entry_free(e);
        archive_write_free(a);
        return r;
}

/* "sha256:<hex>" of |data|, with EVP: not the code under test's sha256.h */
static void evp_digest(const void *data, size_t n, char ret[DIGEST_STRING_MAX]) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len = 0;

        if (EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) != 1 || len != 32)
                abort();
        strcpy(ret, "sha256:");
        for (unsigned i = 0; i < len; i++)
                sprintf(ret + 7 + 2 * i, "%02x", md[i]);
}

/* A layer directory and, beside it, an empty canary directory: T/dest, T/canary. */
typedef struct Fixture {
        char *dir;
        int dest_fd;
        char dest[4096], canary[4096];
} Fixture;

static void fixture_done(Fixture *f) {
        safe_close(f->dest_fd);
        test_tmpdir_cleanup(&f->dir);
}
#define _cleanup_fixture_ _cleanup_(fixture_done)

static int fixture_init(Fixture *f) {
        *f = (Fixture) { .dest_fd = -EBADF };
        f->dir = test_mkdtemp();
        if (!f->dir)
                return -errno;
        snprintf(f->dest, sizeof(f->dest), "%s/dest", f->dir);
        snprintf(f->canary, sizeof(f->canary), "%s/canary", f->dir);
        if (mkdir(f->dest, 0755) < 0 || mkdir(f->canary, 0755) < 0)
                return -errno;
        f->dest_fd = open(f->dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        return f->dest_fd < 0 ? -errno : 0;
}

static int unpack_blob(Fixture *f, const Buffer *blob, const LayerLimits *limits, const char *expected,
                       char ret_diff_id[DIGEST_STRING_MAX], char **ret_error) {
        _cleanup_close_ int fd = memfd_create("layer", MFD_CLOEXEC);
        int r;

        if (fd < 0)
                return -errno;
        r = loop_write(fd, blob->data, blob->size);
        if (r < 0)
                return r;
        if (lseek(fd, 0, SEEK_SET) < 0)
                return -errno;
        return layer_unpack(fd, f->dest_fd, limits, expected, ret_diff_id, ret_error);
}

/* Unpacks |entries| as an uncompressed pax tar. */
static int unpack_entries(Fixture *f, const Entry *entries, size_t n, const LayerLimits *limits, char **ret_error) {
        _cleanup_buffer_ Buffer tar = {};
        int r;

        r = make_tar(entries, n, ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, &tar);
        if (r < 0)
                return r;
        return unpack_blob(f, &tar, limits, NULL, NULL, ret_error);
}

static bool is_root(void) {
        return geteuid() == 0;
}

static int lstat_at(Fixture *f, const char *rel, struct stat *st) {
        return fstatat(f->dest_fd, rel, st, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static ssize_t xattr_at(Fixture *f, const char *rel, const char *name, void *value, size_t size) {
        char p[8192];

        snprintf(p, sizeof(p), "%s/%s", f->dest, rel);
        return lgetxattr(p, name, value, size);
}

static bool dir_is_empty(const char *path) {
        DirIter it;
        const struct dirent64 *de;
        int r;

        if (dir_iter_open(AT_FDCWD, path, &it) < 0)
                return false;
        r = dir_iter_next(&it, &de);
        dir_iter_close(&it);
        return r == 0;
}

/* Nothing escaped: the canary is empty, without xattrs, and T holds dest and canary only. */
static bool nothing_escaped(Fixture *f) {
        DirIter it;
        const struct dirent64 *de;
        unsigned n = 0;

        if (!dir_is_empty(f->canary) || listxattr(f->canary, NULL, 0) > 0)
                return false;
        if (dir_iter_open(AT_FDCWD, f->dir, &it) < 0)
                return false;
        while (dir_iter_next(&it, &de) > 0)
                n++;
        dir_iter_close(&it);
        return n == 2;
}

