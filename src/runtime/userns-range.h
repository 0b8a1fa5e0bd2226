/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateUsers=: the range of host UIDs/GIDs a container's user namespace maps 0… onto. A picked range is
 * 65536 ids, 65536-aligned, from the pool below; every range in use is recorded as STATE/userns/NAME
 * ("BASE COUNT\n"), so a container keeps its range across restarts and reboots (its writable layer stays
 * valid), and written under STATE/userns/.lock, so containers starting in parallel never share one.
 *
 * The pool lies between systemd's container range (systemd-nspawn --private-users=pick and nsresourced:
 * 524288…1879048191, 0x80000…0x6FFFFFFF) and its foreign UID range (2147352576…, 0x7FFE0000…), a stretch
 * systemd's docs/UIDS-GIDS.md leaves unused, below 2^31 where every tool handles ids. A range that
 * overlaps an id in the host's /etc/passwd, /etc/group, /etc/subuid or /etc/subgid is skipped.
 *
 * A record is released when its container's state is gone: no STATE/containers/NAME (persistent layer),
 * STATE/containers/NAME.mstack (image root) nor RUNTIME/NAME (running), and no launcher holds it (a shared
 * flock() on the record from the allocation on, before the state exists). The next allocation drops it.
 *
 * Library code: returns negative errno, never logs. */

#include <stdint.h>

#define USERNS_POOL_FIRST 0x70000000U   /* 1879048192 */
#define USERNS_POOL_END 0x7FFE0000U     /* 2147352576, exclusive */
#define USERNS_RANGE_SIZE 65536U

typedef struct UsernsRange {
        uint32_t base;
        uint32_t count;
} UsernsRange;

typedef struct UsernsPaths {
        const char *state_dir;          /* STATE: userns/ below it, and containers/ for staleness */
        const char *runtime_dir;        /* RUNTIME/NAME: a running container */
        const char *etc_dir;            /* the host's /etc (passwd, group, subuid, subgid) */
} UsernsPaths;

/* The range of |name|: |want| (an explicit UID[:COUNT], recorded as it is) or, with want NULL, the one
 * recorded for it or a new pick. -EADDRINUSE when |want| overlaps another container's range (*ret_other then
 * names it: "container 'db' (BASE:COUNT)"); -ENOSPC when the pool is full. With |ret_hold_fd|, the record
 * stays held (never taken for stale) while that descriptor is open: a launcher keeps it until it exits. */
int userns_range_acquire(const UsernsPaths *paths, const char *name, const UsernsRange *want, UsernsRange *ret,
                         char **ret_other, int *ret_hold_fd);
/* What is recorded for |name|: -ENOENT if nothing. */
int userns_range_read(const char *state_dir, const char *name, UsernsRange *ret);
/* Forget |name|'s range (its state was removed). */
int userns_range_release(const char *state_dir, const char *name);
