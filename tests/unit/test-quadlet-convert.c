/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The Quadlet converter's table and value syntaxes (src/model/quadlet-*.c). Whole files are converted and
 * checked by tests/convert/run-cases. */

#include "ctr-keys.h"
#include "quadlet-convert.h"
#include "string-util.h"
#include "strv.h"
#include "test.h"

TEST(table_sorted_and_complete) {
        const QuadletKey *k, *prev = NULL;

        for (size_t i = 0; (k = quadlet_key_nth(i)); i++) {
                if (prev)
                        ASSERT_TRUE(strcmp(prev->name, k->name) < 0);
                ASSERT_TRUE(quadlet_key_find(k->name) == k);
                ASSERT_NOT_NULL(quadlet_status_to_string(k->status));
                ASSERT_FALSE(isempty(k->note));
                ASSERT_TRUE(k->sections != 0);
                /* a key translated as it is names the ctr key that takes it, and that key exists */
                if (!k->translate && k->status != QUADLET_NO) {
                        ASSERT_NOT_NULL(k->ctr);
                        ASSERT_TRUE(container_key_is_known(k->ctr));
                }
                if (k->status == QUADLET_NO)
                        ASSERT_NULL(k->translate);
                prev = k;
        }
        ASSERT_NULL(quadlet_key_find("Frobnicate"));
}

TEST(loader_lookup) {
        const char *ctr = "x";

        ASSERT_TRUE(quadlet_key_lookup("WorkingDir", &ctr));
        ASSERT_STREQ(ctr, "WorkingDirectory");
        ASSERT_TRUE(quadlet_key_lookup("UserNS", &ctr));
        ASSERT_NULL(ctr);                       /* partial: a translation, not the same key */
        ASSERT_TRUE(quadlet_key_lookup("ShmSize", &ctr));
        ASSERT_NULL(ctr);
        ASSERT_FALSE(quadlet_key_lookup("PodName", &ctr));      /* [Pod] only */
        ASSERT_FALSE(quadlet_key_lookup("Frobnicate", NULL));
}

static const char *duration(const char *s) {
        static char *last;

        last = mfree(last);
        if (quadlet_duration(s, &last) < 0)
                return "error";
        return last;
}

TEST(durations) {
        ASSERT_STREQ(duration("30s"), "30s");
        ASSERT_STREQ(duration("1m30s"), "90s");
        ASSERT_STREQ(duration("2h"), "7200s");
        ASSERT_STREQ(duration("500ms"), "500ms");
        ASSERT_STREQ(duration("1.5s"), "1500ms");
        ASSERT_STREQ(duration("250us"), "250us");
        ASSERT_STREQ(duration("0"), "0s");
        ASSERT_STREQ(duration("1min 30s"), "90s");      /* systemd's own syntax too */
        ASSERT_STREQ(duration("soon"), "error");
        ASSERT_STREQ(duration(""), "error");
        (void) duration("1s");
}

TEST(sizes) {
        char *s = NULL;

        ASSERT_OK(quadlet_size("512m", &s));
        ASSERT_STREQ(s, "512M");
        s = mfree(s);
        ASSERT_OK(quadlet_size("2G", &s));
        ASSERT_STREQ(s, "2G");
        s = mfree(s);
        ASSERT_OK(quadlet_size("100b", &s));
        ASSERT_STREQ(s, "100");
        s = mfree(s);
        ASSERT_OK(quadlet_size("4096", &s));
        ASSERT_STREQ(s, "4096");
        s = mfree(s);
        ASSERT_ERROR(quadlet_size("1.5g", &s), EINVAL);
        ASSERT_ERROR(quadlet_size("lots", &s), EINVAL);
        ASSERT_ERROR(quadlet_size("10mb", &s), EINVAL);
}

TEST(json_commands) {
        _cleanup_strv_free_ char **l = NULL;
        char *line = NULL;

        ASSERT_OK(quadlet_json_array("[\"/bin/sh\", \"-c\", \"echo \\\"hi\\\" \\u00e9\"]", &l));
        ASSERT_EQ(strv_length(l), 3);
        ASSERT_STREQ(l[2], "echo \"hi\" \xc3\xa9");
        ASSERT_OK(quadlet_command_line(l, &line));
        ASSERT_STREQ(line, "/bin/sh -c \"echo \\\"hi\\\" \xc3\xa9\"");
        line = mfree(line);
        l = strv_free(l);
        ASSERT_OK(quadlet_json_array(" [ ] ", &l));
        ASSERT_EQ(strv_length(l), 0);
        l = strv_free(l);
        ASSERT_ERROR(quadlet_json_array("[\"a\",]", &l), EINVAL);
        ASSERT_ERROR(quadlet_json_array("[\"a\"] x", &l), EINVAL);
        ASSERT_ERROR(quadlet_json_array("[1]", &l), EINVAL);
        ASSERT_ERROR(quadlet_json_array("/bin/sh", &l), EINVAL);
        ASSERT_ERROR(quadlet_json_array("[\"\\u0000\"]", &l), EINVAL);
}

TEST(paths) {
        char *p = NULL;

        ASSERT_OK(quadlet_path("/etc/containers/systemd", "./data", &p));
        ASSERT_STREQ(p, "/etc/containers/systemd/data");
        p = mfree(p);
        ASSERT_OK(quadlet_path("/etc/containers/systemd", "../env/web", &p));
        ASSERT_STREQ(p, "/etc/containers/env/web");
        p = mfree(p);
        ASSERT_OK(quadlet_path("/etc/containers/systemd", "/srv//www/", &p));
        ASSERT_STREQ(p, "/srv/www");
        p = mfree(p);
        ASSERT_OK(quadlet_path("/etc", "%i/data", &p));
        ASSERT_STREQ(p, "%i/data");
        p = mfree(p);
        ASSERT_OK(quadlet_path("/", "../../x", &p));
        ASSERT_STREQ(p, "/x");
        p = mfree(p);
}

/* One file's assignments through the converter: the text, and whether something was lost. */
static char *convert(const char *const *lines, bool *ret_lost) {
        Diagnostics d = {};
        QuadletUnit u;
        char *text = NULL;

        quadlet_unit_init(&u, "web", "/etc/containers/systemd", true, QUADLET_ALONE, NULL, NULL, &d);
        for (size_t i = 0; lines[i]; i += 3)
                if (quadlet_unit_add(&u, "web.container", (unsigned) i / 3 + 1, lines[i], lines[i + 1],
                                     lines[i + 2]) < 0)
                        return NULL;
        if (quadlet_unit_finish(&u, NULL, &text) < 0)
                text = NULL;
        *ret_lost = u.lost;
        quadlet_unit_done(&u);
        diagnostics_clear(&d);
        return text;
}

TEST(defaults_and_specifiers) {
        _cleanup_free_ char *t = NULL;
        bool lost;

        t = convert((const char *const[]) { "Container", "Image", "quay.io/app/web:1",
                                            "Container", "Environment", "UNIT=%N PREFIX=%p",
                                            "Service", "SyslogIdentifier", "%N", NULL }, &lost);
        ASSERT_NOT_NULL(t);
        ASSERT_FALSE(lost);
        ASSERT_STREQ(t, "[Container]\n"
                        "Image=quay.io/app/web:1\n"
                        "Environment=UNIT=%i PREFIX=%i\n"
                        "# ctr convert: podman's default network is a bridge with NAT (ctr's is none)\n"
                        "Network=bridge\n"
                        "# ctr convert: rootful podman runs a container without a user namespace unless UserNS= "
                        "says so (PrivateUsers=pick isolates it further)\n"
                        "PrivateUsers=no\n"
                        "\n[Service]\n"
                        "SyslogIdentifier=%i\n");
}

TEST(specifier_without_counterpart) {
        _cleanup_free_ char *t = NULL, *h = NULL;
        bool lost;

        t = convert((const char *const[]) { "Container", "Image", "quay.io/app/web:1",
                                            "Container", "Volume", "%t/data:/data", NULL }, &lost);
        ASSERT_NOT_NULL(t);
        ASSERT_TRUE(lost);
        ASSERT_NOT_NULL(strstr(t, "# ctr convert: Volume=%t/data:/data not translated (isolation or data): the "
                                  "specifier %t has no counterpart in ctr"));

        /* %h: ctr@.service is a system service, its user's home root's */
        h = convert((const char *const[]) { "Container", "Image", "quay.io/app/web:1",
                                            "Container", "Volume", "%h/data:/data", NULL }, &lost);
        ASSERT_NOT_NULL(h);
        ASSERT_FALSE(lost);
        ASSERT_NOT_NULL(strstr(h, "\nVolume=/root/data:/data\n"));
        ASSERT_NOT_NULL(strstr(h, "# ctr convert: Volume=%h/data:/data: %h is /root"));
}

TEST(id_maps) {
        _cleanup_free_ char *a = NULL, *b = NULL;
        bool lost;

        a = convert((const char *const[]) { "Container", "Image", "quay.io/app/web:1",
                                            "Container", "UIDMap", "0:200000:65536", NULL }, &lost);
        ASSERT_NOT_NULL(a);
        ASSERT_FALSE(lost);
        ASSERT_NOT_NULL(strstr(a, "\nPrivateUsers=200000:65536\n"));
        ASSERT_NULL(strstr(a, "PrivateUsers=no"));

        b = convert((const char *const[]) { "Container", "Image", "quay.io/app/web:1",
                                            "Container", "UIDMap", "0:200000:65536",
                                            "Container", "GIDMap", "0:300000:65536", NULL }, &lost);
        ASSERT_NOT_NULL(b);
        ASSERT_TRUE(lost);
        ASSERT_NOT_NULL(strstr(b, "GIDMap=0:300000:65536 differs from it"));
}
