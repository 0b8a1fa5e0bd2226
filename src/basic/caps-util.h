/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Capability sets as bit masks (bit N = capability N) and applying them to the calling process: permitted,
 * effective, inheritable and ambient through libcap-ng, the bounding set with prctl() (see
 * capability_bounding_set_apply()). Nothing here reads /proc. Library code: returns -errno, never logs. */

#include <stdbool.h>
#include <stdint.h>

#include <linux/capability.h>

#define CAP_MASK(c) (UINT64_C(1) << (c))

/* Docker's default capability set (moby's oci/caps/defaults.go), 14 capabilities. */
#define CAPABILITY_SET_DOCKER_DEFAULT                                                                   \
        (CAP_MASK(CAP_CHOWN) | CAP_MASK(CAP_DAC_OVERRIDE) | CAP_MASK(CAP_FSETID) | CAP_MASK(CAP_FOWNER) | \
         CAP_MASK(CAP_MKNOD) | CAP_MASK(CAP_NET_RAW) | CAP_MASK(CAP_SETGID) | CAP_MASK(CAP_SETUID) |     \
         CAP_MASK(CAP_SETFCAP) | CAP_MASK(CAP_SETPCAP) | CAP_MASK(CAP_NET_BIND_SERVICE) |                \
         CAP_MASK(CAP_SYS_CHROOT) | CAP_MASK(CAP_KILL) | CAP_MASK(CAP_AUDIT_WRITE))

/* ctr's default, the bounding set of a container without AddCapability=/DropCapability=: Podman's 11
 * (containers/common's DefaultCapabilities), Docker's without NET_RAW (raw packets, ARP and DNS spoofing on
 * a shared network), MKNOD (device nodes) and AUDIT_WRITE. AddCapability= brings any of them back. */
#define CAPABILITY_SET_DEFAULT \
        (CAPABILITY_SET_DOCKER_DEFAULT & ~(CAP_MASK(CAP_NET_RAW) | CAP_MASK(CAP_MKNOD) | CAP_MASK(CAP_AUDIT_WRITE)))

/* The highest capability number the running kernel knows (probed with PR_CAPBSET_READ, so it works without
 * /proc), at most 63. */
unsigned capability_last_cap(void);
/* Every capability the running kernel knows. */
uint64_t capability_kernel_mask(void);

/* Docker's arithmetic over CAPABILITY_SET_DEFAULT: (default − drop) + add; add == ALL: all − drop; drop == ALL: add. "ALL" is a mask that
 * covers every capability 0 … min(CAP_LAST_CAP, kernel's last). The result is limited to the kernel's
 * capabilities. */
uint64_t capability_set_compute(uint64_t add, uint64_t drop);

/* "cap_chown cap_kill …" (lower case, ascending), "" for the empty set. */
int capability_set_to_string(uint64_t set, char **ret);

/* The permitted and bounding sets of the calling process. */
int capability_get_current(uint64_t *ret_permitted, uint64_t *ret_bounding);

/* Reduces the bounding set of the calling process to |set|. Needs CAP_SETPCAP in the effective set. */
int capability_bounding_set_apply(uint64_t set);

/* Sets permitted, effective and inheritable (capset), then replaces the ambient set with |ambient|. A
 * capability in |ambient| must also be in |permitted| and |inheritable|, or -EINVAL. */
int capability_sets_apply(uint64_t permitted, uint64_t effective, uint64_t inheritable, uint64_t ambient);
