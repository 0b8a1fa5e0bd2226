/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to the [Container] key table (ctr-keys.c): the context one key parser gets, the helpers all of
 * them share (key-parser.c), and the parsers, one file per group of what they configure. A parser stores
 * the value into k->lc->c or reports it with key_invalid(); it returns < 0 only when out of memory. */

#include <stdbool.h>
#include <stddef.h>

#include "ctr-keys.h"
#include "diagnostics.h"
#include "macro.h"
#include "string-util.h"

typedef struct KeyContext {
        KeyState *lc;
        const char *file;
        unsigned line;
        const char *key;
        const char *raw;        /* the value as written, before specifier expansion */
        DiagnosticLevel level;  /* what a bad value is: isolation keys reject the file */
} KeyContext;

typedef int (*KeyParser)(KeyContext *k, const char *value);

/* Reports a bad value. The message is a clause without final punctuation; a warning gets ", ignoring." and
 * an error ".", so every message names what happens. Returns < 0 only when out of memory. */
int key_invalid(KeyContext *k, int error, const char *format, ...) _printf_(3, 4);
/* -E2BIG, reported as an error, when a list key already holds |n| >= CTR_LIST_MAX entries. */
int key_check_list_size(KeyContext *k, size_t n);
/* A boolean; empty resets |field| to |def|. */
int key_parse_bool(KeyContext *k, const char *v, bool *field, bool def);
/* An absolute path without "..", normalised; empty resets |field| to NULL. */
int key_parse_abs_path(KeyContext *k, const char *v, char **field);
/* Whitespace-separated words (split with |flags|) appended to *list, each as |check| makes it: it returns 1
 * with *ret the entry (or NULL to leave the word out), or reports the word with key_invalid() and returns 0,
 * and then nothing of the assignment is applied. At most |max| entries in all; empty resets *list. */
int key_parse_words(KeyContext *k, const char *v, char ***list, size_t max, ExtractFlags flags,
                    int (*check)(KeyContext *k, const char *word, char **ret));
/* A command line split as systemd splits ExecStart=: Exec=, Entrypoint=, HealthCmd=. *ret stays NULL when the
 * value is refused (reported) or has no word. */
int key_parse_command(KeyContext *k, const char *v, char ***ret);

/* keys-filesystem.c: the root and the mounts */
int key_image(KeyContext *k, const char *v);
int key_auto_update(KeyContext *k, const char *v);
int key_pull(KeyContext *k, const char *v);
int key_root_directory(KeyContext *k, const char *v);
int key_layer(KeyContext *k, const char *v);
int key_read_only(KeyContext *k, const char *v);
int key_ephemeral(KeyContext *k, const char *v);
int key_mask(KeyContext *k, const char *v);
int key_volume(KeyContext *k, const char *v);
int key_tmpfs(KeyContext *k, const char *v);

/* keys-device.c: host devices in the container */
int key_add_device(KeyContext *k, const char *v);

/* keys-secret.c: the service's credentials in the container */
int key_secret(KeyContext *k, const char *v);

/* keys-process.c: the workload process, its user, environment and lifecycle */
int key_exec(KeyContext *k, const char *v);
int key_entrypoint(KeyContext *k, const char *v);
int key_environment(KeyContext *k, const char *v);
int key_environment_file(KeyContext *k, const char *v);
int key_environment_host(KeyContext *k, const char *v);
int key_label(KeyContext *k, const char *v);
int key_working_directory(KeyContext *k, const char *v);
int key_user(KeyContext *k, const char *v);
int key_group(KeyContext *k, const char *v);
int key_supplementary_groups(KeyContext *k, const char *v);
int key_hostname(KeyContext *k, const char *v);
int key_init(KeyContext *k, const char *v);
int key_notify(KeyContext *k, const char *v);
int key_stop_signal(KeyContext *k, const char *v);
int key_reload_signal(KeyContext *k, const char *v);
int key_stop_timeout_sec(KeyContext *k, const char *v);

/* keys-health.c: the health check the monitor runs */
int key_health_cmd(KeyContext *k, const char *v);
int key_health_interval(KeyContext *k, const char *v);
int key_health_timeout(KeyContext *k, const char *v);
int key_health_start_period(KeyContext *k, const char *v);
int key_health_retries(KeyContext *k, const char *v);
int key_health_on_failure(KeyContext *k, const char *v);

/* keys-network.c */
int key_network(KeyContext *k, const char *v);
int key_sysctl(KeyContext *k, const char *v);
int key_add_host(KeyContext *k, const char *v);
int key_dns(KeyContext *k, const char *v);
int key_dns_search(KeyContext *k, const char *v);
int key_dns_option(KeyContext *k, const char *v);
int key_publish_port(KeyContext *k, const char *v);
int key_join_namespaces(KeyContext *k, const char *v);

/* keys-firewall.c: the scope's cgroup firewall */
int key_ip_address_allow(KeyContext *k, const char *v);
int key_ip_address_deny(KeyContext *k, const char *v);
int key_socket_bind_allow(KeyContext *k, const char *v);
int key_socket_bind_deny(KeyContext *k, const char *v);

/* keys-resources.c: what the scope is given */
int key_memory_max(KeyContext *k, const char *v);
int key_memory_high(KeyContext *k, const char *v);
int key_memory_swap_max(KeyContext *k, const char *v);
int key_cpu_weight(KeyContext *k, const char *v);
int key_io_weight(KeyContext *k, const char *v);
int key_cpu_quota(KeyContext *k, const char *v);
int key_allowed_cpus(KeyContext *k, const char *v);
int key_tasks_max(KeyContext *k, const char *v);
int key_slice(KeyContext *k, const char *v);

/* keys-security.c: capabilities, no_new_privs, seccomp, AppArmor */
int key_add_capability(KeyContext *k, const char *v);
int key_drop_capability(KeyContext *k, const char *v);
int key_no_new_privileges(KeyContext *k, const char *v);
int key_seccomp_profile(KeyContext *k, const char *v);
int key_apparmor_profile(KeyContext *k, const char *v);
int key_private_users(KeyContext *k, const char *v);
