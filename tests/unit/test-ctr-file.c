/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "config-hash.h"
#include "ctr-file.h"
#include "sha256.h"
#include "string-util.h"
#include "strv.h"
#include "test.h"

/* container_config_hash() as a value, for assertions (four at a time) */
static const char *hash_of(const Container *c) {
        static char buf[4][65];
        static unsigned i;
        char *r = buf[i++ % 4];

        if (container_config_hash(c, r) < 0)
                strcpy(r, "error");
        return r;
}

/* A fixture search path: DIR/etc (highest) and DIR/usr. */
typedef struct Fixture {
        char *dir;
        char *etc, *usr;
        char *path[3];
} Fixture;

static void fixture_done(Fixture *f) {
        test_rm_rf(f->dir);
        free(f->dir);
        free(f->etc);
        free(f->usr);
}
#define _cleanup_fixture_ _cleanup_(fixture_done)

static int fixture_init(Fixture *f) {
        *f = (Fixture) {};
        f->dir = test_mkdtemp();
        if (!f->dir)
                return -errno;
        if (asprintf(&f->etc, "%s/etc", f->dir) < 0 || asprintf(&f->usr, "%s/usr", f->dir) < 0)
                return -ENOMEM;
        (void) mkdir(f->etc, 0755);
        (void) mkdir(f->usr, 0755);
        f->path[0] = f->etc;
        f->path[1] = f->usr;
        f->path[2] = NULL;
        return 0;
}

/* Loads "web" from a fixture whose etc/web.ctr holds |text|. */
static int load_text(const char *text, Diagnostics *d, Container **ret) {
        _cleanup_fixture_ Fixture f;
        int r;

        r = fixture_init(&f);
        if (r < 0)
                return r;
        r = test_write(f.etc, "web.ctr", text);
        if (r < 0)
                return r;
        return container_load("web", f.path, d, ret);
}

/* The formatted diagnostic |i| with the fixture directory cut off the file name. */
static const char *diag_message(const Diagnostics *d, size_t i) {
        static char buf[1024];
        const char *f;

        if (i >= d->n)
                return "(none)";
        f = d->items[i].file ? strrchr(d->items[i].file, '/') : NULL;
        snprintf(buf, sizeof(buf), "%s:%u: %s", f ? f + 1 : "-", d->items[i].line, d->items[i].message);
        return buf;
}

#define HEADER "[Container]\nImage=host\n"

TEST(load_design_example) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};
        int r;

        r = load_text("[Unit]\n"
                      "Description=Web front end\n"
                      "After=ctr@db.service\n"
                      "\n"
                      "[Container]\n"
                      "# an image from the local store\n"
                      "Image=nginx:1.25\n"
                      "Exec=/usr/sbin/nginx -g 'daemon off;'\n"
                      "User=1001\n"
                      "Environment=MODE=prod\n"
                      "Volume=/srv/www:/usr/share/nginx/html:ro\n"
                      "Volume=cache:/var/cache/nginx\n"
                      "Tmpfs=/run\n"
                      "Network=bridge\n"
                      "PublishPort=8080:80\n"
                      "MemoryMax=256M\n"
                      "CPUWeight=50\n"
                      "TasksMax=128\n"
                      "\n"
                      "[Service]\n"
                      "Restart=on-failure\n"
                      "\n"
                      "[Install]\n"
                      "WantedBy=multi-user.target\n", &d, &c);
        ASSERT_OK(r);
        ASSERT_EQ(d.n, 0);
        ASSERT_STREQ(c->name, "web");
        ASSERT_STREQ(c->image, "nginx:1.25");
        ASSERT_EQ(strv_length(c->exec), 3);
        ASSERT_STREQ(c->exec[2], "daemon off;");
        ASSERT_STREQ(c->user, "1001");
        ASSERT_STREQ(c->environment[0], "MODE=prod");
        ASSERT_EQ(c->n_volumes, 2);
        ASSERT_EQ(c->volumes[0].type, VOLUME_BIND);
        ASSERT_STREQ(c->volumes[0].source, "/srv/www");
        ASSERT_STREQ(c->volumes[0].destination, "/usr/share/nginx/html");
        ASSERT_TRUE(c->volumes[0].read_only);
        ASSERT_EQ(c->volumes[1].type, VOLUME_NAMED);
        ASSERT_STREQ(c->volumes[1].source, "cache");
        ASSERT_FALSE(c->volumes[1].read_only);
        ASSERT_TRUE(c->volumes[1].recursive);
        ASSERT_EQ(c->n_tmpfs, 1);
        ASSERT_STREQ(c->tmpfs[0].destination, "/run");
        ASSERT_EQ(c->tmpfs[0].mode, 01777);
        ASSERT_EQ_U64(c->tmpfs[0].size, LIMIT_UNSET);
        ASSERT_EQ(c->network, NETWORK_BRIDGE);
        ASSERT_EQ(c->n_ports, 1);
        ASSERT_EQ(c->ports[0].host_port, 8080);
        ASSERT_EQ_U64(c->memory_max, UINT64_C(256) << 20);
        ASSERT_EQ_U64(c->cpu_weight, 50);
        ASSERT_EQ_U64(c->tasks_max, 128);
        ASSERT_EQ(c->n_unit_settings, 4);
        ASSERT_STREQ(c->unit_settings[0].section, "Unit");
        ASSERT_STREQ(c->unit_settings[0].key, "Description");
        ASSERT_STREQ(c->unit_settings[0].value, "Web front end");
        ASSERT_EQ(c->unit_settings[0].line, 2);
        ASSERT_STREQ(c->unit_settings[2].section, "Service");
        ASSERT_STREQ(c->unit_settings[3].value, "multi-user.target");
        ASSERT_TRUE(endswith(c->source_path, "/etc/web.ctr"));
        ASSERT_EQ(strlen(hash_of(c)), 64);
}

TEST(defaults) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER, NULL, &c));
        ASSERT_STREQ(c->image, "host");
        ASSERT_NULL(c->root_directory);
        ASSERT_FALSE(c->read_only);
        ASSERT_FALSE(c->ephemeral);
        ASSERT_NULL(c->exec);
        ASSERT_TRUE(c->no_new_privileges);
        ASSERT_EQ(c->network, NETWORK_NONE);
        ASSERT_EQ_U64(c->memory_max, LIMIT_UNSET);
        ASSERT_EQ_U64(c->cpu_weight, LIMIT_UNSET);
        ASSERT_EQ_U64(c->cpu_quota_per_sec_usec, LIMIT_UNSET);
        ASSERT_EQ_U64(c->tasks_max, LIMIT_UNSET);
        ASSERT_EQ_U64(c->io_weight, LIMIT_UNSET);
        ASSERT_EQ(c->stop_signal, SIGTERM);
        ASSERT_EQ_U64(c->stop_timeout_usec, 10 * USEC_PER_SEC);
        ASSERT_EQ(c->reload_signal, SIGHUP);
        ASSERT_FALSE(c->notify);
        ASSERT_EQ(c->pull, PULL_MISSING);
        ASSERT_EQ(c->auto_update, AUTO_UPDATE_NO);
        ASSERT_FALSE(c->init);
        ASSERT_STREQ(container_hostname(c), "web");
        ASSERT_STREQ(container_slice(c), "machine.slice");
        ASSERT_EQ_U64(c->add_capabilities, 0);
        ASSERT_NULL(c->seccomp_profile);
}

TEST(comment_only_at_line_start) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        /* "host # x" is not an image reference: the comment is part of the value, so this is rejected. */
        ASSERT_ERROR(load_text("[Container]\nImage=host # x\n", &d, &c), EBADMSG);
        ASSERT_STREQ(d.items[0].value, "host # x");
        diagnostics_clear(&d);

        ASSERT_OK(load_text(HEADER "Hostname=web ; x\n# Hostname=other\n", &d, &c));
        ASSERT_NULL(c->hostname);
        ASSERT_EQ(d.n, 1); /* "web ; x" is not a host name: warned and ignored */
        diagnostics_clear(&d);
}

TEST(exec_quoting_and_continuation) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "Exec=/bin/sh -c \\\n  \"echo \\\"hi there\\\"\\n\" \\\n  'x y' \\x41\n", NULL, &c));
        ASSERT_EQ(strv_length(c->exec), 5);
        ASSERT_STREQ(c->exec[0], "/bin/sh");
        ASSERT_STREQ(c->exec[2], "echo \"hi there\"\n");
        ASSERT_STREQ(c->exec[3], "x y");
        ASSERT_STREQ(c->exec[4], "A");
}

TEST(exec_replaced_and_reset) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;

        ASSERT_OK(load_text(HEADER "Exec=/bin/a\nExec=/bin/b x\n", NULL, &c));
        ASSERT_EQ(strv_length(c->exec), 2);
        ASSERT_STREQ(c->exec[0], "/bin/b");
        ASSERT_OK(load_text(HEADER "Exec=/bin/a\nExec=\n", NULL, &c2));
        ASSERT_NULL(c2->exec);
}

TEST(exec_bad_quoting_warns) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "Exec=/bin/a\nExec=/bin/b 'unterminated\n", &d, &c));
        ASSERT_STREQ(c->exec[0], "/bin/a");
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_WARNING);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:4: Invalid quoting or escape in Exec= '/bin/b 'unterminated', ignoring.");
        diagnostics_clear(&d);
}

TEST(environment_words_and_reset) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER
                            "Environment=A=1 \"B=two words\" 'C=x\\ty'\n"
                            "Environment=A=3 9BAD=x D-E=1\n"
                            "Environment=\n"
                            "Environment=E=5\n"
                            "Environment=F=6 E=7\n", &d, &c));
        ASSERT_EQ(strv_length(c->environment), 2);
        ASSERT_STREQ(c->environment[0], "E=7");
        ASSERT_STREQ(c->environment[1], "F=6");
        ASSERT_EQ(d.n, 2);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:4: Invalid environment assignment '9BAD=x' in Environment=, ignoring.");
        diagnostics_clear(&d);
}

TEST(environment_override_keeps_order) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "Environment=A=1 \"B=two words\" 'C=x\\ty'\nEnvironment=A=3\n", NULL, &c));
        ASSERT_EQ(strv_length(c->environment), 3);
        ASSERT_STREQ(c->environment[0], "A=3");
        ASSERT_STREQ(c->environment[1], "B=two words");
        ASSERT_STREQ(c->environment[2], "C=x\ty");
}

TEST(environment_file) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "EnvironmentFile=/etc//default/web\nEnvironmentFile=-/etc/opt\n"
                            "EnvironmentFile=relative\n", &d, &c));
        ASSERT_EQ(strv_length(c->environment_files), 2);
        ASSERT_STREQ(c->environment_files[0], "/etc/default/web");
        ASSERT_STREQ(c->environment_files[1], "-/etc/opt");
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_WARNING);
        diagnostics_clear(&d);
}

TEST(list_reset_volumes_layers_ports) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text("[Container]\nRootDirectory=/srv/root\n"
                            "Layer=/a\nLayer=\nLayer=/b\n"
                            "Volume=/x:/x\nVolume=\nVolume=v:/y\n"
                            "Tmpfs=/t\nTmpfs=\nTmpfs=/u\n"
                            "PublishPort=1:1 2:2\nPublishPort=\nPublishPort=3:3\n"
                            "SupplementaryGroups=a b\nSupplementaryGroups=\nSupplementaryGroups=c\n", NULL, &c));
        ASSERT_EQ(strv_length(c->layers), 1);
        ASSERT_STREQ(c->layers[0], "/b");
        ASSERT_EQ(c->n_volumes, 1);
        ASSERT_STREQ(c->volumes[0].source, "v");
        ASSERT_EQ(c->n_tmpfs, 1);
        ASSERT_STREQ(c->tmpfs[0].destination, "/u");
        ASSERT_EQ(c->n_ports, 1);
        ASSERT_EQ(c->ports[0].host_port, 3);
        ASSERT_EQ(strv_length(c->supplementary_groups), 1);
}

TEST(scalar_replace_and_reset_to_default) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "MemoryMax=1G\nMemoryMax=2G\nCPUWeight=5\nCPUWeight=\n"
                            "NoNewPrivileges=no\nNoNewPrivileges=\nStopSignal=SIGINT\nStopSignal=\n"
                            "StopTimeoutSec=5\nStopTimeoutSec=\nUser=nobody\nUser=\nHostname=x\nHostname=\n"
                            "Network=host\nNetwork=\n", NULL, &c));
        ASSERT_EQ_U64(c->memory_max, UINT64_C(2) << 30);
        ASSERT_EQ_U64(c->cpu_weight, LIMIT_UNSET);
        ASSERT_TRUE(c->no_new_privileges);
        ASSERT_EQ(c->stop_signal, SIGTERM);
        ASSERT_EQ_U64(c->stop_timeout_usec, 10 * USEC_PER_SEC);
        ASSERT_NULL(c->user);
        ASSERT_NULL(c->hostname);
        ASSERT_EQ(c->network, NETWORK_NONE);
}

TEST(x_keys_and_sections_silent) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "X-Foo=bar\n[X-Tool]\nAnything=goes\n[Service]\nX-Mine=1\nRestart=always\n",
                            &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c->n_unit_settings, 1);
        ASSERT_STREQ(c->unit_settings[0].key, "Restart");
}

TEST(unknown_key_rejects_with_suggestion) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text("[Container]\nImage=host\n\nImagee=nginx\n", &d, &c), EBADMSG);
        ASSERT_NULL(c);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_ERROR);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:4: Unknown key 'Imagee' in [Container], did you mean 'Image'?");
        ASSERT_STREQ(d.items[0].section, "Container");
        ASSERT_STREQ(d.items[0].key, "Imagee");
        ASSERT_STREQ(d.items[0].value, "nginx");
        diagnostics_clear(&d);

        /* nothing near enough: no suggestion */
        ASSERT_ERROR(load_text(HEADER "Frobnicate=1\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Unknown key 'Frobnicate' in [Container].");
        diagnostics_clear(&d);

        /* X- keys stay silent, also next to an unknown one in another section */
        ASSERT_OK(load_text(HEADER "X-Frobnicate=1\n[Service]\nFrobnicate=1\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c->n_unit_settings, 1);
        ASSERT_STREQ(c->unit_settings[0].key, "Frobnicate");
        c = container_free(c);
}

TEST(quadlet_keys_named) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text(HEADER "UserNS=keep-id\nHostName=web\nHealthStartupCmd=/bin/true\n", &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 3);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Quadlet's 'UserNS=' is not supported by ctr.");
        ASSERT_STREQ(diag_message(&d, 1),
                     "web.ctr:4: Quadlet's 'HostName=' is not supported by ctr, did you mean 'Hostname='?");
        ASSERT_STREQ(diag_message(&d, 2), "web.ctr:5: Quadlet's 'HealthStartupCmd=' is not supported by ctr.");
        diagnostics_clear(&d);
}

TEST(mask_paths) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "Mask=/srv/x /proc/cpuinfo\nMask=\"/srv/with space\" /srv//x/\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(strv_length(c->mask_paths), 3);
        ASSERT_STREQ(c->mask_paths[0], "/srv/x");
        ASSERT_STREQ(c->mask_paths[1], "/proc/cpuinfo");
        ASSERT_STREQ(c->mask_paths[2], "/srv/with space");
        c = container_free(c);

        ASSERT_OK(load_text(HEADER "Mask=/srv/x\nMask=\nMask=/srv/y\n", &d, &c));
        ASSERT_EQ(strv_length(c->mask_paths), 1);
        ASSERT_STREQ(c->mask_paths[0], "/srv/y");
        c = container_free(c);

        /* a mask that cannot be applied as written would leave the path visible: the file is rejected */
        ASSERT_ERROR(load_text(HEADER "Mask=relative\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Mask= takes absolute paths without '..', other than /, got "
                     "'relative'.");
        diagnostics_clear(&d);
        ASSERT_ERROR(load_text(HEADER "Mask=/\n", &d, &c), EBADMSG);
        diagnostics_clear(&d);
        ASSERT_ERROR(load_text(HEADER "Mask=/srv/../etc\n", &d, &c), EBADMSG);
        diagnostics_clear(&d);
}

TEST(sysctls) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "Sysctl=net.ipv4.ip_forward=1 \"kernel.sem=1 2 3 4\"\n"
                            "Sysctl=net.ipv4.ip_forward=0 fs.mqueue.msg_max=20\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(strv_length(c->sysctls), 3);
        ASSERT_STREQ(c->sysctls[0], "kernel.sem=1 2 3 4");
        ASSERT_STREQ(c->sysctls[1], "net.ipv4.ip_forward=0");
        ASSERT_STREQ(c->sysctls[2], "fs.mqueue.msg_max=20");
        c = container_free(c);

        /* not the container's own namespace: the host's would be changed */
        ASSERT_ERROR(load_text(HEADER "Sysctl=kernel.panic=1\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Sysctl=kernel.panic=1: not a sysctl of the container's own "
                     "network or IPC namespace (net.*, kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*).");
        diagnostics_clear(&d);
        ASSERT_ERROR(load_text(HEADER "Sysctl=net.ipv4.ip_forward=1\nNetwork=host\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Sysctl=net.ipv4.ip_forward=1 cannot be set: the namespace is "
                     "the host's (Network=host).");
        diagnostics_clear(&d);
        ASSERT_ERROR(load_text(HEADER "Network=container:db\nJoinNamespaces=ipc\nSysctl=kernel.shmmni=10\n", &d, &c),
                     EBADMSG);
        diagnostics_clear(&d);
        FOREACH_STRING(bad, "Sysctl=net.ipv4.ip_forward", "Sysctl==1", "Sysctl=net..x=1", "Sysctl=net=1",
                       "Sysctl=fs.mqueue.a.b=1", "Sysctl=kernel.shmmax2=1") {
                _cleanup_free_ char *t = strprintf(HEADER "%s\n", bad);
                ASSERT_NOT_NULL(t);
                ASSERT_ERROR(load_text(t, &d, &c), EBADMSG);
                diagnostics_clear(&d);
        }
        /* with a network namespace of its own, or joined IPC without an IPC sysctl: fine */
        ASSERT_OK(load_text(HEADER "Network=container:db\nJoinNamespaces=ipc\nSysctl=\n", &d, &c));
        ASSERT_EQ(d.n, 0);
}

TEST(labels) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "Label=team=web \"owner=ops team\"\nLabel=team=db\nLabel=novalue\n", &d, &c));
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:5: Label= takes KEY=VALUE, got 'novalue', ignoring.");
        ASSERT_EQ(strv_length(c->labels), 2);
        ASSERT_STREQ(c->labels[0], "owner=ops team");
        ASSERT_STREQ(c->labels[1], "team=db");
        diagnostics_clear(&d);
}

TEST(names_and_resolver) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "AddHost=db.example:10.0.0.5 v6.example:fd00::1\nDNS=10.0.0.53\nDNS=fd00::53\n"
                            "DNSSearch=example.com\nDNSOption=ndots:2 edns0\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(strv_length(c->add_hosts), 2);
        ASSERT_STREQ(c->add_hosts[0], "10.0.0.5\tdb.example");
        ASSERT_STREQ(c->add_hosts[1], "fd00::1\tv6.example");
        ASSERT_EQ(strv_length(c->dns_servers), 2);
        ASSERT_STREQ(c->dns_search[0], "example.com");
        ASSERT_STREQ(c->dns_options[1], "edns0");
        c = container_free(c);

        /* a bad value is a warning, the whole assignment ignored; resolv.conf(5) reads three nameservers */
        ASSERT_OK(load_text(HEADER "AddHost=db.example\nAddHost=bad_name:10.0.0.5\nDNS=10.0.0.1 nonsense\n"
                            "DNS=10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.4\nDNSSearch=.bad\n", &d, &c));
        ASSERT_EQ(d.n, 5);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: AddHost= takes NAME:ADDRESS (a host name and an IPv4 or IPv6 "
                     "address), got 'db.example', ignoring.");
        ASSERT_STREQ(diag_message(&d, 3), "web.ctr:6: DNS= takes at most 3 entries, ignoring.");
        ASSERT_NULL(c->add_hosts);
        ASSERT_NULL(c->dns_servers);
        ASSERT_NULL(c->dns_search);
        diagnostics_clear(&d);
        c = container_free(c);

        ASSERT_OK(load_text(HEADER "DNS=10.0.0.1\nDNS=\nDNSSearch=.\n", &d, &c));
        ASSERT_NULL(c->dns_servers);
        ASSERT_STREQ(c->dns_search[0], ".");
}

TEST(key_suggestions) {
        ASSERT_STREQ(container_key_suggest("Imagee"), "Image");
        ASSERT_STREQ(container_key_suggest("Volumes"), "Volume");
        ASSERT_STREQ(container_key_suggest("image"), "Image");
        ASSERT_STREQ(container_key_suggest("NoNewPrivilege"), "NoNewPrivileges");
        ASSERT_STREQ(container_key_suggest("ReadOlny"), "ReadOnly");              /* transposition */
        ASSERT_STREQ(container_key_suggest("SecompProfile"), "SeccompProfile");
        ASSERT_STREQ(container_key_suggest("DropCapabilities"), "DropCapability");
        ASSERT_NULL(container_key_suggest("Foo"));
        ASSERT_NULL(container_key_suggest("WantedBy"));
        ASSERT_NULL(container_key_suggest("AVeryLongKeyThatIsNothingLikeAnyOtherKeyAtAllReally"));
}

TEST(unknown_section_warning) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "[Contaner]\nImage=broken\nFoo=bar\n", &d, &c));
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Unknown section [Contaner], ignoring.");
        ASSERT_STREQ(c->image, "host");
        diagnostics_clear(&d);
}

TEST(passthrough_verbatim) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "[Unit]\nDescription=%n on %H\nBogusKey=whatever\n[Service]\nEnvironment=\n"
                            "[Install]\nWantedBy=multi-user.target\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(c->n_unit_settings, 4);
        ASSERT_STREQ(c->unit_settings[0].value, "%n on %H");
        ASSERT_STREQ(c->unit_settings[1].key, "BogusKey");
        ASSERT_STREQ(c->unit_settings[2].section, "Service");
        ASSERT_STREQ(c->unit_settings[2].value, "");
        ASSERT_EQ(c->unit_settings[3].line, 9);
}

TEST(specifiers_in_container) {
        _cleanup_container_free_ Container *c = NULL;
        char host[256] = "", *expect = NULL;

        ASSERT_OK(load_text(HEADER "Environment=UNIT=%n PREFIX=%N NAME=%i PCT=100%%\nVolume=/srv/%i:/data\n"
                            "Environment=HOST=%H\n", NULL, &c));
        ASSERT_STREQ(c->environment[0], "UNIT=ctr@web.service");
        ASSERT_STREQ(c->environment[1], "PREFIX=ctr@web");
        ASSERT_STREQ(c->environment[2], "NAME=web");
        ASSERT_STREQ(c->environment[3], "PCT=100%");
        ASSERT_STREQ(c->volumes[0].source, "/srv/web");
        ASSERT_OK(gethostname(host, sizeof(host) - 1));
        ASSERT_TRUE(asprintf(&expect, "HOST=%s", host) > 0);
        if (!streq(c->environment[4], expect)) {
                free(expect);
                TEST_FAIL("HOST not expanded: %s", c->environment[4]);
        }
        free(expect);
}

TEST(specifier_unknown_warns) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "Hostname=%q\n", &d, &c));
        ASSERT_NULL(c->hostname);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_WARNING);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Unknown specifier '%q' in '%q' for Hostname=, ignoring.");
        diagnostics_clear(&d);
}

TEST(specifier_unknown_rejects_isolation_key) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text(HEADER "Volume=/srv/%z:/data\n", &d, &c), EBADMSG);
        ASSERT_NULL(c);
        ASSERT_TRUE(diagnostics_has_errors(&d));
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Unknown specifier '%z' in '/srv/%z:/data' for Volume=.");
        diagnostics_clear(&d);
}

TEST(image_xor_root_directory) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text("[Container]\nExec=/bin/true\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:0: Neither Image= nor RootDirectory= is set.");
        diagnostics_clear(&d);

        ASSERT_ERROR(load_text("[Container]\nImage=host\nRootDirectory=/srv/r\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Image= and RootDirectory= are mutually exclusive.");
        ASSERT_STREQ(d.items[0].key, "RootDirectory");
        ASSERT_STREQ(d.items[0].value, "/srv/r");
        diagnostics_clear(&d);

        /* Resetting one of them in a later line makes it valid again. */
        ASSERT_OK(load_text("[Container]\nImage=host\nRootDirectory=/srv/r\nImage=\n", &d, &c));
        ASSERT_STREQ(c->root_directory, "/srv/r");
        diagnostics_clear(&d);
}

TEST(image_values) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text("[Container]\nImage=docker.io/library/nginx@sha256:"
                            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n", &d, &c));
        ASSERT_EQ(d.n, 0);
        container_free(c);
        c = NULL;
        ASSERT_ERROR(load_text("[Container]\nImage=Not An Image!\n", &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:2: Invalid image reference 'Not An Image!' for Image=.");
        diagnostics_clear(&d);
}

TEST(volume_options) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "Volume=/srv//data/./x:/data/:ro,nosuid,nodev,noexec,norbind\n"
                            "Volume=/a:/b:ro,rw,rbind\n", NULL, &c));
        ASSERT_STREQ(c->volumes[0].source, "/srv/data/x");
        ASSERT_STREQ(c->volumes[0].destination, "/data");
        ASSERT_TRUE(c->volumes[0].read_only);
        ASSERT_TRUE(c->volumes[0].nosuid);
        ASSERT_TRUE(c->volumes[0].nodev);
        ASSERT_TRUE(c->volumes[0].noexec);
        ASSERT_FALSE(c->volumes[0].recursive);
        ASSERT_FALSE(c->volumes[1].read_only);
        ASSERT_TRUE(c->volumes[1].recursive);
        /* nosuid and nodev by default */
        ASSERT_TRUE(c->volumes[1].nosuid);
        ASSERT_TRUE(c->volumes[1].nodev);
        ASSERT_FALSE(c->volumes[1].noexec);
        c = container_free(c);

        ASSERT_OK(load_text(HEADER "Volume=/a:/b:dev\nVolume=/a:/c:suid\nVolume=/a:/d:dev,suid,nodev\n", NULL, &c));
        ASSERT_FALSE(c->volumes[0].nodev);
        ASSERT_TRUE(c->volumes[0].nosuid);
        ASSERT_TRUE(c->volumes[1].nodev);
        ASSERT_FALSE(c->volumes[1].nosuid);
        ASSERT_TRUE(c->volumes[2].nodev);         /* the last one wins, as in mount(8) */
        ASSERT_FALSE(c->volumes[2].nosuid);
}

/* Loads HEADER + |line| (one or more lines) and checks the single diagnostic. */
static int check_bad(const char *line, DiagnosticLevel level, const char *message) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = NULL;
        Diagnostics d = {};
        int r, ok;

        if (asprintf(&text, HEADER "%s\n", line) < 0)
                return -ENOMEM;
        r = load_text(text, &d, &c);
        /* The diagnostic is about the last line of |line|. */
        unsigned expected_line = 3;
        for (const char *p = line; (p = strchr(p, '\n')); p++)
                expected_line++;
        ok = d.n == 1 && d.items[0].level == level && d.items[0].line == expected_line &&
             (level == DIAGNOSTIC_ERROR ? r == -EBADMSG && !c : r == 0 && c) &&
             (!message || streq(diag_message(&d, 0), message));
        if (!ok)
                fprintf(stderr, "'%s': r=%d n=%zu first='%s'\n", line, r, d.n, diag_message(&d, 0));
        diagnostics_clear(&d);
        return ok ? 0 : -EINVAL;
}

TEST(volume_errors) {
        ASSERT_OK(check_bad("Volume=/srv:data", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Volume= destination must be an absolute path, got 'data'."));
        ASSERT_OK(check_bad("Volume=/srv:/a/../etc", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Volume= destination must not contain '..', got '/a/../etc'."));
        ASSERT_OK(check_bad("Volume=/srv:/", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/srv:/.//", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/srv/../etc:/x", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=./rel:/x", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/srv", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=:/x", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/a:/b:", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/a:/b:ro:x", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/a:/b:readonly", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Unknown Volume= option 'readonly' in '/a:/b:readonly'."));
}

TEST(tmpfs_values) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "Tmpfs=/tmp:size=64M,mode=0700,ro,nosuid,nodev,noexec\n", NULL, &c));
        ASSERT_EQ(c->n_tmpfs, 1);
        ASSERT_EQ_U64(c->tmpfs[0].size, UINT64_C(64) << 20);
        ASSERT_EQ(c->tmpfs[0].mode, 0700);
        ASSERT_TRUE(c->tmpfs[0].read_only);
        ASSERT_TRUE(c->tmpfs[0].nosuid);
        ASSERT_TRUE(c->tmpfs[0].nodev);
        ASSERT_TRUE(c->tmpfs[0].noexec);
        c = container_free(c);

        ASSERT_OK(load_text(HEADER "Tmpfs=/tmp\nTmpfs=/run:dev,suid\n", NULL, &c));
        ASSERT_TRUE(c->tmpfs[0].nosuid);
        ASSERT_TRUE(c->tmpfs[0].nodev);
        ASSERT_FALSE(c->tmpfs[0].noexec);
        ASSERT_FALSE(c->tmpfs[1].nosuid);
        ASSERT_FALSE(c->tmpfs[1].nodev);
}

TEST(tmpfs_errors) {
        ASSERT_OK(check_bad("Tmpfs=tmp", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/tmp:size=lots", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/tmp:mode=999", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/tmp:exec", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/tmp:", DIAGNOSTIC_ERROR, NULL));
}

TEST(network_values) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;

        ASSERT_OK(load_text(HEADER "Network=container:db\n", NULL, &c));
        ASSERT_EQ(c->network, NETWORK_CONTAINER);
        ASSERT_STREQ(c->network_container, "db");
        ASSERT_OK(load_text(HEADER "Network=container:db\nNetwork=host\n", NULL, &c2));
        ASSERT_EQ(c2->network, NETWORK_HOST);
        ASSERT_NULL(c2->network_container);
        ASSERT_OK(check_bad("Network=bridged", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Network=container:", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Network=container:a/b", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Network=container:web", DIAGNOSTIC_ERROR, NULL));
}

TEST(capabilities) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;

        ASSERT_OK(load_text(HEADER "AddCapability=CAP_NET_ADMIN\nAddCapability=sys_time net_raw\n"
                            "DropCapability=ALL\n", NULL, &c));
        ASSERT_EQ_U64(c->add_capabilities, (UINT64_C(1) << CAP_NET_ADMIN) | (UINT64_C(1) << CAP_SYS_TIME) |
                                          (UINT64_C(1) << CAP_NET_RAW));
        ASSERT_TRUE(c->drop_capabilities & (UINT64_C(1) << CAP_CHOWN));
        ASSERT_OK(load_text(HEADER "AddCapability=CAP_NET_ADMIN\nAddCapability=\n", NULL, &c2));
        ASSERT_EQ_U64(c2->add_capabilities, 0);
        ASSERT_OK(check_bad("AddCapability=CAP_NET_ADMIN CAP_SUPERPOWER", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Unknown capability 'CAP_SUPERPOWER' in AddCapability=."));
        ASSERT_OK(check_bad("DropCapability=sys_admn", DIAGNOSTIC_ERROR, NULL));
}

TEST(seccomp_profile) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;

        ASSERT_OK(load_text(HEADER "SeccompProfile=/etc/ctr//seccomp.json\n", NULL, &c));
        ASSERT_STREQ(c->seccomp_profile, "/etc/ctr/seccomp.json");
        ASSERT_OK(load_text(HEADER "SeccompProfile=unconfined\nSeccompProfile=default\n", NULL, &c2));
        ASSERT_NULL(c2->seccomp_profile);
        ASSERT_OK(check_bad("SeccompProfile=relaxed", DIAGNOSTIC_ERROR, NULL));
}

TEST(apparmor_profile) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL;
        _cleanup_free_ char *long_name = malloc(300);

        ASSERT_OK(load_text(HEADER, NULL, &c));
        ASSERT_NULL(c->apparmor_profile);
        ASSERT_OK(load_text(HEADER "AppArmorProfile=unconfined\n", NULL, &c2));
        ASSERT_STREQ(c2->apparmor_profile, "unconfined");
        /* the last one wins; empty resets to the default */
        ASSERT_OK(load_text(HEADER "AppArmorProfile=ctr-default\nAppArmorProfile=my/web//hat\n", NULL, &c3));
        ASSERT_STREQ(c3->apparmor_profile, "my/web//hat");
        c3 = container_free(c3);
        ASSERT_OK(load_text(HEADER "AppArmorProfile=mine\nAppArmorProfile=\n", NULL, &c3));
        ASSERT_NULL(c3->apparmor_profile);

        /* isolation: a bad value rejects the file */
        ASSERT_OK(check_bad("AppArmorProfile=two words", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Invalid AppArmorProfile= 'two words', expected unconfined or a profile's "
                            "name (printable, without blanks)."));
        ASSERT_OK(check_bad("AppArmorProfile=tab\there", DIAGNOSTIC_ERROR, NULL));
        ASSERT_NOT_NULL(long_name);
        memset(long_name, 'a', 299);
        long_name[299] = '\0';
        _cleanup_free_ char *line = strprintf("AppArmorProfile=%s", long_name);
        ASSERT_OK(check_bad(line, DIAGNOSTIC_ERROR, "web.ctr:3: AppArmorProfile= is longer than 255 characters."));
}

TEST(private_users) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;

        /* the default: pick for an image from the store, no for Image=host and RootDirectory= */
        ASSERT_OK(load_text(HEADER, NULL, &c));
        ASSERT_EQ(container_private_users(c), PRIVATE_USERS_NO);
        ASSERT_OK(load_text("[Container]\nImage=docker.io/library/debian:12\n", NULL, &c2));
        ASSERT_EQ(container_private_users(c2), PRIVATE_USERS_PICK);
        ASSERT_OK(load_text("[Container]\nImage=debian\nPrivateUsers=no\n", NULL, &c3));
        ASSERT_EQ(container_private_users(c3), PRIVATE_USERS_NO);
        ASSERT_OK(load_text("[Container]\nImage=debian\nPrivateUsers=yes\nPrivateUsers=1879048192\n"
                            "Volume=/srv:/srv:idmap,ro\n", NULL, &c4));
        ASSERT_EQ(container_private_users(c4), PRIVATE_USERS_FIXED);
        ASSERT_EQ(c4->private_users_uid, 1879048192U);
        ASSERT_EQ(c4->private_users_count, 65536U);
        ASSERT_TRUE(c4->volumes[0].idmap && c4->volumes[0].read_only);
        ASSERT_OK(check_bad("PrivateUsers=some", DIAGNOSTIC_ERROR,
                            "web.ctr:3: Invalid PrivateUsers= 'some', expected no, pick, yes or UID[:COUNT]."));
        ASSERT_OK(check_bad("PrivateUsers=0:65536", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("PrivateUsers=100000:0", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("PrivateUsers=4294901760:65536", DIAGNOSTIC_ERROR,
                            "web.ctr:3: PrivateUsers= range '4294901760:65536' goes past 4294967294."));
        /* Image=host's trees are the host's: asking for a user namespace over them rejects the file */
        ASSERT_OK(check_bad("PrivateUsers=yes", DIAGNOSTIC_ERROR,
                            "web.ctr:3: PrivateUsers=pick cannot be used with Image=host: the host's files would "
                            "belong to nobody in the container (leave PrivateUsers= unset, or no)."));
        ASSERT_OK(check_bad("PrivateUsers=3000000000:100", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("PrivateUsers=pick\nPrivateUsers=no\nPrivateUsers=pick", DIAGNOSTIC_ERROR, NULL));
}

TEST(memory_limits) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "MemoryMax=50%\nMemoryHigh=infinity\nMemorySwapMax=0\n", NULL, &c));
        ASSERT_EQ_U64(c->memory_max, LIMIT_UNSET);
        ASSERT_EQ(c->memory_max_scale, 2147483648U);
        ASSERT_EQ_U64(c->memory_high, LIMIT_INFINITY);
        ASSERT_EQ_U64(c->memory_swap_max, 0);
        ASSERT_OK(check_bad("MemoryMax=lots", DIAGNOSTIC_WARNING, "web.ctr:3: Invalid size 'lots' for MemoryMax=, ignoring."));
        ASSERT_OK(check_bad("MemoryMax=0", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("MemoryHigh=101%", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("MemoryHigh=0%", DIAGNOSTIC_WARNING, NULL));
}

TEST(cpu_and_io) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "CPUWeight=10000\nIOWeight=1\nCPUQuota=150%\nAllowedCPUs=3,0-1 2\n"
                            "TasksMax=10%\n", NULL, &c));
        ASSERT_EQ_U64(c->cpu_weight, 10000);
        ASSERT_EQ_U64(c->io_weight, 1);
        ASSERT_EQ_U64(c->cpu_quota_per_sec_usec, 1500000);
        ASSERT_STREQ(c->allowed_cpus, "0-3");
        ASSERT_EQ_U64(c->tasks_max, LIMIT_UNSET);
        ASSERT_TRUE(c->tasks_max_scale > 0);
        ASSERT_OK(check_bad("CPUWeight=0", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("CPUWeight=10001", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("IOWeight=heavy", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("CPUQuota=0%", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("CPUQuota=50", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("AllowedCPUs=3-1", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("TasksMax=0", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("TasksMax=many", DIAGNOSTIC_WARNING, NULL));
}

TEST(tasks_max_infinity) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "TasksMax=infinity\n", NULL, &c));
        ASSERT_EQ_U64(c->tasks_max, LIMIT_INFINITY);
}

TEST(auto_update) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL;

        ASSERT_OK(load_text(HEADER "AutoUpdate=registry\n", NULL, &c));
        ASSERT_EQ(c->auto_update, AUTO_UPDATE_REGISTRY);
        ASSERT_OK(load_text(HEADER "AutoUpdate=local\n", NULL, &c2));
        ASSERT_EQ(c2->auto_update, AUTO_UPDATE_LOCAL);
        ASSERT_OK(load_text(HEADER "AutoUpdate=registry\nAutoUpdate=\n", NULL, &c3));
        ASSERT_EQ(c3->auto_update, AUTO_UPDATE_NO);
        ASSERT_OK(check_bad("AutoUpdate=always", DIAGNOSTIC_WARNING,
                            "web.ctr:3: Invalid value 'always' for AutoUpdate= (registry, local or no), ignoring."));
}

TEST(pull) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;

        ASSERT_OK(load_text("[Container]\nImage=nginx\nPull=never\n", NULL, &c));
        ASSERT_EQ(c->pull, PULL_NEVER);
        ASSERT_FALSE(container_may_pull(c));
        ASSERT_OK(load_text("[Container]\nImage=nginx\nPull=newer\nPull=always\n", NULL, &c2));
        ASSERT_EQ(c2->pull, PULL_ALWAYS);
        ASSERT_TRUE(container_may_pull(c2));
        ASSERT_OK(load_text("[Container]\nImage=nginx\nPull=newer\nPull=\n", NULL, &c3));
        ASSERT_EQ(c3->pull, PULL_MISSING);
        ASSERT_TRUE(container_may_pull(c3));
        /* host and an image id name nothing a registry has */
        ASSERT_OK(load_text(HEADER "Pull=always\n", NULL, &c4));
        ASSERT_FALSE(container_may_pull(c4));
        c4->image = mfree(c4->image);
        c4->image = strdup("sha256:0123456789abcdef");
        ASSERT_FALSE(container_may_pull(c4));
        ASSERT_OK(check_bad("Pull=sometimes", DIAGNOSTIC_WARNING,
                            "web.ctr:3: Invalid value 'sometimes' for Pull= "
                            "(missing, never, always or newer), ignoring."));
}

TEST(lifecycle_keys) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;

        ASSERT_OK(load_text(HEADER "StopSignal=SIGINT\nReloadSignal=USR1\nStopTimeoutSec=1min 30s\nNotify=yes\n"
                            "Init=true\nSlice=tenant-a.slice\n", NULL, &c));
        ASSERT_EQ(c->stop_signal, SIGINT);
        ASSERT_EQ(c->reload_signal, SIGUSR1);
        ASSERT_EQ_U64(c->stop_timeout_usec, 90 * USEC_PER_SEC);
        ASSERT_TRUE(c->notify);
        ASSERT_TRUE(c->init);
        ASSERT_STREQ(container_slice(c), "tenant-a.slice");
        ASSERT_OK(load_text(HEADER "StopTimeoutSec=0\n", NULL, &c2));
        ASSERT_EQ_U64(c2->stop_timeout_usec, USEC_INFINITY);
        ASSERT_OK(check_bad("StopSignal=SIGBOGUS", DIAGNOSTIC_WARNING, "web.ctr:3: Invalid signal 'SIGBOGUS' for StopSignal=, ignoring."));
        ASSERT_OK(check_bad("StopTimeoutSec=soon", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("Slice=tenant-a.service", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("Slice=a--b.slice", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("Notify=maybe", DIAGNOSTIC_WARNING, NULL));
}

TEST(health_keys) {
        _cleanup_container_free_ Container *c = NULL, *d = NULL, *e = NULL;

        ASSERT_OK(load_text(HEADER, NULL, &d));
        ASSERT_NULL(d->health_cmd);
        ASSERT_FALSE(d->health_cmd_none);
        ASSERT_EQ_U64(d->health_interval_usec, 30 * USEC_PER_SEC);
        ASSERT_EQ_U64(d->health_timeout_usec, 30 * USEC_PER_SEC);
        ASSERT_EQ_U64(d->health_start_period_usec, 0);
        ASSERT_EQ(d->health_retries, 3U);
        ASSERT_EQ(d->health_on_failure, HEALTH_ON_FAILURE_NONE);
        ASSERT_FALSE(d->notify_healthy);

        ASSERT_OK(load_text(HEADER "HealthCmd=/bin/sh -c 'exit 1'\nHealthInterval=2s\nHealthTimeout=500ms\n"
                            "HealthStartPeriod=1min\nHealthRetries=5\nHealthOnFailure=kill\nNotify=yes\n"
                            "Notify=healthy\n", NULL, &c));
        ASSERT_EQ(strv_length(c->health_cmd), 3);
        ASSERT_STREQ(c->health_cmd[2], "exit 1");
        ASSERT_EQ_U64(c->health_interval_usec, 2 * USEC_PER_SEC);
        ASSERT_EQ_U64(c->health_timeout_usec, 500 * 1000);
        ASSERT_EQ_U64(c->health_start_period_usec, 60 * USEC_PER_SEC);
        ASSERT_EQ(c->health_retries, 5U);
        ASSERT_EQ(c->health_on_failure, HEALTH_ON_FAILURE_KILL);
        ASSERT_TRUE(c->notify_healthy);
        ASSERT_FALSE(c->notify);

        /* none turns a check off, empty values go back to the defaults, Notify=yes is no longer healthy */
        ASSERT_OK(load_text(HEADER "HealthCmd=/bin/true\nHealthCmd=none\nHealthRetries=7\nHealthRetries=\n"
                            "Notify=healthy\nNotify=yes\n", NULL, &e));
        ASSERT_NULL(e->health_cmd);
        ASSERT_TRUE(e->health_cmd_none);
        ASSERT_EQ(e->health_retries, 3U);
        ASSERT_TRUE(e->notify);
        ASSERT_FALSE(e->notify_healthy);

        ASSERT_OK(check_bad("HealthRetries=0", DIAGNOSTIC_WARNING,
                            "web.ctr:3: Invalid count '0' for HealthRetries= (1 to 10000), ignoring."));
        ASSERT_OK(check_bad("HealthTimeout=0", DIAGNOSTIC_WARNING,
                            "web.ctr:3: HealthTimeout= must be longer than 0, got '0', ignoring."));
        ASSERT_OK(check_bad("HealthOnFailure=maybe", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("HealthCmd='", DIAGNOSTIC_WARNING, NULL));
}

TEST(process_keys) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load_text(HEADER "User=www-data\nGroup=0\nSupplementaryGroups=audio 44 video\n"
                            "WorkingDirectory=/srv//app/\nHostname=web-1.example\n", NULL, &c));
        ASSERT_STREQ(c->user, "www-data");
        ASSERT_STREQ(c->group, "0");
        ASSERT_EQ(strv_length(c->supplementary_groups), 3);
        ASSERT_STREQ(c->working_directory, "/srv/app");
        ASSERT_STREQ(container_hostname(c), "web-1.example");
        ASSERT_OK(check_bad("WorkingDirectory=app", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("Hostname=-bad-", DIAGNOSTIC_WARNING, NULL));
}

/* The reject-vs-warn rule, key by key. */
TEST(reject_isolation_keys) {
        static const char *const lines[] = {
                "RootDirectory=relative/path", "Layer=lower", "ReadOnly=perhaps", "Ephemeral=2",
                "User=65535", "Group=bad group", "SupplementaryGroups=ok 1bad", "NoNewPrivileges=nah",
                "PublishPort=80", "PublishPort=8080:80/sctp", "Network=bridge0", "AddCapability=NOPE",
                "DropCapability=CAP_", "SeccompProfile=strict", "Volume=data", "Tmpfs=run",
                "User=root:root",
        };

        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                if (check_bad(lines[i], DIAGNOSTIC_ERROR, NULL) < 0)
                        TEST_FAIL("'%s' should reject the file", lines[i]);
}

TEST(warn_other_keys) {
        static const char *const lines[] = {
                "MemoryMax=1Q", "MemoryHigh=-1", "MemorySwapMax=x", "CPUWeight=idle", "CPUQuota=abc",
                "AllowedCPUs=x", "TasksMax=-1", "IOWeight=0", "Slice=foo", "StopSignal=0",
                "StopTimeoutSec=-5s", "Notify=2", "ReloadSignal=NOPE", "Init=sometimes",
                "Hostname=a..b", "WorkingDirectory=../x", "EnvironmentFile=x", "Exec='",
                "Environment=\"A=1", "Environment=1=2",
        };

        for (size_t i = 0; i < ELEMENTSOF(lines); i++)
                if (check_bad(lines[i], DIAGNOSTIC_WARNING, NULL) < 0)
                        TEST_FAIL("'%s' should only warn", lines[i]);
}

TEST(isolation_table) {
        ASSERT_TRUE(container_key_is_known("Image"));
        ASSERT_FALSE(container_key_is_known("Imagee"));
        ASSERT_TRUE(container_key_is_isolation("Volume"));
        ASSERT_TRUE(container_key_is_isolation("NoNewPrivileges"));
        ASSERT_FALSE(container_key_is_isolation("MemoryMax"));
}

/* The key lookup (a hash table) finds every key of the table and nothing else: not another case, a prefix,
 * a key with a byte more, or an empty one. */
TEST(key_lookup_every_key) {
        const char *k;
        size_t n = 0;

        for (size_t i = 0; (k = container_key_nth(i)); i++, n++) {
                _cleanup_free_ char *lower = strdup(k), *longer = strjoin(k, "s"), *prefix = strndup(k, strlen(k) - 1);

                ASSERT_TRUE(container_key_is_known(k));
                ASSERT_NOT_NULL(lower);
                ASSERT_NOT_NULL(longer);
                ASSERT_NOT_NULL(prefix);
                ASSERT_FALSE(container_key_is_known(ascii_strlower(lower)));
                ASSERT_FALSE(container_key_is_known(prefix));
                ASSERT_FALSE(container_key_is_known(longer));
        }
        ASSERT_TRUE(n > 0);
        ASSERT_FALSE(container_key_is_known(""));
}

TEST(all_errors_collected) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text(HEADER "Volume=bad\nNetwork=x\nMemoryMax=x\n", &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 3);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_ERROR);
        ASSERT_EQ(d.items[1].level, DIAGNOSTIC_ERROR);
        ASSERT_EQ(d.items[2].level, DIAGNOSTIC_WARNING);
        ASSERT_EQ(d.items[2].line, 5);
        diagnostics_clear(&d);
}

TEST(invalid_utf8_value) {
        ASSERT_OK(check_bad("Hostname=caf\xff", DIAGNOSTIC_WARNING, NULL));
        ASSERT_OK(check_bad("Volume=/a\xff:/b", DIAGNOSTIC_ERROR, NULL));
}

TEST(dropins_order_and_precedence) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.usr, "web.ctr", "[Container]\nImage=host\nEnvironment=ORDER=main\n"));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/10-a.conf", "[Container]\nEnvironment=ORDER=usr-10 A=1\n"));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/20-b.conf", "[Container]\nEnvironment=ORDER=usr-20 B=lost\n"));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/20-b.conf", "[Container]\nEnvironment=ORDER=etc-20\n"));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/15-c.conf", "[Container]\nEnvironment=C=3\n"));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/ignored.txt", "[Container]\nEnvironment=X=1\n"));

        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_EQ(strv_length(c->dropin_paths), 3);
        ASSERT_TRUE(endswith(c->dropin_paths[0], "/usr/web.ctr.d/10-a.conf"));
        ASSERT_TRUE(endswith(c->dropin_paths[1], "/etc/web.ctr.d/15-c.conf"));
        ASSERT_TRUE(endswith(c->dropin_paths[2], "/etc/web.ctr.d/20-b.conf"));
        /* A later assignment replaces an earlier one of the same name in place. */
        ASSERT_STREQ(c->environment[0], "ORDER=etc-20");
        ASSERT_STREQ(c->environment[1], "A=1");
        ASSERT_STREQ(c->environment[2], "C=3");
        ASSERT_EQ(strv_length(c->environment), 3);
}

TEST(dropin_resets_list_and_passthrough_order) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", "[Container]\nImage=host\nVolume=/a:/a\n[Service]\nRestart=always\n"));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/override.conf",
                             "[Container]\nVolume=\nVolume=/b:/b\n[Service]\nRestart=no\n"));
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_EQ(c->n_volumes, 1);
        ASSERT_STREQ(c->volumes[0].source, "/b");
        ASSERT_EQ(c->n_unit_settings, 2);
        ASSERT_STREQ(c->unit_settings[1].value, "no");
        ASSERT_TRUE(endswith(c->unit_settings[1].file, "override.conf"));
        ASSERT_EQ(c->unit_settings[1].line, 5);
}

TEST(dropin_error_has_its_file_line) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/50-x.conf", "[Container]\n\nVolume=/x:y\n"));
        ASSERT_ERROR(container_load("web", f.path, &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "50-x.conf:3: Volume= destination must be an absolute path, got 'y'.");
        diagnostics_clear(&d);
}

/* A FIFO where a file belongs (given as a path, on the search path, as a drop-in) is refused with an error
 * naming it, without blocking in open(): the alarm turns a hang into a failure. */
TEST(fifo_refused_without_blocking) {
        _cleanup_fixture_ Fixture f;
        _cleanup_free_ char *main_fifo = NULL, *dropin_fifo = NULL;
        Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(fixture_init(&f));
        ASSERT_TRUE(asprintf(&main_fifo, "%s/web.ctr", f.etc) > 0);
        ASSERT_TRUE(asprintf(&dropin_fifo, "%s/db.ctr.d/50-x.conf", f.etc) > 0);
        ASSERT_OK(mkfifo(main_fifo, 0644));
        ASSERT_OK(test_write(f.usr, "db.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "db.ctr.d/.keep", ""));
        ASSERT_OK(mkfifo(dropin_fifo, 0644));

        alarm(20);
        ASSERT_ERROR(container_load_file(main_fifo, NULL, NULL, &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:0: Not a regular file (a FIFO), refusing it.");
        ASSERT_STREQ(d.items[0].file, main_fifo);
        diagnostics_clear(&d);

        /* on the search path it is not skipped silently either: the container is rejected */
        ASSERT_ERROR(container_load("web", f.path, &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:0: Not a regular file (a FIFO), refusing it.");
        diagnostics_clear(&d);

        ASSERT_ERROR(container_load("db", f.path, &d, &c), EBADMSG);
        ASSERT_NULL(c);
        ASSERT_STREQ(diag_message(&d, 0), "50-x.conf:0: Not a regular file (a FIFO), refusing it.");
        ASSERT_STREQ(d.items[0].file, dropin_fifo);
        diagnostics_clear(&d);
        alarm(0);

        /* a directory named like a file is refused as well */
        ASSERT_ERROR(container_load_file(f.usr, "web", NULL, &d, &c), EISDIR);
        ASSERT_STREQ(diag_message(&d, 0), "usr:0: Not a regular file (a directory), refusing it.");
        diagnostics_clear(&d);
}

TEST(higher_file_masks_lower) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", "[Container]\nImage=host\n"));
        ASSERT_OK(test_write(f.usr, "web.ctr", "[Container]\nImage=nginx\nVolume=/x:/y\n"));
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_STREQ(c->image, "host");
        ASSERT_EQ(c->n_volumes, 0);
        ASSERT_TRUE(endswith(c->source_path, "/etc/web.ctr"));
}

TEST(mask_with_dev_null) {
        _cleanup_fixture_ Fixture f;
        _cleanup_free_ char *link = NULL;
        Container *c = NULL;
        ContainerSource *s = NULL;
        size_t n = 0;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.usr, "web.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/a.conf", HEADER));
        ASSERT_OK(test_write(f.usr, "db.ctr", HEADER));
        ASSERT_TRUE(asprintf(&link, "%s/web.ctr", f.etc) > 0);
        ASSERT_OK(symlink("/dev/null", link));

        ASSERT_ERROR(container_load("web", f.path, NULL, &c), ERFKILL);
        ASSERT_NULL(c);
        ASSERT_ERROR(container_load_file(link, NULL, NULL, NULL, &c), ERFKILL);

        ASSERT_OK(container_enumerate(f.path, &s, &n));
        if (n != 2) {
                container_source_free_many(s, n);
                TEST_FAIL("expected 2 sources, got %zu", n);
        }
        bool ok = streq(s[0].name, "db") && !s[0].masked && streq(s[1].name, "web") && s[1].masked &&
                  !s[1].path;
        ASSERT_ERROR(container_load_source(&s[1], NULL, &c), ERFKILL);
        container_source_free_many(s, n);
        ASSERT_TRUE(ok);
}

TEST(empty_file_is_not_a_mask) {
        _cleanup_fixture_ Fixture f;
        Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", ""));
        ASSERT_OK(test_write(f.usr, "web.ctr", HEADER));
        /* An empty file wins (and lacks Image=), it does not mask. */
        ASSERT_ERROR(container_load("web", f.path, &d, &c), EBADMSG);
        diagnostics_clear(&d);
}

TEST(masked_dropin) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *link = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.usr, "web.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/10-vol.conf", "[Container]\nVolume=/a:/b\n"));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/.keep", ""));
        ASSERT_TRUE(asprintf(&link, "%s/web.ctr.d/10-vol.conf", f.etc) > 0);
        ASSERT_OK(symlink("/dev/null", link));
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_EQ(c->n_volumes, 0);
        ASSERT_EQ(strv_length(c->dropin_paths), 0);
}

TEST(not_found_and_invalid_name) {
        _cleanup_fixture_ Fixture f;
        Container *c = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_ERROR(container_load("web", f.path, NULL, &c), ENOENT);
        ASSERT_ERROR(container_load("a/b", f.path, NULL, &c), EINVAL);
        ASSERT_ERROR(container_load("a@b", f.path, NULL, &c), EINVAL);
        ASSERT_ERROR(container_load(".hidden", f.path, NULL, &c), EINVAL);
        ASSERT_ERROR(container_load("", f.path, NULL, &c), EINVAL);
        ASSERT_NULL(c);
}

TEST(container_names) {
        char longname[CTR_NAME_MAX + 2];

        ASSERT_TRUE(container_name_is_valid("web"));
        ASSERT_TRUE(container_name_is_valid("web-1_a.b:c"));
        ASSERT_TRUE(container_name_is_valid("a\\x2db"));
        ASSERT_FALSE(container_name_is_valid("a b"));
        ASSERT_FALSE(container_name_is_valid("a@b"));
        ASSERT_FALSE(container_name_is_valid("a/b"));
        ASSERT_FALSE(container_name_is_valid(".a"));
        memset(longname, 'a', sizeof(longname));
        longname[CTR_NAME_MAX] = '\0';
        ASSERT_TRUE(container_name_is_valid(longname));
        longname[CTR_NAME_MAX] = 'a';
        longname[CTR_NAME_MAX + 1] = '\0';
        ASSERT_FALSE(container_name_is_valid(longname));
}

TEST(dropins_only) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/a.conf", HEADER));
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_NULL(c->source_path);
        ASSERT_STREQ(c->image, "host");
}

TEST(search_path_env) {
        _cleanup_strv_free_ char **l = NULL, **d = NULL;

        ASSERT_OK(setenv("CTR_CONFIG_PATH", "/one::/two", 1));
        ASSERT_OK(ctr_search_path(&l));
        ASSERT_EQ(strv_length(l), 2);
        ASSERT_STREQ(l[0], "/one");
        ASSERT_STREQ(l[1], "/two");
        ASSERT_OK(unsetenv("CTR_CONFIG_PATH"));
        ASSERT_OK(ctr_search_path(&d));
        ASSERT_EQ(strv_length(d), 4);
        ASSERT_STREQ(d[0], "/etc/ctr");
        ASSERT_STREQ(d[1], "/run/ctr");
        ASSERT_STREQ(d[2], "/usr/local/lib/ctr");
        ASSERT_STREQ(d[3], "/usr/lib/ctr");
}

TEST(search_path_env_used_by_load) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *p = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.usr, "web.ctr", HEADER));
        ASSERT_TRUE(asprintf(&p, "%s:%s", f.etc, f.usr) > 0);
        ASSERT_OK(setenv("CTR_CONFIG_PATH", p, 1));
        int r = container_load("web", NULL, NULL, &c);
        unsetenv("CTR_CONFIG_PATH");
        ASSERT_OK(r);
        ASSERT_TRUE(endswith(c->source_path, "/usr/web.ctr"));
}

TEST(enumerate_sorted) {
        _cleanup_fixture_ Fixture f;
        ContainerSource *s = NULL;
        size_t n = 0;
        char buf[512] = "";

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "zeta.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "alpha.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "alpha.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "mid.ctr.d/x.conf", HEADER));
        ASSERT_OK(test_write(f.etc, "alpha.ctr.d/b.conf", HEADER));
        ASSERT_OK(test_write(f.usr, "alpha.ctr.d/a.conf", HEADER));
        ASSERT_OK(test_write(f.etc, "bad@name.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "README", "x"));
        ASSERT_OK(test_write(f.etc, ".hidden.ctr", HEADER));

        ASSERT_OK(container_enumerate(f.path, &s, &n));
        for (size_t i = 0; i < n; i++) {
                size_t l = strlen(buf);
                snprintf(buf + l, sizeof(buf) - l, "%s:%s:%zu ", s[i].name, s[i].path ? strrchr(s[i].path, '/') - 3 : "-",
                         strv_length(s[i].dropins));
        }
        container_source_free_many(s, n);
        ASSERT_STREQ(buf, "alpha:etc/alpha.ctr:2 mid:-:1 zeta:etc/zeta.ctr:0 ");
}

TEST(enumerate_empty_and_missing_dirs) {
        char *path[] = { (char *) "/nonexistent/ctr", NULL };
        ContainerSource *s = NULL;
        size_t n = 99;

        ASSERT_OK(container_enumerate(path, &s, &n));
        ASSERT_EQ(n, 0);
        container_source_free_many(s, n);
}

TEST(load_file_any_path) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_fixture_ Fixture f;
        _cleanup_free_ char *p = NULL;
        Container *c = NULL;

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(dir, "ansible.xyz", HEADER "Volume=/a:/a\n"));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/10.conf", "[Container]\nVolume=/b:/b\n"));
        ASSERT_TRUE(asprintf(&p, "%s/ansible.xyz", dir) > 0);

        ASSERT_OK(container_load_file(p, "web", NULL, NULL, &c));
        ASSERT_STREQ(c->name, "web");
        ASSERT_STREQ(c->source_path, p);
        ASSERT_EQ(c->n_volumes, 1);
        c = container_free(c);

        ASSERT_OK(container_load_file(p, "web", f.path, NULL, &c));
        ASSERT_EQ(c->n_volumes, 2);
        c = container_free(c);

        /* Without a name the file name is used, with ".ctr" stripped when present. */
        ASSERT_OK(container_load_file(p, NULL, NULL, NULL, &c));
        ASSERT_STREQ(c->name, "ansible.xyz");
        c = container_free(c);
}

TEST(load_file_name_from_basename) {
        _cleanup_tmpdir_ char *dir = test_mkdtemp();
        _cleanup_free_ char *p = NULL;
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_NOT_NULL(dir);
        ASSERT_OK(test_write(dir, "db.ctr", HEADER "Environment=N=%i\n"));
        ASSERT_TRUE(asprintf(&p, "%s/db.ctr", dir) > 0);
        ASSERT_OK(container_load_file(p, NULL, NULL, NULL, &c));
        ASSERT_STREQ(c->name, "db");
        ASSERT_STREQ(c->environment[0], "N=db");
        ASSERT_ERROR(container_load_file(p, "bad/name", NULL, &d, NULL), EINVAL);
        ASSERT_EQ(d.n, 1);
        diagnostics_clear(&d);
        ASSERT_ERROR(container_load_file("/nonexistent/x.ctr", NULL, NULL, &d, NULL), ENOENT);
        diagnostics_clear(&d);
        ASSERT_ERROR(container_load_file(dir, "x", NULL, &d, NULL), EISDIR);
        diagnostics_clear(&d);
}

TEST(limit_file_size) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *big = NULL;
        Diagnostics d = {};

        big = malloc(CTR_FILE_SIZE_MAX + 2);
        ASSERT_NOT_NULL(big);
        memset(big, '#', CTR_FILE_SIZE_MAX + 1);
        big[CTR_FILE_SIZE_MAX + 1] = '\0';
        ASSERT_ERROR(load_text(big, &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:0: File is larger than 4194304 bytes.");
        diagnostics_clear(&d);
}

TEST(limit_line_length) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = NULL;
        Diagnostics d = {};
        size_t n = CTR_LINE_MAX + 100;

        text = malloc(n + 64);
        ASSERT_NOT_NULL(text);
        strcpy(text, HEADER "Exec=/bin/echo ");
        memset(text + strlen(text), 'a', n);
        text[strlen(HEADER "Exec=/bin/echo ") + n] = '\0';
        ASSERT_ERROR(load_text(text, &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Line too long (more than 65536 bytes).");
        diagnostics_clear(&d);
}

TEST(limit_assignments) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = NULL;
        Diagnostics d = {};
        size_t l = 0;

        text = malloc(32 + (CTR_ASSIGNMENTS_MAX + 1) * 8);
        ASSERT_NOT_NULL(text);
        l = (size_t) sprintf(text, HEADER);
        for (unsigned i = 0; i < CTR_ASSIGNMENTS_MAX; i++)
                l += (size_t) sprintf(text + l, "Init=1\n");
        ASSERT_ERROR(load_text(text, &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:16386: Too many assignments (more than 16384).");
        diagnostics_clear(&d);
}

TEST(limit_list_length) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = NULL;
        Diagnostics d = {};
        size_t l;

        text = malloc(32 + 5000 * 16);
        ASSERT_NOT_NULL(text);
        l = (size_t) sprintf(text, HEADER);
        for (unsigned i = 0; i < 5000; i++)
                l += (size_t) sprintf(text + l, "Layer=/l%u\n", i);
        ASSERT_ERROR(load_text(text, &d, &c), EBADMSG);
        ASSERT_TRUE(d.n >= 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:4099: Too many entries for Layer= (at most 4096).");
        diagnostics_clear(&d);
}

/* Environment= stops at the limit in the middle of a line: one error, the words after it freed (valgrind) */
TEST(limit_environment_in_one_line) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *text = NULL;
        Diagnostics d = {};
        size_t l;

        text = malloc(64 + 4100 * 12);
        ASSERT_NOT_NULL(text);
        l = (size_t) sprintf(text, HEADER "Environment=");
        for (unsigned i = 0; i < 4100; i++)
                l += (size_t) sprintf(text + l, "V%u=x ", i);
        text[l - 1] = '\n';
        ASSERT_ERROR(load_text(text, &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:3: Too many entries for Environment= (at most 4096).");
        diagnostics_clear(&d);
}

TEST(limit_dropins) {
        _cleanup_fixture_ Fixture f;
        Container *c = NULL;
        Diagnostics d = {};
        char name[64];

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", HEADER));
        for (unsigned i = 0; i <= CTR_DROPINS_MAX; i++) {
                snprintf(name, sizeof(name), "web.ctr.d/%04u.conf", i);
                ASSERT_OK(test_write(f.etc, name, ""));
        }
        ASSERT_ERROR(container_load("web", f.path, &d, &c), EBADMSG);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:0: Too many drop-ins (more than 1024).");
        diagnostics_clear(&d);
}

TEST(config_hash) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *a = NULL, *b = NULL, *c = NULL, *e = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", HEADER));
        ASSERT_OK(container_load("web", f.path, NULL, &a));
        ASSERT_OK(container_load("web", f.path, NULL, &b));
        ASSERT_STREQ(hash_of(a), hash_of(b));
        ASSERT_EQ(strspn(hash_of(a), "0123456789abcdef"), 64);

        ASSERT_OK(test_write(f.usr, "web.ctr.d/x.conf", "[Service]\nRestart=always\n"));
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_FALSE(streq(hash_of(a), hash_of(c)));

        ASSERT_OK(test_write(f.usr, "web.ctr.d/x.conf", "[Service]\nRestart=no\n"));
        ASSERT_OK(container_load("web", f.path, NULL, &e));
        ASSERT_FALSE(streq(hash_of(c), hash_of(e)));
}

/* The stamp ctr-launch compares with the generated unit's CTR_CONFIG_STAMP instead of hashing: the same for
 * the same files, different after any write to one of them (even with the same size), and when a drop-in
 * comes or goes. */
TEST(config_stamp) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *a = NULL, *b = NULL, *c = NULL, *d = NULL;
        _cleanup_free_ char *dropin = NULL;
        struct stat st;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/x.conf", "[Service]\nRestart=always\n"));
        ASSERT_OK(container_load("web", f.path, NULL, &a));
        ASSERT_OK(container_load("web", f.path, NULL, &b));
        ASSERT_STREQ(a->config_stamp, b->config_stamp);
        ASSERT_NOT_NULL(strchr(a->config_stamp, ','));          /* one entry per file */
        ASSERT_NULL(strchr(strchr(a->config_stamp, ',') + 1, ','));

        /* rewritten in place with the same length: a new modification time */
        ASSERT_TRUE(asprintf(&dropin, "%s/web.ctr.d/x.conf", f.usr) > 0);
        ASSERT_EQ(stat(dropin, &st), 0);
        ASSERT_OK(test_write(f.usr, "web.ctr.d/x.conf", "[Service]\nRestart=on-abort\n"));
        ASSERT_EQ(utimensat(AT_FDCWD, dropin, (struct timespec[]) { st.st_atim,
                            { .tv_sec = st.st_mtim.tv_sec + 1, .tv_nsec = st.st_mtim.tv_nsec } }, 0), 0);
        ASSERT_OK(container_load("web", f.path, NULL, &c));
        ASSERT_FALSE(streq(a->config_stamp, c->config_stamp));

        ASSERT_EQ(unlink(dropin), 0);
        ASSERT_OK(container_load("web", f.path, NULL, &d));
        ASSERT_NULL(strchr(d->config_stamp, ','));
}

/* Container.config, what the launcher keeps and the effective hash is built from, and the hash of it as read
 * (what an older launcher's CONFIG_HASH= holds) */
TEST(config_hash_serialization) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *ser = NULL;
        char expect[65], got[65];
        const char *a = HEADER, *b = "[Service]\nRestart=no\n";
        int l;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", a));
        ASSERT_OK(test_write(f.usr, "web.ctr.d/x.conf", b));
        ASSERT_OK(container_load("web", f.path, NULL, &c));

        /* "ctr-config-v1\n" NAME "\n", then PATH "\n" SIZE "\n" CONTENTS "\n" per file, in order. */
        l = asprintf(&ser, "ctr-config-v1\nweb\n%s/web.ctr\n%zu\n%s\n%s/web.ctr.d/x.conf\n%zu\n%s\n",
                     f.etc, strlen(a), a, f.usr, strlen(b), b);
        ASSERT_TRUE(l > 0);
        sha256_hex(ser, (size_t) l, expect);
        container_files_hash(c, got);
        ASSERT_STREQ(got, expect);
        ASSERT_EQ(c->config_size, (size_t) l);
        ASSERT_TRUE(memcmp(c->config, ser, (size_t) l) == 0);
}

TEST(search_path_trailing_slash_same_paths_and_hash) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *a = NULL, *b = NULL;
        _cleanup_free_ char *slashed = NULL;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/a.conf", "[Service]\nRestart=always\n"));
        ASSERT_TRUE(asprintf(&slashed, "%s//", f.etc) > 0);
        char *sp[] = { slashed, NULL };

        ASSERT_OK(container_load("web", f.path, NULL, &a));
        ASSERT_OK(container_load("web", sp, NULL, &b));
        ASSERT_STREQ(a->source_path, b->source_path);
        ASSERT_STREQ(a->dropin_paths[0], b->dropin_paths[0]);
        ASSERT_STREQ(hash_of(a), hash_of(b));
}

TEST(mount_destination_twice) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(check_bad("Volume=/a:/data\nVolume=cache:/data/", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Tmpfs=/run\nVolume=/a:/run", DIAGNOSTIC_ERROR, NULL));
        ASSERT_OK(check_bad("Volume=/a:/tmp\nTmpfs=/tmp", DIAGNOSTIC_ERROR,
                            "web.ctr:4: Tmpfs= destination '/tmp' is already used by Volume=."));
        /* Resetting the list first is how a drop-in moves a mount. */
        ASSERT_OK(load_text(HEADER "Volume=/a:/data\nVolume=\nVolume=/b:/data\n", NULL, &c));
        ASSERT_STREQ(c->volumes[0].source, "/b");
}

TEST(exec_empty_program) {
        ASSERT_OK(check_bad("Exec=\"\" arg", DIAGNOSTIC_WARNING, NULL));
}

/* Entrypoint=: split as Exec=; empty is "none" (docker run --entrypoint ''), not "unset"; absent is unset. */
TEST(entrypoint) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL;

        ASSERT_OK(load_text(HEADER "Entrypoint=/bin/tini -- 'a b'\nExec=run\n", NULL, &c));
        ASSERT_TRUE(c->entrypoint_set);
        ASSERT_EQ(strv_length(c->entrypoint), 3);
        ASSERT_STREQ(c->entrypoint[0], "/bin/tini");
        ASSERT_STREQ(c->entrypoint[2], "a b");
        ASSERT_STREQ(c->exec[0], "run");
        ASSERT_OK(load_text(HEADER "Entrypoint=/bin/tini\nEntrypoint=\n", NULL, &c2));
        ASSERT_TRUE(c2->entrypoint_set);
        ASSERT_NULL(c2->entrypoint);
        ASSERT_OK(load_text(HEADER, NULL, &c3));
        ASSERT_FALSE(c3->entrypoint_set);
        ASSERT_OK(check_bad("Entrypoint=\"\" arg", DIAGNOSTIC_WARNING,
                            "web.ctr:3: Entrypoint= '\"\" arg' has an empty program name, ignoring."));
        ASSERT_OK(check_bad("Entrypoint='open", DIAGNOSTIC_WARNING, NULL));
}

/* StopSignal= set or not: only an unset one lets an image's StopSignal apply. */
TEST(stop_signal_set) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL;

        ASSERT_OK(load_text(HEADER, NULL, &c));
        ASSERT_FALSE(c->stop_signal_set);
        ASSERT_EQ(c->stop_signal, SIGTERM);
        ASSERT_OK(load_text(HEADER "StopSignal=TERM\n", NULL, &c2));
        ASSERT_TRUE(c2->stop_signal_set);
        ASSERT_OK(load_text(HEADER "StopSignal=INT\nStopSignal=\n", NULL, &c3));
        ASSERT_FALSE(c3->stop_signal_set);
        ASSERT_EQ(c3->stop_signal, SIGTERM);
}

TEST(passthrough_invalid_utf8_warns) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_OK(load_text(HEADER "[Unit]\nDescription=caf\xc3\n", &d, &c));
        ASSERT_EQ(c->n_unit_settings, 0);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(diag_message(&d, 0), "web.ctr:4: Description= value in section [Unit] is not valid UTF-8, ignoring.");
        diagnostics_clear(&d);
}

/* Every diagnostic about an assignment carries file, line, section, key and the value as written, and its
 * message names the key and the value. */
TEST(diagnostics_complete) {
        _cleanup_container_free_ Container *c = NULL;
        Diagnostics d = {};

        ASSERT_ERROR(load_text(HEADER
                               "MemoryMax=lots\n"
                               "Volume=/srv/%i:data\n"
                               "Imagee=x\n"
                               "CPUQuota=0%\n"
                               "AddCapability=CAP_NOPE\n"
                               "Hostname=%q\n", &d, &c), EBADMSG);
        ASSERT_EQ(d.n, 6);
        for (size_t i = 0; i < d.n; i++) {
                const Diagnostic *x = &d.items[i];

                if (!x->file || x->line != 3 + i || !x->section || !x->key || !x->value ||
                    !strstr(x->message, x->key) || (i != 2 && !strstr(x->message, x->value) &&
                                                     !strstr(x->message, "data"))) {
                        diagnostics_clear(&d);
                        TEST_FAIL("diagnostic %zu incomplete", i);
                }
        }
        ASSERT_STREQ(d.items[1].value, "/srv/%i:data");
        ASSERT_STREQ(d.items[1].message, "Volume= destination must be an absolute path, got 'data'.");
        ASSERT_STREQ(d.items[3].message, "Invalid CPU quota '0%' for CPUQuota=, expected a percentage above 0%, ignoring.");
        diagnostics_clear(&d);
}

TEST(enumerate_warns_about_invalid_names) {
        _cleanup_fixture_ Fixture f;
        ContainerSource *s = NULL;
        Diagnostics d = {};
        size_t n = 0;

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "good.ctr", HEADER));
        ASSERT_OK(test_write(f.etc, "bad@name.ctr", HEADER));
        ASSERT_OK(test_write(f.usr, "my app.ctr.d/x.conf", HEADER));
        ASSERT_OK(container_enumerate_full(f.path, &d, &s, &n));
        container_source_free_many(s, n);
        ASSERT_EQ(n, 1);
        ASSERT_EQ(d.n, 2);
        ASSERT_EQ(d.items[0].level, DIAGNOSTIC_WARNING);
        ASSERT_TRUE(endswith(d.items[0].file, "/etc/bad@name.ctr"));
        ASSERT_STREQ(d.items[0].message,
                     "Invalid container name 'bad@name' (not a valid systemd instance name), ignoring.");
        ASSERT_TRUE(endswith(d.items[1].file, "/usr/my app.ctr.d"));
        diagnostics_clear(&d);
}

/* container_load_texts(): the same texts in memory load as the files on disk do (same settings, same config
 * hash, the same diagnostics with file and line), opening nothing */
TEST(load_texts_like_files) {
        _cleanup_fixture_ Fixture f;
        _cleanup_container_free_ Container *disk = NULL, *mem = NULL;
        _cleanup_free_ char *main_path = NULL, *dropin_path = NULL;
        static const char main_text[] = HEADER "Exec=/bin/true\nMemoryMax=lots\nTasksMax=10\n";
        static const char dropin_text[] = "[Container]\nTasksMax=20\nEnvironment=A=b\n";
        Diagnostics d1 = {}, d2 = {};

        ASSERT_OK(fixture_init(&f));
        ASSERT_OK(test_write(f.etc, "web.ctr", main_text));
        ASSERT_OK(test_write(f.etc, "web.ctr.d/10-x.conf", dropin_text));
        ASSERT_TRUE(asprintf(&main_path, "%s/web.ctr", f.etc) > 0);
        ASSERT_TRUE(asprintf(&dropin_path, "%s/web.ctr.d/10-x.conf", f.etc) > 0);
        ASSERT_OK(container_load("web", f.path, &d1, &disk));

        ConfigText m = { main_path, main_text, strlen(main_text) };
        ConfigText dropin = { dropin_path, dropin_text, strlen(dropin_text) };
        ASSERT_OK(container_load_texts("web", &m, &dropin, 1, &d2, &mem));

        ASSERT_EQ(mem->tasks_max, 20);
        ASSERT_STREQ(mem->environment[0], "A=b");
        ASSERT_STREQ(mem->source_path, main_path);
        ASSERT_STREQ(mem->dropin_paths[0], dropin_path);
        ASSERT_STREQ(hash_of(mem), hash_of(disk));
        ASSERT_EQ(d2.n, 1);
        ASSERT_EQ(d1.n, 1);
        ASSERT_STREQ(d2.items[0].file, d1.items[0].file);
        ASSERT_EQ(d2.items[0].line, 4);
        ASSERT_EQ(d2.items[0].line, d1.items[0].line);
        diagnostics_clear(&d1);
        diagnostics_clear(&d2);

        /* drop-ins only, and an invalid text rejected as a file would be */
        _cleanup_container_free_ Container *only = NULL, *bad = NULL;
        ConfigText head = { "/x/web.ctr.d/a.conf", HEADER, strlen(HEADER) };
        ConfigText broken = { "/x/web.ctr", HEADER "Network=wifi\n", strlen(HEADER "Network=wifi\n") };
        ASSERT_OK(container_load_texts("web", NULL, &head, 1, &d1, &only));
        ASSERT_NULL(only->source_path);
        ASSERT_ERROR(container_load_texts("web", &broken, NULL, 0, &d2, &bad), EBADMSG);
        ASSERT_TRUE(diagnostics_has_errors(&d2));
        diagnostics_clear(&d1);
        diagnostics_clear(&d2);
}
