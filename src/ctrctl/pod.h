/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Pods: which containers join a container's namespaces (Network=container:NAME), from the .ctr files. */

/* The names of the containers on the search path whose Network= is container:|name|, sorted; files that do
 * not load are skipped (ctrctl validate reports them). */
int container_joined_by(const char *name, char ***ret);
