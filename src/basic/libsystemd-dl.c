/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dlfcn.h>
#include <stdio.h>

#include "libsystemd-dl.h"

static void *handle = NULL;
static unsigned generation = 0;
static char error[256];

void *libsystemd_symbol(const char *name) {
        void *sym;

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
        if (!handle)
                return;
        (void) dlclose(handle);
        handle = NULL;
        generation++;
}
