/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdlib.h>

#include "child.h"
#include "log.h"
#include "paths.h"
#include "userns-launch.h"

int launch_userns_range(const Container *c, bool dry_run, UsernsRange *ret, const UsernsRange **ret_use) {
        _cleanup_free_ char *other = NULL;
        PrivateUsers mode = container_private_users(c);
        UsernsRange want = { .base = c->private_users_uid, .count = c->private_users_count };
        const UsernsPaths paths = { .state_dir = state_dir(), .runtime_dir = runtime_dir(), .etc_dir = "/etc" };
        int r;

        *ret_use = NULL;
        if (mode == PRIVATE_USERS_NO)
                return 0;
        if (dry_run) {
                if (mode == PRIVATE_USERS_FIXED)
                        *ret = want;
                else if (userns_range_read(state_dir(), c->name, ret) < 0)
                        *ret = (UsernsRange) { .base = 0, .count = USERNS_RANGE_SIZE };
                *ret_use = ret;
                return 0;
        }
        /* valgrind cannot run the child, which re-executes natively (child.h) outside what the launcher set up
         * for the user namespace: said rather than hung */
        if (launch_child_reexec_wanted())
                return log_error_errno(SYNTHETIC_ERRNO(EOPNOTSUPP), "Container '%s': PrivateUsers= does not work "
                                       "under valgrind; set PrivateUsers=no for a valgrind run.", c->name);
        /* held until the launcher exits (never closed here): its state may not exist yet */
        static int hold_fd = -EBADF;
        r = userns_range_acquire(&paths, c->name, mode == PRIVATE_USERS_FIXED ? &want : NULL, ret, &other,
                                 &hold_fd);
        if (r == -EADDRINUSE)
                return log_error_errno(r, "Container '%s': PrivateUsers=%u:%u overlaps the range of %s.", c->name,
                                       want.base, want.count, other);
        if (r == -ENOSPC)
                return log_error_errno(r, "Container '%s': no free range of %u ids left for PrivateUsers=pick "
                                       "between %u and %u.", c->name, USERNS_RANGE_SIZE, USERNS_POOL_FIRST,
                                       USERNS_POOL_END - 1);
        if (r < 0)
                return log_error_errno(r, "Container '%s': failed to allocate its PrivateUsers= range in '%s/userns': %m",
                                       c->name, state_dir());
        log_debug("Container '%s': user namespace, ids 0-%u are host ids %u-%u.", c->name, ret->count - 1,
                  ret->base, ret->base + (ret->count - 1));
        *ret_use = ret;
        return 0;
}
