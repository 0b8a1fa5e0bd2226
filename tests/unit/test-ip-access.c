/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The cgroup firewall keys: IPAddressAllow=/IPAddressDeny= and SocketBindAllow=/SocketBindDeny= words
 * (src/model/ip-access.c), and the keys in a .ctr (src/model/keys-firewall.c): several words per line, lines
 * accumulate, an empty value resets, a bad word rejects the file naming file, line, key and value. */

#include <netinet/in.h>
#include <sys/socket.h>

#include "ctr-file.h"
#include "ip-access.h"
#include "string-util.h"
#include "test-load.h"
#include "test.h"

static const char *prefix_str(const IPAddressPrefix *p) {
        static char buf[4][IP_ACCESS_STRING_MAX];
        static unsigned i;

        return ip_address_prefix_to_string(p, buf[i++ % 4], IP_ACCESS_STRING_MAX);
}

static const char *bind_str(const char *word) {
        static char buf[IP_ACCESS_STRING_MAX];
        SocketBindRule b;

        if (parse_socket_bind_rule(word, &b) < 0)
                return "(refused)";
        return socket_bind_rule_to_string(&b, buf, sizeof(buf));
}

/* Loads "web" from a file of |text| in a fresh directory, with its diagnostics. */
static int load(const char *text, Diagnostics *d, Container **ret) {
        return test_load_ctr_text_diag("web", text, d, ret);
}

#define HEADER "[Container]\nImage=host\n"

TEST(ip_address_words) {
        IPAddressPrefix p[IP_ADDRESS_WORD_MAX];

        ASSERT_EQ(parse_ip_address_word("any", p), 2);
        ASSERT_STREQ(prefix_str(&p[0]), "0.0.0.0/0");
        ASSERT_STREQ(prefix_str(&p[1]), "::/0");
        ASSERT_EQ(parse_ip_address_word("localhost", p), 2);
        ASSERT_STREQ(prefix_str(&p[0]), "127.0.0.0/8");
        ASSERT_STREQ(prefix_str(&p[1]), "::1/128");
        ASSERT_EQ(parse_ip_address_word("link-local", p), 2);
        ASSERT_STREQ(prefix_str(&p[0]), "169.254.0.0/16");
        ASSERT_STREQ(prefix_str(&p[1]), "fe80::/64");
        ASSERT_EQ(parse_ip_address_word("multicast", p), 2);
        ASSERT_STREQ(prefix_str(&p[0]), "224.0.0.0/4");
        ASSERT_STREQ(prefix_str(&p[1]), "ff00::/8");

        /* an address alone is itself; a prefix has its host bits cleared, as systemd does */
        ASSERT_EQ(parse_ip_address_word("192.0.2.7", p), 1);
        ASSERT_EQ(p[0].family, AF_INET);
        ASSERT_EQ(p[0].prefixlen, 32);
        ASSERT_STREQ(prefix_str(&p[0]), "192.0.2.7/32");
        ASSERT_EQ(parse_ip_address_word("10.1.2.3/8", p), 1);
        ASSERT_STREQ(prefix_str(&p[0]), "10.0.0.0/8");
        ASSERT_EQ(parse_ip_address_word("10.1.2.3/20", p), 1);
        ASSERT_STREQ(prefix_str(&p[0]), "10.1.0.0/20");
        ASSERT_EQ(parse_ip_address_word("fd00:1:2::5/48", p), 1);
        ASSERT_EQ(p[0].family, AF_INET6);
        ASSERT_STREQ(prefix_str(&p[0]), "fd00:1:2::/48");
        ASSERT_EQ(parse_ip_address_word("::1", p), 1);
        ASSERT_STREQ(prefix_str(&p[0]), "::1/128");
        ASSERT_EQ(parse_ip_address_word("0.0.0.0/0", p), 1);
        ASSERT_STREQ(prefix_str(&p[0]), "0.0.0.0/0");

        ASSERT_ERROR(parse_ip_address_word("", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("anything", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("10.0.0.256", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("10.0.0.1/33", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("::1/129", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("10.0.0.1/", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("10.0.0.1/x", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("/8", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("example.com", p), EINVAL);
        ASSERT_ERROR(parse_ip_address_word("10.0.0.1/8/8", p), EINVAL);
}

TEST(socket_bind_words) {
        SocketBindRule b;

        ASSERT_OK(parse_socket_bind_rule("any", &b));
        ASSERT_EQ(b.family, AF_UNSPEC);
        ASSERT_EQ(b.protocol, 0);
        ASSERT_EQ(b.nr_ports, 0);
        ASSERT_EQ(b.port_min, 0);
        ASSERT_OK(parse_socket_bind_rule("tcp:8080", &b));
        ASSERT_EQ(b.family, AF_UNSPEC);
        ASSERT_EQ(b.protocol, IPPROTO_TCP);
        ASSERT_EQ(b.nr_ports, 1);
        ASSERT_EQ(b.port_min, 8080);
        ASSERT_OK(parse_socket_bind_rule("ipv6:udp:5000-5009", &b));
        ASSERT_EQ(b.family, AF_INET6);
        ASSERT_EQ(b.protocol, IPPROTO_UDP);
        ASSERT_EQ(b.nr_ports, 10);
        ASSERT_EQ(b.port_min, 5000);

        ASSERT_STREQ(bind_str("8080"), "8080");
        ASSERT_STREQ(bind_str("ipv4:53"), "ipv4:53");
        ASSERT_STREQ(bind_str("ipv4:tcp:any"), "ipv4:tcp:any");
        ASSERT_STREQ(bind_str("udp:any"), "udp:any");
        ASSERT_STREQ(bind_str("1-65535"), "1-65535");
        ASSERT_STREQ(bind_str("tcp:8080-8080"), "tcp:8080");

        ASSERT_STREQ(bind_str(""), "(refused)");
        ASSERT_STREQ(bind_str("0"), "(refused)");
        ASSERT_STREQ(bind_str("65536"), "(refused)");
        ASSERT_STREQ(bind_str("90-80"), "(refused)");
        ASSERT_STREQ(bind_str("tcp"), "(refused)");
        ASSERT_STREQ(bind_str("tcp:"), "(refused)");
        ASSERT_STREQ(bind_str("sctp:80"), "(refused)");
        ASSERT_STREQ(bind_str("tcp:ipv4:80"), "(refused)");   /* the parts in their order */
        ASSERT_STREQ(bind_str("ipv4:tcp:udp:80"), "(refused)");
        ASSERT_STREQ(bind_str("ipv5:80"), "(refused)");
        ASSERT_STREQ(bind_str("80:81"), "(refused)");
        ASSERT_STREQ(bind_str("http"), "(refused)");
}

TEST(keys_accumulate_and_reset) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load(HEADER "IPAddressDeny=any\n"
                       "IPAddressAllow=10.0.0.1 localhost\nIPAddressAllow=fd00::/8\n"
                       "SocketBindDeny=ipv6:any\nSocketBindDeny=\nSocketBindDeny=any\n"
                       "SocketBindAllow=tcp:8080 udp:53-54\nSocketBindAllow=ipv4:9000\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c->n_ip_address_deny, 2);
        ASSERT_STREQ(prefix_str(&c->ip_address_deny[0]), "0.0.0.0/0");
        ASSERT_STREQ(prefix_str(&c->ip_address_deny[1]), "::/0");
        ASSERT_EQ(c->n_ip_address_allow, 4);
        ASSERT_STREQ(prefix_str(&c->ip_address_allow[0]), "10.0.0.1/32");
        ASSERT_STREQ(prefix_str(&c->ip_address_allow[1]), "127.0.0.0/8");
        ASSERT_STREQ(prefix_str(&c->ip_address_allow[2]), "::1/128");
        ASSERT_STREQ(prefix_str(&c->ip_address_allow[3]), "fd00::/8");
        ASSERT_EQ(c->n_socket_bind_deny, 1);
        ASSERT_EQ(c->socket_bind_deny[0].family, AF_UNSPEC);
        ASSERT_EQ(c->socket_bind_deny[0].nr_ports, 0);
        ASSERT_EQ(c->n_socket_bind_allow, 3);
        ASSERT_EQ(c->socket_bind_allow[1].protocol, IPPROTO_UDP);
        ASSERT_EQ(c->socket_bind_allow[1].port_min, 53);
        ASSERT_EQ(c->socket_bind_allow[1].nr_ports, 2);
        ASSERT_EQ(c->socket_bind_allow[2].family, AF_INET);
        ASSERT_TRUE(container_has_cgroup_firewall(c));
        c = container_free(c);

        /* an empty assignment resets: nothing is left, and nothing is given to the scope */
        ASSERT_OK(load(HEADER "IPAddressDeny=any\nIPAddressDeny=\nIPAddressAllow=::1\nIPAddressAllow=\n"
                       "SocketBindAllow=80\nSocketBindAllow=\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c->n_ip_address_deny, 0);
        ASSERT_NULL(c->ip_address_deny);
        ASSERT_EQ(c->n_ip_address_allow, 0);
        ASSERT_EQ(c->n_socket_bind_allow, 0);
        ASSERT_FALSE(container_has_cgroup_firewall(c));
        c = container_free(c);

        ASSERT_OK(load(HEADER, &d, &c));
        ASSERT_FALSE(container_has_cgroup_firewall(c));
}

/* A firewall key guards isolation: a bad word is an error that rejects the file, naming where and what. */
static void assert_rejected(const char *line, const char *key, const char *value, const char *message) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = strprintf(HEADER "%s\n", line);
        Diagnostics d = {};

        ASSERT_NOT_NULL(text);
        ASSERT_ERROR(load(text, &d, &c), EBADMSG);
        ASSERT_NULL(c);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_ERROR);
        ASSERT_TRUE(endswith(d.items[0].file, "/web.ctr"));
        ASSERT_EQ(d.items[0].line, 3);
        ASSERT_STREQ(d.items[0].section, "Container");
        ASSERT_STREQ(d.items[0].key, key);
        ASSERT_STREQ(d.items[0].value, value);
        ASSERT_STREQ(d.items[0].message, message);
        diagnostics_clear(&d);
}

TEST(bad_values_reject_the_file) {
        static const char *const ip = "expected any, localhost, link-local, multicast or ADDRESS[/PREFIXLENGTH].";
        static const char *const bind = "expected [ipv4:|ipv6:][tcp:|udp:]PORT[-PORT] or any.";
        static const struct {
                const char *key, *value, *word, *expected;
        } cases[] = {
                { "IPAddressDeny",   "any 10.0.0.0/33", "10.0.0.0/33", ip   },
                { "IPAddressAllow",  "example.com",     "example.com", ip   },
                { "IPAddressDeny",   "'any",            "'any",        ip   },
                { "SocketBindDeny",  "any tcp:0",       "tcp:0",       bind },
                { "SocketBindAllow", "sctp:80",         "sctp:80",     bind },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_free_ char *line = strprintf("%s=%s", cases[i].key, cases[i].value);
                _cleanup_free_ char *message = strprintf("Invalid value '%s' for %s=, %s", cases[i].word,
                                                         cases[i].key, cases[i].expected);

                ASSERT_NOT_NULL(line);
                ASSERT_NOT_NULL(message);
                assert_rejected(line, cases[i].key, cases[i].value, message);
        }
}
