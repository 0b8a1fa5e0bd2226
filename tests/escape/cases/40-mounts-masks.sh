# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The masked /proc files (Docker's list, /proc/interrupts included): nothing of the host's content may be read
# through them, and the masks themselves are read-only (a /dev/null mask took writes; a read-only mount does
# not stop a device). The canary is the host's own /proc/interrupts: its per-CPU counters must not come back.
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here; the case fails against a
# launcher without it.)

HOST_IRQ=$(awk 'NR > 1 && NF > 2 { print $1 $2; exit }' /proc/interrupts)
# /payload runs a sequence ("+"): every mask in one container
conf masks "RootDirectory=$ROOT" \
        "Exec=/payload cat /proc/interrupts + write /proc/interrupts 0 + write /proc/keys x + write /proc/timer_list x"
launch masks
check "/proc/interrupts inside shows nothing of the host's" \
        eval '[ -n "$HOST_IRQ" ] && lacks "CPU0" && ! tr -d " " < "$OUT" | grep -qF -- "$HOST_IRQ"'
check "the masks of /proc files are read-only" \
        eval 'has "write /proc/interrupts: error EROFS" && has "write /proc/keys: error EROFS" &&
              has "write /proc/timer_list: error EROFS"'
