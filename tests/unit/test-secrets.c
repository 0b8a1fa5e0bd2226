/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Secret=: the key (keys-secret.c) and the plan of the service's credentials (plan-secrets.c). */

#include <sys/mount.h>

#include "ctr-file.h"
#include "name-util.h"
#include "plan.h"
#include "string-util.h"
#include "test-load.h"
#include "test.h"

#define HEADER "[Container]\nImage=host\n"

/* Loads |text| as web.ctr; *ret_message gets the first diagnostic as "web.ctr:LINE: MESSAGE" (static). */
static int load(const char *text, Container **ret, const char **ret_message) {
        return test_load_ctr_text_message("web", text, ret, ret_message);
}

/* A bad Secret= rejects the file, with |message| when given. */
static int check_bad(const char *line, const char *message) {
        return test_load_line_rejected(line, "web.ctr:", message);
}

TEST(credential_names) {
        ASSERT_TRUE(credential_name_is_valid("db-password"));
        ASSERT_TRUE(credential_name_is_valid("tls.key"));
        ASSERT_TRUE(credential_name_is_valid(".hidden"));
        ASSERT_TRUE(credential_name_is_valid("with space"));
        ASSERT_FALSE(credential_name_is_valid(""));
        ASSERT_FALSE(credential_name_is_valid("."));
        ASSERT_FALSE(credential_name_is_valid(".."));
        ASSERT_FALSE(credential_name_is_valid("a/b"));
        ASSERT_FALSE(credential_name_is_valid("a:b"));
        ASSERT_FALSE(credential_name_is_valid("tab\there"));
        ASSERT_FALSE(credential_name_is_valid("caf\xc3\xa9"));
}

TEST(secret_values) {
        _cleanup_container_free_ Container *c = NULL;
        const char *m;

        ASSERT_OK(load(HEADER "Secret=db-password\n"
                       "Secret=api:tls/api.key\n"
                       "Secret=api:/run/secrets/copy//of/./api\n"
                       "Secret=%i-token\n", &c, &m));
        ASSERT_STREQ(m, "(none)");
        ASSERT_EQ(c->n_secrets, 4);
        ASSERT_STREQ(c->secrets[0].name, "db-password");
        ASSERT_STREQ(c->secrets[0].target, "/run/secrets/db-password");
        ASSERT_EQ(c->secrets[0].line, 3);
        ASSERT_TRUE(endswith(c->secrets[0].file, "/web.ctr"));
        ASSERT_STREQ(c->secrets[1].name, "api");
        ASSERT_STREQ(c->secrets[1].target, "/run/secrets/tls/api.key");
        /* the same credential twice, at two places */
        ASSERT_STREQ(c->secrets[2].name, "api");
        ASSERT_STREQ(c->secrets[2].target, "/run/secrets/copy/of/api");
        ASSERT_EQ(c->secrets[2].line, 5);
        /* specifiers: %i is the instance, the name */
        ASSERT_STREQ(c->secrets[3].name, "web-token");
        ASSERT_STREQ(c->secrets[3].target, "/run/secrets/web-token");
}

TEST(secret_reset) {
        _cleanup_container_free_ Container *c = NULL;

        ASSERT_OK(load(HEADER "Secret=a\nSecret=b\nSecret=\nSecret=c\n", &c, NULL));
        ASSERT_EQ(c->n_secrets, 1);
        ASSERT_STREQ(c->secrets[0].name, "c");
        ASSERT_EQ(c->secrets[0].line, 6);
        c = container_free(c);

        ASSERT_OK(load(HEADER "Secret=a\nSecret=\n", &c, NULL));
        ASSERT_EQ(c->n_secrets, 0);
        ASSERT_NULL(c->secrets);
}

TEST(secret_errors) {
        ASSERT_OK(check_bad("Secret=a/b", "web.ctr:3: Secret= needs a credential name (printable ASCII without "
                            "'/' or ':', at most 255 characters), got 'a/b'."));
        ASSERT_OK(check_bad("Secret=:x", NULL));
        ASSERT_OK(check_bad("Secret=..", NULL));
        ASSERT_OK(check_bad("Secret=a:", "web.ctr:3: Secret= target is empty in 'a:'."));
        ASSERT_OK(check_bad("Secret=a:../etc/shadow", "web.ctr:3: Secret= target must not contain '..', got "
                            "'../etc/shadow'."));
        ASSERT_OK(check_bad("Secret=a:/etc/a", "web.ctr:3: Secret= target must be below /run/secrets, got '/etc/a'."));
        ASSERT_OK(check_bad("Secret=a:/run/secrets", NULL));
        ASSERT_OK(check_bad("Secret=a:/run/secrets/", NULL));
        ASSERT_OK(check_bad("Secret=a:/run/secretsx/a", NULL));
        ASSERT_OK(check_bad("Secret=mysecret,type=env,target=X",
                            "web.ctr:3: Secret= takes NAME[:TARGET], got 'mysecret,type=env,target=X' (options after "
                            "',', as Quadlet's Secret= has them, are not supported)."));
        ASSERT_OK(check_bad("Secret=a\nSecret=b:a", "web.ctr:4: Secret= target '/run/secrets/a' collides with "
                            "'/run/secrets/a' of Secret=a."));
        ASSERT_OK(check_bad("Secret=a:x\nSecret=b:x/y", "web.ctr:4: Secret= target '/run/secrets/x/y' collides "
                            "with '/run/secrets/x' of Secret=a."));
        ASSERT_OK(check_bad("Secret=a:x/y\nSecret=b:x", NULL));
        ASSERT_OK(check_bad("Secret=%Q", NULL));
}

static const PlanOptions opts = {
        .state_dir = "/state",
        .runtime_dir = "/run/ctr",
};

static int plan_of(const char *text, const PlanOptions *o, Plan **ret, const char **ret_reason) {
        _cleanup_container_free_ Container *c = NULL;
        int r;

        r = load(text, &c, NULL);
        if (r < 0)
                return r;
        return plan_build(c, o, ret, ret_reason);
}

static ssize_t op_index(const Plan *p, PlanOpType t, const char *target) {
        for (size_t i = 0; i < p->n_ops; i++)
                if (p->ops[i].type == t && (!target || streq(p->ops[i].target, target)))
                        return (ssize_t) i;
        return -1;
}

static size_t count_ops(const Plan *p, PlanOpType t) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_ops; i++)
                n += p->ops[i].type == t;
        return n;
}

TEST(plan_without_credentials) {
        _cleanup_plan_free_ Plan *p = NULL;

        /* nothing passed, nothing asked for: no /run/secrets at all */
        ASSERT_OK(plan_of(HEADER, &opts, &p, NULL));
        ASSERT_EQ(op_index(p, PLAN_SECRETS, NULL), -1);
        ASSERT_EQ(count_ops(p, PLAN_SECRET), 0);
}

TEST(plan_all_credentials) {
        char *credentials[] = { (char *) "api", (char *) "db-password", NULL };
        PlanOptions o = opts;
        _cleanup_plan_free_ Plan *p = NULL;
        const PlanOp *m, *s;
        ssize_t i;

        o.credentials = credentials;
        ASSERT_OK(plan_of(HEADER "ReadOnly=yes\n", &o, &p, NULL));
        i = op_index(p, PLAN_SECRETS, "/run/secrets");
        ASSERT_TRUE(i >= 0);
        m = p->ops + i;
        ASSERT_TRUE(m->in_root);
        ASSERT_TRUE(m->check_destination);
        ASSERT_STREQ(m->options, "mode=0755");
        ASSERT_EQ(m->attr, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        /* every credential under its own name, after the mount, in the listing's order */
        ASSERT_EQ(count_ops(p, PLAN_SECRET), 2);
        s = p->ops + i + 1;
        ASSERT_EQ(s->type, PLAN_SECRET);
        ASSERT_STREQ(s->target, "/run/secrets/api");
        ASSERT_STREQ(s->source, "api");
        ASSERT_EQ(s->mode, 0400);
        ASSERT_STREQ(p->ops[i + 2].target, "/run/secrets/db-password");
        /* its mount point is made before the root turns read-only */
        ASSERT_TRUE(i < op_index(p, PLAN_ROOT_READ_ONLY, NULL));
        ASSERT_TRUE(op_index(p, PLAN_SECRET, "/run/secrets/db-password") < op_index(p, PLAN_PIVOT_ROOT, NULL));
}

TEST(plan_secret_picks) {
        char *credentials[] = { (char *) "api", (char *) "db-password", (char *) "unused", NULL };
        PlanOptions o = opts;
        _cleanup_plan_free_ Plan *p = NULL, *p2 = NULL;
        _cleanup_free_ char *line = NULL;
        ssize_t i;

        o.credentials = credentials;
        ASSERT_OK(plan_of(HEADER "Secret=db-password:db/password\n", &o, &p, NULL));
        ASSERT_EQ(count_ops(p, PLAN_SECRET), 1);
        i = op_index(p, PLAN_SECRET, "/run/secrets/db/password");
        ASSERT_TRUE(i >= 0);
        ASSERT_STREQ(p->ops[i].source, "db-password");
        ASSERT_OK(plan_op_format(p->ops + i, &line));
        ASSERT_STREQ(line, "secret root:/run/secrets/db/password 0400 from credential db-password");

        /* Secret= is planned whatever was passed: the launcher checks that before (ctrctl validate has none) */
        ASSERT_OK(plan_of(HEADER "Secret=db-password\n", &opts, &p2, NULL));
        ASSERT_TRUE(op_index(p2, PLAN_SECRET, "/run/secrets/db-password") >= 0);
}

TEST(plan_secrets_dir_taken) {
        char *credentials[] = { (char *) "api", NULL };
        PlanOptions o = opts;
        const char *reason = NULL;
        Plan *p = NULL;

        o.credentials = credentials;
        ASSERT_ERROR(plan_of(HEADER "Tmpfs=/run/secrets\n", &o, &p, &reason), EEXIST);
        ASSERT_NOT_NULL(reason);
        ASSERT_TRUE(strstr(reason, "/run/secrets") != NULL);
        ASSERT_ERROR(plan_of(HEADER "Secret=api\nVolume=/srv:/run/secrets/api\n", &opts, &p, &reason), EEXIST);
        ASSERT_NULL(p);

        /* above it is fine: the secrets are mounted on top; without credentials the Tmpfs= is the user's */
        ASSERT_OK(plan_of(HEADER "Tmpfs=/run\n", &o, &p, NULL));
        ASSERT_TRUE(op_index(p, PLAN_TMPFS, "/run") < op_index(p, PLAN_SECRETS, "/run/secrets"));
        p = plan_free(p);
        ASSERT_OK(plan_of(HEADER "Tmpfs=/run/secrets\n", &opts, &p, NULL));
        ASSERT_EQ(op_index(p, PLAN_SECRETS, NULL), -1);
        p = plan_free(p);
}

TEST(plan_secrets_private_users) {
        char *credentials[] = { (char *) "api", NULL };
        UsernsRange range = { .base = 1879048192, .count = 65536 };
        PlanOptions o = opts;
        _cleanup_plan_free_ Plan *p = NULL;
        ssize_t i;

        o.credentials = credentials;
        o.userns = &range;
        ASSERT_OK(plan_of("[Container]\nRootDirectory=/srv/root\n", &o, &p, NULL));
        /* made by the child in its user namespace, which then owns the ramfs: nothing for the launcher */
        i = op_index(p, PLAN_SECRETS, "/run/secrets");
        ASSERT_TRUE(i >= 0);
        ASSERT_FALSE(p->ops[i].by_parent);
        ASSERT_FALSE(p->ops[i + 1].by_parent);
}
