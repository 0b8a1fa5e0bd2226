# SPDX-License-Identifier: LGPL-2.1-or-later
# AppArmor (issue 17): the guest's Debian kernel enables it; ctr-launch loads ctr-default (apparmor.d/ctr-default)
# when it is not loaded, and every process of a container runs under it — the workload, the Init=yes init,
# "ctrctl exec" and the monitor's health checks. What the profile denies is asserted on state: a mount that
# does not appear, a hostname that does not change, a disk not read; each against a control without the
# profile (AppArmorProfile=unconfined, or the same command unconfined on the guest) where it succeeds, so the
# denial is AppArmor's. AppArmorProfile=unconfined runs without; a profile that is not loaded fails the start.

AA_DIR=/run/ctrtest-apparmor
AA_IDLE='trap \"exit 0\" TERM; sleep infinity & wait'
AA_PROFILES=/sys/kernel/security/apparmor/profiles

aa_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        [[ $(</sys/module/apparmor/parameters/enabled) == Y ]] ||
                fail "AppArmor is not enabled in the guest's kernel"
        command -v apparmor_parser >/dev/null || fail "no apparmor_parser in the guest (tests/vm/vm GUEST_PKGS)"
        [[ -f /etc/apparmor.d/ctr-default ]] || fail "ctr-default is not installed in /etc/apparmor.d"
        mkdir -p "$AA_DIR"
}

aa_loaded() {
        grep -qxF "$1 (enforce)" "$AA_PROFILES"
}

# aa_pids_under NAME PROFILE: every process of ctr-NAME.scope has the label "PROFILE" (e.g. "ctr-default
# (enforce)", "unconfined")
aa_pids_under() {
        local pid n=0 label
        while read -r pid; do
                # a process that ended meanwhile (a health check's) is not counted
                label=$(cat "/proc/$pid/attr/apparmor/current" 2>/dev/null) || continue
                assert_eq "$label" "$2" "AppArmor label of pid $pid ($(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline"))"
                n=$((n + 1))
        done < <(cat "$(unit_cgroup "ctr-$1.scope")/cgroup.procs")
        [[ $n -gt 0 ]] || fail "no process in ctr-$1.scope"
}

# aa_workload_filters NAME: how many seccomp filters the workload's "sleep infinity" in ctr-NAME.scope runs under
aa_workload_filters() {
        local pid
        while read -r pid; do
                if [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == "sleep infinity " ]]; then
                        awk '/^Seccomp_filters:/ { print $2 }' "/proc/$pid/status"
                        return
                fi
        done < <(cat "$(unit_cgroup "ctr-$1.scope")/cgroup.procs")
        fail "no 'sleep infinity' in ctr-$1.scope"
}

# ctr-launch loads ctr-default on the first start that needs it (the boot's apparmor.service ran before the
# payload installed the file, and the profile is unloaded here in case it did not)
test_default_profile_loaded_and_entered() {
        aa_need
        if aa_loaded ctr-default; then
                apparmor_parser -R /etc/apparmor.d/ctr-default
        fi
        aa_loaded ctr-default && fail "ctr-default still loaded"
        write_ctr aadef "Init=yes" "AddCapability=CAP_SYS_ADMIN" "Volume=$AA_DIR:/h" "Exec=/bin/sh -c \"$AA_IDLE\"" \
                "HealthCmd=/bin/sh -c 'cat /proc/self/attr/current >/h/health'" "HealthInterval=1s"
        systemctl daemon-reload
        rm -f "$AA_DIR/health"
        start_ctr aadef
        aa_loaded ctr-default || fail "ctr-launch did not load ctr-default"
        # the Init=yes init, the shell, its sleep
        aa_pids_under aadef "ctr-default (enforce)"
        assert_eq "$(ctrctl exec aadef -- cat /proc/self/attr/current)" "ctr-default (enforce)" "ctrctl exec's label"
        wait_for 30 test -s "$AA_DIR/health" || fail "no health check ran"
        assert_eq "$(<"$AA_DIR/health")" "ctr-default (enforce)" "the health check's label"
        # from inside, the profile cannot be left
        if ctrctl exec aadef -- sh -c 'echo "changeprofile unconfined" >/proc/self/attr/current' 2>/dev/null; then
                fail "a container process changed its profile to unconfined"
        fi
}

# With CAP_SYS_ADMIN the capabilities and the seccomp filter allow mount(2): ctr-default alone refuses it —
# a tmpfs, a read-write remount of /proc/sys (which would then take sysctl writes), an unmount of a mask.
test_mounts_denied_even_with_sys_admin() {
        aa_need
        systemctl -q is-active ctr@aadef.service || start_ctr aadef
        local mounts
        if ctrctl exec aadef -- mount -t tmpfs none /mnt 2>/dev/null; then
                fail "mount -t tmpfs succeeded under ctr-default"
        fi
        ctrctl exec aadef -- mount -o remount,rw,bind /proc/sys 2>/dev/null && fail "remount of /proc/sys succeeded"
        ctrctl exec aadef -- umount /proc/kcore 2>/dev/null && fail "umount of the /proc/kcore mask succeeded"
        mounts=$(ctrctl exec aadef -- cat /proc/self/mountinfo)
        assert_not_contains "$mounts" " /mnt " "the container's mounts"
        assert_contains "$mounts" " /proc/kcore " "the container's mounts (the mask)"
        # the writes those would enable: still refused
        ctrctl exec aadef -- sh -c 'echo ctrtest-x >/proc/sys/kernel/hostname' 2>/dev/null &&
                fail "a write to /proc/sys succeeded"
        ctrctl exec aadef -- sh -c 'echo h >/proc/sysrq-trigger' 2>/dev/null && fail "a write to sysrq-trigger succeeded"
        assert_eq "$(ctrctl exec aadef -- hostname)" aadef "the container's hostname"
        # (an explicit deny rule is not audited: that the denial is AppArmor's, the unconfined control below
        # shows, the same container but for its profile)

        # The new mount API (fsopen, fsconfig, fsmount, move_mount, open_tree, fspick, mount_setattr): the
        # kernel's AppArmor may not mediate it (Linux 6.1's mount features are "mount umount pivot_root"), so
        # a process entering ctr-default with CAP_SYS_ADMIN gets a seccomp filter that makes it ENOSYS
        # (src/runtime/seccomp-mount-api.h): refused on every kernel, and mount(8) falls back to mount(2),
        # which the profile denies. The unconfined control below mounts through the same calls.
        command -v ctr-escape-attack >/dev/null || fail "no ctr-escape-attack in the guest (tests/vm/vm)"
        cp "$(command -v ctr-escape-attack)" "$AA_DIR/attack"
        local newapi
        newapi=$(ctrctl exec aadef -- /h/attack fsopen tmpfs /mnt 2>&1) || true
        echo "AppArmor mount features: $(cat /sys/kernel/security/apparmor/features/mount/mask 2>&1)"
        echo "fsopen+fsmount+move_mount under ctr-default: $(tr '\n' ';' <<<"$newapi")"
        assert_contains "$newapi" "fsopen tmpfs: refused ENOSYS" "fsopen under ctr-default with CAP_SYS_ADMIN"
        mounts=$(ctrctl exec aadef -- cat /proc/self/mountinfo)
        assert_not_contains "$mounts" " /mnt " "the mounts after fsopen+fsmount+move_mount"

        # the control: the same container unconfined mounts, remounts and writes
        write_ctr aaunc "AppArmorProfile=unconfined" "AddCapability=CAP_SYS_ADMIN" "Volume=$AA_DIR:/h" \
                "Exec=/bin/sh -c \"$AA_IDLE\""
        systemctl daemon-reload
        start_ctr aaunc
        aa_pids_under aaunc unconfined
        assert_eq "$(ctrctl exec aaunc -- cat /proc/self/attr/current)" unconfined "ctrctl exec's label, unconfined"
        ctrctl exec aaunc -- mount -t tmpfs none /mnt || fail "the unconfined control could not mount"
        ctrctl exec aaunc -- sh -c 'mount -o remount,rw,bind /proc/sys && echo ctrtest-x >/proc/sys/kernel/hostname' ||
                fail "the unconfined control could not write /proc/sys"
        assert_eq "$(ctrctl exec aaunc -- hostname)" ctrtest-x "the unconfined control's hostname"
        # and through the new mount API: what ctr-default's seccomp stand-in refuses above
        newapi=$(ctrctl exec aaunc -- /h/attack fsopen tmpfs /mnt2 2>&1) || true
        assert_contains "$newapi" "fsopen move_mount: ok" "the unconfined control's fsopen+fsmount+move_mount"
        assert_contains "$(ctrctl exec aaunc -- cat /proc/self/mountinfo)" " /mnt2 " "the unconfined control's mounts"
        # the workload itself runs under the stand-in too: one filter more than the unconfined control's
        # (the default filter both have)
        assert_eq "$(aa_workload_filters aadef)" "$(($(aa_workload_filters aaunc) + 1))" \
                "seccomp filters of aadef's workload (ctr-default, CAP_SYS_ADMIN) against aaunc's"
        systemctl stop ctr@aaunc.service ctr@aadef.service
}

# What the profile denies where the guest's own /proc/sys, sysrq-trigger and disks are writable: the same
# commands run as root on the guest, under ctr-default (aa-exec) and not.
test_profile_denies_host_interfaces() {
        aa_need
        aa_loaded ctr-default || apparmor_parser -Kr /etc/apparmor.d/ctr-default
        local before disk ra sp
        before=$(</proc/sys/kernel/domainname)
        aa-exec -p ctr-default -- sh -c 'echo ctrtest-aa >/proc/sys/kernel/domainname' 2>/dev/null &&
                fail "ctr-default let a sysctl be written"
        assert_eq "$(</proc/sys/kernel/domainname)" "$before" "kernel.domainname"
        aa-exec -p ctr-default -- sh -c 'echo h >/proc/sysrq-trigger' 2>/dev/null && fail "ctr-default let SysRq be triggered"
        disk=$(findmnt -no SOURCE /)
        [[ -b $disk ]] || fail "the root's device '$disk' is not a block device"
        aa-exec -p ctr-default -- head -c 512 "$disk" >/dev/null 2>&1 && fail "ctr-default let $disk be read"
        # /sys: the disk's read-ahead, written back unchanged
        ra=/sys/block/$(lsblk -no PKNAME "$disk")/queue/read_ahead_kb
        [[ -f $ra ]] || fail "no $ra"
        aa-exec -p ctr-default -- sh -c 'v=$(cat "$1"); echo "$v" >"$1"' sh "$ra" 2>/dev/null &&
                fail "ctr-default let $ra be written"
        # ptrace (/proc/PID/environ) and signals of a process outside the profile
        sleep 300 &
        sp=$!
        aa-exec -p ctr-default -- cat "/proc/$sp/environ" >/dev/null 2>&1 && fail "ctr-default let /proc/$sp/environ be read"
        aa-exec -p ctr-default -- kill -TERM "$sp" 2>/dev/null && fail "ctr-default let an unconfined process be signalled"
        pid_alive "$sp" || fail "the unconfined sleep was killed"
        # the controls, unconfined: each of those works
        head -c 512 "$disk" >/dev/null || fail "the control could not read $disk"
        sh -c 'v=$(cat "$1"); echo "$v" >"$1"' sh "$ra" || fail "the control could not write $ra"
        cat "/proc/$sp/environ" >/dev/null || fail "the control could not read /proc/$sp/environ"
        kill -TERM "$sp" || fail "the control could not signal the sleep"
        wait "$sp" 2>/dev/null || true
        echo "$before" >/proc/sys/kernel/domainname || fail "the control could not write kernel.domainname"
}

test_profile_not_loaded_fails_the_start() {
        aa_need
        write_ctr aanope "AppArmorProfile=ctrtest-no-such-profile" "Exec=/bin/true"
        systemctl daemon-reload
        timeout 90 systemctl start ctr@aanope.service && fail "a container with a profile that is not loaded started"
        journalctl -q --no-pager -u ctr@aanope.service | grep -F "AppArmor profile 'ctrtest-no-such-profile' (AppArmorProfile=) is not loaded" ||
                fail "no clear error in the journal: $(journalctl -q --no-pager -u ctr@aanope.service | tail -3)"
        systemctl reset-failed ctr@aanope.service || true
        rm -f /etc/ctr/aanope.ctr /etc/ctr/aadef.ctr /etc/ctr/aaunc.ctr
        systemctl daemon-reload
}
