/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The store's order of writes against a power cut (image-store-layer.c): an unpacked layer and its size
 * record are on disk (syncfs) before it is renamed into layers/sha256/, since a layer that is there is never
 * unpacked (nor measured) again; a rename that reached the disk before the files' data (ext4 commits its
 * journal every few seconds and on any fsync, and writes data out later) would otherwise leave a layer of
 * empty files after the cut, found whole by every later import. The calls are spied on here: this program's syncfs() and renameat() take the store's
 * calls (a definition in the executable wins over libc's), record them and make the real system calls. A
 * power cut itself is tests/vm/cases/85-powercut.sh's. */

#include <limits.h>
#include <sys/syscall.h>

#include <archive.h>
#include <archive_entry.h>

#include "test.h"

#include "image-import.h"
#include "image-store-layout.h"
#include "image-store.h"
#include "string-util.h"

static struct {
        bool synced;                    /* a syncfs() since the last renameat() */
        unsigned layer_renames;         /* renames of a directory to layers/sha256/HEX */
        unsigned unsynced_renames;      /* …of them, with no syncfs() since the rename before */
        unsigned unsized_renames;       /* …of them, with no HEX.size beside it yet */
} spy;

int syncfs(int fd) {
        spy.synced = true;
        return (int) syscall(SYS_syncfs, fd);
}

int renameat(int old_dir_fd, const char *old_path, int new_dir_fd, const char *new_path) {
        const char *hex = startswith(new_path, STORE_LAYERS "/");

        /* the layer's directory, not its .size or .lock beside it */
        if (hex && !strchr(hex, '.')) {
                char size[PATH_MAX];

                spy.layer_renames++;
                if (!spy.synced)
                        spy.unsynced_renames++;
                snprintf(size, sizeof(size), "%s.size", new_path);
                if (faccessat(new_dir_fd, size, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
                        spy.unsized_renames++;
        }
        spy.synced = false;
        return (int) syscall(SYS_renameat, old_dir_fd, old_path, new_dir_fd, new_path);
}

/* DIR/N.tar (N counting the calls), a root filesystem tarball of etc/flavour = |text|, imported as |name|. */
static int import_rootfs(ImageStore *s, const char *dir, const char *text, const char *name) {
        static unsigned counter;
        _cleanup_free_ char *path = strprintf("%s/%u.tar", dir, counter++), *error = NULL;
        ImageImportOptions o = { .name = name };
        struct archive *a;
        struct archive_entry *e;
        int r;

        if (!path)
                return -ENOMEM;
        a = archive_write_new();
        e = archive_entry_new();
        archive_entry_set_pathname(e, "etc/flavour");
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_size(e, (la_int64_t) strlen(text));
        r = archive_write_set_format_ustar(a) == ARCHIVE_OK && archive_write_open_filename(a, path) == ARCHIVE_OK &&
            archive_write_header(a, e) == ARCHIVE_OK &&
            archive_write_data(a, text, strlen(text)) == (la_ssize_t) strlen(text) &&
            archive_write_close(a) == ARCHIVE_OK ? 0 : -EIO;
        archive_entry_free(e);
        archive_write_free(a);
        if (r < 0)
                return r;
        r = image_import(s, path, &o, NULL, &error);
        if (r < 0)
                fprintf(stderr, "import of %s: %s\n", path, strna(error));
        return r;
}

TEST(layer_synced_before_renamed_into_store) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_image_store_free_ ImageStore *s = NULL;
        _cleanup_free_ char *state = NULL;

        ASSERT_NOT_NULL(dir);
        state = strprintf("%s/state", dir);
        ASSERT_NOT_NULL(state);
        ASSERT_OK(image_store_open(state, true, &s));
        spy = (__typeof__(spy)) {};
        ASSERT_OK(import_rootfs(s, dir, "one", "localhost/one:1"));
        ASSERT_OK(import_rootfs(s, dir, "two", "localhost/two:1"));
        /* the same layer again: present, not unpacked, not renamed */
        ASSERT_OK(import_rootfs(s, dir, "one", "localhost/one:2"));
        ASSERT_EQ(spy.layer_renames, 2u);
        ASSERT_EQ(spy.unsynced_renames, 0u);
        ASSERT_EQ(spy.unsized_renames, 0u);
}
