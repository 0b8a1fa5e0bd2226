/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The network libraries, loaded on first use (network-libs.h says why). */

#define NETWORK_LIBS_NO_REDIRECT 1

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "macro.h"
#include "network-libs.h"

NetworkLibs network_libs;
static pthread_once_t network_libs_once = PTHREAD_ONCE_INIT;

_noreturn_ static void load_failed(const char *soname, const char *what) {
        fprintf(stderr, "Failed to load the network library %s: %s\n", soname, what ?: "unknown error");
        _exit(127);
}

#define LOAD_SYMBOL(name)                                                                               \
        network_libs.name = (typeof(network_libs.name)) dlsym(dl, #name);                               \
        if (!network_libs.name)                                                                         \
                load_failed(soname, "missing symbol " #name);

#define LOAD_LIBRARY(so, symbols)                                                                       \
        do {                                                                                            \
                const char *soname = so;                                                                \
                void *dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL);                                       \
                if (!dl)                                                                                \
                        load_failed(soname, dlerror());                                                 \
                symbols(LOAD_SYMBOL)                                                                    \
        } while (0);

static void load(void) {
        NETWORK_LIBS(LOAD_LIBRARY)
}

void network_libs_load(void) {
        (void) pthread_once(&network_libs_once, load);
}
