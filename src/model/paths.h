/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The project's paths on the host, in one place. CTR_STATE_DIR (default /var/lib/ctr: persistent layers,
 * images) and CTR_RUNTIME_DIR (default /run/ctr: runtime state, leases, caches) are set by meson; the
 * environment variables of the same names relocate them for tests (absolute paths only, anything else is
 * ignored). Paths inside a container are here too, where the launcher and ctrctl must agree on them. */

/* State of persistent containers: STATE/containers/NAME/{upper,work}. */
const char *state_dir(void);
/* Runtime state: RUNTIME/NAME/{state,notify/…}, RUNTIME/.seccomp, RUNTIME/.network, ctrctl run's files. */
const char *runtime_dir(void);

/* Network=bridge: leases and the machine-wide lock (never relocated: one bridge per host). */
#define NETWORK_STATE_DIR CTR_RUNTIME_DIR "/.network"

/* Notify=yes: where the monitor's notify socket appears inside the container. */
#define NOTIFY_SOCKET_CONTAINER_DIR "/run/host/notify"
#define NOTIFY_SOCKET_CONTAINER_PATH NOTIFY_SOCKET_CONTAINER_DIR "/notify"
