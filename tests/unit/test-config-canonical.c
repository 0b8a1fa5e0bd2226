/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The effective configuration's canonical form and hash (src/model/config-canonical.c, config-hash.c): what
 * cosmetic edits leave alone, and that every key that matters changes it. */

#include <stdlib.h>
#include <string.h>

#include "config-canonical.h"
#include "config-hash.h"
#include "ctr-file.h"
#include "string-util.h"
#include "test.h"

/* Container.config's format for container |name| from up to three files (NULL ends the list). */
static char *blob(const char *name, const char *a, const char *b, const char *c) {
        const char *files[] = { a, b, c };
        char *s = strprintf("ctr-config-v1\n%s\n", name);

        for (size_t i = 0; s && i < 3 && files[i]; i++) {
                char *n = strprintf("%s/etc/ctr/f%zu\n%zu\n%s\n", s, i, strlen(files[i]), files[i]);
                free(s);
                s = n;
        }
        return s;
}

/* The effective hash of such files, as a value (valid until the fourth call after it); "error" when it
 * fails. */
static const char *hash3(const char *name, const char *a, const char *b, const char *c) {
        static char buf[4][65];
        static unsigned i;
        char *r = buf[i++ % 4];
        _cleanup_free_ char *s = blob(name, a, b, c);

        if (!s || config_effective_hash(s, strlen(s), r) < 0)
                strcpy(r, "error");
        return r;
}
#define hash1(a) hash3("web", a, NULL, NULL)

static char *canonical1(const char *a) {
        _cleanup_free_ char *s = blob("web", a, NULL, NULL);
        char *r = NULL;
        size_t n;

        if (!s || config_canonical(s, strlen(s), "host1", &r, &n) < 0)
                return NULL;
        return r;
}

TEST(canonical_form) {
        _cleanup_free_ char *c = canonical1("[Service]\nRestart=always\n# comment\n[Container]\nVolume=/b:/b\n"
                                            "Image=host\nVolume=/a:/a\nHostname=%H-%i\nX-Mine=1\n[X-Other]\nA=1\n"
                                            "[Foo]\nB=2\n");

        ASSERT_STREQ(c, "ctr-effective-v1\nweb\n[Container]\nHostname=host1-web\nImage=host\nVolume=/b:/b\n"
                        "Volume=/a:/a\n[Service]\nRestart=always\n");
}

TEST(cosmetic_edits_keep_the_hash) {
        char base[65];

        strcpy(base, hash1("[Container]\nImage=host\nExec=sleep 1\nVolume=/a:/a\nVolume=/b:/b\n"
                           "[Service]\nRestart=always\nExecStartPre=/bin/true\n"));

        ASSERT_EQ(strlen(base), 64);
        /* comments, blank lines, whitespace around keys and values, CRLF */
        ASSERT_STREQ(hash1("# top\n\n[Container]\n  Image = host  \n; c\nExec=sleep 1\r\nVolume=/a:/a\n"
                           "Volume=/b:/b\n\n[Service]\n# x\nRestart=always\nExecStartPre=/bin/true\n"), base);
        /* the order of different keys and of sections */
        ASSERT_STREQ(hash1("[Service]\nExecStartPre=/bin/true\nRestart=always\n[Container]\nVolume=/a:/a\n"
                           "Exec=sleep 1\nVolume=/b:/b\nImage=host\n"), base);
        /* a continuation line (its backslash becomes the space) */
        ASSERT_STREQ(hash1("[Container]\nImage=host\nExec=sleep\\\n1\nVolume=/a:/a\nVolume=/b:/b\n"
                           "[Service]\nRestart=always\nExecStartPre=/bin/true\n"), base);
        /* split into a main file and drop-ins */
        ASSERT_STREQ(hash3("web", "[Container]\nImage=host\nVolume=/a:/a\n", "[Container]\nExec=sleep 1\n",
                           "[Container]\nVolume=/b:/b\n[Service]\nRestart=always\nExecStartPre=/bin/true\n"), base);
        /* an overridden scalar, a list reset, X- keys and sections nothing reads */
        ASSERT_STREQ(hash1("[Container]\nImage=host\nExec=sleep 2\nVolume=/c:/c\nVolume=\nVolume=/a:/a\n"
                           "Exec=sleep 1\nVolume=/b:/b\nX-Note=1\n[X-Tool]\nA=b\n[Service]\nRestart=always\n"
                           "ExecStartPre=/bin/true\n"), base);
        /* a specifier that expands to the same value */
        ASSERT_STREQ(hash1("[Container]\nImage=host\nExec=sleep 1\nVolume=/a:/a\nVolume=/b:/b\nHostname=%i\n"),
                     hash1("[Container]\nImage=host\nExec=sleep 1\nVolume=/a:/a\nVolume=/b:/b\nHostname=web\n"));
}

TEST(what_matters_changes_the_hash) {
        char base[65];

        strcpy(base, hash1("[Container]\nImage=host\nVolume=/a:/a\nVolume=/b:/b\n[Service]\n"
                           "ExecStartPre=/bin/a\nExecStartPre=/bin/b\n"));

        /* the order of a list key's entries, and of a pass-through key's */
        ASSERT_FALSE(streq(base, hash1("[Container]\nImage=host\nVolume=/b:/b\nVolume=/a:/a\n[Service]\n"
                                       "ExecStartPre=/bin/a\nExecStartPre=/bin/b\n")));
        ASSERT_FALSE(streq(base, hash1("[Container]\nImage=host\nVolume=/a:/a\nVolume=/b:/b\n[Service]\n"
                                       "ExecStartPre=/bin/b\nExecStartPre=/bin/a\n")));
        /* an empty pass-through assignment resets what the generator wrote: it counts */
        ASSERT_FALSE(streq(base, hash1("[Container]\nImage=host\nVolume=/a:/a\nVolume=/b:/b\n[Service]\n"
                                       "ExecStartPre=\nExecStartPre=/bin/a\nExecStartPre=/bin/b\n")));
        /* the name, a specifier's expansion */
        ASSERT_FALSE(streq(hash3("web", "[Container]\nImage=host\n", NULL, NULL),
                           hash3("db", "[Container]\nImage=host\n", NULL, NULL)));
        ASSERT_FALSE(streq(hash3("web", "[Container]\nImage=host\nHostname=%i\n", NULL, NULL),
                           hash3("db", "[Container]\nImage=host\nHostname=web\n", NULL, NULL)));
        /* a key moved to another section */
        ASSERT_FALSE(streq(hash1("[Unit]\nDescription=x\n[Container]\nImage=host\n"),
                           hash1("[Service]\nDescription=x\n[Container]\nImage=host\n")));
}

/* Every [Container] key: set, and set to another value, each gives its own hash. */
TEST(every_container_key_counts) {
        const char *k;
        char base[65];

        strcpy(base, hash1("[Container]\nImage=host\n"));

        for (size_t i = 0; (k = container_key_nth(i)); i++) {
                _cleanup_free_ char *a = strprintf("[Container]\nImage=host\n%s=1\n", k);
                _cleanup_free_ char *b = strprintf("[Container]\nImage=host\n%s=2\n", k);
                char ha[65], hb[65];

                ASSERT_NOT_NULL(a);
                ASSERT_NOT_NULL(b);
                if (streq(k, "Image"))
                        continue;
                strcpy(ha, hash1(a));
                strcpy(hb, hash1(b));
                if (streq(ha, base) || streq(hb, base) || streq(ha, hb)) {
                        fprintf(stderr, "key %s= does not change the hash\n", k);
                        ASSERT_TRUE(false);
                }
        }
        ASSERT_FALSE(streq(base, hash1("[Container]\nImage=other\n")));
}

TEST(malformed_config) {
        char h[65];

        ASSERT_ERROR(config_effective_hash("", 0, h), EBADMSG);
        ASSERT_ERROR(config_effective_hash("ctr-config-v2\nweb\n", 18, h), EBADMSG);
        ASSERT_ERROR(config_effective_hash("ctr-config-v1\nweb\n/p\n99\nabc\n", 28, h), EBADMSG);
        ASSERT_ERROR(config_effective_hash("ctr-config-v1\nweb\n/p\nx\nabc\n", 27, h), EBADMSG);
        ASSERT_OK(config_effective_hash("ctr-config-v1\nweb\n/p\n3\nabc\n", 27, h));
}

/* Through the loader: a real file edited cosmetically keeps container_config_hash(), an edited value does not. */
TEST(loaded_container) {
        _cleanup_free_ char *dir = test_mkdtemp();
        _cleanup_container_free_ Container *a = NULL, *b = NULL, *c = NULL;
        char ha[65], hb[65], hc[65];

        ASSERT_NOT_NULL(dir);
        char *path[] = { dir, NULL };
        ASSERT_OK(test_write(dir, "web.ctr", "[Container]\nImage=host\nExec=sleep 1\n"));
        ASSERT_OK(container_load("web", path, NULL, &a));
        ASSERT_OK(test_write(dir, "web.ctr", "# edited\n[Container]\nExec = sleep 1\n\nImage=host\n"));
        ASSERT_OK(container_load("web", path, NULL, &b));
        ASSERT_OK(test_write(dir, "web.ctr.d/x.conf", "[Container]\nExec=sleep 2\n"));
        ASSERT_OK(container_load("web", path, NULL, &c));
        ASSERT_OK(container_config_hash(a, ha));
        ASSERT_OK(container_config_hash(b, hb));
        ASSERT_OK(container_config_hash(c, hc));
        ASSERT_STREQ(ha, hb);
        ASSERT_FALSE(streq(ha, hc));
        test_rm_rf(dir);
}
