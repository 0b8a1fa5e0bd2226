/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Container] keys of the names the container resolves: entries of its /etc/hosts besides its own
 * (AddHost=) and its /etc/resolv.conf (DNS=, DNSSearch=, DNSOption=), as Docker's and Podman's --add-host,
 * --dns, --dns-search and --dns-option. A bad value is a warning: a name that resolves otherwise weakens no
 * isolation. */

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "key-parser.h"
#include "name-util.h"
#include "string-util.h"
#include "strv.h"

/* resolv.conf(5) reads at most this many of each; more would be silently ignored inside */
#define DNS_SERVERS_MAX 3U
#define DNS_SEARCH_MAX 6U

static bool address_is_valid(const char *s) {
        unsigned char buf[sizeof(struct in6_addr)];

        return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static int check_host(KeyContext *k, const char *word, char **ret) {
        /* NAME:ADDRESS, split at the first ':' (an IPv6 address has more), as Docker's --add-host */
        const char *colon = strchr(word, ':');
        _cleanup_free_ char *name = colon ? strndup(word, (size_t) (colon - word)) : NULL;

        if (colon && !name)
                return -ENOMEM;
        if (!name || !hostname_is_valid(name) || !address_is_valid(colon + 1))
                return key_invalid(k, EINVAL, "AddHost= takes NAME:ADDRESS (a host name and an IPv4 or IPv6 "
                                   "address), got '%s'", word);
        *ret = strprintf("%s\t%s", colon + 1, name);
        return *ret ? 1 : -ENOMEM;
}

int key_add_host(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->add_hosts, CTR_LIST_MAX, EXTRACT_UNQUOTE, check_host);
}

static int check_server(KeyContext *k, const char *word, char **ret) {
        if (!address_is_valid(word))
                return key_invalid(k, EINVAL, "DNS= takes IPv4 or IPv6 addresses, got '%s'", word);
        *ret = strdup(word);
        return *ret ? 1 : -ENOMEM;
}

int key_dns(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->dns_servers, DNS_SERVERS_MAX, EXTRACT_UNQUOTE, check_server);
}

static int check_domain(KeyContext *k, const char *word, char **ret) {
        /* "." alone: no search domain at all, as Docker's --dns-search=. */
        if (!streq(word, ".") &&
            (strlen(word) > 253 || !alnum_or(word, "-.") || word[0] == '.' || strstr(word, "..")))
                return key_invalid(k, EINVAL, "DNSSearch= takes domain names, got '%s'", word);
        *ret = strdup(word);
        return *ret ? 1 : -ENOMEM;
}

int key_dns_search(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->dns_search, DNS_SEARCH_MAX, EXTRACT_UNQUOTE, check_domain);
}

static int check_option(KeyContext *k, const char *word, char **ret) {
        if (!alnum_or(word, "-_:.") || strlen(word) > 64)
                return key_invalid(k, EINVAL, "DNSOption= takes resolv.conf(5) options (ndots:2, edns0, …), "
                                   "got '%s'", word);
        *ret = strdup(word);
        return *ret ? 1 : -ENOMEM;
}

int key_dns_option(KeyContext *k, const char *v) {
        return key_parse_words(k, v, &k->lc->c->dns_options, CTR_LIST_MAX, EXTRACT_UNQUOTE, check_option);
}
