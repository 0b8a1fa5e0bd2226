/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The container's /etc/resolv.conf when its file sets DNS=, DNSSearch= or DNSOption=: the host's, with those
 * replacing its nameservers, search domains and options, as Docker's and Podman's --dns, --dns-search and
 * --dns-option do. Pure: the launcher reads the host's file. */

#include "container.h"

/* Whether c sets any of the three (otherwise the host's file is copied as it is). */
bool resolv_conf_is_custom(const Container *c) _pure_;

/* From |host| (the host's resolv.conf text, may be NULL): its "nameserver", "search" (or "domain") and
 * "options" lines, each kind replaced by c's DNS=, DNSSearch= (a lone "." meaning none) and DNSOption= where
 * set; comments and other lines are left out. */
int resolv_conf_build(const char *host, const Container *c, char **ret);
