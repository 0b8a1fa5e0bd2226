/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Validity of names in .ctr values. parse-util.h includes this header. */

#include <stdbool.h>

#include "macro.h"

/* A user or group: a name as systemd's strict rules ([a-zA-Z_][a-zA-Z0-9_-]*, at most 31 characters), or
 * a number 0 … 2^31-2 other than 65535. */
bool user_group_name_is_valid(const char *s) _pure_;
bool user_group_is_valid(const char *s);

/* RFC 1123 host name, at most 64 characters, dot-separated labels of [a-zA-Z0-9-]. */
bool hostname_is_valid(const char *s) _pure_;
/* systemd unit names: "foo.service", "a-b.slice", "getty@tty1.service". */
bool unit_name_is_valid(const char *s) _pure_;
/* A valid, non-template .slice name whose dashes describe a hierarchy: no "--", no leading or trailing "-"
 * (except the root slice "-.slice"). */
bool slice_name_is_valid(const char *s) _pure_;
/* "host" is not an image reference: callers check that first. Accepts OCI/Docker references:
 * [registry[:port]/]path[:tag][@sha256:<64 hex>]. */
bool image_reference_is_valid(const char *s) _pure_;
/* Named volume: [A-Za-z0-9][A-Za-z0-9_.-]*, at most 255 characters. */
bool volume_name_is_valid(const char *s) _pure_;
/* A systemd credential name (LoadCredential=NAME:…), as systemd's credential_name_valid() takes it: a file
 * name (not "." or "..", no '/', at most 255 bytes) of printable ASCII without ':'. */
bool credential_name_is_valid(const char *s) _pure_;
/* Environment variable name: [A-Za-z_][A-Za-z0-9_]*. */
bool env_name_is_valid(const char *s) _pure_;
/* "NAME=VALUE" with a valid name and a valid UTF-8 value without control characters other than \t \n. */
bool env_assignment_is_valid(const char *s) _pure_;
