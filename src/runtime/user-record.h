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

/* A uid/gid in decimal, 0 … 4294967294 ((uid_t) -1 is "no id"), no sign, no leading zeros. */
int user_record_parse_id(const char *s, uid_t *ret);

/* Opens |path| below |root_fd| as openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS) does: absolute symlinks and
 * ".." stay inside the root. |flags| are open() flags (O_CLOEXEC is added). Falls back to
 * user_record_open_in_root_walk() where openat2 is missing (kernels before 5.6, valgrind, or an outer
 * seccomp filter that answers EPERM for it). */
int user_record_open_in_root(int root_fd, const char *path, int flags, int *ret_fd);
/* The userspace walk: component by component with O_PATH|O_NOFOLLOW, at most 40 symlinks; magic links are
 * read as plain text. Opens files only (-EISDIR for a directory). */
int user_record_open_in_root_walk(int root_fd, const char *path, int flags, int *ret_fd);

/* Reads |path| (e.g. "/etc/passwd") below |root_fd| with user_record_open_in_root(), so absolute and ".."
 * symlinks stay inside the root. The file must be a regular file on a filesystem that holds data: a FIFO,
 * a device, or any file of procfs, sysfs, debugfs… (/etc/passwd -> /proc/kmsg) is -EBADFD, found with O_PATH
 * before anything is opened for reading, then reopened through that fd. At most USER_RECORD_FILE_MAX bytes
 * (-EFBIG); a NUL byte is -EBADMSG. -ENOENT when it does not exist. Needs /proc mounted. */
int user_record_read_file(int root_fd, const char *path, char **ret);

/* Look-ups in the contents of a passwd/group file. Exactly one of |name| (non-NULL) or |id| is the key;
 * the first matching entry wins, malformed lines and NIS "+"/"-" lines are skipped. -ESRCH when there is no
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
