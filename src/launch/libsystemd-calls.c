/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The functions of libsystemd that ctr-launch calls, each forwarding to the library loaded with dlopen()
 * (libsystemd-dl.h) rather than linked. Linked into the ctr-launch executable only, before the libraries, so
 * the static libraries' calls resolve here and the linker (--as-needed) leaves libsystemd out of it; the tests,
 * which link the same static libraries, call libsystemd itself.
 *
 * The monitor, which lives as long as its container, does not load libsystemd for an unbridged container: the
 * scope is asked for from a child of it that ends once the job is done (parent.c), and the journal streams of the
 * container's output speak journald's protocol directly (journal-stream.h), as the notifications do
 * (notify-send.h). libsystemd of systemd 257 is linked NODELETE, so a library once loaded stays mapped whatever
 * dlclose() does; systemd 252's is unloaded by libsystemd_release() once the container runs, which covers what
 * Network=bridge loads in the monitor (the MAC's and addresses' application-specific IDs, firewalld's bus).
 *
 * A function ctr-launch starts to call and this file lacks links libsystemd again, which the test
 * tests/launch/run-libsystemd-unloaded catches. */

#include <stdarg.h>
#include <stdio.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-login.h>
#include <unistd.h>

#include "libsystemd-dl.h"
#include "macro.h"

_noreturn_ static void load_failed(const char *name) {
        fprintf(stderr, "Failed to load %s from %s: %s\n", name, LIBSYSTEMD_SONAME,
                libsystemd_error() ?: "unknown error");
        _exit(127);
}

/* NAME from the library, looked up again after each load. A launcher that cannot load it is broken as an
 * installation, as when the dynamic loader cannot find a linked library: it says so as the loader does and
 * exits as it does (127). */
#define CALL(name)                                                                                      \
        ({                                                                                              \
                static typeof(&name) _f = NULL;                                                         \
                static unsigned _generation = 0;                                                        \
                if (!_f || _generation != libsystemd_generation()) {                                    \
                        _f = (typeof(_f)) libsystemd_symbol(#name);                                     \
                        if (!_f)                                                                        \
                                load_failed(#name);                                                     \
                        _generation = libsystemd_generation();                                          \
                }                                                                                       \
                _f;                                                                                     \
        })

int sd_bus_call(sd_bus *bus, sd_bus_message *m, uint64_t usec, sd_bus_error *ret_error, sd_bus_message **reply) {
        return CALL(sd_bus_call)(bus, m, usec, ret_error, reply);
}

int sd_bus_call_method(sd_bus *bus, const char *destination, const char *path, const char *interface,
                       const char *member, sd_bus_error *ret_error, sd_bus_message **reply, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = CALL(sd_bus_call_methodv)(bus, destination, path, interface, member, ret_error, reply, types, ap);
        va_end(ap);
        return r;
}

int sd_bus_call_method_async(sd_bus *bus, sd_bus_slot **slot, const char *destination, const char *path,
                             const char *interface, const char *member, sd_bus_message_handler_t callback,
                             void *userdata, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = CALL(sd_bus_call_method_asyncv)(bus, slot, destination, path, interface, member, callback, userdata, types,
                 ap);
        va_end(ap);
        return r;
}

void sd_bus_error_free(sd_bus_error *e) {
        CALL(sd_bus_error_free)(e);
}

int sd_bus_error_get_errno(const sd_bus_error *e) {
        return CALL(sd_bus_error_get_errno)(e);
}

int sd_bus_error_has_name(const sd_bus_error *e, const char *name) {
        return CALL(sd_bus_error_has_name)(e, name);
}

int sd_bus_error_is_set(const sd_bus_error *e) {
        return CALL(sd_bus_error_is_set)(e);
}

sd_bus *sd_bus_flush_close_unref(sd_bus *bus) {
        return CALL(sd_bus_flush_close_unref)(bus);
}

int sd_bus_get_property(sd_bus *bus, const char *destination, const char *path, const char *interface,
                        const char *member, sd_bus_error *ret_error, sd_bus_message **reply, const char *type) {
        return CALL(sd_bus_get_property)(bus, destination, path, interface, member, ret_error, reply, type);
}

int sd_bus_get_property_string(sd_bus *bus, const char *destination, const char *path, const char *interface,
                               const char *member, sd_bus_error *ret_error, char **ret) {
        return CALL(sd_bus_get_property_string)(bus, destination, path, interface, member, ret_error, ret);
}

int sd_bus_match_signal(sd_bus *bus, sd_bus_slot **ret, const char *sender, const char *path, const char *interface,
                        const char *member, sd_bus_message_handler_t callback, void *userdata) {
        return CALL(sd_bus_match_signal)(bus, ret, sender, path, interface, member, callback, userdata);
}

int sd_bus_message_append(sd_bus_message *m, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = CALL(sd_bus_message_appendv)(m, types, ap);
        va_end(ap);
        return r;
}

int sd_bus_message_append_array(sd_bus_message *m, char type, const void *ptr, size_t size) {
        return CALL(sd_bus_message_append_array)(m, type, ptr, size);
}

int sd_bus_message_close_container(sd_bus_message *m) {
        return CALL(sd_bus_message_close_container)(m);
}

int sd_bus_message_enter_container(sd_bus_message *m, char type, const char *contents) {
        return CALL(sd_bus_message_enter_container)(m, type, contents);
}

int sd_bus_message_exit_container(sd_bus_message *m) {
        return CALL(sd_bus_message_exit_container)(m);
}

const sd_bus_error *sd_bus_message_get_error(sd_bus_message *m) {
        return CALL(sd_bus_message_get_error)(m);
}

int sd_bus_message_new_method_call(sd_bus *bus, sd_bus_message **m, const char *destination, const char *path,
                                   const char *interface, const char *member) {
        return CALL(sd_bus_message_new_method_call)(bus, m, destination, path, interface, member);
}

int sd_bus_message_open_container(sd_bus_message *m, char type, const char *contents) {
        return CALL(sd_bus_message_open_container)(m, type, contents);
}

int sd_bus_message_read(sd_bus_message *m, const char *types, ...) {
        va_list ap;
        int r;

        va_start(ap, types);
        r = CALL(sd_bus_message_readv)(m, types, ap);
        va_end(ap);
        return r;
}

int sd_bus_message_read_basic(sd_bus_message *m, char type, void *p) {
        return CALL(sd_bus_message_read_basic)(m, type, p);
}

int sd_bus_message_set_auto_start(sd_bus_message *m, int b) {
        return CALL(sd_bus_message_set_auto_start)(m, b);
}

int sd_bus_message_skip(sd_bus_message *m, const char *types) {
        return CALL(sd_bus_message_skip)(m, types);
}

sd_bus_message *sd_bus_message_unref(sd_bus_message *m) {
        return CALL(sd_bus_message_unref)(m);
}

int sd_bus_new(sd_bus **ret) {
        return CALL(sd_bus_new)(ret);
}

int sd_bus_open_system(sd_bus **ret) {
        return CALL(sd_bus_open_system)(ret);
}

int sd_bus_open_system_remote(sd_bus **ret, const char *host) {
        return CALL(sd_bus_open_system_remote)(ret, host);
}

int sd_bus_path_encode(const char *prefix, const char *external_id, char **ret_path) {
        return CALL(sd_bus_path_encode)(prefix, external_id, ret_path);
}

int sd_bus_process(sd_bus *bus, sd_bus_message **r) {
        return CALL(sd_bus_process)(bus, r);
}

int sd_bus_set_address(sd_bus *bus, const char *address) {
        return CALL(sd_bus_set_address)(bus, address);
}

sd_bus_slot *sd_bus_slot_unref(sd_bus_slot *slot) {
        return CALL(sd_bus_slot_unref)(slot);
}

int sd_bus_start(sd_bus *bus) {
        return CALL(sd_bus_start)(bus);
}

int sd_bus_wait(sd_bus *bus, uint64_t timeout_usec) {
        return CALL(sd_bus_wait)(bus, timeout_usec);
}

int sd_id128_get_machine_app_specific(sd_id128_t app_id, sd_id128_t *ret) {
        return CALL(sd_id128_get_machine_app_specific)(app_id, ret);
}

int sd_pid_get_unit(pid_t pid, char **unit) {
        return CALL(sd_pid_get_unit)(pid, unit);
}
