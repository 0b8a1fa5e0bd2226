/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps-util.h"
#include "container-exec.h"
#include "test.h"

/* What the parser gives for "ALL": every capability of its build. */
#define PARSER_ALL ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

TEST(default_set) {
        uint64_t d = CAPABILITY_SET_DEFAULT;
        char *s = NULL;

        /* the well-known value of "CapBnd" in a default Docker container */
        ASSERT_TRUE(__builtin_popcountll(CAPABILITY_SET_DOCKER_DEFAULT) == 14);
        ASSERT_TRUE(CAPABILITY_SET_DOCKER_DEFAULT == UINT64_C(0x00000000a80425fb));
        /* ours is Podman's 11: Docker's without NET_RAW, MKNOD and AUDIT_WRITE */
        ASSERT_TRUE(__builtin_popcountll(d) == 11);
        ASSERT_TRUE(d == UINT64_C(0x00000000800405fb));
        ASSERT_TRUE(capability_set_compute(0, 0) == d);

        ASSERT_TRUE(capability_set_to_string(d, &s) == 0);
        ASSERT_TRUE(s && streq(s, "cap_chown cap_dac_override cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid "
                               "cap_setpcap cap_net_bind_service cap_sys_chroot cap_setfcap"));
        free(s);
        ASSERT_TRUE(capability_set_to_string(0, &s) == 0 && s && streq(s, ""));
        free(s);
}

TEST(arithmetic) {
        uint64_t d = CAPABILITY_SET_DEFAULT, all = capability_kernel_mask();

        ASSERT_TRUE(capability_last_cap() >= CAP_AUDIT_READ);
        ASSERT_TRUE(all & CAP_MASK(CAP_SYS_ADMIN));
        ASSERT_TRUE(!(all & CAP_MASK(63)));

        ASSERT_TRUE(capability_set_compute(CAP_MASK(CAP_NET_ADMIN), 0) == (d | CAP_MASK(CAP_NET_ADMIN)));
        ASSERT_TRUE(capability_set_compute(0, CAP_MASK(CAP_CHOWN)) == (d & ~CAP_MASK(CAP_CHOWN)));
        ASSERT_TRUE(capability_set_compute(0, CAP_MASK(CAP_SYS_ADMIN)) == d);
        /* named on both sides: added back, as docker --cap-drop X --cap-add X */
        ASSERT_TRUE(capability_set_compute(CAP_MASK(CAP_CHOWN), CAP_MASK(CAP_CHOWN)) == d);
        /* AddCapability=ALL, DropCapability=SYS_ADMIN */
        ASSERT_TRUE(capability_set_compute(PARSER_ALL, CAP_MASK(CAP_SYS_ADMIN)) == (all & ~CAP_MASK(CAP_SYS_ADMIN)));
        ASSERT_TRUE(capability_set_compute(UINT64_MAX, 0) == all);
        /* DropCapability=ALL, AddCapability=NET_BIND_SERVICE */
        ASSERT_TRUE(capability_set_compute(CAP_MASK(CAP_NET_BIND_SERVICE), PARSER_ALL) ==
              CAP_MASK(CAP_NET_BIND_SERVICE));
        ASSERT_TRUE(capability_set_compute(0, PARSER_ALL) == 0);
        ASSERT_TRUE(capability_set_compute(PARSER_ALL, PARSER_ALL) == 0);
        /* nothing beyond what the kernel knows */
        ASSERT_TRUE(capability_set_compute(CAP_MASK(63), 0) == d);

        Container c = { .add_capabilities = CAP_MASK(CAP_NET_ADMIN), .drop_capabilities = CAP_MASK(CAP_MKNOD) };
        ASSERT_TRUE(container_capability_set(&c) == ((d | CAP_MASK(CAP_NET_ADMIN)) & ~CAP_MASK(CAP_MKNOD)));
}

static uint64_t status_mask(const char *field) {
        char line[256];
        uint64_t v = UINT64_MAX;
        size_t n = strlen(field);
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return UINT64_MAX;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, field, n) == 0 && line[n] == ':')
                        v = strtoull(line + n + 1, NULL, 16);
        fclose(f);
        return v;
}

/* Runs |f| in a child; the child's exit status is the number of failed checks (255: could not run). */
static int run_in_child(int (*f)(void)) {
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();

        if (pid < 0)
                return -1;
        if (pid == 0)
                _exit(f());
        if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
                return -1;
        return WEXITSTATUS(status);
}

#define CHILD_ASSERT_TRUE(expr)                                                                       \
        do {                                                                                    \
                if (!(expr)) {                                                                  \
                        fprintf(stderr, "%s:%d: check failed in child: %s\n", __FILE__, __LINE__, #expr); \
                        failed++;                                                               \
                }                                                                               \
        } while (0)

static int child_apply(void) {
        uint64_t set = CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_NET_ADMIN);
        int failed = 0;

        CHILD_ASSERT_TRUE(capability_bounding_set_apply(set) == 0);
        CHILD_ASSERT_TRUE(status_mask("CapBnd") == set);
        /* nothing outside the bounding set may be made ambient, and ambient needs permitted+inheritable */
        CHILD_ASSERT_TRUE(capability_sets_apply(0, 0, 0, CAP_MASK(CAP_NET_ADMIN)) == -EINVAL);
        CHILD_ASSERT_TRUE(capability_sets_apply(set, set, CAP_MASK(CAP_NET_ADMIN), CAP_MASK(CAP_NET_ADMIN)) == 0);
        CHILD_ASSERT_TRUE(status_mask("CapPrm") == set);
        CHILD_ASSERT_TRUE(status_mask("CapEff") == set);
        CHILD_ASSERT_TRUE(status_mask("CapInh") == CAP_MASK(CAP_NET_ADMIN));
        CHILD_ASSERT_TRUE(status_mask("CapAmb") == CAP_MASK(CAP_NET_ADMIN));
        /* raising beyond the bounding set is impossible */
        CHILD_ASSERT_TRUE(capability_sets_apply(set, set, CAP_MASK(CAP_SYS_ADMIN), 0) < 0);
        CHILD_ASSERT_TRUE(capability_sets_apply(0, 0, 0, 0) == 0);
        CHILD_ASSERT_TRUE(status_mask("CapEff") == 0 && status_mask("CapPrm") == 0 && status_mask("CapAmb") == 0);
        /* without CAP_SETPCAP the bounding set cannot be changed any more… */
        CHILD_ASSERT_TRUE(capability_bounding_set_apply(0) < 0);
        CHILD_ASSERT_TRUE(status_mask("CapBnd") == set);
        /* …but asking for what it already is (or more) drops nothing and is no failure */
        CHILD_ASSERT_TRUE(capability_bounding_set_apply(set) == 0);
        CHILD_ASSERT_TRUE(capability_bounding_set_apply(set | CAP_MASK(CAP_SYS_ADMIN)) == 0);
        uint64_t permitted = 1, bounding = 0;
        CHILD_ASSERT_TRUE(capability_get_current(&permitted, &bounding) == 0);
        CHILD_ASSERT_TRUE(permitted == 0 && bounding == set);
        return failed;
}

TEST(apply_in_child) {
        if (geteuid() != 0 || !(status_mask("CapEff") & CAP_MASK(CAP_SETPCAP)))
                TEST_SKIP("capability application needs root with CAP_SETPCAP");
        ASSERT_EQ(run_in_child(child_apply), 0);
}
