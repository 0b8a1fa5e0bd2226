/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The one way to reach a path inside a directory tree that must be treated as a root ("/" of a container):
 * symlinks are followed as if that directory were "/", never out of it. ".." stops at the root, an absolute
 * symlink starts again from the root, a magic link (/proc/PID/fd/N, /proc/PID/root, …) is refused with
 * -ELOOP, at most 40 symlinks are followed (-ELOOP). systemd's chase() is the model.
 *
 * The kernel does this itself with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), used where it can; what
 * openat2 cannot do (stop before the last component, create what is missing) and kernels or sandboxes
 * without openat2 (before 5.6, valgrind, an outer seccomp filter answering EPERM) take a walk in userspace
 * with the same rules: one component at a time with O_PATH|O_NOFOLLOW below a descriptor we hold, every
 * symlink read and resolved by us, so the kernel never follows one. Returns -errno; never logs. */

#include <stdbool.h>
#include <sys/types.h>

typedef enum ChaseFlags {
        /* A symlink as the last component is not followed: it is the result itself. */
        CHASE_NOFOLLOW = 1 << 0,
        /* Stop at the last component: *ret_fd is the directory that holds it and *ret_name its name, which
         * need not exist (then chase() returns 0, else 1). A last component that is a symlink is followed
         * first (unless CHASE_NOFOLLOW), so a dangling link yields the place its target would have. A path
         * that ends in a directory without a name of its own ("/", "a/..") is -EISDIR. */
        CHASE_PARENT = 1 << 1,
        /* Missing directories are created with the mode given (the umask applies), also where a dangling
         * symlink leads: mkdir -p inside the root. Without CHASE_PARENT the last component is a directory
         * too (-ENOTDIR if it exists as something else). */
        CHASE_MKDIR = 1 << 2,
} ChaseFlags;

/* Resolves |path| (absolute or not: always below |root_fd|) as described above. *ret_fd is an O_PATH
 * descriptor of the result (with CHASE_PARENT: of its directory, and *ret_name the last component).
 * Returns 1 when the result exists, 0 when it does not (CHASE_PARENT only), -errno. */
int chase(int root_fd, const char *path, ChaseFlags flags, mode_t mode, int *ret_fd, char **ret_name);

/* openat2(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), whichever way it is done: |flags|
 * are open() flags (O_CLOEXEC is added; O_NOFOLLOW leaves a last symlink as it is), O_CREAT and O_TMPFILE
 * are -EINVAL (create with CHASE_PARENT, then openat() with O_EXCL|O_NOFOLLOW). The walk opens the last
 * component again with |flags| below its directory and checks that it is the inode it resolved (-ESTALE if
 * it was swapped meanwhile). */
int chase_open(int root_fd, const char *path, int flags, int *ret_fd);

/* mkdir -p of |path| inside |root_fd| (CHASE_MKDIR); *ret_fd (may be NULL) gets the directory, O_PATH. */
int mkdir_in_root(int root_fd, const char *path, mode_t mode, int *ret_fd);

/* For tests: true makes every call take the userspace walk, as on a kernel without openat2. */
void chase_force_walk(bool force);
