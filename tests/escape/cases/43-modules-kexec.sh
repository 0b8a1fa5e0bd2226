# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Loading kernel code: finit_module/init_module of a module of the host (Image=host sees /lib/modules),
# delete_module, kexec_file_load of the host's kernel and kexec_load. The host's module list and kexec state
# must not change; on a kernel without modules or kexec the attempt still runs and the same is asserted.

KVER=$(uname -r)
MOD=$(find "/lib/modules/$KVER" -name 'dummy.ko*' 2>/dev/null | head -n 1)
[ -n "$MOD" ] || MOD=/attack    # no module to load here: an ELF file that is none still reaches the syscall
KERNEL=/boot/vmlinuz-$KVER
[ -e "$KERNEL" ] || KERNEL=/attack
modules_state() { cat /proc/modules 2>/dev/null | cut -d' ' -f1 | sort; cat /sys/kernel/kexec_loaded 2>/dev/null; }
BEFORE=$(modules_state)

conf_host modkexec "Volume=/boot:/boot:ro" "Exec=/bin/sh -c '/attack modules $MOD dummy; /attack kexec $KERNEL'"
[ -d /boot ] || conf_host modkexec "Exec=/bin/sh -c '/attack modules $MOD dummy; /attack kexec $KERNEL'"
launch modkexec
AFTER=$(modules_state)
# should a load ever pass, the host gets its state back
[ "$BEFORE" = "$AFTER" ] || { modprobe -r dummy 2>/dev/null; "$ATTACK" kexec-unload > /dev/null; }
check "finit_module, init_module, delete_module, kexec_file_load, kexec_load: the host's modules and kexec state unchanged" \
        eval '[ "$BEFORE" = "$AFTER" ] && has "modules: all refused" && has "kexec: all refused"'
