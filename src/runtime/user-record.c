/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "chase.h"
#include "fileio.h"
#include "macro.h"
#include "parse-util.h"
#include "string-util.h"
#include "user-record.h"

/* Not in every <linux/magic.h> */
#ifndef CONFIGFS_MAGIC
#define CONFIGFS_MAGIC 0x62656570
#endif
#ifndef FUSECTL_SUPER_MAGIC
#define FUSECTL_SUPER_MAGIC 0x65735543
#endif
#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

void user_record_done(UserRecord *u) {
        if (!u)
                return;
        u->name = mfree(u->name);
        u->home = mfree(u->home);
        u->shell = mfree(u->shell);
}

void group_record_done(GroupRecord *g) {
        if (!g)
                return;
        g->name = mfree(g->name);
}

/* The kernel's own filesystems: their files are interfaces, not data. Reading one with the launcher's
 * privileges could do what the container may not (/proc/kmsg drains the host's kernel log with CAP_SYSLOG;
 * debugfs, tracefs, sysfs and securityfs files answer root differently), so a passwd there is refused. */
static bool fs_type_is_pseudo(unsigned long t) {
        static const unsigned long types[] = {
                PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC, SECURITYFS_MAGIC, CONFIGFS_MAGIC,
                CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, BPF_FS_MAGIC, PSTOREFS_MAGIC, EFIVARFS_MAGIC,
                SELINUX_MAGIC, SMACK_MAGIC, DEVPTS_SUPER_MAGIC, BINFMTFS_MAGIC, FUSECTL_SUPER_MAGIC, MQUEUE_MAGIC,
                NSFS_MAGIC, PIPEFS_MAGIC, SOCKFS_MAGIC, ANON_INODE_FS_MAGIC, AUTOFS_SUPER_MAGIC,
        };

        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (t == types[i])
                        return true;
        return false;
}

int user_record_read_file(int root_fd, const char *path, char **ret) {
        _cleanup_close_ int pfd = -EBADF, fd = -EBADF;
        char proc_path[64];
        struct statfs sfs;
        struct stat st, st2;
        int r;

        /* O_PATH first: nothing is opened for real (a device's open may act, a FIFO's may block) until the
         * inode is known to be a regular file on a filesystem that holds data. */
        r = chase_open(root_fd, path, O_PATH, &pfd);
        if (r < 0)
                return r;
        if (fstat(pfd, &st) < 0 || fstatfs(pfd, &sfs) < 0)
                return negative_errno();
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode) || fs_type_is_pseudo((unsigned long) sfs.f_type))
                return -EBADFD;

        /* Reopened through the O_PATH fd, never by name again: a container that swaps the file between the
         * check and the read (ctrctl exec runs while it does) cannot put another inode in its place. Without
         * /proc ("ctrctl exec" may find itself so) by name, and then only read if it is the inode checked:
         * at worst a swapped-in file is opened, never read, and O_NONBLOCK keeps a FIFO from blocking. */
        snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%i", pfd);
        fd = open(proc_path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
                r = chase_open(root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, &fd);
                if (r < 0)
                        return r;
        }
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st2) < 0)
                return negative_errno();
        if (st.st_dev != st2.st_dev || st.st_ino != st2.st_ino)
                return -ESTALE;
        return read_text_fd(fd, USER_RECORD_FILE_MAX, ret, NULL);
}

/* Splits the next line of |*p| into at most |n_fields| ':'-separated fields (NUL-terminating them in |line|,
 * a copy). Returns the number of fields, 0 for a line to skip, -E2BIG for an overlong line, -ENOENT at
 * the end. */
static int next_line(const char **p, char *line, char **fields, size_t n_fields) {
        const char *e;
        size_t len, n = 0;

        if (**p == '\0')
                return -ENOENT;

        e = strchrnul(*p, '\n');
        len = (size_t) (e - *p);
        if (len > USER_RECORD_LINE_MAX)
                return -E2BIG;

        memcpy(line, *p, len);
        line[len] = '\0';
        *p = *e ? e + 1 : e;

        if (len == 0 || line[0] == '+' || line[0] == '-' || line[0] == '#')
                return 0;

        fields[n++] = line;
        for (char *c = line; *c; c++)
                if (*c == ':') {
                        *c = '\0';
                        if (n >= n_fields)
                                return 0;       /* too many fields: malformed */
                        fields[n++] = c + 1;
                }

        return (int) n;
}

/* The entry of |name| (or, when NULL, of the numeric |id| in field |id_field|) in a passwd-style file whose
 * entries have exactly |n_fields| fields: its fields into |f| (pointing into |line|, USER_RECORD_LINE_MAX + 1
 * bytes), its id, and the numeric field |gid_field| when that is not 0. A malformed line, or one whose numbers
 * do not parse, is skipped. -ESRCH when there is none. */
static int find_entry(const char *contents, char *line, char **f, size_t n_fields, size_t id_field,
                      size_t gid_field, const char *name, uint32_t id, uint32_t *ret_id, uint32_t *ret_gid) {
        const char *p = contents;

        for (;;) {
                uint32_t v, g = 0;
                int r;

                r = next_line(&p, line, f, n_fields);
                if (r == -ENOENT)
                        return -ESRCH;
                if (r < 0)
                        return r;
                if ((size_t) r != n_fields || isempty(f[0]) || parse_uid(f[id_field], &v) < 0 ||
                    (gid_field > 0 && parse_uid(f[gid_field], &g) < 0))
                        continue;
                if (name ? streq(f[0], name) : v == id) {
                        *ret_id = v;
                        if (ret_gid)
                                *ret_gid = g;
                        return 0;
                }
        }
}

int passwd_find(const char *contents, const char *name, uid_t id, UserRecord *ret) {
        _cleanup_free_ char *line = NULL;
        char *f[7];
        uid_t uid;
        gid_t gid;
        int r;

        line = malloc(USER_RECORD_LINE_MAX + 1);
        if (!line)
                return -ENOMEM;
        r = find_entry(contents, line, f, ELEMENTSOF(f), 2, 3, name, id, &uid, &gid);
        if (r < 0)
                return r;

        UserRecord u = {
                .uid = uid,
                .gid = gid,
                .name = strdup(f[0]),
                .home = strdup(isempty(f[5]) ? "/" : f[5]),
                .shell = strdup(isempty(f[6]) ? "/bin/sh" : f[6]),
        };
        if (!u.name || !u.home || !u.shell) {
                user_record_done(&u);
                return -ENOMEM;
        }
        *ret = u;
        return 0;
}

int group_find(const char *contents, const char *name, gid_t id, GroupRecord *ret) {
        _cleanup_free_ char *line = NULL;
        char *f[4];
        gid_t gid;
        int r;

        line = malloc(USER_RECORD_LINE_MAX + 1);
        if (!line)
                return -ENOMEM;
        r = find_entry(contents, line, f, ELEMENTSOF(f), 2, 0, name, id, &gid, NULL);
        if (r < 0)
                return r;

        GroupRecord g = {
                .gid = gid,
                .name = strdup(f[0]),
        };
        if (!g.name)
                return -ENOMEM;
        *ret = g;
        return 0;
}

static bool member_list_contains(char *list, const char *user) {
        char *save = NULL;

        for (char *m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save))
                if (streq(m, user))
                        return true;
        return false;
}

int group_find_memberships(const char *contents, const char *user, gid_t **ret, size_t *ret_n) {
        _cleanup_free_ char *line = NULL;
        _cleanup_free_ gid_t *gids = NULL;
        const char *p = contents;
        size_t n = 0;

        line = malloc(USER_RECORD_LINE_MAX + 1);
        if (!line)
                return -ENOMEM;

        for (;;) {
                char *f[4];
                gid_t gid;
                bool dup = false;
                int r;

                r = next_line(&p, line, f, ELEMENTSOF(f));
                if (r == -ENOENT)
                        break;
                if (r < 0)
                        return r;
                if (r != 4 || isempty(f[0]) || parse_uid(f[2], &gid) < 0)
                        continue;
                if (!member_list_contains(f[3], user))
                        continue;

                for (size_t i = 0; i < n; i++)
                        if (gids[i] == gid)
                                dup = true;
                if (dup)
                        continue;
                if (n >= USER_RECORD_GROUPS_MAX)
                        return -E2BIG;

                gid_t *a = reallocarray(gids, n + 1, sizeof(gid_t));
                if (!a)
                        return -ENOMEM;
                gids = a;
                gids[n++] = gid;
        }

        *ret = TAKE_PTR(gids);
        *ret_n = n;
        return 0;
}

/* The ids Image=host adds an entry for: a numeric User= gets "ctr-UID", and its group (a numeric Group=, else
 * the uid) "ctr-GID"; (uid_t) -1 when there is none. */
static void host_ids(const char *user, const char *group, uid_t *ret_uid, gid_t *ret_gid) {
        uid_t uid;
        gid_t gid;

        if (parse_uid(user, &uid) < 0)
                uid = (uid_t) -1;
        if (parse_uid(group, &gid) < 0)
                gid = uid;
        *ret_uid = uid;
        *ret_gid = gid;
}

int user_record_host_passwd(const char *user, const char *group, char **ret) {
        uid_t uid;
        gid_t gid;
        char *s;

        host_ids(user, group, &uid, &gid);
        if (uid != (uid_t) -1 && uid != 0 && uid != 65534)
                s = strprintf("root:x:0:0:root:/root:/bin/sh\n"
                              "ctr-%u:x:%u:%u:ctr user:/:/bin/sh\n"
                              "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n",
                              (unsigned) uid, (unsigned) uid, (unsigned) gid);
        else
                s = strdup("root:x:0:0:root:/root:/bin/sh\n"
                           "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int user_record_host_group(const char *user, const char *group, char **ret) {
        uid_t uid;
        gid_t gid;
        char *s;

        host_ids(user, group, &uid, &gid);
        if (gid != (gid_t) -1 && gid != 0 && gid != 5 && gid != 65534)
                s = strprintf("root:x:0:\ntty:x:5:\nctr-%u:x:%u:\nnogroup:x:65534:\n", (unsigned) gid,
                              (unsigned) gid);
        else
                s = strdup("root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}
