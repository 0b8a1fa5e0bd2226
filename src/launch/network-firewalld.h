/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* firewalld and the bridge: ctr ships firewalld's zone "ctr" for ctr0 (units/firewalld-ctr.xml), which firewalld
 * reads at its start and on a reload. When ctr0 is made while firewalld runs and has ctr0 in another zone (it
 * ran since before ctr was installed, or an administrator moved ctr0), containers' traffic to the host and out
 * may be rejected by that zone: say so, once, at the bridge's creation, with what to do. */

/* Asks firewalld (if it owns its bus name: never started by the call) which zone ctr0 is in, and logs a warning
 * when that is not "ctr". Bounded by a short timeout; any failure to ask is logged at debug level only. */
void firewalld_check_bridge_zone(void);
