/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What plan.c shares with the other parts of the plan (plan-image.c): adding operations. */

#include "plan.h"

/* Appends an operation, duplicating the strings. Returns the new op (for the few extra fields) or NULL. */
PlanOp *plan_add(Plan *p, PlanOpType type, bool in_root, const char *target, const char *source,
                 const char *options, unsigned attr);
/* An operation on the host path DIR/NAME. */
PlanOp *plan_add_host_path(Plan *p, PlanOpType type, const char *dir, const char *name);

/* Image=REF: the overlay of the image's layers (the mstack directory) with the writable layer, the image's
 * WorkingDir. */
int plan_image_root(Plan *p, const Container *c, const PlanOptions *o);
/* The image's Volumes: persistent binds of STATE/containers/NAME.volumes/ESCAPED, filled on first use. */
int plan_image_volumes(Plan *p, const Container *c, const PlanOptions *o);

/* PrivateUsers=: why this container cannot have a user namespace (a sentence), or NULL. */
const char *plan_private_users_refused(const Container *c);
/* PrivateUsers=: CLONE_NEWUSER, the range, and by_parent on what root in the namespace cannot do. */
void plan_private_users(Plan *p, const UsernsRange *range);

/* The service's credentials: Secret=, or every one passed (PlanOptions.credentials), on a ramfs at
 * /run/secrets. -EEXIST with *ret_reason when a Volume= or Tmpfs= is there already. */
int plan_secrets(Plan *p, const Container *c, const PlanOptions *o, const char **ret_reason);

/* AddDevice=: each host node bound on its path in the container's /dev, after /dev is built. */
int plan_devices(Plan *p, const Container *c);
