/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Running an image, without the store or privileges: an image config's defaults applied to a Container
 * (image-defaults.c: Docker's rules for Entrypoint, Cmd, User, WorkingDir, StopSignal, Env, Volumes, and
 * the .ctr's settings winning), and the mstack directory (image-root.c: layer@N links, rw/, .ctr-image, rw/
 * moved aside when the image changes). Images are Image structs made here, layers plain directories. */

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctr-file.h"
#include "image-defaults.h"
#include "image-root.h"
#include "string-util.h"
#include "strv.h"
#include "test-load.h"
#include "test.h"

static char *entry[] = { (char *) "/bin/entry", (char *) "-v", NULL };
static char *cmd[] = { (char *) "cmd-a", (char *) "cmd-b", NULL };
static char *env[] = { (char *) "E1=image", (char *) "PATH=/image/bin", (char *) "bad name=x", NULL };
static char *vols[] = { (char *) "/data", (char *) "/cache//x/", (char *) "/srv", (char *) "/data", NULL };

static const ImageConfig config = {
        .entrypoint = entry,
        .cmd = cmd,
        .env = env,
        .user = (char *) "app:staff",
        .working_dir = (char *) "/srv/work",
        .stop_signal = (char *) "SIGQUIT",
        .volumes = vols,
};

/* The .ctr |text| (after "[Container]\nImage=x\n") with config applied; |ret_error| may be NULL. */
static int apply(const char *text, const ImageConfig *ic, Container **ret_c, ImageDefaults *ret,
                 char **ret_error) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_free_ char *full = strprintf("[Container]\n%s\n%s", ic ? "Image=x" : "Image=host", text);
        int r;

        if (!full)
                return -ENOMEM;
        r = test_load_ctr_text("web", full, &c);
        if (r < 0)
                return r;
        r = image_defaults_apply(c, ic, ret, ret_error);
        if (r < 0)
                return r;
        *ret_c = TAKE_PTR(c);
        return 0;
}

TEST(image_supplies_everything) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};

        ASSERT_OK(apply("", &config, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->exec), 4);
        ASSERT_STREQ(c->exec[0], "/bin/entry");
        ASSERT_STREQ(c->exec[2], "cmd-a");
        ASSERT_EQ(d.entrypoint_origin, SETTING_IMAGE);
        ASSERT_EQ(d.command_origin, SETTING_IMAGE);
        ASSERT_STREQ(c->user, "app");
        ASSERT_STREQ(c->group, "staff");
        ASSERT_EQ(d.user_origin, SETTING_IMAGE);
        ASSERT_STREQ(c->working_directory, "/srv/work");
        ASSERT_TRUE(d.make_working_directory);
        ASSERT_EQ(c->stop_signal, SIGQUIT);
        ASSERT_EQ(d.stop_signal_origin, SETTING_IMAGE);
        /* only valid assignments of Env */
        ASSERT_EQ(strv_length(d.environment), 2);
        ASSERT_STREQ(d.environment[1], "PATH=/image/bin");
        /* normalised, sorted, once each */
        ASSERT_EQ(strv_length(d.volumes), 3);
        ASSERT_STREQ(d.volumes[0], "/cache/x");
        ASSERT_STREQ(d.volumes[1], "/data");
        ASSERT_STREQ(d.volumes[2], "/srv");
}

/* Exec= replaces Cmd only, after the image's entrypoint (docker run IMAGE CMD…) */
TEST(exec_replaces_cmd) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};

        ASSERT_OK(apply("Exec=mine 1\n", &config, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->exec), 4);
        ASSERT_STREQ(c->exec[0], "/bin/entry");
        ASSERT_STREQ(c->exec[2], "mine");
        ASSERT_EQ(d.command_origin, SETTING_CTR);
        ASSERT_EQ(d.entrypoint_origin, SETTING_IMAGE);
}

/* Entrypoint= drops the image's Cmd (docker run --entrypoint); empty means none at all */
TEST(entrypoint_replaces_both) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {}, d2 = {}, d3 = {};
        _cleanup_free_ char *error = NULL;

        ASSERT_OK(apply("Entrypoint=/bin/sh -c\n", &config, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->exec), 2);
        ASSERT_STREQ(c->exec[1], "-c");
        ASSERT_FALSE(c->entrypoint_set);
        ASSERT_EQ(d.entrypoint_origin, SETTING_CTR);
        ASSERT_EQ(d.command_origin, SETTING_DEFAULT);

        ASSERT_OK(apply("Entrypoint=\nExec=/bin/true x\n", &config, &c2, &d2, NULL));
        ASSERT_EQ(strv_length(c2->exec), 2);
        ASSERT_STREQ(c2->exec[0], "/bin/true");

        /* no entrypoint and no command: nothing to run, said so */
        ASSERT_ERROR(apply("Entrypoint=\n", &config, &c3, &d3, &error), ENOEXEC);
        ASSERT_NOT_NULL(error);
}

/* the .ctr's explicit settings win, one by one */
TEST(ctr_wins) {
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};

        ASSERT_OK(apply("User=0\nWorkingDirectory=/\nStopSignal=TERM\nVolume=/host:/data\nTmpfs=/srv\n",
                        &config, &c, &d, NULL));
        ASSERT_STREQ(c->user, "0");
        ASSERT_NULL(c->group);          /* the image's group goes with its user */
        ASSERT_EQ(d.user_origin, SETTING_CTR);
        ASSERT_STREQ(c->working_directory, "/");
        ASSERT_FALSE(d.make_working_directory);
        ASSERT_EQ(d.working_directory_origin, SETTING_CTR);
        ASSERT_EQ(c->stop_signal, SIGTERM);
        ASSERT_EQ(d.stop_signal_origin, SETTING_CTR);
        ASSERT_EQ(strv_length(d.volumes), 1);
        ASSERT_STREQ(d.volumes[0], "/cache/x");
}

TEST(bad_config_values) {
        static char *proc[] = { (char *) "/proc/sys", NULL };
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};
        _cleanup_free_ char *e1 = NULL, *e2 = NULL, *e3 = NULL;
        ImageConfig ic = config;

        ic.user = (char *) "a b";
        ASSERT_ERROR(apply("", &ic, &c, &d, &e1), EINVAL);
        ASSERT_NOT_NULL(strstr(e1, "'a b'"));
        ic = config;
        ic.stop_signal = (char *) "SIGNOPE";
        ASSERT_ERROR(apply("", &ic, &c, &d, &e2), EINVAL);
        ic = config;
        ic.volumes = proc;
        ASSERT_ERROR(apply("", &ic, &c, &d, &e3), EPERM);
}

static char *hc_shell[] = { (char *) "CMD-SHELL", (char *) "test -e /ready", NULL };
static char *hc_cmd[] = { (char *) "CMD", (char *) "/bin/check", (char *) "--quick", NULL };
static char *hc_none[] = { (char *) "NONE", NULL };

/* Docker's Healthcheck: CMD-SHELL through /bin/sh -c, CMD as given; its values where the .ctr set none */
TEST(image_health_check) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {}, d2 = {};
        ImageConfig ic = config;

        ic.healthcheck = (ImageHealthcheck) {
                .test = hc_shell,
                .interval_nsec = UINT64_C(5000000000),
                .timeout_nsec = UINT64_C(2000000000),
                .start_period_nsec = UINT64_C(60000000000),
                .retries = 7,
        };
        ASSERT_OK(apply("", &ic, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->health_cmd), 3);
        ASSERT_STREQ(c->health_cmd[0], "/bin/sh");
        ASSERT_STREQ(c->health_cmd[1], "-c");
        ASSERT_STREQ(c->health_cmd[2], "test -e /ready");
        ASSERT_EQ(d.health_origin, SETTING_IMAGE);
        ASSERT_EQ_U64(c->health_interval_usec, 5 * USEC_PER_SEC);
        ASSERT_EQ_U64(c->health_timeout_usec, 2 * USEC_PER_SEC);
        ASSERT_EQ_U64(c->health_start_period_usec, 60 * USEC_PER_SEC);
        ASSERT_EQ(c->health_retries, 7);

        /* the .ctr's HealthInterval= and HealthRetries= win; the rest and the command are the image's */
        ic.healthcheck.test = hc_cmd;
        ASSERT_OK(apply("HealthInterval=1min\nHealthRetries=2\nHealthOnFailure=restart\n", &ic, &c2, &d2, NULL));
        ASSERT_EQ(strv_length(c2->health_cmd), 2);
        ASSERT_STREQ(c2->health_cmd[0], "/bin/check");
        ASSERT_EQ_U64(c2->health_interval_usec, 60 * USEC_PER_SEC);
        ASSERT_EQ_U64(c2->health_timeout_usec, 2 * USEC_PER_SEC);
        ASSERT_EQ(c2->health_retries, 2);
        ASSERT_EQ(c2->health_on_failure, HEALTH_ON_FAILURE_RESTART);
}

/* buildah writes CMD-SHELL's command as words: one string again, as podman runs it */
TEST(image_health_check_shell_words) {
        static char *words[] = { (char *) "CMD-SHELL", (char *) "test", (char *) "-e", (char *) "/x", NULL };
        _cleanup_container_free_ Container *c = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {};
        ImageConfig ic = config;

        ic.healthcheck.test = words;
        ASSERT_OK(apply("", &ic, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->health_cmd), 3);
        ASSERT_STREQ(c->health_cmd[2], "test -e /x");
}

/* HealthCmd= replaces the image's check, with all of its values; HealthCmd=none and Test NONE: no check */
TEST(image_health_check_replaced_or_off) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {}, d2 = {}, d3 = {}, d4 = {};
        ImageConfig ic = config;

        ic.healthcheck = (ImageHealthcheck) { .test = hc_shell, .interval_nsec = UINT64_C(5000000000),
                                              .retries = 7 };
        ASSERT_OK(apply("HealthCmd=/bin/mine\n", &ic, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->health_cmd), 1);
        ASSERT_STREQ(c->health_cmd[0], "/bin/mine");
        ASSERT_EQ(d.health_origin, SETTING_CTR);
        ASSERT_EQ_U64(c->health_interval_usec, CTR_HEALTH_INTERVAL_DEFAULT_USEC);
        ASSERT_EQ(c->health_retries, CTR_HEALTH_RETRIES_DEFAULT);

        ASSERT_OK(apply("HealthCmd=none\n", &ic, &c2, &d2, NULL));
        ASSERT_NULL(c2->health_cmd);
        ASSERT_EQ(d2.health_origin, SETTING_DEFAULT);

        ic.healthcheck.test = hc_none;
        ASSERT_OK(apply("", &ic, &c3, &d3, NULL));
        ASSERT_NULL(c3->health_cmd);

        /* none in the image: none */
        ASSERT_OK(apply("", &config, &c4, &d4, NULL));
        ASSERT_NULL(c4->health_cmd);
        ASSERT_EQ(d4.health_origin, SETTING_DEFAULT);
}

TEST(image_health_check_refused) {
        static char *unknown[] = { (char *) "SHELL", (char *) "x", NULL };
        static char *cmd_alone[] = { (char *) "CMD", NULL };
        static char *shell_alone[] = { (char *) "CMD-SHELL", NULL };
        char **bad[] = { unknown, cmd_alone, shell_alone };

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                _cleanup_container_free_ Container *c = NULL;
                _cleanup_(image_defaults_done) ImageDefaults d = {};
                _cleanup_free_ char *error = NULL;
                ImageConfig ic = config;

                ic.healthcheck.test = bad[i];
                ASSERT_ERROR(apply("", &ic, &c, &d, &error), EINVAL);
                ASSERT_NOT_NULL(strstr(error, "Healthcheck"));
        }
}

/* Image=host: only Entrypoint= and Exec= combine; neither: ctr's /bin/sh (exec stays NULL) */
TEST(no_image) {
        _cleanup_container_free_ Container *c = NULL, *c2 = NULL;
        _cleanup_(image_defaults_done) ImageDefaults d = {}, d2 = {};

        ASSERT_OK(apply("Entrypoint=/bin/env\nExec=true\n", NULL, &c, &d, NULL));
        ASSERT_EQ(strv_length(c->exec), 2);
        ASSERT_OK(apply("", NULL, &c2, &d2, NULL));
        ASSERT_NULL(c2->exec);
        ASSERT_EQ(d2.user_origin, SETTING_DEFAULT);
}

static void make_image(Image *img, const char *manifest, size_t n) {
        *img = (Image) { .n_layers = n };
        snprintf(img->manifest_digest, sizeof(img->manifest_digest), "sha256:%s", manifest);
        snprintf(img->config_digest, sizeof(img->config_digest), "sha256:%064d", 0);
        for (size_t i = 0; i < n; i++) {
                char *s = strprintf("sha256:%063zu%zu", i, i % 10);
                ASSERT_OK(strv_consume(&img->diff_ids, s));
        }
}

static bool is_link_to(const char *path, const char *text) {
        char buf[4096];
        ssize_t l = readlink(path, buf, sizeof(buf) - 1);
        if (l < 0)
                return false;
        buf[l] = '\0';
        return streq(buf, text);
}

TEST(mstack_layout_and_digest_change) {
        _cleanup_free_ char *state = test_mkdtemp(), *mstack = NULL, *p = NULL, *moved = NULL, *moved2 = NULL;
        _cleanup_strv_free_ char **layers = NULL;
        char digest[DIGEST_STRING_MAX];
        Image a, b;
        struct stat st;

        ASSERT_NOT_NULL(state);
        make_image(&a, "aaaaaaaaaaaa1111111111111111111111111111111111111111111111111111", 3);
        make_image(&b, "bbbbbbbbbbbb2222222222222222222222222222222222222222222222222222", 2);
        for (size_t i = 0; i < 3; i++)
                ASSERT_OK(strv_consume(&layers, strprintf("%s/images/layers/sha256/L%zu", state, i)));

        ASSERT_OK(image_root_prepare(state, "web", &a, layers, true, &moved));
        ASSERT_NULL(moved);
        ASSERT_OK(image_root_path(state, "web", &mstack));
        p = strprintf("%s/layer@0", mstack);
        ASSERT_TRUE(is_link_to(p, "../../images/layers/sha256/L0"));
        free(p);
        p = strprintf("%s/layer@2", mstack);
        ASSERT_TRUE(is_link_to(p, "../../images/layers/sha256/L2"));
        free(p);
        p = strprintf("%s/rw/data", mstack);
        ASSERT_OK(stat(p, &st) < 0 ? -errno : 0);
        ASSERT_OK(image_root_read_digest(mstack, digest));
        ASSERT_STREQ(digest, a.manifest_digest);
        ASSERT_OK(test_write(mstack, "rw/data/kept", "x"));

        /* the same image again: rw/ stays */
        ASSERT_OK(image_root_prepare(state, "web", &a, layers, true, &moved));
        ASSERT_NULL(moved);

        /* another image: rw/ moved aside under a name that says which image it was made on; two layers
         * now, so layer@2 goes */
        ASSERT_OK(image_root_prepare(state, "web", &b, layers, true, &moved));
        ASSERT_NOT_NULL(moved);
        ASSERT_TRUE(startswith(moved, "rw.was-sha256-aaaaaaaaaaaa-"));
        free(p);
        p = strprintf("%s/%s/data/kept", mstack, moved);
        ASSERT_OK(stat(p, &st) < 0 ? -errno : 0);
        free(p);
        p = strprintf("%s/rw/data/kept", mstack);
        ASSERT_TRUE(stat(p, &st) < 0 && errno == ENOENT);
        free(p);
        p = strprintf("%s/layer@2", mstack);
        ASSERT_TRUE(lstat(p, &st) < 0 && errno == ENOENT);
        ASSERT_OK(image_root_read_digest(mstack, digest));
        ASSERT_STREQ(digest, b.manifest_digest);

        /* not writable (Ephemeral=, ReadOnly=): rw/ and .ctr-image untouched */
        ASSERT_OK(image_root_prepare(state, "web", &a, layers, false, &moved2));
        ASSERT_NULL(moved2);
        ASSERT_OK(image_root_read_digest(mstack, digest));
        ASSERT_STREQ(digest, b.manifest_digest);

        strv_free(a.diff_ids);
        strv_free(b.diff_ids);
        test_rm_rf(state);
}
