/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd-util.h"
#include "fileio.h"
#include "strv.h"
#include "test.h"

TEST(read_full_file_regular) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *data = NULL, *p = NULL;
        size_t size = 0;

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(test_write(dir, "f", "hello\n"));
        ASSERT_TRUE(asprintf(&p, "%s/f", dir) > 0);
        ASSERT_OK(read_full_file_at(AT_FDCWD, p, 100, &data, &size));
        ASSERT_EQ(size, 6);
        ASSERT_STREQ(data, "hello\n");
}

TEST(read_full_file_limits) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *p = NULL;
        char *data = NULL;

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(test_write(dir, "f", "0123456789"));
        ASSERT_TRUE(asprintf(&p, "%s/f", dir) > 0);
        ASSERT_ERROR(read_full_file_at(AT_FDCWD, p, 9, &data, NULL), EFBIG);
        ASSERT_ERROR(read_full_file_at(AT_FDCWD, dir, 9, &data, NULL), EISDIR);
        ASSERT_ERROR(read_full_file_at(AT_FDCWD, "/nonexistent", 9, &data, NULL), ENOENT);
        ASSERT_NULL(data);
        /* Exactly at the limit is fine. */
        ASSERT_OK(read_full_file_at(AT_FDCWD, p, 10, &data, NULL));
        free(data);
}

TEST(read_full_file_not_regular) {
        _cleanup_free_ char *data = NULL;
        char *big = NULL;
        size_t size = 0;

        /* /proc files report size 0 and are read until EOF; the limit applies while reading. */
        ASSERT_OK(read_full_file_at(AT_FDCWD, "/proc/self/status", 1024 * 1024, &data, &size));
        ASSERT_TRUE(size > 0);
        ASSERT_NOT_NULL(strstr(data, "Pid:"));
        ASSERT_ERROR(read_full_file_at(AT_FDCWD, "/proc/self/status", 10, &big, NULL), EFBIG);
        ASSERT_OK(read_full_file_at(AT_FDCWD, "/dev/null", 10, &big, &size));
        ASSERT_EQ(size, 0);
        free(big);
}

TEST(read_text_file) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *data = NULL, *f = NULL, *nul = NULL, *fifo = NULL;
        char *none = NULL;
        size_t size = 0;

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(test_write(dir, "f", "A=1\n"));
        ASSERT_TRUE(asprintf(&f, "%s/f", dir) > 0);
        ASSERT_OK(read_text_file(f, 4, &data, &size));
        ASSERT_EQ(size, 4);
        ASSERT_STREQ(data, "A=1\n");
        ASSERT_ERROR(read_text_file(f, 3, &none, NULL), EFBIG);
        ASSERT_ERROR(read_text_file(dir, 100, &none, NULL), EISDIR);
        ASSERT_ERROR(read_text_file("/dev/null", 100, &none, NULL), EBADFD);
        /* a FIFO is refused without waiting for a writer */
        ASSERT_TRUE(asprintf(&fifo, "%s/fifo", dir) > 0);
        ASSERT_OK(mkfifo(fifo, 0600) < 0 ? -errno : 0);
        ASSERT_ERROR(read_text_file(fifo, 100, &none, NULL), EBADFD);
        /* a NUL byte: not text */
        ASSERT_TRUE(asprintf(&nul, "%s/nul", dir) > 0);
        {
                int fd = open(nul, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
                ASSERT_TRUE(fd >= 0);
                ASSERT_EQ(write(fd, "A=1\0B=2\n", 8), 8);
                close(fd);
        }
        ASSERT_ERROR(read_text_file(nul, 100, &none, NULL), EBADMSG);
        ASSERT_NULL(none);
}

TEST(dir_iter) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        const struct dirent64 *de;
        unsigned n = 0, seen = 0;
        DirIter it;
        char name[32];

        ASSERT_NOT_NULL(dir);
        /* More entries than fit in one getdents64() buffer. */
        for (unsigned i = 0; i < 1000; i++) {
                snprintf(name, sizeof(name), "entry-with-a-long-name-%04u", i);
                ASSERT_OK(test_write(dir, name, ""));
        }
        ASSERT_OK(dir_iter_open(AT_FDCWD, dir, &it));
        while (dir_iter_next(&it, &de) > 0) {
                n++;
                if (strncmp(de->d_name, "entry-with-a-long-name-", 23) == 0)
                        seen++;
        }
        dir_iter_close(&it);
        ASSERT_EQ(n, 1000);
        ASSERT_EQ(seen, 1000);
        ASSERT_ERROR(dir_iter_open(AT_FDCWD, "/nonexistent", &it), ENOENT);
}

/* write_file_atomic_at(): the new contents and mode whatever the umask, an existing file replaced (a new
 * inode: a reader holding the old one keeps it whole), no temporary file left, a name with '/' refused */
TEST(write_file_atomic_at) {
        _cleanup_free_ char *dir = test_mkdtemp(), *text = NULL;
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF, old = -EBADF;
        struct stat a, b;
        size_t n;
        mode_t mask;

        ASSERT_NOT_NULL(dir);
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(fd >= 0);
        mask = umask(077);
        ASSERT_OK(write_file_atomic_at(fd, "web.ctr", "one\n", 4, 0644));
        umask(mask);
        ASSERT_EQ(fstatat(fd, "web.ctr", &a, 0), 0);
        ASSERT_EQ(a.st_mode & 07777, 0644);
        old = openat(fd, "web.ctr", O_RDONLY | O_CLOEXEC);
        ASSERT_TRUE(old >= 0);
        ASSERT_OK(write_file_atomic_at(fd, "web.ctr", "two\n", 4, 0644));
        ASSERT_EQ(fstatat(fd, "web.ctr", &b, 0), 0);
        ASSERT_TRUE(a.st_ino != b.st_ino);
        ASSERT_OK(read_full_file_at(fd, "web.ctr", 100, &text, &n));
        ASSERT_STREQ(text, "two\n");
        free(text);
        ASSERT_OK(read_full_fd(old, NULL, 100, &text, &n));
        ASSERT_STREQ(text, "one\n");
        ASSERT_OK(dir_list_names(fd, ".", &names));
        ASSERT_EQ(strv_length(names), 1);
        ASSERT_STREQ(names[0], "web.ctr");
        ASSERT_ERROR(write_file_atomic_at(fd, "a/b", "x", 1, 0644), EINVAL);
        ASSERT_ERROR(write_file_atomic_at(AT_FDCWD, "x", "x", 1, 0644), EBADF);
        test_rm_rf(dir);
}
