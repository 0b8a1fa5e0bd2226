/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps-util.h"
#include "container-exec.h"

/* Minimal harness until tests/unit/test.h exists. */
static unsigned n_passed, n_failed;
#define CHECK(expr)                                                                             \
        do {                                                                                    \
                if (expr)                                                                       \
                        n_passed++;                                                             \
                else {                                                                          \
                        n_failed++;                                                             \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                }                                                                               \
        } while (0)

/* What the parser gives for "ALL": every capability of its build. */
#define PARSER_ALL ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)

static void test_default(void) {
        uint64_t d = CAPABILITY_SET_DOCKER_DEFAULT;
        char *s = NULL;

        CHECK(__builtin_popcountll(d) == 14);
        /* the well-known value of "CapBnd" in a default Docker container */
        CHECK(d == UINT64_C(0x00000000a80425fb));
        CHECK(capability_set_compute(0, 0) == d);

        CHECK(capability_set_to_string(d, &s) == 0);
        CHECK(s && streq(s, "cap_chown cap_dac_override cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid "
                               "cap_setpcap cap_net_bind_service cap_net_raw cap_sys_chroot cap_mknod "
                               "cap_audit_write cap_setfcap"));
        free(s);
        CHECK(capability_set_to_string(0, &s) == 0 && s && streq(s, ""));
        free(s);
}

static void test_arithmetic(void) {
        uint64_t d = CAPABILITY_SET_DOCKER_DEFAULT, all = capability_kernel_mask();

        CHECK(capability_last_cap() >= CAP_AUDIT_READ);
        CHECK(all & CAP_MASK(CAP_SYS_ADMIN));
        CHECK(!(all & CAP_MASK(63)));

        CHECK(capability_set_compute(CAP_MASK(CAP_NET_ADMIN), 0) == (d | CAP_MASK(CAP_NET_ADMIN)));
        CHECK(capability_set_compute(0, CAP_MASK(CAP_CHOWN)) == (d & ~CAP_MASK(CAP_CHOWN)));
        CHECK(capability_set_compute(0, CAP_MASK(CAP_SYS_ADMIN)) == d);
        /* named on both sides: added back, as docker --cap-drop X --cap-add X */
        CHECK(capability_set_compute(CAP_MASK(CAP_CHOWN), CAP_MASK(CAP_CHOWN)) == d);
        /* AddCapability=ALL, DropCapability=SYS_ADMIN */
        CHECK(capability_set_compute(PARSER_ALL, CAP_MASK(CAP_SYS_ADMIN)) == (all & ~CAP_MASK(CAP_SYS_ADMIN)));
        CHECK(capability_set_compute(UINT64_MAX, 0) == all);
        /* DropCapability=ALL, AddCapability=NET_BIND_SERVICE */
        CHECK(capability_set_compute(CAP_MASK(CAP_NET_BIND_SERVICE), PARSER_ALL) ==
              CAP_MASK(CAP_NET_BIND_SERVICE));
        CHECK(capability_set_compute(0, PARSER_ALL) == 0);
        CHECK(capability_set_compute(PARSER_ALL, PARSER_ALL) == 0);
        /* nothing beyond what the kernel knows */
        CHECK(capability_set_compute(CAP_MASK(63), 0) == d);

        Container c = { .add_capabilities = CAP_MASK(CAP_NET_ADMIN), .drop_capabilities = CAP_MASK(CAP_MKNOD) };
        CHECK(container_capability_set(&c) == ((d | CAP_MASK(CAP_NET_ADMIN)) & ~CAP_MASK(CAP_MKNOD)));
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

#define CHILD_CHECK(expr)                                                                       \
        do {                                                                                    \
                if (!(expr)) {                                                                  \
                        fprintf(stderr, "%s:%d: check failed in child: %s\n", __FILE__, __LINE__, #expr); \
                        failed++;                                                               \
                }                                                                               \
        } while (0)

static int child_apply(void) {
        uint64_t set = CAPABILITY_SET_DOCKER_DEFAULT | CAP_MASK(CAP_NET_ADMIN);
        int failed = 0;

        CHILD_CHECK(capability_bounding_set_apply(set) == 0);
        CHILD_CHECK(status_mask("CapBnd") == set);
        /* nothing outside the bounding set may be made ambient, and ambient needs permitted+inheritable */
        CHILD_CHECK(capability_sets_apply(0, 0, 0, CAP_MASK(CAP_NET_ADMIN)) == -EINVAL);
        CHILD_CHECK(capability_sets_apply(set, set, CAP_MASK(CAP_NET_ADMIN), CAP_MASK(CAP_NET_ADMIN)) == 0);
        CHILD_CHECK(status_mask("CapPrm") == set);
        CHILD_CHECK(status_mask("CapEff") == set);
        CHILD_CHECK(status_mask("CapInh") == CAP_MASK(CAP_NET_ADMIN));
        CHILD_CHECK(status_mask("CapAmb") == CAP_MASK(CAP_NET_ADMIN));
        /* raising beyond the bounding set is impossible */
        CHILD_CHECK(capability_sets_apply(set, set, CAP_MASK(CAP_SYS_ADMIN), 0) < 0);
        CHILD_CHECK(capability_sets_apply(0, 0, 0, 0) == 0);
        CHILD_CHECK(status_mask("CapEff") == 0 && status_mask("CapPrm") == 0 && status_mask("CapAmb") == 0);
        /* without CAP_SETPCAP the bounding set cannot be changed any more */
        CHILD_CHECK(capability_bounding_set_apply(0) < 0);
        return failed;
}

int main(void) {
        test_default();
        test_arithmetic();

        if (geteuid() == 0 && (status_mask("CapEff") & CAP_MASK(CAP_SETPCAP)))
                CHECK(run_in_child(child_apply) == 0);
        else
                printf("skipping capability application: needs root with CAP_SETPCAP\n");

        printf("%u passed, %u failed\n", n_passed, n_failed);
        return n_failed > 0;
}
