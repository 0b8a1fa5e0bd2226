/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cap-ng.h>

#include "caps-util.h"
#include "macro.h"

unsigned capability_last_cap(void) {
        static unsigned cached = 0;
        unsigned last;

        if (cached > 0)
                return cached;

        /* PR_CAPBSET_READ fails with EINVAL for a capability the kernel does not know. CAP_CHOWN … CAP_SETFCAP
         * (31) exist on every kernel we can run on; probe upwards from there. */
        last = 31;
        while (last < 63 && prctl(PR_CAPBSET_READ, (unsigned long) last + 1, 0, 0, 0) >= 0)
                last++;

        cached = last;
        return last;
}

uint64_t capability_kernel_mask(void) {
        unsigned last = capability_last_cap();

        return last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
}

static bool mask_is_all(uint64_t m) {
        /* The parser represents ALL as 0 … CAP_LAST_CAP of its build; the kernel may know fewer or more. */
        uint64_t all = capability_kernel_mask();

#ifdef CAP_LAST_CAP
        if (CAP_LAST_CAP < 63)
                all &= (UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1;
#endif
        return (m & all) == all;
}

uint64_t capability_set_compute(uint64_t add, uint64_t drop) {
        uint64_t s;

        if (mask_is_all(add))
                s = UINT64_MAX & ~drop;
        else if (mask_is_all(drop))
                s = add;
        else
                s = (CAPABILITY_SET_DEFAULT & ~drop) | add;

        return s & capability_kernel_mask();
}

int capability_set_to_string(uint64_t set, char **ret) {
        _cleanup_free_ char *s = NULL;
        size_t n = 0;

        s = calloc(1, 64 * 32);
        if (!s)
                return -ENOMEM;

        for (unsigned i = 0; i < 64; i++) {
                const char *name;
                char buf[16];

                if (!(set & CAP_MASK(i)))
                        continue;

                name = capng_capability_to_name(i);
                if (!name) {
                        snprintf(buf, sizeof(buf), "%u", i);
                        name = buf;
                }
                n += (size_t) snprintf(s + n, 64 * 32 - n, "%scap_%s", n > 0 ? " " : "", name);
        }

        *ret = TAKE_PTR(s);
        return 0;
}

/* libcap-ng reports failures as small negative numbers; errno is set when a syscall failed. */
static int capng_error(void) {
        return errno > 0 ? -errno : -EPERM;
}

int capability_get_current(uint64_t *ret_permitted, uint64_t *ret_bounding) {
        struct __user_cap_header_struct header = {
                .version = _LINUX_CAPABILITY_VERSION_3,
                .pid = 0,
        };
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
        unsigned last = capability_last_cap();
        uint64_t bounding = 0;

        /* capget() directly: libcap-ng would also parse /proc/self/status for sets we do not need here. */
        if (syscall(SYS_capget, &header, data) < 0)
                return negative_errno();

        /* one prctl() per capability: only for a caller that wants the bounding set */
        for (unsigned i = 0; ret_bounding && i <= last; i++)
                if (prctl(PR_CAPBSET_READ, (unsigned long) i, 0, 0, 0) > 0)
                        bounding |= CAP_MASK(i);

        if (ret_permitted)
                *ret_permitted = ((uint64_t) data[1].permitted << 32 | data[0].permitted) &
                        capability_kernel_mask();
        if (ret_bounding)
                *ret_bounding = bounding;
        return 0;
}

int capability_bounding_set_apply(uint64_t set) {
        unsigned last = capability_last_cap();

        /* Straight prctl(PR_CAPBSET_DROP) rather than capng_apply(CAPNG_SELECT_BOUNDS): libcap-ng 0.8.3
         * returns success without dropping anything when CAP_SETPCAP is not effective, and reads
         * /proc/self/status twice to get there. The kernel's answer is the truth: EPERM without
         * CAP_SETPCAP. */
        for (unsigned i = 0; i <= last; i++) {
                if (set & CAP_MASK(i))
                        continue;
                if (prctl(PR_CAPBSET_DROP, (unsigned long) i, 0, 0, 0) >= 0)
                        continue;
                /* Dropping what is already out needs CAP_SETPCAP too: only a capability still in the set
                 * is a failure. (Asking first would cost a prctl() per capability on every start.) */
                if (errno != EPERM || prctl(PR_CAPBSET_READ, (unsigned long) i, 0, 0, 0) > 0)
                        return negative_errno();
        }

        return 0;
}

int capability_sets_apply(uint64_t permitted, uint64_t effective, uint64_t inheritable, uint64_t ambient) {
        unsigned last = capability_last_cap();

        if ((ambient & ~(permitted & inheritable)) != 0)
                return -EINVAL;

        /* The sets are given in full, so libcap-ng need not read the current ones (it would parse
         * /proc/PID/status, which after setns() into a container's PID namespace may be another process's). */
        capng_setpid((int) getpid());
        capng_clear(CAPNG_SELECT_ALL);
        for (unsigned i = 0; i <= last; i++) {
                if ((permitted & CAP_MASK(i)) && capng_update(CAPNG_ADD, CAPNG_PERMITTED, i) < 0)
                        return -EINVAL;
                if ((effective & CAP_MASK(i)) && capng_update(CAPNG_ADD, CAPNG_EFFECTIVE, i) < 0)
                        return -EINVAL;
                if ((inheritable & CAP_MASK(i)) && capng_update(CAPNG_ADD, CAPNG_INHERITABLE, i) < 0)
                        return -EINVAL;
                if ((ambient & CAP_MASK(i)) && capng_update(CAPNG_ADD, CAPNG_AMBIENT, i) < 0)
                        return -EINVAL;
        }

        errno = 0;
        if (capng_apply(CAPNG_SELECT_CAPS) < 0)
                return capng_error();

        /* Ambient last: raising one needs it in permitted and inheritable already. */
        errno = 0;
        if (capng_apply(CAPNG_SELECT_AMBIENT) < 0)
                return capng_error();

        /* Trust, but verify: a silently ignored ambient raise would leave a non-root workload without the
         * capabilities it was promised, a silently ignored clear with more. */
        for (unsigned i = 0; i <= last; i++) {
                int is_set = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, (unsigned long) i, 0, 0);

                if (is_set < 0)
                        return negative_errno();
                if ((is_set > 0) != !!(ambient & CAP_MASK(i)))
                        return -EPERM;
        }

        return 0;
}
