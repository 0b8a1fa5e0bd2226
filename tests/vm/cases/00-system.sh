# SPDX-License-Identifier: LGPL-2.1-or-later
# The guest is what the other cases assume: systemd as PID 1, cgroup v2 with the controllers ctr sets limits
# through, the system bus; and the tree under test is installed.

test_pid1_is_systemd() {
        assert_eq "$(cat /proc/1/comm)" systemd "PID 1"
        assert_eq "$(readlink /proc/1/exe)" /usr/lib/systemd/systemd "PID 1 binary"
}

test_system_running() {
        local state
        state=$(timeout 60 systemctl is-system-running --wait || true)
        [[ $state == running ]] || { systemctl --failed --no-pager || true; fail "system state is '$state'"; }
}

test_cgroup_v2_unified() {
        assert_eq "$(stat -fc %T /sys/fs/cgroup)" cgroup2fs "filesystem on /sys/fs/cgroup"
        [[ ! -e /sys/fs/cgroup/unified ]] || fail "hybrid layout: /sys/fs/cgroup/unified exists"
}

test_cgroup_controllers() {
        local have c
        have=" $(cat /sys/fs/cgroup/cgroup.controllers) "
        for c in cpuset cpu io memory pids; do
                assert_contains "$have" " $c " "root cgroup.controllers"
        done
        # systemd delegates what units ask for; a scope with limits gets memory, pids, cpu, io enabled
        have=" $(cat /sys/fs/cgroup/cgroup.subtree_control) "
        for c in memory pids; do
                assert_contains "$have" " $c " "root cgroup.subtree_control"
        done
}

test_system_bus() {
        busctl --system status >/dev/null
        assert_eq "$(busctl get-property org.freedesktop.systemd1 /org/freedesktop/systemd1 \
                org.freedesktop.systemd1.Manager Version | cut -d' ' -f2 | tr -d '"' | cut -d. -f1)" \
                "$(systemd_version)" "systemd version over the bus"
}

devnum() {   # MAJOR:MINOR of the block device PATH leads to
        stat -Lc '%Hr:%Lr' "$1"
}

# The harness finds each disk by what it holds, never by the kernel's name for it (two namespaces of one NVMe
# controller enumerate in either order: Debian 13's 6.12 mounted the payload as / with root=/dev/nvme0n1): /
# is the image, the partition the kernel was given by PARTUUID, labelled root; the payload is the filesystem
# labelled payload, on a controller of its own.
test_root_and_payload_disks() {
        local cmdline partuuid root_disk payload_disk root_ctrl payload_ctrl
        findmnt /
        findmnt "$CTR_VM_PAYLOAD"
        lsblk -o NAME,MAJ:MIN,LABEL,PARTUUID,SERIAL,MOUNTPOINT
        cmdline=" $(</proc/cmdline) "
        assert_contains "$cmdline" " root=PARTUUID=" "the kernel command line"
        partuuid=${cmdline#* root=PARTUUID=}
        partuuid=${partuuid%% *}
        assert_eq "$(findmnt -rno MAJ:MIN /)" "$(devnum "/dev/disk/by-partuuid/$partuuid")" "/ on root=PARTUUID=$partuuid"
        assert_eq "$(findmnt -rno MAJ:MIN /)" "$(devnum /dev/disk/by-label/root)" "/ on the filesystem labelled root"
        assert_eq "$(findmnt -rno MAJ:MIN "$CTR_VM_PAYLOAD")" "$(devnum /dev/disk/by-label/payload)" \
                "$CTR_VM_PAYLOAD on the filesystem labelled payload"
        [[ -x /usr/local/sbin/ctr-vm-run ]] || fail "/ is not the image: no /usr/local/sbin/ctr-vm-run"
        [[ -x $CTR_VM_PAYLOAD/run && -d $CTR_VM_PAYLOAD/cases ]] || fail "$CTR_VM_PAYLOAD is not the payload"
        # the disks under the filesystems, and their controllers (the serials tests/vm/vm gives them)
        root_disk=$(lsblk -ndo PKNAME "$(readlink -f /dev/disk/by-label/root)")
        payload_disk=$(readlink -f /dev/disk/by-label/payload)
        payload_disk=${payload_disk#/dev/}
        assert_eq "$(lsblk -ndo SERIAL "/dev/$root_disk")" ctr-root "the root disk's controller"
        assert_eq "$(lsblk -ndo SERIAL "/dev/$payload_disk")" ctr-payload "the payload disk's controller"
        root_ctrl=$(readlink -f "/sys/class/block/$root_disk/device")
        payload_ctrl=$(readlink -f "/sys/class/block/$payload_disk/device")
        [[ $root_ctrl != "$payload_ctrl" ]] || fail "the root and the payload share a controller: $root_ctrl"
}

# Copies the DESTDIR tree of `meson install` into / and reloads, so the generator and units are live.
test_install_tree() {
        [[ -d $CTR_VM_PAYLOAD/root ]] || fail "no $CTR_VM_PAYLOAD/root in the payload"
        # tar keeps the guest's merged-/usr symlinks (/lib → usr/lib) where the tree says /lib/systemd/…
        tar -C "$CTR_VM_PAYLOAD/root" -c . | tar -C / -x --keep-directory-symlink --no-same-owner
        find "$CTR_VM_PAYLOAD/root" -type f -printf '/%P\n' | sort
        systemctl daemon-reload
        assert_eq "$(unit_prop multi-user.target ActiveState)" active "multi-user.target after daemon-reload"
}
