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
 * Not for use from more than one thread at a time (ctr's programs have one; the preload's thread below does
 * nothing but the dlopen() and is joined by every function here). */

/* The symbol NAME of libsystemd, loading the library first if it is not loaded. NULL if the library cannot be
 * loaded or lacks NAME (libsystemd_error() says why). The pointer is valid until libsystemd_release(). */
void *libsystemd_symbol(const char *name);

/* Starts loading the library in a thread of its own while the caller goes on. ctr-launch under systemd needs it for
 * the scope, and loading libsystemd with its six libraries (~1,100 relocations, their constructors) takes longer
 * than the launcher's parsing and planning before it (on the build machine 0.5-0.9 ms against ~0.15 ms), a
 * serial step of every `systemctl start` that the thread takes off the path. Nothing if the library is loaded,
 * or if the thread cannot be made (the first libsystemd_symbol() loads it then). The caller must call
 * libsystemd_preload_wait() before any fork() or clone() whose child does more than exec: the child of a
 * process with two threads may inherit the loader's or malloc's lock held. */
void libsystemd_preload(void);

/* Waits for the preload's thread to end, and takes the library it loaded. Nothing without a preload. Every
 * function here calls it first. */
void libsystemd_preload_wait(void);

/* What failed in the last libsystemd_symbol() that returned NULL (dlerror()'s text), or NULL. */
const char *libsystemd_error(void);

/* Changes at every load and every release, so a caller that keeps symbols knows when to look them up again. 0
 * while the library was never loaded. */
unsigned libsystemd_generation(void);

/* Unloads the library if this module loaded it; the next libsystemd_symbol() loads it again. In a program that
 * links libsystemd, this only drops our reference, and nothing is unmapped. */
void libsystemd_release(void);
