/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The default filter's table of plain rules, one syscall each: only data (seccomp-default.c turns it into
 * rules and adds the argument rules; seccomp-default.h says what is allowed and why). */

#include <stddef.h>
#include <stdint.h>

#define SECCOMP_RULE_ALWAYS UINT64_MAX  /* allowed whatever the capabilities, even none */
#define SECCOMP_RULE_NEVER 0            /* EPERM whatever the capabilities */

/* The name is held in the entry, not pointed to: a table of pointers is relocated when a program is loaded,
 * and its pages become private to each process, every monitor's included (bench/README.md "The monitor's
 * memory on the host"). Long enough for the longest name with its NUL (test-seccomp-util checks each). */
#define SECCOMP_RULE_NAME_MAX 32

typedef struct SeccompSyscallRule {
        char name[SECCOMP_RULE_NAME_MAX]; /* libseccomp's; a name an architecture lacks is skipped there */
        uint64_t allow_caps;            /* allowed when the bounding set holds any of these, else EPERM */
} SeccompSyscallRule;

extern const SeccompSyscallRule seccomp_default_rules[];
extern const size_t seccomp_default_rules_n;
