/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/mman.h>

#include "libsystemd-dl.h"

static void *handle = NULL;
static unsigned generation = 0;
static char error[256];

/* The preload's thread, on a stack of our own: glibc keeps the stacks it allocated for threads that ended, with
 * whatever pages they touched, in the process for later threads, and the process is a monitor for the life of its
 * container. The loader's and the libraries' constructors need a few KiB; the pages never touched cost nothing. */
#define PRELOAD_STACK_SIZE (1024 * 1024)
static pthread_t preload_thread;
static void *preload_stack = NULL;
static bool preloading = false;

static void *preload_run(void *arg) {
        (void) arg;
        return dlopen(LIBSYSTEMD_SONAME, RTLD_NOW | RTLD_LOCAL);
}

void libsystemd_preload(void) {
        pthread_attr_t attr;
        sigset_t all, saved;
        bool started = false;

        if (handle || preloading)
                return;
        preload_stack = mmap(NULL, PRELOAD_STACK_SIZE, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (preload_stack == MAP_FAILED) {
                preload_stack = NULL;
                return;
        }
        /* one arena: a thread's own would stay in the monitor with the loader's freed bookkeeping in it */
        (void) mallopt(M_ARENA_MAX, 1);
        /* every signal blocked in the thread (it inherits the mask): they stay the main thread's to take */
        sigfillset(&all);
        if (pthread_sigmask(SIG_BLOCK, &all, &saved) == 0) {
                if (pthread_attr_init(&attr) == 0) {
                        started = pthread_attr_setstack(&attr, preload_stack, PRELOAD_STACK_SIZE) == 0 &&
                                  pthread_create(&preload_thread, &attr, preload_run, NULL) == 0;
                        (void) pthread_attr_destroy(&attr);
                }
                (void) pthread_sigmask(SIG_SETMASK, &saved, NULL);
        }
        if (!started) {
                (void) munmap(preload_stack, PRELOAD_STACK_SIZE);
                preload_stack = NULL;
                return;
        }
        preloading = true;
}

void libsystemd_preload_wait(void) {
        void *h = NULL;

        if (!preloading)
                return;
        preloading = false;
        if (pthread_join(preload_thread, &h) == 0) {
                (void) munmap(preload_stack, PRELOAD_STACK_SIZE);
                /* failed: the next libsystemd_symbol() tries again and keeps dlerror()'s text, which is the thread's
                 * own */
                if (h && !handle) {
                        handle = h;
                        generation++;
                } else if (h)
                        (void) dlclose(h);
        }
        /* a join that failed leaves the stack to the thread: it is not ours to unmap */
        preload_stack = NULL;
}

void *libsystemd_symbol(const char *name) {
        void *sym;

        libsystemd_preload_wait();
        if (!handle) {
                handle = dlopen(LIBSYSTEMD_SONAME, RTLD_NOW | RTLD_LOCAL);
                if (!handle) {
                        snprintf(error, sizeof(error), "%s", dlerror() ?: "unknown error");
                        return NULL;
                }
                generation++;
        }
        sym = dlsym(handle, name);
        if (!sym)
                snprintf(error, sizeof(error), "%s", dlerror() ?: "unknown error");
        return sym;
}

const char *libsystemd_error(void) {
        return error[0] ? error : NULL;
}

unsigned libsystemd_generation(void) {
        return generation;
}

void libsystemd_release(void) {
        libsystemd_preload_wait();
        if (!handle)
                return;
        (void) dlclose(handle);
        handle = NULL;
        generation++;
}
