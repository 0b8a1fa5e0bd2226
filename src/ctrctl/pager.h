/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Terminal conventions shared by ctrctl's verbs, as systemd has them:
 * - a pager for long output: only when stdout is a terminal and not --no-pager; $SYSTEMD_PAGER, then
 *   $PAGER, then less, more; "cat" or an empty value means none; less gets LESS=FRSXMK unless $LESS is set.
 * - colour: only when stdout is a terminal, TERM is not "dumb", and NO_COLOR is not set (no-color.org);
 *   SYSTEMD_COLORS=0/1 forces it off/on. */

#include <stdbool.h>

#define ANSI_RED        "\033[0;1;31m"
#define ANSI_GREEN      "\033[0;1;32m"
#define ANSI_YELLOW     "\033[0;1;33m"
#define ANSI_GREY       "\033[0;38;5;245m"
#define ANSI_BOLD       "\033[1m"
#define ANSI_NORMAL     "\033[0m"

bool colors_enabled(void);
/* ANSI sequence |a| when colours are on, "" otherwise. */
const char *ansi(const char *a);

/* Starts the pager with stdout (and stderr when it is the same terminal) going into it. Does nothing when
 * |disabled|, stdout is not a terminal, or no pager is configured. Returns 1 when a pager runs. */
int pager_open(bool disabled);
/* Waits for the pager (at exit); called by pager_open() through atexit() as well. */
void pager_close(void);
