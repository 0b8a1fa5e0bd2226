/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libsystemd-dl.h: the library loaded on first use or by the preload's thread, and unloaded again. This program
 * does not link libsystemd, so what /proc/self/maps shows is what the module loaded. */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libsystemd-dl.h"
#include "test.h"

static bool libsystemd_mapped(void) {
        char line[1024];
        bool found = false;
        FILE *f = fopen("/proc/self/maps", "re");

        if (!f)
                return false;
        while (!found && fgets(line, sizeof(line), f))
                found = strstr(line, "/libsystemd.so") != NULL;
        fclose(f);
        return found;
}

static long threads(void) {
        char line[256];
        long n = -1;
        FILE *f = fopen("/proc/self/status", "re");

        if (!f)
                return -1;
        while (fgets(line, sizeof(line), f))
                if (strncmp(line, "Threads:", 8) == 0)
                        n = strtol(line + 8, NULL, 10);
        fclose(f);
        return n;
}

TEST(symbol_loads_and_release_unloads) {
        unsigned g = libsystemd_generation();

        ASSERT_FALSE(libsystemd_mapped());
        ASSERT_NOT_NULL(libsystemd_symbol("sd_bus_new"));
        ASSERT_TRUE(libsystemd_mapped());
        ASSERT_EQ(libsystemd_generation(), g + 1);
        libsystemd_release();
        ASSERT_FALSE(libsystemd_mapped());
        ASSERT_EQ(libsystemd_generation(), g + 2);
}

TEST(preload_is_taken_by_the_first_symbol) {
        unsigned g = libsystemd_generation();

        ASSERT_FALSE(libsystemd_mapped());
        libsystemd_preload();
        /* the thread loads it without the caller waiting: it shows up on its own */
        for (int i = 0; i < 1000 && !libsystemd_mapped(); i++)
                usleep(10 * 1000);
        ASSERT_TRUE(libsystemd_mapped());
        ASSERT_NOT_NULL(libsystemd_symbol("sd_journal_sendv"));
        /* one load (the thread's), and the thread is gone */
        ASSERT_EQ(libsystemd_generation(), g + 1);
        ASSERT_EQ(threads(), 1);
        /* loaded: another preload does nothing */
        libsystemd_preload();
        ASSERT_EQ(threads(), 1);
        ASSERT_NOT_NULL(libsystemd_symbol("sd_bus_new"));
        ASSERT_EQ(libsystemd_generation(), g + 1);
        libsystemd_release();
        ASSERT_FALSE(libsystemd_mapped());
}

TEST(preload_then_release_unloads) {
        unsigned g = libsystemd_generation();

        libsystemd_preload();
        libsystemd_release();
        ASSERT_FALSE(libsystemd_mapped());
        ASSERT_EQ(threads(), 1);
        ASSERT_EQ(libsystemd_generation(), g + 2);
}

TEST(preload_wait_leaves_one_thread_for_fork) {
        int status;
        pid_t pid;

        libsystemd_preload();
        libsystemd_preload_wait();
        ASSERT_EQ(threads(), 1);
        ASSERT_TRUE(libsystemd_mapped());
        /* what the launcher's child does after clone(): allocate, load (a held lock would hang here) */
        pid = fork();
        ASSERT_TRUE(pid >= 0);
        if (pid == 0) {
                alarm(10);
                void *p = malloc(1 << 20);
                bool ok = p && libsystemd_symbol("sd_bus_new");
                free(p);
                libsystemd_release();
                _exit(ok ? 0 : 1);
        }
        ASSERT_EQ(waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFEXITED(status));
        ASSERT_EQ(WEXITSTATUS(status), 0);
        libsystemd_preload_wait();      /* nothing to wait for: no effect */
        libsystemd_release();
        ASSERT_FALSE(libsystemd_mapped());
}
