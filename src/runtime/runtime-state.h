/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The runtime state of a running container, kept by its launcher in RUNTIME_DIR/NAME/state
 * (RUNTIME_DIR = $CTR_RUNTIME_DIR or /run/ctr) for ctrctl: an environment-style file, written atomically,
 * removed when the container stops. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct RuntimeState {
        char *name;
        pid_t init_pid;         /* the container's PID 1, in the host's PID namespace */
        pid_t monitor_pid;      /* ctr-launch */
        uint64_t init_start;    /* the init's start time (field 22 of /proc/PID/stat, clock ticks since boot):
                                 * what tells it from a later process given the same PID; 0 when the state
                                 * does not say (a launcher before INIT_START=) */
        char *scope;            /* "ctr-NAME.scope", NULL without a scope */
        char *config_hash;      /* read only: what a launcher before CTR_CONFIG_STAMP recorded (CONFIG_HASH=) */
        char *config_stamp;     /* Container.config_stamp of what it was started with */
        char *config;           /* Container.config it was started with: RUNTIME_DIR/NAME/config, beside the
                                 * state, for ctrctl to hash (the launcher never hashes); NULL when missing */
        size_t config_size;
        char *source_path;      /* the .ctr it was started from */
        char *address;          /* Network=bridge: the container's IPv4 address on ctr0 */
        char *address6;         /* … and its IPv6 address, when ctr0 has IPv6 */
        char *image_digest;     /* Image=: the manifest digest ("sha256:…") it was started with, so the store
                                 * keeps that image's layers while it runs, whatever happens to the name */
        uint64_t started_usec;  /* CLOCK_REALTIME */
        char *launcher_version; /* the PACKAGE_VERSION of the launcher that runs it */
        char *launcher_binary;  /* that launcher's executable, as launcher_binary_id() names it */
        char *health;           /* HealthCmd=: "starting", "healthy" or "unhealthy"; NULL without a check */
        unsigned health_failing_streak; /* failed checks in a row */
} RuntimeState;

void runtime_state_done(RuntimeState *s);

/* RUNTIME_DIR/NAME, created 0755 (with RUNTIME_DIR) if missing. */
int runtime_state_dir(const char *name, bool create, char **ret);

int runtime_state_write(const RuntimeState *s);
int runtime_state_read(const char *name, RuntimeState *ret);
/* Removes the state, the configuration and the health output. */
int runtime_state_remove(const char *name);

/* RUNTIME_DIR/NAME/health-output: what the last health check wrote (at most HEALTH_OUTPUT_MAX bytes of
 * health-check.h), written atomically after every check (its mtime: when that check ended; the state
 * itself is rewritten only when the health changes); read back at most |max| bytes, and the mtime
 * (CLOCK_REALTIME, µs; |ret_mtime_usec| may be NULL). -ENOENT before the first check. */
int runtime_state_write_health_output(const char *name, const char *output, size_t size);
int runtime_state_read_health_output(const char *name, size_t max, char **ret, uint64_t *ret_mtime_usec);

/* Whether |s|'s init is the process that now has its PID: alive, the child of its monitor and, when the state
 * recorded it, started when the init did. A state left behind by a launcher killed with SIGKILL names PIDs
 * that the kernel may since have given to a host process: entering that one's namespaces would be entering
 * the host's. A caller that then opens /proc/PID/… opens a pidfd first and checks it is still alive after. */
bool runtime_state_init_alive(const RuntimeState *s);

/* "DEV:INO:MTIME" of the file |path| (stat() follows it: "/proc/self/exe" names the running binary even once
 * a package upgrade renamed a new one over it), for LAUNCHER_BINARY=. */
int launcher_binary_id(const char *path, char **ret);

/* 1 when the launcher that runs |s| is no longer the file |installed| (replaced since it started), 0 when it
 * is, -ENODATA when |s| does not say (a launcher before LAUNCHER_BINARY=), -errno when |installed| cannot be
 * stat()ed (-ENOENT: none installed there). */
int runtime_launcher_replaced(const RuntimeState *s, const char *installed);
