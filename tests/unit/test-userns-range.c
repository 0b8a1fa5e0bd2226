/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* PrivateUsers= range allocation (userns-range.h): picks from the pool skipping other containers' and the
 * host's ids, stable per name, explicit ranges refused on a clash with both names, stale records released,
 * and parallel allocations (forked processes) never sharing a range. */

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mkdir-util.h"
#include "string-util.h"
#include "test.h"
#include "userns-range.h"

typedef struct Env {
        char *dir, *state, *run, *etc;
        UsernsPaths paths;
} Env;

static void env_setup(Env *e, const char *passwd) {
        e->dir = test_mkdtemp();
        e->state = strprintf("%s/state", e->dir);
        e->run = strprintf("%s/run", e->dir);
        e->etc = strprintf("%s/etc", e->dir);
        if (!e->dir || !e->state || !e->run || !e->etc || mkdir_p(e->etc, 0755, 0755) < 0 ||
            mkdir_p(e->run, 0755, 0755) < 0) {
                fprintf(stderr, "test: setup failed\n");
                abort();
        }
        _cleanup_free_ char *p = strprintf("%s/passwd", e->etc);
        FILE *f = p ? fopen(p, "we") : NULL;
        if (!f || fputs(passwd, f) < 0 || fclose(f) != 0)
                abort();
        e->paths = (UsernsPaths) { .state_dir = e->state, .runtime_dir = e->run, .etc_dir = e->etc };
}

/* the container exists: its persistent state directory, so its record is not stale */
static void make_container(Env *e, const char *name) {
        _cleanup_free_ char *p = strprintf("%s/containers/%s.mstack", e->state, name);
        if (!p || mkdir_p(p, 0755, 0755) < 0)
                abort();
}

static void env_done(Env *e) {
        _cleanup_tmpdir_ char *d = e->dir;
        free(e->state);
        free(e->run);
        free(e->etc);
}

TEST(pick_skips_host_ids_and_other_containers) {
        Env e = {};
        UsernsRange a, b, again;

        /* a host user inside the first pool range: that range is skipped */
        env_setup(&e, "root:x:0:0::/root:/bin/sh\nbig:x:1879048200:1879048200::/:/bin/sh\n");
        ASSERT_OK(userns_range_acquire(&e.paths, "one", NULL, &a, NULL, NULL));
        ASSERT_EQ(a.base, USERNS_POOL_FIRST + USERNS_RANGE_SIZE);
        ASSERT_EQ(a.count, USERNS_RANGE_SIZE);
        make_container(&e, "one");
        ASSERT_OK(userns_range_acquire(&e.paths, "two", NULL, &b, NULL, NULL));
        ASSERT_EQ(b.base, USERNS_POOL_FIRST + 2 * USERNS_RANGE_SIZE);
        make_container(&e, "two");
        /* stable: the same range again, and what ctrctl reads */
        ASSERT_OK(userns_range_acquire(&e.paths, "one", NULL, &again, NULL, NULL));
        ASSERT_EQ(again.base, a.base);
        ASSERT_OK(userns_range_read(e.state, "one", &again));
        ASSERT_EQ(again.base, a.base);
        env_done(&e);
}

TEST(explicit_clash_names_the_other) {
        Env e = {};
        UsernsRange a, got;
        char *other = NULL;

        env_setup(&e, "");
        ASSERT_OK(userns_range_acquire(&e.paths, "db", NULL, &a, NULL, NULL));
        make_container(&e, "db");
        UsernsRange want = { .base = a.base + 100, .count = 10 };
        ASSERT_ERROR(userns_range_acquire(&e.paths, "web", &want, &got, &other, NULL), EADDRINUSE);
        ASSERT_NOT_NULL(other);
        ASSERT_TRUE(strstr(other, "'db'") != NULL);
        free(other);
        want.base = 200000;
        ASSERT_OK(userns_range_acquire(&e.paths, "web", &want, &got, NULL, NULL));
        ASSERT_EQ(got.base, 200000U);
        ASSERT_EQ(got.count, 10U);
        env_done(&e);
}

TEST(stale_record_released) {
        Env e = {};
        UsernsRange a, b;

        env_setup(&e, "");
        ASSERT_OK(userns_range_acquire(&e.paths, "gone", NULL, &a, NULL, NULL));
        /* "gone" has no state: its range is free again for the next one, and its record removed */
        ASSERT_OK(userns_range_acquire(&e.paths, "next", NULL, &b, NULL, NULL));
        ASSERT_EQ(b.base, a.base);
        ASSERT_ERROR(userns_range_read(e.state, "gone", &a), ENOENT);
        ASSERT_OK(userns_range_release(e.state, "next"));
        ASSERT_ERROR(userns_range_read(e.state, "next", &a), ENOENT);
        env_done(&e);
}

TEST(parallel_picks_are_distinct) {
        enum { N = 20 };
        Env e = {};
        pid_t pids[N];

        int ready[2], go[2];
        char c;

        env_setup(&e, "");
        ASSERT_OK(pipe(ready));
        ASSERT_OK(pipe(go));
        for (int i = 0; i < N; i++) {
                pids[i] = fork();
                ASSERT_TRUE(pids[i] >= 0);
                if (pids[i] == 0) {
                        char name[16];
                        UsernsRange r;
                        snprintf(name, sizeof(name), "c%d", i);
                        int hold = -EBADF;
                        close(go[1]);
                        close(ready[0]);
                        /* starting: no state yet, the record held as a launcher holds it until it exits */
                        if (userns_range_acquire(&e.paths, name, NULL, &r, NULL, &hold) < 0)
                                _exit(1);
                        _exit(write(ready[1], "x", 1) == 1 && read(go[0], &r, 1) >= 0 ? 0 : 3);
                }
        }
        /* all allocated, none finished: every record is held, none stale */
        for (int i = 0; i < N; i++)
                ASSERT_TRUE(read(ready[0], &c, 1) == 1);
        close(go[1]);
        for (int i = 0; i < N; i++) {
                int status;
                ASSERT_TRUE(waitpid(pids[i], &status, 0) == pids[i]);
                ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        close(ready[0]);
        close(ready[1]);
        close(go[0]);
        uint32_t seen[N];
        for (int i = 0; i < N; i++) {
                char name[16];
                UsernsRange r;
                snprintf(name, sizeof(name), "c%d", i);
                ASSERT_OK(userns_range_read(e.state, name, &r));
                seen[i] = r.base;
                ASSERT_TRUE(r.base >= USERNS_POOL_FIRST && r.base < USERNS_POOL_END && r.base % USERNS_RANGE_SIZE == 0);
                for (int j = 0; j < i; j++)
                        ASSERT_TRUE(seen[j] != r.base);
        }
        env_done(&e);
}
