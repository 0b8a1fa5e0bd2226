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

# Copies the DESTDIR tree of `meson install` into / and reloads, so the generator and units are live.
test_install_tree() {
        [[ -d $CTR_VM_PAYLOAD/root ]] || fail "no $CTR_VM_PAYLOAD/root in the payload"
        # tar keeps the guest's merged-/usr symlinks (/lib → usr/lib) where the tree says /lib/systemd/…
        tar -C "$CTR_VM_PAYLOAD/root" -c . | tar -C / -x --keep-directory-symlink --no-same-owner
        find "$CTR_VM_PAYLOAD/root" -type f -printf '/%P\n' | sort
        systemctl daemon-reload
        assert_eq "$(unit_prop multi-user.target ActiveState)" active "multi-user.target after daemon-reload"
}
