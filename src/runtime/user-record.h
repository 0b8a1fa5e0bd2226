/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Users and groups of a container image: etc/passwd and etc/group read below the container's root fd, never
 * through NSS (the host's users are not the container's). Library code: returns -errno, never logs. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define USER_RECORD_FILE_MAX (16U * 1024U * 1024U)
#define USER_RECORD_LINE_MAX (64U * 1024U)
#define USER_RECORD_GROUPS_MAX 65536U    /* NGROUPS_MAX of Linux */

typedef struct UserRecord {
        char *name;
        uid_t uid;
        gid_t gid;
        char *home;
        char *shell;
} UserRecord;

typedef struct GroupRecord {
        char *name;
        gid_t gid;
} GroupRecord;

void user_record_done(UserRecord *u);
void group_record_done(GroupRecord *g);

/* Reads |path| (e.g. "/etc/passwd") below |root_fd| with chase_open(), so absolute and ".." symlinks stay
 * inside the root. The file must be a regular file on a filesystem that holds data: a FIFO,
 * a device, or any file of procfs, sysfs, debugfs… (/etc/passwd -> /proc/kmsg) is -EBADFD, found with O_PATH
 * before anything is opened for reading, then reopened through that fd. At most USER_RECORD_FILE_MAX bytes
 * (-EFBIG); a NUL byte is -EBADMSG. -ENOENT when it does not exist. Needs /proc mounted. */
int user_record_read_file(int root_fd, const char *path, char **ret);

/* Look-ups in the contents of a passwd/group file. Exactly one of |name| (non-NULL) or |id| is the key;
 * the first matching entry wins, malformed lines and NIS "+"/"-" lines are skipped (an id parse_uid()
 * refuses, 65535 among them, makes a line malformed). -ESRCH when there is no
 * such entry, -E2BIG for a line longer than USER_RECORD_LINE_MAX. */
int passwd_find(const char *contents, const char *name, uid_t id, UserRecord *ret);
int group_find(const char *contents, const char *name, gid_t id, GroupRecord *ret);

/* The gids of every group whose member list names |user|, in file order, without duplicates. */
int group_find_memberships(const char *contents, const char *user, gid_t **ret, size_t *ret_n);

/* The /etc/passwd and /etc/group ctr generates for Image=host, from User= and Group= (either may be NULL):
 * root, nobody/nogroup, tty, and a "ctr-ID" entry for a numeric User= (its group: a numeric Group=, else the
 * uid). The launcher writes them into the container's /etc, and names are resolved against them, never
 * against a copy the container may have rewritten in its persistent layer. */
int user_record_host_passwd(const char *user, const char *group, char **ret);
int user_record_host_group(const char *user, const char *group, char **ret);
