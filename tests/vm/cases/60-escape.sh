# SPDX-License-Identifier: LGPL-2.1-or-later
# The escape suite's attacks under systemd (tests/escape/ runs them on the host with --no-scope): against
# ctr@ctresc.service (Image=host, started with systemctl), as its workload and through ctrctl exec and ctrctl
# shell into it. The guest's Debian kernel has what the build host's lacks (modules, kexec, SysRq, a block
# device a process may read), so the module, kexec, SysRq and raw-disk attacks are real here. Every case asserts
# on the guest: a canary file, a sysctl, a host process, the module list, the kexec state. The attack binary
# (tests/escape/attack.c) is staged into the payload's bin/ by tests/vm/vm.
#   ctresc   its workload runs /x/attacks (a round of attacks, output into /x-out/workload), then holds

ESC=/var/lib/ctrtest-escape
ESC_OUT=/var/lib/ctrtest-escape-out

esc_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        command -v ctr-escape-attack >/dev/null || skip "the attack binary is not in the payload"
}

# the guest's state the attacks aim at, one line each
esc_state() {
        local k
        for k in /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /sys/kernel/uevent_helper \
                 /sys/kernel/kexec_loaded /sys/kernel/kexec_crash_loaded /proc/sys/kernel/hostname; do
                echo "$k=$(cat "$k" 2>/dev/null)"
        done
        cut -d' ' -f1 /proc/modules | sort | tr '\n' ' '
        echo
        echo "sysrq-help=$(journalctl -k -b --no-pager -q 2>/dev/null | grep -c 'sysrq: HELP' || true)"
}

# a secret on the guest's root disk, its offset on the device, the device's numbers
esc_secret() {
        local tok bs block dev
        tok=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
        for i in $(seq 1 256); do echo "secret $tok"; done >$ESC/secret
        sync $ESC/secret
        bs=$(stat -fc %S $ESC/secret)
        block=$(filefrag -v -b"$bs" $ESC/secret | awk '$1 == "0:" { sub(/\.\..*/, "", $4); print $4; exit }')
        dev=$(findmnt -no SOURCE -T $ESC/secret)
        echo "$tok $((block * bs)) $((16#$(stat -Lc %t "$dev"))) $((16#$(stat -Lc %T "$dev")))"
}

test_setup() {
        esc_need
        rm -rf $ESC $ESC_OUT
        mkdir -p $ESC $ESC_OUT
        cp "$(command -v ctr-escape-attack)" $ESC/attack
        echo "canary $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >$ESC/canary
        cp $ESC/canary $ESC/canary.expected
        chmod 600 $ESC/canary.expected
        read -r tok off maj min < <(esc_secret)
        echo "$tok" >$ESC/secret.token
        chmod 600 $ESC/secret.token $ESC/secret
        # the launcher's own overlay mount loads the module on the first start: not the container's doing
        modprobe overlay 2>/dev/null || true
        esc_state >$ESC_OUT/state.before
        local mod
        mod=$(find "/lib/modules/$(uname -r)" -name 'dummy.ko*' | head -n 1)
        [[ -n $mod ]] || mod=/x/attack
        local rel=${ESC#/}/canary
        # the workload's round: /proc/sys, /sys, SysRq, modules, kexec, keys, the raw disk, shocker, mounts
        cat >$ESC/attacks <<EOF
#!/bin/sh
a=/x/attack
{
\$a write /proc/sys/kernel/core_pattern '|/tmp/escaped %p'
\$a write /proc/sys/kernel/modprobe /tmp/escaped
\$a write /sys/kernel/uevent_helper /tmp/escaped
\$a write /proc/sysrq-trigger h
\$a modules $mod dummy
\$a kexec /boot/vmlinuz-$(uname -r)
\$a keys ctrtest-escape-$tok
\$a mknod-read /tmp/disk $maj $min $off 4096
\$a handle /x/attack 2 0 $rel escaped
\$a mount proc /tmp/p proc
\$a unshare
\$a bpf
\$a io_uring
echo round-done
} >/x-out/workload 2>&1
exec \$a hold idle
EOF
        chmod 755 $ESC/attacks
        write_ctr ctresc "Volume=$ESC:/x:ro" "Volume=$ESC_OUT:/x-out" "Volume=/boot:/boot:ro" "Exec=/x/attacks"
        systemctl daemon-reload
        start_ctr ctresc
        wait_for 30 grep -q round-done $ESC_OUT/workload
        cat $ESC_OUT/workload
}

# the workload's round under ctr@ctresc.service: nothing of the guest changed
test_workload_round() {
        esc_need
        [[ -f $ESC_OUT/workload ]] || fail "the setup did not run"
        esc_state >$ESC_OUT/state.after
        diff -u $ESC_OUT/state.before $ESC_OUT/state.after || fail "the guest's kernel state changed"
        assert_eq "$(cat $ESC/canary)" "$(cat $ESC/canary.expected)" "the canary"
        assert_not_contains "$(cat $ESC_OUT/workload)" "$(cat $ESC/secret.token)" "what the workload read of the disk"
        if grep -qF "ctrtest-escape-$(cat $ESC/secret.token)" /proc/keys; then
                fail "a key of the container's is in the guest's /proc/keys"
        fi
}

# ctrctl exec into it: the same attacks from the entering process's side, and signals and ptrace to a victim
# (eight execs, ~3.5 s each in the emulated guest)
# vm-timeout: 150
test_exec_attacks() {
        esc_need
        [[ $(unit_prop ctr@ctresc.service ActiveState) == active ]] || fail "ctr@ctresc is not active"
        local victim out tok off maj min
        sleep 600 &
        victim=$!
        read -r tok off maj min < <(esc_secret)
        out=$(
                ctrctl exec ctresc -- /x/attack write /proc/sys/kernel/core_pattern '|/tmp/escaped %p'
                ctrctl exec ctresc -- /x/attack mknod-read /tmp/disk2 "$maj" "$min" "$off" 4096
                ctrctl exec ctresc -- /x/attack handle /x/attack 2 0 "${ESC#/}/canary" escaped
                ctrctl exec ctresc -- /x/attack ptrace "$victim"
                ctrctl exec ctresc -- /x/attack kill "$victim" 9
                ctrctl exec ctresc -- /x/attack kill -1 9
                ctrctl exec ctresc -- /x/attack unshare
                ctrctl exec ctresc -- /x/attack proc-roots "${ESC#/}/canary" escaped
        ) || true
        echo "$out"
        pid_alive "$victim" || fail "the guest's victim process was killed"
        grep -q '^TracerPid:[[:space:]]*0$' "/proc/$victim/status" || fail "the victim is traced"
        kill "$victim"
        assert_not_contains "$out" "$tok" "what exec read of the disk"
        assert_eq "$(cat $ESC/canary)" "$(cat $ESC/canary.expected)" "the canary"
        esc_state >$ESC_OUT/state.exec
        diff -u $ESC_OUT/state.before $ESC_OUT/state.exec || fail "the guest's kernel state changed"
        [[ $(unit_prop ctr@ctresc.service ActiveState) == active ]] || fail "ctr@ctresc did not survive kill(-1) of exec"
}

# ctrctl shell: the operator's interactive way in, on a pty
test_shell_attacks() {
        esc_need
        command -v script >/dev/null || skip "script (util-linux) is not installed"
        local out
        out=$( (sleep 2
                printf '/x/attack write /proc/sys/kernel/core_pattern "|/tmp/escaped %%p"; /x/attack keys ctrtest-shell\n'
                printf '/x/attack handle /x/attack 2 0 %s escaped; /x/attack unshare; exit 0\n' "${ESC#/}/canary") |
                timeout 40 script -qec "ctrctl shell ctresc" /dev/null) || true
        echo "$out"
        assert_contains "$out" "unshare CLONE_NEWUSER: refused" "the shell ran the attacks"
        assert_eq "$(cat $ESC/canary)" "$(cat $ESC/canary.expected)" "the canary"
        esc_state >$ESC_OUT/state.shell
        diff -u $ESC_OUT/state.before $ESC_OUT/state.shell || fail "the guest's kernel state changed"
        if grep -q ctrtest-shell /proc/keys; then
                fail "a key of the container's is in the guest's /proc/keys"
        fi
}

# The control: the same canaries must see a container that is given every capability, no filter and no
# AppArmor profile. Should this fail, the cases above assert on something an escape would not change.
test_control_privileged() {
        esc_need
        local mod tok loaded=no key=no
        mod=$(find "/lib/modules/$(uname -r)" -name 'dummy.ko*' | head -n 1)
        [[ -n $mod ]] || skip "no dummy.ko in /lib/modules/$(uname -r) to load"
        ! grep -q '^dummy ' /proc/modules || skip "dummy is loaded already"
        tok=ctrtest-control-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
        printf '#!/bin/sh\n{ /x/attack modules %s none; /x/attack keys %s; echo control-done; } >/x-out/control 2>&1\n' \
                "$mod" "$tok" >$ESC/control
        chmod 755 $ESC/control
        write_ctr ctrescpriv "Volume=$ESC:/x:ro" "Volume=$ESC_OUT:/x-out" "AddCapability=ALL" \
                "SeccompProfile=unconfined" "AppArmorProfile=unconfined" "Exec=/x/control"
        systemctl daemon-reload
        timeout 90 systemctl start ctr@ctrescpriv.service || true
        wait_for 30 grep -q control-done $ESC_OUT/control
        cat $ESC_OUT/control
        grep -q '^dummy ' /proc/modules && loaded=yes
        grep -qF "$tok" /proc/keys && key=yes
        rmmod dummy 2>/dev/null || true
        systemctl stop ctr@ctrescpriv.service 2>/dev/null || true
        rm -f /etc/ctr/ctrescpriv.ctr
        assert_eq "$loaded" yes "a privileged container's module load seen in /proc/modules"
        assert_eq "$key" yes "a privileged container's key seen in /proc/keys"
}

test_teardown() {
        esc_need
        systemctl stop ctr@ctresc.service || true
        rm -f /etc/ctr/ctresc.ctr
        systemctl daemon-reload
        rm -rf $ESC $ESC_OUT
}
