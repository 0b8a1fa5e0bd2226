# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# A FIFO where a .ctr (or a drop-in) belongs: whoever can create one in a directory of the search path (or
# name one on the command line) must not be able to hang ctr-launch, ctrctl or the generator in open().
# Each attempt is bounded well below lib.sh's timeout; the file is refused with an error naming it.

mkfifo "$CONF/fifo.ctr"
start=$SECONDS
launch fifo
check "ctr-launch NAME does not hang on a FIFO and names it" \
        eval '! rc_is 124 && ! rc_is 0 && [ $((SECONDS - start)) -lt 20 ] && err_has "$CONF/fifo.ctr: Not a regular file (a FIFO)"'

start=$SECONDS
launch "$CONF/fifo.ctr"
check "ctr-launch FILE likewise" eval '! rc_is 124 && ! rc_is 0 && [ $((SECONDS - start)) -lt 20 ] && err_has "a FIFO"'

start=$SECONDS
ctl validate "$CONF/fifo.ctr"
check "ctrctl validate likewise" eval '! rc_is 124 && rc_is 1 && [ $((SECONDS - start)) -lt 20 ] && err_has "a FIFO"'
rm -f "$CONF/fifo.ctr"

conf fifodrop "RootDirectory=$ROOT" "Exec=/attack write /none x"
mkdir -p "$CONF/fifodrop.ctr.d"
mkfifo "$CONF/fifodrop.ctr.d/50-isolation.conf"
start=$SECONDS
launch fifodrop
check "a FIFO drop-in is refused, not skipped: the container does not start without it" \
        eval '! rc_is 124 && ! rc_is 0 && [ $((SECONDS - start)) -lt 20 ] && err_has "50-isolation.conf: Not a regular file (a FIFO)"'
rm -rf "$CONF/fifodrop.ctr.d"
