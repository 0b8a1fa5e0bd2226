/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Removing a tree that strangers made (an unpacked layer, a half-made one): below a directory fd, never
 * following a symlink, never crossing into another mount. */

/* Removes |name| below |dir_fd| and, when it is a directory, everything in it. Symlinks are removed, never
 * followed. 0 when it is gone (also when it was not there), -errno of the first failure (the walk goes on,
 * so as much as possible is gone). -EXDEV for a mount point inside the tree (left alone). */
int rm_rf_at(int dir_fd, const char *name);
