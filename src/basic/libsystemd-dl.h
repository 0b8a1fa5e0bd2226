/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* libsystemd, loaded with dlopen() when first needed and unloaded again on request.
 *
 * Programs that talk to systemd all the time (ctrctl) link it. Two do not: ctr-generator, which needs it only to
 * log to the journal (log.c), and ctr-launch, whose monitor lives as long as its container but needs the bus
 * and the journal's stream descriptors only while it sets the container up. Loaded, libsystemd and its six
 * libraries (libgcrypt, liblzma, libzstd, liblz4, libgpg-error, libcap) hold ~130 KiB of relocated data that
 * no other process shares; ctr-launch unloads them once the container runs (libsystemd_release()).
 *
 * Not for use from more than one thread at a time (ctr's programs have one). */

/* The symbol NAME of libsystemd, loading the library first if it is not loaded. NULL if the library cannot be
 * loaded or lacks NAME (libsystemd_error() says why). The pointer is valid until libsystemd_release(). */
void *libsystemd_symbol(const char *name);

/* What failed in the last libsystemd_symbol() that returned NULL (dlerror()'s text), or NULL. */
const char *libsystemd_error(void);

/* Changes at every load and every release, so a caller that keeps symbols knows when to look them up again. 0
 * while the library was never loaded. */
unsigned libsystemd_generation(void);

/* Unloads the library if this module loaded it; the next libsystemd_symbol() loads it again. In a program that
 * links libsystemd, this only drops our reference, and nothing is unmapped. */
void libsystemd_release(void);
