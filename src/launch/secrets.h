/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The service's credentials, on the launcher's side (the plan: plan-secrets.c in src/runtime). systemd passes
 * ctr@NAME.service the credentials of its LoadCredential=, LoadCredentialEncrypted= and SetCredential= as
 * files in $CREDENTIALS_DIRECTORY, readable by the service alone. The launcher lists them, checks that every
 * Secret= names one, and opens each the plan puts into the container before clone(): the child inherits the
 * descriptors (root in a PrivateUsers= namespace could not open the files itself) and copies them onto the
 * container's ramfs once it knows the workload's user (secrets-mount.h). Nothing here reads a credential's
 * contents, and no message holds one. */

#include "ctr-file.h"
#include "plan.h"

/* The names of the credentials passed ($CREDENTIALS_DIRECTORY), sorted; NULL when it is not set or empty.
 * Names systemd would not have made are skipped. Logs. */
int launch_credentials_list(char ***ret);

/* Every Secret= of |c| names one of |credentials|: otherwise logs "FILE:LINE: Secret=…" naming the credential
 * and where to give it, and returns -ENOENT. */
int launch_secrets_check(const Container *c, char *const *credentials);

/* Opens the credential of every PLAN_SECRET of |p| (O_RDONLY, O_CLOEXEC: the child, not its exec, gets them):
 * *ret_fds has one entry per operation of |p|, -EBADF for the others; NULL when the plan has none. A regular
 * file of at most CTR_CREDENTIAL_SIZE_MAX bytes each, at most CTR_SECRETS_MAX of them. Logs. */
int launch_secrets_open(const Plan *p, int **ret_fds);
/* Closes and frees what launch_secrets_open() returned (NULL is fine); NULL, for "fds = ...". */
int *launch_secrets_close(const Plan *p, int *fds);
