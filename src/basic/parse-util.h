/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Value types (of .ctr files and the rest), strict: every parser rejects trailing garbage, signs where none belong, and
 * overflow. All return >= 0 on success, -EINVAL for a malformed value, -ERANGE for one out of range. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "time-util.h"

/* Sizes and counts: UINT64_MAX is "infinity", the value below it "unset". */
#define LIMIT_INFINITY UINT64_MAX
#define LIMIT_UNSET (UINT64_MAX - 1)


/* Decimal, no sign, no whitespace, no leading zeros beyond a single "0". */
int safe_atou64(const char *s, uint64_t *ret);
int safe_atou32(const char *s, uint32_t *ret);
int safe_atou(const char *s, unsigned *ret);
/* Optional '-' sign, otherwise as safe_atou64. */
int safe_atoi(const char *s, int *ret);

/* yes/no/true/false/on/off/y/n/t/f/1/0, case-insensitive; returns 1 or 0. */
int parse_boolean(const char *v);

/* Bytes, base 1024: "512", "512K", "1.5G", "2T" (suffixes B K M G T P E). No "infinity" here. */
int parse_size(const char *s, uint64_t *ret);
/* parse_size() or "infinity" (LIMIT_INFINITY). */
int parse_size_or_infinity(const char *s, uint64_t *ret);

/* "50%" → 50, 0–100. */
int parse_percent(const char *s);
/* "50%", "50.5%", "12.34%", "505‰", "5050‱" → parts per 10000. Bounded to 0–10000, or not. */
int parse_permyriad(const char *s);
int parse_permyriad_unbounded(const char *s);
/* Parts per 10000 scaled to UINT32_MAX, as systemd's MemoryMaxScale= etc. */
uint32_t permyriad_to_scale(int permyriad);

/* Durations as systemd: "90s", "1min 30s", "2h", "500ms", "1.5d", a bare number is seconds; "infinity". */
int parse_sec(const char *s, uint64_t *ret_usec);

/* "SIGTERM", "TERM", "15", "SIGRTMIN+3", "RTMAX-1". Returns the signal number. */
int parse_signal(const char *s);
/* "TERM" for SIGTERM, "RTMIN+3" …; NULL for an invalid number. Static storage for the real-time ones
 * is a small per-thread buffer. */
const char *signal_to_string(int sig);

/* One capability, "CAP_SYS_ADMIN", "sys_admin", any case; returns its number. */
int parse_capability(const char *s);
/* Whitespace-separated capabilities, or "ALL", into a bit mask (bit N = capability N). On error
 * *ret_bad (if non-NULL) points to a copy of the offending word. */
int parse_capability_set(const char *s, uint64_t *ret, char **ret_bad);
/* Mask of every capability this build knows (0 … CAP_LAST_CAP). */
uint64_t capability_all(void);

/* "0-3,6", also whitespace-separated; normalised to sorted, merged ranges "0-3,6". CPUs < 8192. */
#define CPU_LIST_MAX 8192U
int parse_cpu_list(const char *s, char **ret);

/* "0755", "1777": octal, at most 07777. */
int parse_mode(const char *s, mode_t *ret);

/* A user or group ID: decimal as safe_atou32(), 0 … 2^31-2 other than 65535 (-ERANGE). The one grammar of
 * ids: User=, Group=, "ctrctl exec -u" and the entries of a container's passwd and group files. */
int parse_uid(const char *s, uid_t *ret);
