/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Internal to the Quadlet converter: the translations the table (quadlet-table.c) names, one per key or
 * group of keys that share a value syntax. quadlet-mounts.c holds those of the file system (Volume=, Mount=,
 * Tmpfs=, Rootfs=, ReadOnly=, …), quadlet-translate.c the others. */

#include "quadlet-convert.h"

int quadlet_translate_add_host(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_dns(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_environment(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_apparmor(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_auto_update(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_bool(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_duration(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_entrypoint(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_environment_file(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_group_add(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_health_cmd(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_hostname(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_id_map(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_image(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_label(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_log_driver(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_mask(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_memory(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_mount(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_name(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_network(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_notify(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_pids_limit(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_pod(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_publish_port(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_pull(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_read_only(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_read_only_tmpfs(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_reload_cmd(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_remap_id(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_remap_users(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_rootfs(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_seccomp(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_secret(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_security_label(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_shm_size(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_stop_timeout(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_sub_id_map(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_sysctl(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_timezone(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_tmpfs(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_ulimit(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_user(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_userns(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_volatile_tmp(QuadletUnit *u, const QuadletKey *k, const char *v);
int quadlet_translate_volume(QuadletUnit *u, const QuadletKey *k, const char *v);
