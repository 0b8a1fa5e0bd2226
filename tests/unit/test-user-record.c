/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chase.h"
#include "container-exec.h"
#include "test.h"
#include "user-record.h"

static char *base;

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

/* The image roots every case uses, built once before the cases run:
 *   image/   passwd and group of an image
 *   empty/   no /etc at all
 *   outside/passwd          a file outside every root, with a user no image has
 *   abs/etc/passwd -> <absolute host path of outside/passwd>; abs/<that path> holds "insider"
 *   rel/etc/passwd -> ../../../../../../../outside/passwd
 *   self/etc/passwd -> /etc/passwd     (the host's, to a naive reader)
 *   magic/etc/passwd -> /proc/self/root/etc/passwd
 *   walk/    relative and directory links inside the root */
__attribute__((constructor)) static void fixtures(void) {
        char target[PATH_MAX * 2], p[PATH_MAX * 4], *s, *slash;
        FILE *f;

        base = test_mkdtemp();
        if (!base)
                abort();

        make_dir("image");
        make_dir("image/etc");
        write_file("image/etc/passwd", passwd_image);
        write_file("image/etc/group", group_image);

        make_dir("empty");

        make_dir("outside");
        write_file("outside/passwd", "outsider:x:3000:3000::/:/bin/sh\n");

        make_dir("abs");
        make_dir("abs/etc");
        snprintf(target, sizeof(target), "%s/outside/passwd", base);
        make_link(target, "abs/etc/passwd");
        snprintf(p, sizeof(p), "%s/abs%s", base, target);
        s = p + strlen(base) + 4;
        while ((slash = strchr(s + 1, '/'))) {
                *slash = '\0';
                (void) mkdir(p, 0755);
                *slash = '/';
                s = slash;
        }
        f = fopen(p, "we");
        if (!f)
                abort();
        fputs("insider:x:3001:3001::/srv:/bin/sh\n", f);
        fclose(f);

        make_dir("rel");
        make_dir("rel/etc");
        make_link("../../../../../../../outside/passwd", "rel/etc/passwd");

        make_dir("self");
        make_dir("self/etc");
        make_link("/etc/passwd", "self/etc/passwd");

        make_dir("magic");
        make_dir("magic/etc");
        make_dir("magic/proc");
        make_link("/proc/self/root/etc/passwd", "magic/etc/passwd");

        make_dir("walk");
        make_dir("walk/etc");
        make_dir("walk/data");
        write_file("walk/data/passwd", "walker:x:5:5::/:/bin/sh\n");
        make_link("../data/passwd", "walk/etc/passwd");
        make_link("/data", "walk/etc/d");
        make_link(target, "walk/etc/host");
}

__attribute__((destructor)) static void fixtures_cleanup(void) {
        test_rm_rf(base);
        free(base);
}

static Container *new_container(void) {
        static Container c;

        c = (Container) { .name = (char *) "test", .no_new_privileges = true };
        return &c;
}

/* One grammar of ids (parse_uid()): 65535 and (uid_t) -1 are never ids, so an entry that claims one is a
 * malformed line, skipped as any other, and User=/Group= 65535 are names no image has. */
TEST(id_65535) {
        static const char passwd[] =
                "sixteen:x:65535:100::/:/bin/sh\n"
                "minusone:x:4294967295:100::/:/bin/sh\n"
                "grp:x:100:65535::/:/bin/sh\n"
                "ok:x:65534:65534::/:/bin/sh\n";
        static const char group[] = "sixteen:x:65535:ok\nok:x:65534:ok\n";
        ExecCredentials cred = {};
        ExecError err = {};
        UserRecord u = {};
        GroupRecord g = {};
        gid_t *gids = NULL;
        size_t n = 0;
        Container *c;
        char *s = NULL;
        int root_fd;

        ASSERT_TRUE(passwd_find(passwd, "sixteen", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd, "minusone", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd, "grp", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd, NULL, 65535, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd, "ok", 0, &u) == 0 && u.uid == 65534);
        user_record_done(&u);
        ASSERT_TRUE(group_find(group, "sixteen", 0, &g) == -ESRCH);
        ASSERT_TRUE(group_find(group, NULL, 65535, &g) == -ESRCH);
        ASSERT_TRUE(group_find_memberships(group, "ok", &gids, &n) == 0 && n == 1 && gids[0] == 65534);
        free(gids);

        /* User=65535, Group=65535: not ids, and no entry by that name */
        make_dir("id65535");
        make_dir("id65535/etc");
        write_file("id65535/etc/passwd", passwd);
        write_file("id65535/etc/group", group);
        root_fd = open_root("id65535");
        c = new_container();
        c->user = (char *) "65535";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        ASSERT_TRUE(strstr(err.message, "User '65535' not found") != NULL);
        err = (ExecError) {};
        c->user = NULL;
        c->group = (char *) "65535";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);

        /* Image=host makes no "ctr-65535" */
        ASSERT_TRUE(user_record_host_passwd("65535", NULL, &s) == 0);
        ASSERT_TRUE(!strstr(s, "65535"));
        free(s);
        ASSERT_TRUE(user_record_host_group("1001", "65535", &s) == 0);
        ASSERT_TRUE(!strstr(s, "65535"));
        free(s);
}

TEST(passwd_find) {
        UserRecord u = {};
        GroupRecord g = {};
        gid_t *gids = NULL;
        size_t n = 0;

        ASSERT_TRUE(passwd_find(passwd_image, "app", 0, &u) == 0);
        ASSERT_TRUE(u.uid == 1001 && u.gid == 1001 && u.name && streq(u.name, "app"));
        ASSERT_TRUE(u.home && streq(u.home, "/home/app") && u.shell && streq(u.shell, "/bin/ash"));
        user_record_done(&u);

        ASSERT_TRUE(passwd_find(passwd_image, NULL, 1002, &u) == 0);
        ASSERT_TRUE(u.name && streq(u.name, "nohome") && streq(u.home, "/") && streq(u.shell, "/bin/sh"));
        user_record_done(&u);

        ASSERT_TRUE(passwd_find(passwd_image, "bad", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd_image, "+nisuser", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find(passwd_image, "ghost", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find("", "root", 0, &u) == -ESRCH);
        ASSERT_TRUE(passwd_find("root:x:0:0:root:/root:/bin/bash", "root", 0, &u) == 0);   /* no final newline */
        user_record_done(&u);

        ASSERT_TRUE(group_find(group_image, "extra", 0, &g) == 0 && g.gid == 2000);
        group_record_done(&g);
        ASSERT_TRUE(group_find(group_image, NULL, 65534, &g) == 0 && streq(g.name, "nogroup"));
        group_record_done(&g);
        ASSERT_TRUE(group_find(group_image, "ghost", 0, &g) == -ESRCH);

        ASSERT_TRUE(group_find_memberships(group_image, "app", &gids, &n) == 0);
        ASSERT_TRUE(n == 2 && gids[0] == 10 && gids[1] == 2000);
        free(gids);
        ASSERT_TRUE(group_find_memberships(group_image, "nobody", &gids, &n) == 0 && n == 0);
        free(gids);

        /* A line beyond the limit is an error, not silently split into two. */
        {
                size_t len = USER_RECORD_LINE_MAX + 100;
                char *big = malloc(len + 64);

                memset(big, 'a', len);
                strcpy(big + len, ":x:5:5::/:/bin/sh\napp:x:1:1::/:/bin/sh\n");
                ASSERT_TRUE(passwd_find(big, "app", 0, &u) == -E2BIG);
                free(big);
        }
}

TEST(resolve) {
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c;
        int root_fd;

        root_fd = open_root("image");

        /* a user that exists only in the image */
        c = new_container();
        c->user = (char *) "app";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 1001 && cred.gid == 1001);
        ASSERT_TRUE(cred.user_name && streq(cred.user_name, "app"));
        ASSERT_TRUE(streq(cred.home, "/home/app") && streq(cred.shell, "/bin/ash"));
        ASSERT_TRUE(cred.n_supplementary_gids == 2 && cred.supplementary_gids[0] == 10 &&
              cred.supplementary_gids[1] == 2000);
        exec_credentials_done(&cred);

        /* the same by number */
        c->user = (char *) "1001";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 1001 && cred.gid == 1001 && cred.user_name && streq(cred.user_name, "app"));
        exec_credentials_done(&cred);

        /* a number without an entry */
        c->user = (char *) "4242";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 4242 && cred.gid == 0 && !cred.user_name);
        ASSERT_TRUE(streq(cred.home, "/") && streq(cred.shell, "/bin/sh") && cred.n_supplementary_gids == 0);
        exec_credentials_done(&cred);

        /* default: root */
        c->user = NULL;
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 0 && cred.gid == 0 && streq(cred.user_name, "root") && streq(cred.home, "/root"));
        ASSERT_TRUE(cred.n_supplementary_gids == 1 && cred.supplementary_gids[0] == 10);
        exec_credentials_done(&cred);

        /* a missing user */
        c->user = (char *) "ghost";
        cred.uid = 77;
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        ASSERT_TRUE(err.error == ESRCH);
        ASSERT_TRUE(streq(err.message, "User 'ghost' not found in the container's /etc/passwd"));
        ASSERT_TRUE(cred.uid == 77 && !cred.home);    /* untouched */

        /* explicit Group=: no memberships, the group's gid */
        c->user = (char *) "app";
        c->group = (char *) "extra";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 1001 && cred.gid == 2000 && cred.n_supplementary_gids == 0);
        exec_credentials_done(&cred);

        c->group = (char *) "3333";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.gid == 3333);
        exec_credentials_done(&cred);

        c->group = (char *) "nosuchgroup";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        ASSERT_TRUE(strstr(err.message, "Group 'nosuchgroup' not found in the container's /etc/group") != NULL);

        /* SupplementaryGroups= by name and number, duplicates and the primary group dropped */
        char *supp[] = { (char *) "wheel", (char *) "3000", (char *) "app", (char *) "10", NULL };
        c->group = NULL;
        c->supplementary_groups = supp;
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.gid == 1001 && cred.n_supplementary_gids == 3);
        ASSERT_TRUE(cred.supplementary_gids[0] == 10 && cred.supplementary_gids[1] == 2000 &&
              cred.supplementary_gids[2] == 3000);
        exec_credentials_done(&cred);
        c->supplementary_groups = NULL;

        close(root_fd);
}

TEST(resolve_no_files) {
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c = new_container();
        int root_fd;

        root_fd = open_root("empty");

        c->user = (char *) "1234";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 1234 && cred.gid == 0);
        exec_credentials_done(&cred);

        c->user = NULL;
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 0 && !cred.user_name);
        exec_credentials_done(&cred);

        c->user = (char *) "app";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        ASSERT_TRUE(strstr(err.message, "User 'app' not found in the container's /etc/passwd") != NULL);

        c->user = NULL;
        c->group = (char *) "staff";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);
}

static void check_symlinks(void) {
        ExecCredentials cred = {};
        ExecError err = {};
        Container *c = new_container();
        int root_fd;

        /* 1. /etc/passwd -> <absolute host path of outside/passwd>: resolved inside the root, where that
         *    path holds a different file. */
        root_fd = open_root("abs");
        c->user = (char *) "insider";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && cred.uid == 3001);
        exec_credentials_done(&cred);
        c->user = (char *) "outsider";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);

        /* 2. /etc/passwd -> ../../outside/passwd: ".." stops at the root; nothing there. */
        root_fd = open_root("rel");
        c->user = (char *) "outsider";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        c->user = (char *) "4000";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0 && !cred.user_name);
        exec_credentials_done(&cred);
        close(root_fd);

        /* 3. /etc/passwd -> /etc/passwd (the host's, to a naive reader): inside the root it points at itself,
         *    a loop, so it is an error — and no host user (root, daemon) is ever found through it. */
        root_fd = open_root("self");
        c->user = (char *) "daemon";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ELOOP);
        ASSERT_TRUE(strstr(err.message, "Failed to read the container's /etc/passwd") != NULL);
        close(root_fd);

        /* 4. via a magic link: /etc/passwd -> /proc/self/root/etc/passwd. Inside the root there is no /proc,
         *    and with a /proc the magic link would be refused. */
        root_fd = open_root("magic");
        c->user = (char *) "daemon";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        close(root_fd);
}

/* The same through the userspace walk (valgrind, old kernels), which must resolve as openat2 does */
TEST(symlinks) {
        check_symlinks();
}

TEST(symlinks_walk) {
        chase_force_walk(true);
        check_symlinks();
        chase_force_walk(false);
}

static bool walk_reads(const char *root, const char *path, int expected, const char *contents) {
        _cleanup_free_ char *buf = NULL;
        int root_fd, r;
        bool ok;

        root_fd = open_root(root);
        chase_force_walk(true);
        r = user_record_read_file(root_fd, path, &buf);
        chase_force_walk(false);
        ok = r == expected && (r < 0 || strstr(buf, contents));
        if (!ok)
                fprintf(stderr, "  walk %s in %s: got %d, '%s'\n", path, root, r, strempty(buf));
        close(root_fd);
        return ok;
}

/* The userspace fallback (valgrind, old kernels) must resolve exactly as openat2(RESOLVE_IN_ROOT). */
TEST(walk) {

        ASSERT_TRUE(walk_reads("image", "/etc/passwd", 0, "app:x:1001"));
        ASSERT_TRUE(walk_reads("image", "etc//./passwd", 0, "app:x:1001"));
        ASSERT_TRUE(walk_reads("image", "/../../../etc/passwd", 0, "app:x:1001"));
        ASSERT_TRUE(walk_reads("image", "/etc", -EISDIR, NULL));
        ASSERT_TRUE(walk_reads("image", "/etc/passwd/x", -ENOTDIR, NULL));
        ASSERT_TRUE(walk_reads("image", "/etc/missing", -ENOENT, NULL));
        ASSERT_TRUE(walk_reads("abs", "/etc/passwd", 0, "insider"));
        ASSERT_TRUE(walk_reads("rel", "/etc/passwd", -ENOENT, NULL));
        ASSERT_TRUE(walk_reads("self", "/etc/passwd", -ELOOP, NULL));
        ASSERT_TRUE(walk_reads("magic", "/etc/passwd", -ENOENT, NULL));

        /* a relative link inside the root, and one through a directory link */
        ASSERT_TRUE(walk_reads("walk", "/etc/passwd", 0, "walker"));
        ASSERT_TRUE(walk_reads("walk", "/etc/d/passwd", 0, "walker"));
        ASSERT_TRUE(walk_reads("walk", "/etc/d/../etc/passwd", 0, "walker"));
        ASSERT_TRUE(walk_reads("walk", "/etc/host", -ENOENT, NULL));
}

TEST(file_types) {
        char p[PATH_MAX * 2];
        char *contents = NULL;
        int root_fd, fd;

        make_dir("types");
        make_dir("types/etc");
        root_fd = open_root("types");

        /* a FIFO must not block us */
        snprintf(p, sizeof(p), "%s/types/etc/passwd", base);
        ASSERT_TRUE(mkfifo(p, 0644) == 0);
        ASSERT_TRUE(user_record_read_file(root_fd, "/etc/passwd", &contents) == -EBADFD);

        /* a directory */
        snprintf(p, sizeof(p), "%s/types/etc/group", base);
        ASSERT_TRUE(mkdir(p, 0755) == 0);
        ASSERT_TRUE(user_record_read_file(root_fd, "/etc/group", &contents) == -EISDIR);

        /* too large */
        snprintf(p, sizeof(p), "%s/types/etc/big", base);
        fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0 && ftruncate(fd, USER_RECORD_FILE_MAX + 1) == 0);
        close(fd);
        ASSERT_TRUE(user_record_read_file(root_fd, "/etc/big", &contents) == -EFBIG);

        /* NUL bytes */
        write_file("types/etc/nul", "a");
        snprintf(p, sizeof(p), "%s/types/etc/nul", base);
        fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
        ASSERT_TRUE(fd >= 0 && write(fd, "\0b\n", 3) == 3);
        close(fd);
        ASSERT_TRUE(user_record_read_file(root_fd, "/etc/nul", &contents) == -EBADMSG);

        ASSERT_TRUE(user_record_read_file(root_fd, "/etc/missing", &contents) == -ENOENT);

        write_file("types/etc/ok", "x:x:1:1::/:/bin/sh\n");
        ASSERT_TRUE(user_record_read_file(root_fd, "etc/ok", &contents) == 0);
        ASSERT_TRUE(contents && streq(contents, "x:x:1:1::/:/bin/sh\n"));
        free(contents);

        close(root_fd);
}

/* The kernel's filesystems and devices are refused before anything is opened for reading: /etc/passwd ->
 * /proc/kmsg in a root must not make the launcher drain the host's kernel log with its CAP_SYSLOG. The
 * host's own root stands in for a root whose /proc and /sys are mounted. */
TEST(pseudo_files) {
        static const char *const refused[] = {
                "/proc/version", "/proc/self/status", "/proc/kmsg", "/sys/kernel/uevent_seqnum", "/dev/null",
                "/dev/zero", "/dev/kmsg",
        };
        char *contents = NULL;
        int root_fd;

        root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        ASSERT_TRUE(root_fd >= 0);
        for (size_t i = 0; i < ELEMENTSOF(refused); i++) {
                int r = user_record_read_file(root_fd, refused[i], &contents);
                if (r == -ENOENT)
                        continue;       /* not on this kernel */
                if (r != -EBADFD)
                        fprintf(stderr, "  %s: %d\n", refused[i], r);
                ASSERT_TRUE(r == -EBADFD);
        }
        close(root_fd);
}

/* Image=host: what ctr generates, and names resolved against it whatever the root's /etc/passwd says. */
TEST(host_image) {
        ExecCredentials cred = {};
        ExecError err = {};
        char *s = NULL;
        Container *c;
        int root_fd;

        ASSERT_TRUE(user_record_host_passwd(NULL, NULL, &s) == 0);
        ASSERT_TRUE(streq(s, "root:x:0:0:root:/root:/bin/sh\n"
                             "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"));
        free(s);
        ASSERT_TRUE(user_record_host_passwd("1001", NULL, &s) == 0);
        ASSERT_TRUE(strstr(s, "\nctr-1001:x:1001:1001:ctr user:/:/bin/sh\n") != NULL);
        free(s);
        ASSERT_TRUE(user_record_host_passwd("1001", "2002", &s) == 0);
        ASSERT_TRUE(strstr(s, "\nctr-1001:x:1001:2002:") != NULL);
        free(s);
        ASSERT_TRUE(user_record_host_passwd("nobody", NULL, &s) == 0);
        ASSERT_TRUE(!strstr(s, "ctr-"));
        free(s);
        ASSERT_TRUE(user_record_host_group("1001", "2002", &s) == 0);
        ASSERT_TRUE(streq(s, "root:x:0:\ntty:x:5:\nctr-2002:x:2002:\nnogroup:x:65534:\n"));
        free(s);
        ASSERT_TRUE(user_record_host_group("5", NULL, &s) == 0);
        ASSERT_TRUE(streq(s, "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n"));
        free(s);

        /* a root whose passwd a root workload rewrote in its persistent layer: nobody is uid 0 there */
        make_dir("rewritten");
        make_dir("rewritten/etc");
        write_file("rewritten/etc/passwd", "root:x:0:0::/root:/bin/sh\nnobody:x:0:0::/:/bin/sh\nextra:x:7:7::/:/x\n");
        write_file("rewritten/etc/group", "root:x:0:\nnogroup:x:0:\nwheel:x:10:nobody\n");
        root_fd = open_root("rewritten");
        c = new_container();
        c->image = (char *) "host";
        c->user = (char *) "nobody";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 65534 && cred.gid == 65534 && cred.n_supplementary_gids == 0);
        exec_credentials_done(&cred);
        c->user = (char *) "extra";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == -ESRCH);
        c->user = (char *) "1234";
        c->group = (char *) "nogroup";
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 1234 && cred.gid == 65534 && streq(cred.user_name, "ctr-1234"));
        exec_credentials_done(&cred);

        /* the same root as an image (RootDirectory=) keeps its own files */
        c->image = NULL;
        c->user = (char *) "nobody";
        c->group = NULL;
        ASSERT_TRUE(exec_credentials_resolve(c, root_fd, &cred, &err) == 0);
        ASSERT_TRUE(cred.uid == 0);
        exec_credentials_done(&cred);
        close(root_fd);
}

