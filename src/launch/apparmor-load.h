/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "plan.h"

/* Before a container whose processes enter ctr-default (the plan's AppArmor profile): loads the profile when
 * it is not loaded yet — a boot before apparmor.service read /etc/apparmor.d, or a machine whose AppArmor
 * policy is loaded only by its container runtimes — with "apparmor_parser -Kr FILE", as Docker loads
 * docker-default (-K: no cache written; -r: a newer file replaces the loaded profile atomically, so two
 * launchers doing this at once are fine). FILE is CTR_APPARMOR_PROFILE_PATH (config.h). Logs:
 * - AppArmor off on this machine: at debug level, and nothing to do (the container runs without);
 * - apparmor_parser missing: at notice level, and the container runs without, as under Docker;
 * - the parser failing (its own messages go to our standard error, the journal): an error, -EBADMSG: the
 *   profile is installed and does not load, so the start fails rather than run without it.
 * Returns 0 when there is nothing to do or the profile is loaded. */
int launch_apparmor_prepare(const Plan *p);
