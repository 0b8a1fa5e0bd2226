/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <netinet/in.h>
#include <signal.h>
#include <linux/capability.h>

#include "env-util.h"
#include "name-util.h"
#include "parse-util.h"
#include "port-mapping.h"
#include "test.h"

TEST(safe_atou64) {
        uint64_t v;

        ASSERT_OK(safe_atou64("0", &v));
        ASSERT_EQ_U64(v, 0);
        ASSERT_OK(safe_atou64("18446744073709551615", &v));
        ASSERT_EQ_U64(v, UINT64_MAX);
        ASSERT_ERROR(safe_atou64("18446744073709551616", &v), ERANGE);
        ASSERT_ERROR(safe_atou64("", &v), EINVAL);
        ASSERT_ERROR(safe_atou64("-1", &v), EINVAL);
        ASSERT_ERROR(safe_atou64("+1", &v), EINVAL);
        ASSERT_ERROR(safe_atou64(" 1", &v), EINVAL);
        ASSERT_ERROR(safe_atou64("1 ", &v), EINVAL);
        ASSERT_ERROR(safe_atou64("012", &v), EINVAL);
        ASSERT_ERROR(safe_atou64("0x10", &v), EINVAL);
}

TEST(safe_atoi) {
        int v;

        ASSERT_OK(safe_atoi("-2147483648", &v));
        ASSERT_EQ(v, INT32_MIN);
        ASSERT_OK(safe_atoi("2147483647", &v));
        ASSERT_EQ(v, INT32_MAX);
        ASSERT_ERROR(safe_atoi("2147483648", &v), ERANGE);
        ASSERT_ERROR(safe_atoi("-", &v), EINVAL);
}

TEST(boolean_good) {
        const char *yes[] = { "yes", "YES", "true", "True", "on", "ON", "1", "y", "t" };
        const char *no[] = { "no", "No", "false", "FALSE", "off", "Off", "0", "n", "f" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                ASSERT_EQ(parse_boolean(yes[i]), 1);
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                ASSERT_EQ(parse_boolean(no[i]), 0);
}

TEST(boolean_bad) {
        const char *bad[] = { "", "2", "yess", "enable", "nope", " yes", "-1", "oui" };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_ERROR(parse_boolean(bad[i]), EINVAL);
        ASSERT_ERROR(parse_boolean(NULL), EINVAL);
}

TEST(size_good) {
        uint64_t v;

        ASSERT_OK(parse_size("512", &v));
        ASSERT_EQ_U64(v, 512);
        ASSERT_OK(parse_size("512K", &v));
        ASSERT_EQ_U64(v, 512 * 1024);
        ASSERT_OK(parse_size("1.5G", &v));
        ASSERT_EQ_U64(v, UINT64_C(3) << 29);
        ASSERT_OK(parse_size("2T", &v));
        ASSERT_EQ_U64(v, UINT64_C(2) << 40);
        ASSERT_OK(parse_size("256M", &v));
        ASSERT_EQ_U64(v, UINT64_C(256) << 20);
        ASSERT_OK(parse_size("1 M", &v));
        ASSERT_EQ_U64(v, UINT64_C(1) << 20);
        ASSERT_OK(parse_size("100B", &v));
        ASSERT_EQ_U64(v, 100);
        ASSERT_OK(parse_size("0.5K", &v));
        ASSERT_EQ_U64(v, 512);
        ASSERT_OK(parse_size("0", &v));
        ASSERT_EQ_U64(v, 0);
        ASSERT_OK(parse_size_or_infinity("infinity", &v));
        ASSERT_EQ_U64(v, LIMIT_INFINITY);
}

TEST(size_bad) {
        const char *bad[] = { "", "lots", "-1", "1X", "1KB", "1k", "1.5", "K", "1..5G", "1.G", ".5G",
                              "infinity", "1G 2", "18446744073709551615", "16E" };
        uint64_t v = 42;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_FAIL(parse_size(bad[i], &v));
        ASSERT_EQ_U64(v, 42);
        ASSERT_FAIL(parse_size_or_infinity("Infinity", &v));
}

TEST(percent) {
        ASSERT_EQ(parse_percent("0%"), 0);
        ASSERT_EQ(parse_percent("50%"), 50);
        ASSERT_EQ(parse_percent("100%"), 100);
        ASSERT_ERROR(parse_percent("101%"), ERANGE);
        ASSERT_FAIL(parse_percent("50"));
        ASSERT_FAIL(parse_percent("%"));
        ASSERT_FAIL(parse_percent("-5%"));
        ASSERT_FAIL(parse_percent("5 %"));
}

TEST(permyriad) {
        ASSERT_EQ(parse_permyriad("50%"), 5000);
        ASSERT_EQ(parse_permyriad("50.5%"), 5050);
        ASSERT_EQ(parse_permyriad("12.34%"), 1234);
        ASSERT_EQ(parse_permyriad("505\u2030"), 5050);
        ASSERT_EQ(parse_permyriad("1\u2031"), 1);
        ASSERT_EQ(parse_permyriad("100%"), 10000);
        ASSERT_FAIL(parse_permyriad("100.01%"));
        ASSERT_FAIL(parse_permyriad("1.234%"));
        ASSERT_FAIL(parse_permyriad("abc%"));
        ASSERT_EQ(parse_permyriad_unbounded("250%"), 25000);
        ASSERT_EQ(permyriad_to_scale(10000), UINT32_MAX);
        ASSERT_EQ(permyriad_to_scale(0), 0);
        ASSERT_EQ(permyriad_to_scale(5000), 2147483648U);
}

TEST(sec_good) {
        uint64_t u;

        ASSERT_OK(parse_sec("90s", &u));
        ASSERT_EQ_U64(u, 90 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("1min 30s", &u));
        ASSERT_EQ_U64(u, 90 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("1min30s", &u));
        ASSERT_EQ_U64(u, 90 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("2h", &u));
        ASSERT_EQ_U64(u, 7200 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("500ms", &u));
        ASSERT_EQ_U64(u, 500000);
        ASSERT_OK(parse_sec("1d", &u));
        ASSERT_EQ_U64(u, 86400 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("10", &u));
        ASSERT_EQ_U64(u, 10 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("1.5s", &u));
        ASSERT_EQ_U64(u, 1500000);
        ASSERT_OK(parse_sec("5 min", &u));
        ASSERT_EQ_U64(u, 300 * USEC_PER_SEC);
        ASSERT_OK(parse_sec("3us", &u));
        ASSERT_EQ_U64(u, 3);
        ASSERT_OK(parse_sec("1w 1m", &u));
        ASSERT_EQ_U64(u, (604800 + 60) * USEC_PER_SEC);
        ASSERT_OK(parse_sec("infinity", &u));
        ASSERT_EQ_U64(u, USEC_INFINITY);
        ASSERT_OK(parse_sec("0", &u));
        ASSERT_EQ_U64(u, 0);
}

TEST(sec_bad) {
        const char *bad[] = { "", " ", "s", "-1s", "1x", "1 2x", "infinityx", "1.s", "5 minutess",
                              "99999999999999999999s", "1e3" };
        uint64_t u;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_FAIL(parse_sec(bad[i], &u));
}

TEST(signal) {
        ASSERT_EQ(parse_signal("SIGTERM"), SIGTERM);
        ASSERT_EQ(parse_signal("TERM"), SIGTERM);
        ASSERT_EQ(parse_signal("15"), 15);
        ASSERT_EQ(parse_signal("SIGKILL"), SIGKILL);
        ASSERT_EQ(parse_signal("HUP"), SIGHUP);
        ASSERT_EQ(parse_signal("SIGRTMIN"), SIGRTMIN);
        ASSERT_EQ(parse_signal("SIGRTMIN+3"), SIGRTMIN + 3);
        ASSERT_EQ(parse_signal("RTMAX-1"), SIGRTMAX - 1);
        ASSERT_EQ(parse_signal("SIGRTMAX"), SIGRTMAX);
        ASSERT_FAIL(parse_signal("SIGFOO"));
        ASSERT_FAIL(parse_signal("0"));
        ASSERT_FAIL(parse_signal("65"));
        ASSERT_FAIL(parse_signal("sigterm"));
        ASSERT_FAIL(parse_signal("SIGRTMIN-1"));
        ASSERT_FAIL(parse_signal("SIGRTMIN+99"));
        ASSERT_FAIL(parse_signal(""));
        ASSERT_STREQ(signal_to_string(SIGTERM), "TERM");
        ASSERT_STREQ(signal_to_string(SIGRTMIN + 2), "RTMIN+2");
}

TEST(capability) {
        ASSERT_EQ(parse_capability("CAP_NET_ADMIN"), CAP_NET_ADMIN);
        ASSERT_EQ(parse_capability("net_admin"), CAP_NET_ADMIN);
        ASSERT_EQ(parse_capability("Cap_Sys_Admin"), CAP_SYS_ADMIN);
        ASSERT_EQ(parse_capability("chown"), CAP_CHOWN);
        ASSERT_FAIL(parse_capability("CAP_FOO"));
        ASSERT_FAIL(parse_capability("12"));
        ASSERT_FAIL(parse_capability(""));
        ASSERT_FAIL(parse_capability("CAP_"));
}

TEST(capability_set) {
        _cleanup_free_ char *bad = NULL;
        uint64_t m;

        ASSERT_OK(parse_capability_set("CAP_NET_ADMIN sys_time", &m, NULL));
        ASSERT_EQ_U64(m, (UINT64_C(1) << CAP_NET_ADMIN) | (UINT64_C(1) << CAP_SYS_TIME));
        ASSERT_OK(parse_capability_set("ALL", &m, NULL));
        ASSERT_EQ_U64(m, capability_all());
        ASSERT_TRUE(m & (UINT64_C(1) << CAP_LAST_CAP));
        ASSERT_FAIL(parse_capability_set("CAP_CHOWN CAP_BOGUS", &m, &bad));
        ASSERT_STREQ(bad, "CAP_BOGUS");
}

TEST(cpu_list) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

        ASSERT_OK(parse_cpu_list("0-3,6", &a));
        ASSERT_STREQ(a, "0-3,6");
        ASSERT_OK(parse_cpu_list("6 3 2,1 0", &b));
        ASSERT_STREQ(b, "0-3,6");
        ASSERT_OK(parse_cpu_list("1-2,2-4,9", &c));
        ASSERT_STREQ(c, "1-4,9");
        ASSERT_OK(parse_cpu_list("7", &d));
        ASSERT_STREQ(d, "7");
}

TEST(cpu_list_bad) {
        const char *bad[] = { "", "a", "3-1", "-1", "1-", "0-99999", "1,,x", "1.5" };
        char *r = NULL;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_FAIL(parse_cpu_list(bad[i], &r));
        ASSERT_NULL(r);
}

TEST(port_mapping_good) {
        PortMapping m;

        ASSERT_OK(parse_port_mapping("8080:80", &m));
        ASSERT_NULL(m.host_address);
        ASSERT_EQ(m.host_port, 8080);
        ASSERT_EQ(m.container_port, 80);
        ASSERT_EQ(m.count, 1);
        ASSERT_EQ(m.protocol, IPPROTO_TCP);

        ASSERT_OK(parse_port_mapping("127.0.0.1:8080:80", &m));
        ASSERT_STREQ(m.host_address, "127.0.0.1");
        free(m.host_address);

        ASSERT_OK(parse_port_mapping("[::1]:8080:80/udp", &m));
        ASSERT_STREQ(m.host_address, "::1");
        ASSERT_EQ(m.protocol, IPPROTO_UDP);
        free(m.host_address);

        ASSERT_OK(parse_port_mapping("8000-8001:80-81", &m));
        ASSERT_EQ(m.host_port, 8000);
        ASSERT_EQ(m.container_port, 80);
        ASSERT_EQ(m.count, 2);

        ASSERT_OK(parse_port_mapping("53:53/tcp", &m));
        ASSERT_EQ(m.protocol, IPPROTO_TCP);
}

TEST(port_mapping_bad) {
        const char *bad[] = { "", "80", "0:80", "65536:80", "8080:80/sctp", "8000-8002:80-81", "a:b",
                              "::1:8080:80", "1.2.3:80:80", "[::1]8080:80", "[zz]:1:2", "8001-8000:81-80",
                              "1:2:3:4", "8080:80/", "-1:80" };
        PortMapping m = {};

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_FAIL(parse_port_mapping(bad[i], &m));
        ASSERT_NULL(m.host_address);
}

TEST(mode) {
        mode_t m;

        ASSERT_OK(parse_mode("1777", &m));
        ASSERT_EQ(m, 01777);
        ASSERT_OK(parse_mode("0755", &m));
        ASSERT_EQ(m, 0755);
        ASSERT_FAIL(parse_mode("8", &m));
        ASSERT_FAIL(parse_mode("17777", &m));
        ASSERT_FAIL(parse_mode("", &m));
}

/* The one grammar of user and group ids (User=, Group=, "ctrctl exec -u", the container's passwd and group
 * files): 65535 and (uid_t) -1 are never ids. */
TEST(parse_uid) {
        uid_t u = 7;

        ASSERT_TRUE(parse_uid("0", &u) == 0 && u == 0);
        ASSERT_TRUE(parse_uid("1001", &u) == 0 && u == 1001);
        ASSERT_TRUE(parse_uid("65534", &u) == 0 && u == 65534);
        ASSERT_TRUE(parse_uid("65536", &u) == 0 && u == 65536);
        ASSERT_TRUE(parse_uid("2147483646", &u) == 0 && u == 2147483646U);
        u = 7;
        ASSERT_ERROR(parse_uid("65535", &u), ERANGE);
        ASSERT_ERROR(parse_uid("4294967295", &u), ERANGE);
        ASSERT_ERROR(parse_uid("4294967294", &u), ERANGE);
        ASSERT_ERROR(parse_uid("2147483647", &u), ERANGE);
        ASSERT_ERROR(parse_uid("99999999999", &u), ERANGE);
        ASSERT_ERROR(parse_uid("-1", &u), EINVAL);
        ASSERT_ERROR(parse_uid("+1", &u), EINVAL);
        ASSERT_ERROR(parse_uid("01", &u), EINVAL);
        ASSERT_ERROR(parse_uid(" 1", &u), EINVAL);
        ASSERT_ERROR(parse_uid("1 ", &u), EINVAL);
        ASSERT_ERROR(parse_uid("", &u), EINVAL);
        ASSERT_ERROR(parse_uid("app", &u), EINVAL);
        ASSERT_EQ(u, 7);
}

TEST(user_group) {
        const char *good[] = { "root", "nginx", "_apt", "www-data", "a1", "0", "1001", "2147483646", "A_b-c" };
        const char *bad[] = { "", "1abc", "-x", "a b", "65535", "4294967295", "2147483647", "a:b", "a.b",
                              "0123", "abcdefghijklmnopqrstuvwxyz0123456", "ü" };

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                ASSERT_TRUE(user_group_is_valid(good[i]));
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ASSERT_FALSE(user_group_is_valid(bad[i]));
}

TEST(hostname) {
        ASSERT_TRUE(hostname_is_valid("web"));
        ASSERT_TRUE(hostname_is_valid("web-1.example.com"));
        ASSERT_TRUE(hostname_is_valid("a"));
        ASSERT_FALSE(hostname_is_valid(""));
        ASSERT_FALSE(hostname_is_valid("-web"));
        ASSERT_FALSE(hostname_is_valid("web-"));
        ASSERT_FALSE(hostname_is_valid("a..b"));
        ASSERT_FALSE(hostname_is_valid(".a"));
        ASSERT_FALSE(hostname_is_valid("a."));
        ASSERT_FALSE(hostname_is_valid("a_b"));
        ASSERT_FALSE(hostname_is_valid("a b"));
        ASSERT_FALSE(hostname_is_valid("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

TEST(unit_names) {
        ASSERT_TRUE(unit_name_is_valid("foo.service"));
        ASSERT_TRUE(unit_name_is_valid("getty@tty1.service"));
        ASSERT_TRUE(unit_name_is_valid("ctr@.service"));
        ASSERT_TRUE(unit_name_is_valid("tenant-a.slice"));
        ASSERT_FALSE(unit_name_is_valid("foo"));
        ASSERT_FALSE(unit_name_is_valid("foo.bar"));
        ASSERT_FALSE(unit_name_is_valid(".service"));
        ASSERT_FALSE(unit_name_is_valid("@x.service"));
        ASSERT_FALSE(unit_name_is_valid("a b.service"));
        ASSERT_FALSE(unit_name_is_valid("a/b.service"));
}

TEST(slice_names) {
        ASSERT_TRUE(slice_name_is_valid("machine.slice"));
        ASSERT_TRUE(slice_name_is_valid("tenant-a.slice"));
        ASSERT_TRUE(slice_name_is_valid("-.slice"));
        ASSERT_FALSE(slice_name_is_valid("foo.service"));
        ASSERT_FALSE(slice_name_is_valid("a--b.slice"));
        ASSERT_FALSE(slice_name_is_valid("-a.slice"));
        ASSERT_FALSE(slice_name_is_valid("a-.slice"));
        ASSERT_FALSE(slice_name_is_valid("a@b.slice"));
        ASSERT_FALSE(slice_name_is_valid("machine"));
}

TEST(image_reference_good) {
        const char *good[] = {
                "nginx", "nginx:1.25", "library/nginx", "docker.io/library/nginx:latest",
                "docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "nginx:1.25@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "localhost:5000/my-app_x/y__z:v1.0-rc1", "registry.example.com/a/b/c", "localhost/foo",
                "quay.io/a.b/c-d", "a--b",
        };

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                if (!image_reference_is_valid(good[i]))
                        TEST_FAIL("'%s' should be valid", good[i]);
}

TEST(image_reference_bad) {
        const char *bad[] = {
                "", "Nginx", "nginx:", ":tag", "nginx::1", "nginx@sha256:abc", "nginx@md5:0123",
                "/nginx", "nginx/", "a//b", "-nginx", "nginx-", "a___b", "a..b", "nginx:tag with space",
                "nginx:.tag", "host:99999/x", "exa_mple.com/foo",
                "nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                "garbage!", "a b",
        };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (image_reference_is_valid(bad[i]))
                        TEST_FAIL("'%s' should be invalid", bad[i]);
}

TEST(volume_names) {
        ASSERT_TRUE(volume_name_is_valid("cache"));
        ASSERT_TRUE(volume_name_is_valid("my_vol.1-x"));
        ASSERT_TRUE(volume_name_is_valid("9"));
        ASSERT_FALSE(volume_name_is_valid(""));
        ASSERT_FALSE(volume_name_is_valid(".hidden"));
        ASSERT_FALSE(volume_name_is_valid("-x"));
        ASSERT_FALSE(volume_name_is_valid("a/b"));
        ASSERT_FALSE(volume_name_is_valid("a b"));
}

TEST(env_names) {
        ASSERT_TRUE(env_name_is_valid("PATH"));
        ASSERT_TRUE(env_name_is_valid("_x1"));
        ASSERT_FALSE(env_name_is_valid("1X"));
        ASSERT_FALSE(env_name_is_valid("A-B"));
        ASSERT_FALSE(env_name_is_valid(""));
        ASSERT_TRUE(env_assignment_is_valid("A=b c"));
        ASSERT_TRUE(env_assignment_is_valid("A="));
        ASSERT_TRUE(env_assignment_is_valid("A=x=y"));
        ASSERT_FALSE(env_assignment_is_valid("A"));
        ASSERT_FALSE(env_assignment_is_valid("=x"));
        ASSERT_FALSE(env_assignment_is_valid("A=\x01"));
        ASSERT_FALSE(env_assignment_is_valid("A=\xff"));
}
