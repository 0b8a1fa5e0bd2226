/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* layer_unpack(): tars made here with libarchive's writer (ustar and pax; none, gzip, zstd, xz) unpack with
 * every entry type and its metadata, whiteouts and opaque directories in either order, duplicates; every
 * hostile entry is refused with its name and nothing appears outside the layer (a canary directory beside
 * it stays empty, absolute targets are checked where they would land); the limits hold; the diff_id is the
 * SHA-256 of the uncompressed tar, computed here with OpenSSL's EVP directly. Root: owners, device nodes and
 * trusted.* xattrs need it. */

#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "test.h"
#include "test-layer-util.h"

/* vfs_cap_data revision 2, effective, permitted CAP_NET_BIND_SERVICE */
static const uint8_t capability[20] = { 0x01, 0x00, 0x00, 0x02, 0x00, 0x04 };

static void check_round_trip(int format, int filter) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_buffer_ Buffer tar = {}, blob = {};
        _cleanup_free_ char *big = NULL, *err = NULL, *data = NULL;
        char diff_id[DIGEST_STRING_MAX], want[DIGEST_STRING_MAX], buf[64];
        bool pax = format == ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE;
        struct stat st, st2;
        size_t size;
        ssize_t n;
        int r;

        big = malloc(300000);
        ASSERT_NOT_NULL(big);
        for (size_t i = 0; i < 300000; i++)
                big[i] = (char) ('a' + (i * 7) % 26);

        const Entry entries[] = {
                { .path = "./", .type = AE_IFDIR, .mode = 0711, .mtime = 1000 },
                { .path = "d/", .type = AE_IFDIR, .mode = 0750, .uid = 1000, .gid = 1001, .mtime = 1000000 },
                { .path = "d/f", .type = AE_IFREG, .mode = 04755, .data = "hello\n", .mtime = 2000000,
                  .xname = "security.capability", .xvalue = capability, .xsize = sizeof(capability) },
                { .path = "d/g", .type = AE_IFREG, .mode = 02711, .uid = 1000, .gid = 1000, .data = "g",
                  .xname = "user.test", .xvalue = "value", .xsize = 5 },
                { .path = "d/big", .type = AE_IFREG, .mode = 0600, .uid = 7, .gid = 8, .data = big, .size = 300000 },
                { .path = "tmp", .type = AE_IFDIR, .mode = 01777, .mtime = 3000000 },
                { .path = "d/l", .type = AE_IFLNK, .mode = 0777, .uid = 1000, .gid = 1000,
                  .link = "../etc/../../target", .mtime = 4000000 },
                { .path = "d/abs", .type = AE_IFLNK, .mode = 0777, .link = "/etc/passwd" },
                { .path = "d/h", .link = "d/f" },
                { .path = "dev/null", .type = AE_IFCHR, .mode = 0666, .major = 1, .minor = 3 },
                { .path = "dev/loop0", .type = AE_IFBLK, .mode = 0660, .gid = 6, .major = 7, .minor = 0 },
                { .path = "p", .type = AE_IFIFO, .mode = 0640, .uid = 5, .mtime = 5000000 },
                { .path = "..foo", .type = AE_IFREG, .mode = 0644, .data = "dots" },
                { .path = "e", .type = AE_IFDIR, .mode = 0755, .xname = "user.dir", .xvalue = "x", .xsize = 1 },
        };
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(make_tar(entries, ELEMENTSOF(entries), format, &tar));
        ASSERT_OK(compress_blob(&tar, filter, &blob));
        if (filter != ARCHIVE_FILTER_NONE)
                ASSERT_TRUE(blob.size < tar.size);
        r = unpack_blob(&f, &blob, NULL, NULL, diff_id, &err);
        if (r < 0)
                TEST_FAIL("unpack: %s: %s", strerror(-r), strna(err));
        evp_digest(tar.data, tar.size, want);
        ASSERT_STREQ(diff_id, want);

        ASSERT_OK(fstat(f.dest_fd, &st));
        ASSERT_EQ(st.st_mode & 07777, 0711);
        ASSERT_EQ(st.st_mtim.tv_sec, 1000);

        ASSERT_OK(lstat_at(&f, "d", &st));
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0750);
        ASSERT_EQ(st.st_uid, 1000);
        ASSERT_EQ(st.st_gid, 1001);
        ASSERT_EQ(st.st_mtim.tv_sec, 1000000);         /* set after its contents were made */

        ASSERT_OK(lstat_at(&f, "d/f", &st));
        ASSERT_TRUE(S_ISREG(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 04755);          /* setuid survives the chown */
        ASSERT_EQ(st.st_uid, 0);
        ASSERT_EQ(st.st_size, 6);
        ASSERT_EQ(st.st_mtim.tv_sec, 2000000);
        ASSERT_EQ(st.st_nlink, 2);
        ASSERT_OK(lstat_at(&f, "d/h", &st2));
        ASSERT_EQ(st2.st_ino, st.st_ino);
        ASSERT_OK(read_full_file_at(f.dest_fd, "d/f", 100, &data, &size));
        ASSERT_STREQ(data, "hello\n");
        data = mfree(data);

        ASSERT_OK(lstat_at(&f, "d/g", &st));
        ASSERT_EQ(st.st_mode & 07777, 02711);
        ASSERT_EQ(st.st_uid, 1000);
        ASSERT_EQ(st.st_gid, 1000);

        ASSERT_OK(lstat_at(&f, "d/big", &st));
        ASSERT_EQ(st.st_size, 300000);
        ASSERT_EQ(st.st_mode & 07777, 0600);
        ASSERT_EQ(st.st_uid, 7);
        ASSERT_EQ(st.st_gid, 8);
        ASSERT_OK(read_full_file_at(f.dest_fd, "d/big", 400000, &data, &size));
        ASSERT_EQ(size, 300000);
        ASSERT_TRUE(memcmp(data, big, size) == 0);

        ASSERT_OK(lstat_at(&f, "tmp", &st));
        ASSERT_EQ(st.st_mode & 07777, 01777);
        ASSERT_EQ(st.st_mtim.tv_sec, 3000000);

        ASSERT_OK(lstat_at(&f, "d/l", &st));
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_EQ(st.st_uid, 1000);
        ASSERT_EQ(st.st_mtim.tv_sec, 4000000);
        n = readlinkat(f.dest_fd, "d/l", buf, sizeof(buf) - 1);
        ASSERT_TRUE(n > 0);
        buf[n] = '\0';
        ASSERT_STREQ(buf, "../etc/../../target");  /* the text as it is */
        n = readlinkat(f.dest_fd, "d/abs", buf, sizeof(buf) - 1);
        ASSERT_TRUE(n > 0);
        buf[n] = '\0';
        ASSERT_STREQ(buf, "/etc/passwd");

        ASSERT_OK(lstat_at(&f, "dev/null", &st));
        ASSERT_TRUE(S_ISCHR(st.st_mode));
        ASSERT_EQ(st.st_rdev, makedev(1, 3));
        ASSERT_EQ(st.st_mode & 07777, 0666);
        ASSERT_OK(lstat_at(&f, "dev/loop0", &st));
        ASSERT_TRUE(S_ISBLK(st.st_mode));
        ASSERT_EQ(st.st_rdev, makedev(7, 0));
        ASSERT_EQ(st.st_gid, 6);
        ASSERT_EQ(st.st_mode & 07777, 0660);
        ASSERT_OK(lstat_at(&f, "dev", &st));            /* not in the tar: made 0755 root */
        ASSERT_EQ(st.st_mode & 07777, 0755);
        ASSERT_EQ(st.st_uid, 0);

        ASSERT_OK(lstat_at(&f, "p", &st));
        ASSERT_TRUE(S_ISFIFO(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0640);
        ASSERT_EQ(st.st_uid, 5);
        ASSERT_EQ(st.st_mtim.tv_sec, 5000000);
        ASSERT_OK(lstat_at(&f, "..foo", &st));

        if (pax) {
                uint8_t cap[64];

                n = xattr_at(&f, "d/f", "security.capability", cap, sizeof(cap));
                ASSERT_EQ(n, (ssize_t) sizeof(capability));
                ASSERT_TRUE(memcmp(cap, capability, sizeof(capability)) == 0);
                n = xattr_at(&f, "d/g", "user.test", buf, sizeof(buf));
                ASSERT_EQ(n, 5);
                ASSERT_TRUE(memcmp(buf, "value", 5) == 0);
                ASSERT_EQ(xattr_at(&f, "e", "user.dir", buf, sizeof(buf)), 1);
        }
        ASSERT_TRUE(nothing_escaped(&f));
}

TEST(round_trip_ustar_none) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes)");
        check_round_trip(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE);
}

TEST(round_trip_ustar_gzip) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes)");
        check_round_trip(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP);
}

TEST(round_trip_pax_none) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes, security.capability)");
        check_round_trip(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_NONE);
}

TEST(round_trip_pax_gzip) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes, security.capability)");
        check_round_trip(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_GZIP);
}

TEST(round_trip_pax_zstd) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes, security.capability)");
        check_round_trip(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_ZSTD);
}

TEST(round_trip_pax_xz) {
        if (!is_root())
                TEST_SKIP("needs root (owners, device nodes, security.capability)");
        check_round_trip(ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, ARCHIVE_FILTER_XZ);
}

static bool is_whiteout(Fixture *f, const char *rel) {
        struct stat st;

        return lstat_at(f, rel, &st) >= 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0) &&
                st.st_uid == 0 && st.st_gid == 0;
}

static bool is_opaque(Fixture *f, const char *rel) {
        char v[8];

        return xattr_at(f, rel, "trusted.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y';
}

static bool is_regular(Fixture *f, const char *rel) {
        struct stat st;

        return lstat_at(f, rel, &st) >= 0 && S_ISREG(st.st_mode);
}

TEST(whiteouts_before_entries) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL;
        struct stat st;
        const Entry entries[] = {
                FILE_(".wh.gone", ""),
                FILE_("d/.wh..wh..opq", ""),
                FILE_("d/keep", "k"),
                FILE_(".wh.mine", ""),
                FILE_("mine", "m"),
                FILE_(".wh.dir", ""),
                DIR_("dir"),
                FILE_("dir/a", "a"),
                FILE_("x/y/.wh.z", ""),          /* parents absent from the tar */
                FILE_(".wh..wh.plnk", ""),       /* AUFS metadata: skipped */
                FILE_(".wh.w", ""),
                FILE_("w/x", "x"),               /* below a whiteout, the directory itself not listed */
        };

        if (!is_root())
                TEST_SKIP("needs root (whiteouts are device nodes, opaque is a trusted.* xattr)");
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(unpack_entries(&f, entries, ELEMENTSOF(entries), NULL, &err));
        ASSERT_TRUE(is_whiteout(&f, "gone"));
        ASSERT_TRUE(is_opaque(&f, "d"));
        ASSERT_TRUE(is_regular(&f, "d/keep"));
        ASSERT_TRUE(is_regular(&f, "mine"));             /* its own entry wins */
        ASSERT_OK(lstat_at(&f, "dir", &st));
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_TRUE(is_opaque(&f, "dir"));               /* deleted below, made again here */
        ASSERT_TRUE(is_regular(&f, "dir/a"));
        ASSERT_TRUE(is_whiteout(&f, "x/y/z"));
        ASSERT_OK(lstat_at(&f, "x/y", &st));
        ASSERT_EQ(st.st_mode & 07777, 0755);
        ASSERT_EQ(st.st_uid, 0);
        ASSERT_ERROR(lstat_at(&f, ".wh..wh.plnk", &st), ENOENT);
        ASSERT_ERROR(lstat_at(&f, "plnk", &st), ENOENT);
        ASSERT_ERROR(lstat_at(&f, ".wh.gone", &st), ENOENT);
        ASSERT_FALSE(is_opaque(&f, "x"));
        ASSERT_OK(lstat_at(&f, "w", &st));
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_EQ(st.st_mode & 07777, 0755);
        ASSERT_TRUE(is_opaque(&f, "w"));
        ASSERT_TRUE(is_regular(&f, "w/x"));
}

TEST(whiteouts_after_entries) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL;
        struct stat st;
        const Entry entries[] = {
                FILE_("d/keep", "k"),
                FILE_("d/.wh..wh..opq", ""),
                FILE_("mine", "m"),
                FILE_(".wh.mine", ""),
                DIR_("dir"),
                FILE_("dir/a", "a"),
                FILE_(".wh.dir", ""),
                FILE_(".wh.gone", ""),
        };

        if (!is_root())
                TEST_SKIP("needs root (whiteouts are device nodes, opaque is a trusted.* xattr)");
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(unpack_entries(&f, entries, ELEMENTSOF(entries), NULL, &err));
        ASSERT_TRUE(is_opaque(&f, "d"));
        ASSERT_TRUE(is_regular(&f, "d/keep"));
        ASSERT_TRUE(is_regular(&f, "mine"));
        ASSERT_OK(lstat_at(&f, "dir", &st));
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_TRUE(is_opaque(&f, "dir"));
        ASSERT_TRUE(is_regular(&f, "dir/a"));
        ASSERT_TRUE(is_whiteout(&f, "gone"));
}

TEST(overlay_xattrs_in_the_tar_are_dropped) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL;
        const Entry entries[] = {
                { .path = "d", .type = AE_IFDIR, .mode = 0755,
                  .xname = "trusted.overlay.opaque", .xvalue = "y", .xsize = 1 },
                { .path = "f", .type = AE_IFREG, .mode = 0644, .data = "x",
                  .xname = "trusted.overlay.redirect", .xvalue = "/etc", .xsize = 4 },
        };
        char v[16];

        if (!is_root())
                TEST_SKIP("needs root (trusted.* xattrs)");
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(unpack_entries(&f, entries, ELEMENTSOF(entries), NULL, &err));
        ASSERT_FALSE(is_opaque(&f, "d"));
        ASSERT_TRUE(xattr_at(&f, "f", "trusted.overlay.redirect", v, sizeof(v)) < 0);
}

TEST(duplicates_the_later_wins) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL, *data = NULL;
        struct stat st;
        size_t size;
        const Entry entries[] = {
                FILE_("f", "one"),
                FILE_("f", "two"),
                { .path = "d", .type = AE_IFDIR, .mode = 0700 },
                FILE_("d/a", "a"),
                { .path = "d", .type = AE_IFDIR, .mode = 0751, .uid = 3 },
                DIR_("x"),
                DIR_("x/sub"),
                FILE_("x/sub/a", "a"),
                FILE_("x", "now a file"),
                SYMLINK_("s", "d"),
                DIR_("s"),
                FILE_("s/in", "in"),
                FILE_("t", "t"),
                SYMLINK_("t", "f"),
        };

        if (!is_root())
                TEST_SKIP("needs root (owners)");
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(unpack_entries(&f, entries, ELEMENTSOF(entries), NULL, &err));
        ASSERT_OK(read_full_file_at(f.dest_fd, "f", 100, &data, &size));
        ASSERT_STREQ(data, "two");
        ASSERT_OK(lstat_at(&f, "d", &st));
        ASSERT_EQ(st.st_mode & 07777, 0751);
        ASSERT_EQ(st.st_uid, 3);
        ASSERT_TRUE(is_regular(&f, "d/a"));
        ASSERT_TRUE(is_regular(&f, "x"));
        ASSERT_OK(lstat_at(&f, "s", &st));
        ASSERT_TRUE(S_ISDIR(st.st_mode));
        ASSERT_TRUE(is_regular(&f, "s/in"));
        ASSERT_FALSE(is_regular(&f, "d/in"));
        ASSERT_OK(lstat_at(&f, "t", &st));
        ASSERT_TRUE(S_ISLNK(st.st_mode));
        ASSERT_TRUE(nothing_escaped(&f));
}

/* |entries| must be refused with |error|, the text naming |named|, and nothing may appear outside. */
static void check_refused(const Entry *entries, size_t n, int error, const char *named, const char *outside) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL;
        struct stat st;

        ASSERT_OK(fixture_init(&f));
        ASSERT_ERROR(unpack_entries(&f, entries, n, NULL, &err), error);
        ASSERT_NOT_NULL(err);
        if (!strstr(err, named))
                TEST_FAIL("error '%s' does not name '%s'", err, named);
        ASSERT_TRUE(nothing_escaped(&f));
        if (outside) {
                char p[4096];

                /* where it would have landed: beside T, or an absolute path */
                if (outside[0] == '/')
                        snprintf(p, sizeof(p), "%s", outside);
                else
                        snprintf(p, sizeof(p), "%s/%s", f.dir, outside);
                ASSERT_TRUE(lstat(p, &st) < 0 && errno == ENOENT);
        }
}

static char abs_name[64];

__attribute__((constructor)) static void abs_name_init(void) {
        snprintf(abs_name, sizeof(abs_name), "/ctr-test-layer-escape-%i", (int) getpid());
}

TEST(refused_dotdot_and_absolute) {
        const Entry dotdot[] = { FILE_("../x", "x") };
        const Entry deep[] = { DIR_("a"), FILE_("a/../../x", "x") };
        const Entry abs[] = { FILE_(abs_name, "x") };
        const Entry dotdot_dir[] = { DIR_("a/.."), };
        const Entry whiteout_dotdot[] = { FILE_("a/.wh...", "") };

        if (!is_root())
                TEST_SKIP("needs root");
        check_refused(dotdot, ELEMENTSOF(dotdot), EINVAL, "../x", "x");
        check_refused(deep, ELEMENTSOF(deep), EINVAL, "a/../../x", "x");
        check_refused(abs, ELEMENTSOF(abs), EINVAL, abs_name, abs_name);
        check_refused(dotdot_dir, ELEMENTSOF(dotdot_dir), EINVAL, "a/..", NULL);
        check_refused(whiteout_dotdot, ELEMENTSOF(whiteout_dotdot), EINVAL, "a/.wh...", NULL);
}

TEST(refused_through_symlinks) {
        char through_root[128];
        const Entry to_root[] = { SYMLINK_("l", "/"), FILE_(through_root, "x") };
        const Entry to_parent[] = { SYMLINK_("l", ".."), FILE_("l/x", "x") };
        const Entry to_canary[] = { SYMLINK_("l", "../canary"), FILE_("l/x", "x") };
        const Entry dir_under[] = { SYMLINK_("l", "../canary"), DIR_("l/sub") };
        const Entry deep_link[] = { DIR_("d"), SYMLINK_("d/l", "../../canary"), FILE_("d/l/x", "x") };
        const Entry relinked[] = { DIR_("l"), FILE_("l/a", "a"), SYMLINK_("l", "../canary"), FILE_("l/x", "x") };
        const Entry node_under[] = { SYMLINK_("l", "../canary"),
                                     { .path = "l/null", .type = AE_IFCHR, .mode = 0666, .major = 1, .minor = 3 } };
        const Entry fifo_under[] = { SYMLINK_("l", "../canary"), { .path = "l/p", .type = AE_IFIFO, .mode = 0644 } };
        const Entry xattr_under[] = { SYMLINK_("l", "../canary"),
                                      { .path = "l/x", .type = AE_IFREG, .mode = 0644, .data = "x",
                                        .xname = "user.x", .xvalue = "1", .xsize = 1 } };
        const Entry link_under[] = { FILE_("f", "f"), SYMLINK_("l", "../canary"), HARDLINK_("l/h", "f") };
        const Entry symlink_under[] = { SYMLINK_("l", "../canary"), SYMLINK_("l/s", "/") };
        const Entry whiteout_under[] = { SYMLINK_("l", "../canary"), FILE_("l/.wh.x", "") };
        const Entry opaque_under[] = { SYMLINK_("l", "../canary"), FILE_("l/.wh..wh..opq", "") };
        const Entry not_dir[] = { FILE_("f", "f"), FILE_("f/x", "x") };

        if (!is_root())
                TEST_SKIP("needs root");
        snprintf(through_root, sizeof(through_root), "l%s", abs_name);
        check_refused(to_root, ELEMENTSOF(to_root), ELOOP, through_root, abs_name);
        check_refused(to_parent, ELEMENTSOF(to_parent), ELOOP, "l/x", "x");
        check_refused(to_canary, ELEMENTSOF(to_canary), ELOOP, "l/x", NULL);
        check_refused(dir_under, ELEMENTSOF(dir_under), ELOOP, "l/sub", NULL);
        check_refused(deep_link, ELEMENTSOF(deep_link), ELOOP, "d/l/x", NULL);
        check_refused(relinked, ELEMENTSOF(relinked), ELOOP, "l/x", NULL);
        check_refused(node_under, ELEMENTSOF(node_under), ELOOP, "l/null", NULL);
        check_refused(fifo_under, ELEMENTSOF(fifo_under), ELOOP, "l/p", NULL);
        check_refused(xattr_under, ELEMENTSOF(xattr_under), ELOOP, "l/x", NULL);
        check_refused(link_under, ELEMENTSOF(link_under), ELOOP, "l/h", NULL);
        check_refused(symlink_under, ELEMENTSOF(symlink_under), ELOOP, "l/s", NULL);
        check_refused(whiteout_under, ELEMENTSOF(whiteout_under), ELOOP, "l/.wh.x", NULL);
        check_refused(opaque_under, ELEMENTSOF(opaque_under), ELOOP, "l/.wh..wh..opq", NULL);
        check_refused(not_dir, ELEMENTSOF(not_dir), ENOTDIR, "f/x", NULL);
}

TEST(refused_hardlinks) {
        const Entry out[] = { HARDLINK_("h", "../../etc/passwd") };
        const Entry abs[] = { HARDLINK_("h", "/etc/passwd") };
        const Entry later[] = { HARDLINK_("h", "later"), FILE_("later", "x") };
        const Entry to_dir[] = { DIR_("d"), HARDLINK_("h", "d") };
        const Entry via_symlink[] = { SYMLINK_("l", "/etc"), HARDLINK_("h", "l/passwd") };
        const Entry via_symlink2[] = { SYMLINK_("l", "../canary"), HARDLINK_("h", "l/x") };
        struct stat before, after;

        if (!is_root())
                TEST_SKIP("needs root");
        ASSERT_OK(stat("/etc/passwd", &before) < 0 ? -errno : 0);
        check_refused(out, ELEMENTSOF(out), EINVAL, "../../etc/passwd", NULL);
        check_refused(abs, ELEMENTSOF(abs), EINVAL, "/etc/passwd", NULL);
        check_refused(later, ELEMENTSOF(later), ENOENT, "later", NULL);
        check_refused(to_dir, ELEMENTSOF(to_dir), EPERM, "'h'", NULL);
        check_refused(via_symlink, ELEMENTSOF(via_symlink), ELOOP, "l", NULL);
        check_refused(via_symlink2, ELEMENTSOF(via_symlink2), ELOOP, "l", NULL);
        ASSERT_OK(stat("/etc/passwd", &after) < 0 ? -errno : 0);
        ASSERT_EQ(after.st_nlink, before.st_nlink);
}

TEST(limits) {
        _cleanup_free_ char *big = NULL;
        const Entry five[] = { FILE_("a", "a"), FILE_("b", "b"), FILE_("c", "c"), FILE_("d", "d"), FILE_("e", "e") };
        const Entry long_name[] = { FILE_("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "x") };
        const Entry long_link[] = { SYMLINK_("s", "tttttttttttttttttttttttttttttttt") };
        LayerLimits l;

        if (!is_root())
                TEST_SKIP("needs root");
        big = calloc(1, 20000);
        ASSERT_NOT_NULL(big);
        const Entry large[] = { { .path = "big", .type = AE_IFREG, .mode = 0644, .data = big, .size = 20000 } };

        ASSERT_TRUE(LAYER_LIMITS_DEFAULT.max_entries == LAYER_MAX_ENTRIES_DEFAULT);
        for (int i = 0; i < 6; i++) {
                _cleanup_fixture_ Fixture f = {};
                _cleanup_free_ char *err = NULL;
                const Entry *e;
                size_t n;
                int want;
                const char *text;

                l = LAYER_LIMITS_DEFAULT;
                switch (i) {
                case 0:
                        /* the limit itself passes */
                        l.max_entries = 5, e = five, n = ELEMENTSOF(five), want = 0, text = NULL;
                        break;
                case 1:
                        l.max_entries = 4, e = five, n = ELEMENTSOF(five), want = E2BIG, text = "entries";
                        break;
                case 2:
                        l.max_path_length = 16, e = long_name, n = 1, want = ENAMETOOLONG, text = "limit";
                        break;
                case 3:
                        l.max_path_length = 16, e = long_link, n = 1, want = ENAMETOOLONG, text = "target";
                        break;
                case 4:
                        l.max_file_bytes = 19999, e = large, n = 1, want = EFBIG, text = "limit";
                        break;
                default:
                        l.max_total_bytes = 16384, e = large, n = 1, want = EFBIG, text = "uncompressed";
                        break;
                }
                ASSERT_OK(fixture_init(&f));
                if (want == 0) {
                        ASSERT_OK(unpack_entries(&f, e, n, &l, &err));
                        continue;
                }
                ASSERT_ERROR(unpack_entries(&f, e, n, &l, &err), want);
                ASSERT_NOT_NULL(err);
                if (!strstr(err, text))
                        TEST_FAIL("case %i: '%s' does not say '%s'", i, err, text);
        }
}

TEST(decompression_bomb) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_buffer_ Buffer tar = {}, blob = {};
        _cleanup_free_ char *zeros = NULL, *err = NULL;
        const size_t size = 64U << 20;
        LayerLimits l = LAYER_LIMITS_DEFAULT;
        struct stat st;

        if (!is_root())
                TEST_SKIP("needs root");
        zeros = calloc(1, size);
        ASSERT_NOT_NULL(zeros);
        const Entry entries[] = { { .path = "zeros", .type = AE_IFREG, .mode = 0644, .data = zeros, .size = size } };
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(make_tar(entries, 1, ARCHIVE_FORMAT_TAR_USTAR, &tar));
        ASSERT_OK(compress_blob(&tar, ARCHIVE_FILTER_GZIP, &blob));
        ASSERT_TRUE(blob.size < size / 500);

        l.ratio_min_bytes = 1U << 20;
        l.max_ratio = 100;
        ASSERT_ERROR(unpack_blob(&f, &blob, &l, NULL, NULL, &err), EFBIG);
        ASSERT_NOT_NULL(err);
        ASSERT_TRUE(strstr(err, "ratio"));
        /* stopped early: a few MiB at most were written */
        ASSERT_OK(lstat_at(&f, "zeros", &st));
        ASSERT_TRUE(st.st_size < 8 << 20);

        /* the same blob within a ratio that allows it unpacks */
        err = mfree(err);
        fixture_done(&f);
        ASSERT_OK(fixture_init(&f));
        l.max_ratio = 2000;
        ASSERT_OK(unpack_blob(&f, &blob, &l, NULL, NULL, &err));
        ASSERT_OK(lstat_at(&f, "zeros", &st));
        ASSERT_EQ(st.st_size, (off_t) size);
}

static void check_diff_id(int filter) {
        _cleanup_fixture_ Fixture f = {};
        _cleanup_buffer_ Buffer tar = {}, blob = {};
        _cleanup_free_ char *err = NULL, *zeros = NULL;
        char diff_id[DIGEST_STRING_MAX], want[DIGEST_STRING_MAX], wrong[DIGEST_STRING_MAX];
        const Entry entries[] = { DIR_("etc"), FILE_("etc/hostname", "layer\n") };

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(make_tar(entries, ELEMENTSOF(entries), ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE, &tar));
        /* bytes after the end-of-archive blocks are part of the stream, and of its digest: more than the
         * tar reader reads ahead */
        zeros = calloc(1, 1U << 20);
        ASSERT_NOT_NULL(zeros);
        ASSERT_OK(buffer_append(&tar, zeros, 1U << 20));
        evp_digest(tar.data, tar.size, want);
        ASSERT_OK(compress_blob(&tar, filter, &blob));

        ASSERT_OK(unpack_blob(&f, &blob, NULL, want, diff_id, &err));
        ASSERT_STREQ(diff_id, want);
        ASSERT_TRUE(is_regular(&f, "etc/hostname"));

        fixture_done(&f);
        ASSERT_OK(fixture_init(&f));
        strcpy(wrong, want);
        wrong[DIGEST_STRING_MAX - 2] = wrong[DIGEST_STRING_MAX - 2] == '0' ? '1' : '0';
        memset(diff_id, 0, sizeof(diff_id));
        ASSERT_ERROR(unpack_blob(&f, &blob, NULL, wrong, diff_id, &err), EBADMSG);
        ASSERT_TRUE(strstr(err, "diff_id mismatch"));
        ASSERT_TRUE(strstr(err, want));
        ASSERT_TRUE(diff_id[0] == '\0');        /* untouched on failure */
}

TEST(diff_id_none) {
        if (!is_root())
                TEST_SKIP("needs root");
        check_diff_id(ARCHIVE_FILTER_NONE);
}

TEST(diff_id_gzip) {
        if (!is_root())
                TEST_SKIP("needs root");
        check_diff_id(ARCHIVE_FILTER_GZIP);
}

TEST(diff_id_zstd) {
        if (!is_root())
                TEST_SKIP("needs root");
        check_diff_id(ARCHIVE_FILTER_ZSTD);
}

TEST(diff_id_xz) {
        if (!is_root())
                TEST_SKIP("needs root");
        check_diff_id(ARCHIVE_FILTER_XZ);
}

TEST(invalid_streams) {
        _cleanup_buffer_ Buffer tar = {}, blob = {}, cut = {}, text = {};
        const Entry entries[] = { FILE_("a", "a") };

        ASSERT_OK(make_tar(entries, 1, ARCHIVE_FORMAT_TAR_USTAR, &tar));
        ASSERT_OK(compress_blob(&tar, ARCHIVE_FILTER_GZIP, &blob));
        ASSERT_OK(buffer_append(&cut, blob.data, blob.size / 2));
        ASSERT_OK(buffer_puts(&text, "this is not a tar, not even compressed\n"));

        const Buffer *bad[] = { &cut, &text };
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_fixture_ Fixture f = {};
                _cleanup_free_ char *err = NULL;

                ASSERT_OK(fixture_init(&f));
                ASSERT_ERROR(unpack_blob(&f, bad[i], NULL, NULL, NULL, &err), EBADMSG);
                ASSERT_NOT_NULL(err);
        }

        _cleanup_fixture_ Fixture f = {};
        _cleanup_free_ char *err = NULL;
        ASSERT_OK(fixture_init(&f));
        ASSERT_ERROR(unpack_blob(&f, &tar, NULL, "sha256:XYZ", NULL, &err), EINVAL);
}

TEST(digest_strings) {
        const char *ok = "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
        uint8_t d[SHA256_DIGEST_SIZE];
        char s[DIGEST_STRING_MAX];

        ASSERT_TRUE(digest_is_valid(ok));
        ASSERT_OK(digest_parse(ok, d));
        ASSERT_EQ(d[0], 0x2c);
        ASSERT_EQ(d[31], 0x24);
        digest_format(d, s);
        ASSERT_STREQ(s, ok);
        ASSERT_STREQ(digest_hex(ok), ok + 7);
        ASSERT_FALSE(digest_is_valid("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824"));
        ASSERT_FALSE(digest_is_valid("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982"));
        ASSERT_FALSE(digest_is_valid("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98240"));
        ASSERT_FALSE(digest_is_valid("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        ASSERT_FALSE(digest_is_valid("sha512:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"));
        ASSERT_FALSE(digest_is_valid("sha256:"));
        ASSERT_FALSE(digest_is_valid(NULL));
        ASSERT_ERROR(digest_parse("sha256:zz", d), EINVAL);

        /* the streaming check, split anywhere, equals the digest of the whole */
        DigestCheck c;
        ASSERT_OK(digest_check_init(&c, ok));
        digest_check_update(&c, "hel", 3);
        digest_check_update(&c, "lo", 2);
        ASSERT_OK(digest_check_finish(&c, s));
        ASSERT_STREQ(s, ok);
        ASSERT_EQ(c.size, 5);
        ASSERT_OK(digest_check_init(&c, ok));
        digest_check_update(&c, "hello!", 6);
        ASSERT_ERROR(digest_check_finish(&c, s), EBADMSG);
        ASSERT_ERROR(digest_check_init(&c, "sha256:nope"), EINVAL);
}
