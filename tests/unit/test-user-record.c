/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container-exec.h"
#include "user-record.h"

/* Minimal harness until tests/unit/test.h exists. */
static unsigned n_passed, n_failed;
#define CHECK(expr)                                                                             \
        do {                                                                                    \
                if (expr)                                                                       \
                        n_passed++;                                                             \
                else {                                                                          \
                        n_failed++;                                                             \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                }                                                                               \
        } while (0)

static char base[PATH_MAX];

static void write_file(const char *rel, const char *contents) {
        char p[PATH_MAX * 2];
        FILE *f;

        snprintf(p, sizeof(p), "%s/%s", base, rel);
        f = fopen(p, "we");
        if (!f) {
                perror(p);
                abort();
        }
        fputs(contents, f);
        fclose(f);
}

static void make_dir(const char *rel) {
        char p[PATH_MAX * 2];

        snprintf(p, sizeof(p), "%s/%s", base, rel);
        if (mkdir(p, 0755) < 0 && errno != EEXIST) {
                perror(p);
                abort();
        }
}

static void make_link(const char *target, const char *rel) {
        char p[PATH_MAX * 2];

        snprintf(p, sizeof(p), "%s/%s", base, rel);
        if (symlink(target, p) < 0) {
                perror(p);
                abort();
        }
}

static int open_root(const char *rel) {
        char p[PATH_MAX * 2];
        int fd;

        snprintf(p, sizeof(p), "%s/%s", base, rel);
        fd = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
                perror(p);
                abort();
        }
        return fd;
}

static const char passwd_image[] =
        "root:x:0:0:root:/root:/bin/bash\n"
        "+nisuser::::::\n"
        "broken line without colons\n"
        "bad:x:notanumber:1::/:/bin/sh\n"
        "app:x:1001:1001:App:/home/app:/bin/ash\n"
        "nohome:x:1002:1002:::\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
        "app:x:1999:1999:duplicate, ignored:/x:/x\n";

static const char group_image[] =
        "root:x:0:\n"
        "wheel:x:10:root,app\n"
        "app:x:1001:\n"
        "extra:x:2000:other,app\n"
        "again:x:10:app\n"
        "nogroup:x:65534:\n";

static Container *new_container(void) {
        static Container c;

        c = (Container) { .name = (char *) "test", .no_new_privileges = true };
        return &c;
}

static void test_parse_uid(void) {
        uid_t u = 7;

        CHECK(user_record_parse_id("0", &u) == 0 && u == 0);
        CHECK(user_record_parse_id("1001", &u) == 0 && u == 1001);
        CHECK(user_record_parse_id("4294967294", &u) == 0 && u == 4294967294U);
        CHECK(user_record_parse_id("4294967295", &u) == -ERANGE);
        CHECK(user_record_parse_id("99999999999", &u) == -EINVAL);
        CHECK(user_record_parse_id("-1", &u) == -EINVAL);
        CHECK(user_record_parse_id("01", &u) == -EINVAL);
        CHECK(user_record_parse_id(" 1", &u) == -EINVAL);
        CHECK(user_record_parse_id("", &u) == -EINVAL);
        CHECK(user_record_parse_id("app", &u) == -EINVAL);
}

static void test_passwd_find(void) {
        UserRecord u = {};
        GroupRecord g = {};
        gid_t *gids = NULL;
        size_t n = 0;

        CHECK(passwd_find(passwd_image, "app", 0, &u) == 0);
        CHECK(u.uid == 1001 && u.gid == 1001 && u.name && streq(u.name, "app"));
        CHECK(u.home && streq(u.home, "/home/app") && u.shell && streq(u.shell, "/bin/ash"));
        user_record_done(&u);

        CHECK(passwd_find(passwd_image, NULL, 1002, &u) == 0);
        CHECK(u.name && streq(u.name, "nohome") && streq(u.home, "/") && streq(u.shell, "/bin/sh"));
        user_record_done(&u);

        CHECK(passwd_find(passwd_image, "bad", 0, &u) == -ESRCH);
        CHECK(passwd_find(passwd_image, "+nisuser", 0, &u) == -ESRCH);
        CHECK(passwd_find(passwd_image, "ghost", 0, &u) == -ESRCH);
        CHECK(passwd_find("", "root", 0, &u) == -ESRCH);
        CHECK(passwd_find("root:x:0:0:root:/root:/bin/bash", "root", 0, &u) == 0);   /* no final newline */
        user_record_done(&u);

        CHECK(group_find(group_image, "extra", 0, &g) == 0 && g.gid == 2000);
        group_record_done(&g);
        CHECK(group_find(group_image, NULL, 65534, &g) == 0 && streq(g.name, "nogroup"));
        group_record_done(&g);
        CHECK(group_find(group_image, "ghost", 0, &g) == -ESRCH);

        CHECK(group_find_memberships(group_image, "app", &gids, &n) == 0);
        CHECK(n == 2 && gids[0] == 10 && gids[1] == 2000);
        free(gids);
        CHECK(group_find_memberships(group_image, "nobody", &gids, &n) == 0 && n == 0);
        free(gids);

        /* A line beyond the limit is an error, not silently split into two. */
        {
                size_t len = USER_RECORD_LINE_MAX + 100;
                char *big = malloc(len + 64);

                memset(big, 'a', len);
                strcpy(big + len, ":x:5:5::/:/bin/sh\napp:x:1:1::/:/bin/sh\n");
                CHECK(passwd_find(big, "app", 0, &u) == -E2BIG);
                free(big);
        }
}

static void test_resolve(void) {
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c;
        int root_fd;

        make_dir("image");
        make_dir("image/etc");
        write_file("image/etc/passwd", passwd_image);
        write_file("image/etc/group", group_image);
        root_fd = open_root("image");

        /* a user that exists only in the image */
        c = new_container();
        c->user = (char *) "app";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.uid == 1001 && cred.gid == 1001);
        CHECK(cred.user_name && streq(cred.user_name, "app"));
        CHECK(streq(cred.home, "/home/app") && streq(cred.shell, "/bin/ash"));
        CHECK(cred.n_supplementary_gids == 2 && cred.supplementary_gids[0] == 10 &&
              cred.supplementary_gids[1] == 2000);
        exec_credentials_done(&cred);

        /* the same by number */
        c->user = (char *) "1001";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.uid == 1001 && cred.gid == 1001 && cred.user_name && streq(cred.user_name, "app"));
        exec_credentials_done(&cred);

        /* a number without an entry */
        c->user = (char *) "4242";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.uid == 4242 && cred.gid == 0 && !cred.user_name);
        CHECK(streq(cred.home, "/") && streq(cred.shell, "/bin/sh") && cred.n_supplementary_gids == 0);
        exec_credentials_done(&cred);

        /* default: root */
        c->user = NULL;
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.uid == 0 && cred.gid == 0 && streq(cred.user_name, "root") && streq(cred.home, "/root"));
        CHECK(cred.n_supplementary_gids == 1 && cred.supplementary_gids[0] == 10);
        exec_credentials_done(&cred);

        /* a missing user */
        c->user = (char *) "ghost";
        cred.uid = 77;
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        CHECK(err.error == ESRCH);
        CHECK(streq(err.message, "User 'ghost' not found in the container's /etc/passwd"));
        CHECK(cred.uid == 77 && !cred.home);    /* untouched */

        /* explicit Group=: no memberships, the group's gid */
        c->user = (char *) "app";
        c->group = (char *) "extra";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.uid == 1001 && cred.gid == 2000 && cred.n_supplementary_gids == 0);
        exec_credentials_done(&cred);

        c->group = (char *) "3333";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.gid == 3333);
        exec_credentials_done(&cred);

        c->group = (char *) "nosuchgroup";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        CHECK(strstr(err.message, "Group 'nosuchgroup' not found in the container's /etc/group") != NULL);

        /* SupplementaryGroups= by name and number, duplicates and the primary group dropped */
        char *supp[] = { (char *) "wheel", (char *) "3000", (char *) "app", (char *) "10", NULL };
        c->group = NULL;
        c->supplementary_groups = supp;
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        CHECK(cred.gid == 1001 && cred.n_supplementary_gids == 3);
        CHECK(cred.supplementary_gids[0] == 10 && cred.supplementary_gids[1] == 2000 &&
              cred.supplementary_gids[2] == 3000);
        exec_credentials_done(&cred);
        c->supplementary_groups = NULL;

        close(root_fd);
}

static void test_resolve_no_files(void) {
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c = new_container();
        int root_fd;

        make_dir("empty");
        root_fd = open_root("empty");

        c->user = (char *) "1234";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 1234 && cred.gid == 0);
        exec_credentials_done(&cred);

        c->user = NULL;
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 0 && !cred.user_name);
        exec_credentials_done(&cred);

        c->user = (char *) "app";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        CHECK(strstr(err.message, "User 'app' not found in the container's /etc/passwd") != NULL);

        c->user = NULL;
        c->group = (char *) "staff";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);
}

static void test_symlinks(void) {
        char target[PATH_MAX * 2];
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c = new_container();
        int root_fd;

        /* A file outside the root, with a user the image does not have. */
        make_dir("outside");
        write_file("outside/passwd", "outsider:x:3000:3000::/:/bin/sh\n");

        /* 1. /etc/passwd -> <absolute host path of outside/passwd>: resolved inside the root, where that
         *    path holds a different file. */
        make_dir("abs");
        make_dir("abs/etc");
        snprintf(target, sizeof(target), "%s/outside/passwd", base);
        make_link(target, "abs/etc/passwd");
        {
                char p[PATH_MAX * 4], *s, *slash;

                /* create abs/<base>/outside/passwd */
                snprintf(p, sizeof(p), "%s/abs%s", base, target);
                s = p + strlen(base) + 4;
                while ((slash = strchr(s + 1, '/'))) {
                        *slash = '\0';
                        mkdir(p, 0755);
                        *slash = '/';
                        s = slash;
                }
                FILE *f = fopen(p, "we");
                CHECK(f != NULL);
                if (f) {
                        fputs("insider:x:3001:3001::/srv:/bin/sh\n", f);
                        fclose(f);
                }
        }
        root_fd = open_root("abs");
        c->user = (char *) "insider";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 3001);
        exec_credentials_done(&cred);
        c->user = (char *) "outsider";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);

        /* 2. /etc/passwd -> ../../outside/passwd: ".." stops at the root; nothing there. */
        make_dir("rel");
        make_dir("rel/etc");
        make_link("../../../../../../../outside/passwd", "rel/etc/passwd");
        root_fd = open_root("rel");
        c->user = (char *) "outsider";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        c->user = (char *) "4000";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && !cred.user_name);
        exec_credentials_done(&cred);
        close(root_fd);

        /* 3. /etc/passwd -> /etc/passwd (the host's, to a naive reader): inside the root it points at itself,
         *    a loop, so it is an error — and no host user (root, daemon) is ever found through it. */
        make_dir("self");
        make_dir("self/etc");
        make_link("/etc/passwd", "self/etc/passwd");
        root_fd = open_root("self");
        c->user = (char *) "daemon";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ELOOP);
        CHECK(strstr(err.message, "Failed to read the container's /etc/passwd") != NULL);
        close(root_fd);

        /* 4. via a magic link: /etc/passwd -> /proc/self/root/etc/passwd. Inside the root there is no /proc,
         *    and with a /proc the magic link would be refused. */
        make_dir("magic");
        make_dir("magic/etc");
        make_dir("magic/proc");
        make_link("/proc/self/root/etc/passwd", "magic/etc/passwd");
        root_fd = open_root("magic");
        c->user = (char *) "daemon";
        CHECK(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);
}

static bool walk_reads(const char *root, const char *path, int expected, const char *contents) {
        char buf[256] = {};
        int root_fd, fd = -1, r;
        bool ok;

        root_fd = open_root(root);
        r = user_record_open_in_root_walk(root_fd, path, O_RDONLY, &fd);
        ok = r == expected;
        if (ok && r == 0) {
                ssize_t k = read(fd, buf, sizeof(buf) - 1);
                ok = k >= 0 && strstr(buf, contents) != NULL;
        }
        if (!ok)
                fprintf(stderr, "  walk %s in %s: got %d, '%s'\n", path, root, r, buf);
        if (fd >= 0)
                close(fd);
        close(root_fd);
        return ok;
}

/* The userspace fallback (valgrind, old kernels) must resolve exactly as openat2(RESOLVE_IN_ROOT). */
static void test_walk(void) {
        char target[PATH_MAX * 2];

        CHECK(walk_reads("image", "/etc/passwd", 0, "app:x:1001"));
        CHECK(walk_reads("image", "etc//./passwd", 0, "app:x:1001"));
        CHECK(walk_reads("image", "/../../../etc/passwd", 0, "app:x:1001"));
        CHECK(walk_reads("image", "/etc", -EISDIR, NULL));
        CHECK(walk_reads("image", "/etc/passwd/x", -ENOTDIR, NULL));
        CHECK(walk_reads("image", "/etc/missing", -ENOENT, NULL));
        CHECK(walk_reads("abs", "/etc/passwd", 0, "insider"));
        CHECK(walk_reads("rel", "/etc/passwd", -ENOENT, NULL));
        CHECK(walk_reads("self", "/etc/passwd", -ELOOP, NULL));
        CHECK(walk_reads("magic", "/etc/passwd", -ENOENT, NULL));

        /* a relative link inside the root, and one through a directory link */
        make_dir("walk");
        make_dir("walk/etc");
        make_dir("walk/data");
        write_file("walk/data/passwd", "walker:x:5:5::/:/bin/sh\n");
        make_link("../data/passwd", "walk/etc/passwd");
        make_link("/data", "walk/etc/d");
        CHECK(walk_reads("walk", "/etc/passwd", 0, "walker"));
        CHECK(walk_reads("walk", "/etc/d/passwd", 0, "walker"));
        CHECK(walk_reads("walk", "/etc/d/../etc/passwd", 0, "walker"));
        snprintf(target, sizeof(target), "%s/outside/passwd", base);
        make_link(target, "walk/etc/host");
        CHECK(walk_reads("walk", "/etc/host", -ENOENT, NULL));
}

static void test_file_types(void) {
        char p[PATH_MAX * 2];
        char *contents = NULL;
        int root_fd, fd;

        make_dir("types");
        make_dir("types/etc");
        root_fd = open_root("types");

        /* a FIFO must not block us */
        snprintf(p, sizeof(p), "%s/types/etc/passwd", base);
        CHECK(mkfifo(p, 0644) == 0);
        CHECK(user_record_read_file(root_fd, "/etc/passwd", &contents) == -EBADFD);

        /* a directory */
        snprintf(p, sizeof(p), "%s/types/etc/group", base);
        CHECK(mkdir(p, 0755) == 0);
        CHECK(user_record_read_file(root_fd, "/etc/group", &contents) == -EISDIR);

        /* too large */
        snprintf(p, sizeof(p), "%s/types/etc/big", base);
        fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        CHECK(fd >= 0 && ftruncate(fd, USER_RECORD_FILE_MAX + 1) == 0);
        close(fd);
        CHECK(user_record_read_file(root_fd, "/etc/big", &contents) == -EFBIG);

        /* NUL bytes */
        write_file("types/etc/nul", "a");
        snprintf(p, sizeof(p), "%s/types/etc/nul", base);
        fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
        CHECK(fd >= 0 && write(fd, "\0b\n", 3) == 3);
        close(fd);
        CHECK(user_record_read_file(root_fd, "/etc/nul", &contents) == -EBADMSG);

        CHECK(user_record_read_file(root_fd, "/etc/missing", &contents) == -ENOENT);

        write_file("types/etc/ok", "x:x:1:1::/:/bin/sh\n");
        CHECK(user_record_read_file(root_fd, "etc/ok", &contents) == 0);
        CHECK(contents && streq(contents, "x:x:1:1::/:/bin/sh\n"));
        free(contents);

        close(root_fd);
}

int main(void) {
        char cmd[PATH_MAX + 16];

        snprintf(base, sizeof(base), "/tmp/test-user-record.XXXXXX");
        if (!mkdtemp(base)) {
                perror("mkdtemp");
                return 1;
        }

        test_parse_uid();
        test_passwd_find();
        test_resolve();
        test_resolve_no_files();
        test_symlinks();
        test_walk();
        test_file_types();

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
        if (system(cmd) != 0)
                fprintf(stderr, "Failed to remove %s\n", base);

        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed > 0;
}
