/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* ctr-launch's child: the container's init, between clone() and the workload's execve() (child.c). */

#include <stdbool.h>

#include "ctr-file.h"
#include "join.h"
#include "plan.h"

/* ctr-launch's exit statuses when the workload did not run (else the workload's own, 128+N for signal N) */
#define EXIT_SETUP 125                  /* the container could not be set up */
#define EXIT_CANNOT_EXECUTE 126         /* the command could not be executed */
#define EXIT_NOT_FOUND 127              /* the command was not found */

/* In the cloned child, with its stdio in place: waits for the release on |sync_fd|, joins |joined|
 * (Network=container:NAME, JoinNamespaces=), sets up the container by plan |p| and executes the workload of
 * |c|. |secret_fds|: the launcher's descriptors of the credentials, one per operation of |p| (secrets.h), or
 * NULL. Never returns: a failure is reported over |sync_fd| and ends with _exit(EXIT_*). */
_Noreturn void launch_child_main(const Container *c, const Plan *p, const JoinedNamespaces *joined, int *secret_fds,
                                 int sync_fd);

/* True under valgrind, whose cloned child cannot set up the container: it calls launch_child_reexec()
 * instead, which joins |joined| and executes |argv| (ctr-launch's own) natively with the sync socket as
 * fd 3. */
bool launch_child_reexec_wanted(void);
_Noreturn void launch_child_reexec(int sync_fd, const JoinedNamespaces *joined, char **argv);

/* In main(): true in the process launch_child_reexec() started (and forgets that it is one). It loads the
 * container from the same arguments and calls launch_child_run_reexecuted(), which plans it again and
 * carries on as launch_child_main(). */
bool launch_child_reexecuted(void);
_Noreturn void launch_child_run_reexecuted(const Container *c, const PlanImage *image);
