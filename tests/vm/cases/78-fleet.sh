# SPDX-License-Identifier: LGPL-2.1-or-later
# A fleet (issue 15): three hosts, each with its own systemd as PID 1, configured by real ansible-playbook over
# ssh with the ctr.containers collection (contrib/ansible), asserting the machines' systemd state.
#
# The controller is on the build host (tests/fleet/controller, started by qemu per connection; tests/vm/vm
# start_fleet): under TCG one ansible-playbook run in this guest cost 70-100 s, `--version` alone 12 s. The
# guest asks for a run on 10.0.2.100:7000 (qemu's guestfwd) with the playbook's options and its edited
# host_vars/, and reads the output and the exit status back; the controller reaches the machines' sshd through
# qemu's hostfwd ports, on a NIC of the VM's own (restrict=on: nothing else beyond it), which this case brings
# up with 10.0.2.15/24 (test_machines_boot) and takes down (test_cleanup): no other case sees it up.
#
# The hosts are systemd-nspawn --boot machines inside this guest: a second qemu under TCG would cost minutes
# of boot and its memory, a machine costs seconds. Each machine's root is an overlayfs whose lower layer is the
# guest's own root filesystem (read-only: what the payload installed, ctr included, nothing installed twice)
# and whose upper is a directory on /run (tmpfs), written before the boot: its hostname, machine-id, an empty
# /etc/ctr, sshd on its own port with root's authorized_keys, and masked what must not run there
# (ctr-vm-run.service, which would run this payload again). /var/lib/ctr is a directory of /run/fleet bound in
# (an overlayfs cannot be the upper layer of ctr-launch's overlay). The machines share the guest's network
# namespace: sshd listens on port 220N (0.0.0.0: loopback for the guest, 10.0.2.15 for the forwarded ports); private networks would need veths and an
# address on each side of each (processes that each cost ~30 ms here) for nothing the cases assert. Sharing
# it, nspawn drops CAP_NET_ADMIN from the machines, so a Network=none container cannot bring its loopback up
# there (see test_ctr_in_machine); the fleet's containers use Network=host.
#
# The cases run in order and build on each other; test_cleanup stops the machines.

FLEET_HOSTS=(h1 h2 h3)
FLEET=/run/fleet

fleet_need() {
        command -v systemd-nspawn >/dev/null || skip "no systemd-nspawn in the guest (tests/vm/vm GUEST_PKGS)"
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -d $CTR_VM_PAYLOAD/fleet ]] || fail "no fleet/ in the payload (tests/vm/vm cmd_stage)"
}

fleet_booted() {
        [[ -e $FLEET/booted ]] || fail "the machines are not up (test_machines_boot failed)"
}

fleet_port() {   # HOST: its sshd's port
        echo $(( 2200 + ${1#h} ))
}

FLEET_MAC=52:54:00:66:6c:74   # tests/vm/vm start_fleet's NIC

fleet_nic() {   # the interface of the controller's NIC
        local d
        for d in /sys/class/net/*; do
                [[ $(<"$d/address") == "$FLEET_MAC" ]] && { echo "${d##*/}"; return 0; }
        done
        fail "no NIC with $FLEET_MAC: the VM has no fleet controller (tests/vm/vm start_fleet)"
}

# fleet_controller HOST_VARS ARGS…: one request to the controller on the build host (tests/fleet/controller),
# HOST_VARS the base64 of a tar of host_vars/ or empty; its output on stdout, its status (ansible-playbook's)
# the function's
fleet_controller() {
        local fd line rc= vars=$1
        shift
        exec {fd}<>/dev/tcp/10.0.2.100/7000
        printf '%s\n%s\n' "$*" "$vars" >&"$fd"
        while IFS= read -r line <&"$fd"; do
                if [[ $line =~ ^FLEET-EXIT:\ ([0-9]+)$ ]]; then
                        rc=${BASH_REMATCH[1]}
                        break
                fi
                printf '%s\n' "$line"
        done
        exec {fd}>&-
        [[ -n $rc ]] || fail "the controller ended without an exit status"
        return "$rc"
}

# fleet_machine_root HOST: writes the machine's upper layer through its overlay, so the overlay makes the
# whiteouts and opaque directories itself
fleet_machine_root() {
        local h=$1 d=$FLEET/$1 r id
        r=$d/root
        mkdir -p "$d/upper" "$d/work" "$r"
        mount -t overlay "fleet-$h" -o "lowerdir=/,upperdir=$d/upper,workdir=$d/work" "$r"
        echo "$h" >"$r/etc/hostname"
        id=$(</proc/sys/kernel/random/uuid)
        echo "${id//-/}" >"$r/etc/machine-id"
        # the guest's fstab mounts its disk
        : >"$r/etc/fstab"
        # the runner would run this payload again (its condition is the kernel command line, shared)
        ln -sf /dev/null "$r/etc/systemd/system/ctr-vm-run.service"
        # what a headless machine does not need, each a process or more at every boot
        local u
        for u in console-getty.service systemd-ask-password-console.path systemd-ask-password-wall.path \
                 systemd-initctl.socket; do
                ln -sf /dev/null "$r/etc/systemd/system/$u"
        done
        # a host of the fleet starts with no container and no state (the guest's cases leave theirs, in every
        # directory of the search path: 10-generator's hidden.ctr in /usr/lib/ctr, [Install]ed, would start and
        # fail in the machines, degraded then)
        rm -rf "$r/etc/ctr" "$r/usr/local/lib/ctr" "$r/usr/lib/ctr"
        mkdir -p "$r/etc/ctr" "$d/state"
        # sshd, on a port of its own, root by key; no /run/nologin (systemd-user-sessions is masked)
        printf 'Port %s\nListenAddress 0.0.0.0\n' "$(fleet_port "$h")" >"$r/etc/ssh/sshd_config.d/fleet.conf"
        mkdir -p "$r/etc/systemd/system/multi-user.target.wants" "$r/root/.ssh" "$r/etc/tmpfiles.d"
        ln -sf /lib/systemd/system/ssh.service "$r/etc/systemd/system/multi-user.target.wants/ssh.service"
        ln -sf /dev/null "$r/etc/tmpfiles.d/systemd-nologin.conf"
        chmod 700 "$r/root/.ssh"
        cat /root/.ssh/id_ed25519.pub "$FLEET/controller.pub" >"$r/root/.ssh/authorized_keys"
}

# fleet_show HOST PROPERTIES UNIT…: `systemctl show` in the machine, one process for every unit and property
fleet_show() {
        local h=$1 props=$2
        shift 2
        systemctl -M "$h" show -p "$props" "$@"
}

# vm-timeout: 300
test_machines_boot() {
        fleet_need
        local h t0 states nic
        mkdir -p "$FLEET/cp"
        [[ -f /root/.ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -f /root/.ssh/id_ed25519
        nic=$(fleet_nic)
        ip addr add 10.0.2.15/24 dev "$nic"
        ip link set "$nic" up
        fleet_controller "" pubkey >"$FLEET/controller.pub"
        [[ $(<"$FLEET/controller.pub") == ssh-ed25519\ * ]] || fail "the controller's key: $(<"$FLEET/controller.pub")"
        for h in "${FLEET_HOSTS[@]}"; do
                fleet_machine_root "$h"
        done
        t0=$SECONDS
        # Type=notify with --notify-ready: the unit is active once the machine's systemd finished booting
        for h in "${FLEET_HOSTS[@]}"; do
                systemd-run --no-block --unit="fleet-$h" --service-type=notify -p Delegate=yes -p KillMode=mixed \
                        -p Slice=machine.slice \
                        systemd-nspawn --quiet --keep-unit --register=yes --boot --notify-ready=yes \
                        --link-journal=no --console=passive --machine="$h" --directory="$FLEET/$h/root" \
                        --bind="$FLEET/$h/state:/var/lib/ctr" \
                        systemd.show_status=no
        done
        fleet_boot_failed() {
                for h in "${FLEET_HOSTS[@]}"; do
                        systemctl status --no-pager -n 30 "fleet-$h" || true
                done
                fail "the machines did not boot: $states"
        }
        fleet_all_active() {
                states=$(systemctl show -p ActiveState --value "${FLEET_HOSTS[@]/#/fleet-}" | tr -s '\n' ' ')
                [[ $states != *failed* && $states != *inactive* ]] || fleet_boot_failed
                [[ $states == "active active active " ]]
        }
        wait_for 240 fleet_all_active || fleet_boot_failed
        echo "FIGURE: 3 machines booted in $(( SECONDS - t0 )) s"
        machinectl list --no-pager
        for h in "${FLEET_HOSTS[@]}"; do
                [[ $(systemctl -M "$h" is-system-running || true) == running ]] ||
                        systemctl -M "$h" list-units --failed --no-pager || true
                assert_eq "$(systemctl -M "$h" is-system-running || true)" running "$h's system state"
                assert_eq "$(systemctl -M "$h" show -P ActiveState ssh.service)" active "$h's sshd"
        done
        touch "$FLEET/booted"
}

# Each machine's PID 1 is its own systemd; ssh reaches it as root.
test_machines_are_hosts() {
        fleet_need
        fleet_booted
        local h leader pids=()
        # the ssh sessions side by side (one after the other, ~7 s each under TCG)
        for h in "${FLEET_HOSTS[@]}"; do
                timeout 60 ssh -p "$(fleet_port "$h")" -o BatchMode=yes -o StrictHostKeyChecking=no \
                        -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 \
                        'echo "$(cat /proc/1/comm) $(hostname) $(ls -A /etc/ctr | wc -l)"' >"$FLEET/ssh-$h" 2>&1 &
                pids+=($!)
        done
        wait "${pids[@]}" || true
        for h in "${FLEET_HOSTS[@]}"; do
                leader=$(machinectl show -p Leader --value "$h")
                assert_eq "$(readlink "/proc/$leader/exe")" /usr/lib/systemd/systemd "$h's leader"
                assert_eq "$(<"$FLEET/ssh-$h")" "systemd $h 0" "$h over ssh: PID 1, hostname, files in /etc/ctr"
        done
}

# ctr itself in a machine: the machine's systemd runs ctr@NAME, ctr-launch gets its transient scope from it, in
# the machine's own cgroup subtree (nspawn delegates it). Two limits of these machines, not of ctr: their root
# is an overlayfs, which the kernel refuses as the upper layer of another overlay (ctr-launch's writable layer
# failed "Failed to mount overlay … Invalid argument" with /var/lib/ctr on it), hence the bind; and without
# CAP_NET_ADMIN (nspawn drops it from a machine sharing the host's network) a Network=none container fails
# "Failed to bring up 'lo': Operation not permitted", hence Network=host.
test_ctr_in_machine() {
        fleet_need
        fleet_booted
        local r=$FLEET/h1/root out
        printf '[Container]\nImage=host\nNetwork=host\nExec=/bin/sleep infinity\n' >"$r/etc/ctr/probe-host.ctr"
        systemctl -M h1 daemon-reload
        timeout 90 systemctl -M h1 start ctr@probe-host.service || true
        out=$(fleet_show h1 ActiveState,ControlGroup ctr@probe-host.service ctr-probe-host.scope)
        echo "$out"
        if [[ $(sed -n 1,3p <<<"$out") != *ActiveState=active* ]]; then
                journalctl -M h1 --no-pager -o cat -u ctr@probe-host.service || true
                fail "ctr@probe-host does not run in h1"
        fi
        # ctr's scopes go to machine.slice (no Slice=): h1's own machine.slice
        assert_contains "$out" "ControlGroup=/machine.slice/ctr-probe-host.scope" "the scope in h1's own tree"
        # in the guest's tree, that scope is below the machine's
        [[ -d /sys/fs/cgroup/machine.slice/fleet-h1.service/payload/machine.slice/ctr-probe-host.scope ]] ||
                [[ -d /sys/fs/cgroup/machine.slice/fleet-h1.service/machine.slice/ctr-probe-host.scope ]] ||
                { find /sys/fs/cgroup/machine.slice -maxdepth 4 -type d -name 'ctr-*'; fail "no scope below fleet-h1"; }
        systemctl -M h1 stop ctr@probe-host.service
        rm -rf "$r/etc/ctr/probe-host.ctr" "$FLEET/h1/state/containers/probe-host"
        systemctl -M h1 daemon-reload
}

# fleet_ansible PLAYBOOK ARGS…: ansible-playbook on the build host against the fleet, with this guest's
# $FLEET/inventory/host_vars; output on stdout
fleet_ansible() {
        local vars=
        [[ ! -d $FLEET/inventory/host_vars ]] || vars=$(tar -C "$FLEET/inventory" -c host_vars | base64 -w0)
        fleet_controller "$vars" "$@"
}

# --- the scenario: site.yml (the role) with host_vars/ copied to $FLEET/inventory, edited step by step ---

FLEET_UNITS=(ctr@app.service ctr@job.service)

# fleet_run OUTFILE ARGS…: ansible-playbook site.yml, its output kept in OUTFILE and shown; its exit status in
# $FLEET/rc (2 when a host failed)
fleet_run() {
        local out=$1 rc=0 t0
        shift
        t0=$(date +%s%N)
        fleet_ansible site.yml "$@" >"$out" 2>&1 || rc=$?
        cat "$out"
        echo "FIGURE: ansible-playbook site.yml $* $(( ($(date +%s%N) - t0) / 1000000 )) ms, exit $rc"
        echo "$rc" >"$FLEET/rc"
}

# fleet_recap OUTFILE HOST: "changed=N unreachable=N failed=N" from the PLAY RECAP line of HOST
fleet_recap() {
        local line re="^$2 +: ok=[0-9]+ +changed=([0-9]+) +unreachable=([0-9]+) +failed=([0-9]+)"
        while IFS= read -r line; do
                if [[ $line =~ $re ]]; then
                        echo "changed=${BASH_REMATCH[1]} unreachable=${BASH_REMATCH[2]} failed=${BASH_REMATCH[3]}"
                        return 0
                fi
        done <"$1"
        fail "no PLAY RECAP line for $2 in $1"
}

# assert_recaps OUTFILE H1-RECAP H2-RECAP H3-RECAP (each "changed=N unreachable=N failed=N")
assert_recaps() {
        local out=$1 h
        shift
        for h in "${FLEET_HOSTS[@]}"; do
                assert_eq "$(fleet_recap "$out" "$h")" "$1" "$h's PLAY RECAP"
                shift
        done
}

# fleet_snapshot FILE: for every host and unit, "HOST/UNIT STATE EXEC_MAIN_START ACTIVE_ENTER" (monotonic µs),
# one `systemctl show` per machine
fleet_snapshot() {
        local h line id= st= ex= ae= out=()
        for h in "${FLEET_HOSTS[@]}"; do
                while IFS= read -r line; do
                        case $line in
                        Id=*) id=${line#*=} ;;
                        ActiveState=*) st=${line#*=} ;;
                        ExecMainStartTimestampMonotonic=*) ex=${line#*=} ;;
                        ActiveEnterTimestampMonotonic=*) ae=${line#*=} ;;
                        "") [[ -z $id ]] || out+=("$h/$id $st $ex $ae"); id= ;;
                        esac
                done < <(systemctl -M "$h" show -p Id,ActiveState,ExecMainStartTimestampMonotonic \
                        -p ActiveEnterTimestampMonotonic "${FLEET_UNITS[@]}"; echo)
        done
        printf '%s\n' "${out[@]}" >"$1"
        cat "$1"
}

# fleet_restarted OLD NEW: the HOST/UNITs whose start timestamps differ between two snapshots, space separated
fleet_restarted() {
        local -a a b
        local i changed=()
        mapfile -t a <"$1"
        mapfile -t b <"$2"
        [[ ${#a[@]} -eq ${#b[@]} ]] || fail "the snapshots $1 and $2 have different units"
        for i in "${!a[@]}"; do
                [[ ${a[i]#* * } == "${b[i]#* * }" ]] || changed+=("${a[i]%% *}")
        done
        echo "${changed[*]}"
}

# assert_states SNAPSHOT HOST/UNIT=STATE…: the listed units are in STATE, every other one active
assert_states() {
        local snap=$1 line unit st want kv
        shift
        while read -r unit st _; do
                want=active
                for kv in "$@"; do
                        [[ ${kv%%=*} == "$unit" ]] && want=${kv#*=}
                done
                assert_eq "$st" "$want" "$unit ActiveState"
        done <"$snap"
}

# fleet_config_sum: every host's /etc/ctr as it is (names, modes, times, contents), read from the guest
fleet_config_sum() {
        local h
        for h in "${FLEET_HOSTS[@]}"; do
                echo "$h $(tar -C "$FLEET/$h/root/etc/ctr" --sort=name -c . | sha256sum)"
        done
}

# fleet_greeting HOST NAME: what the container's workload wrote into its writable layer
fleet_greeting() {
        local f=$FLEET/$1/state/containers/$2/upper/greeting
        [[ -s $f ]] && echo "$(<"$f")"
}

# wait_greeting HOST NAME TEXT: the (re)started workload wrote TEXT
wait_greeting() {
        wait_for 60 bash -c "[[ \$(cat '$FLEET/$1/state/containers/$2/upper/greeting' 2>/dev/null) == '$3' ]]" ||
                fail "$1's $2 did not write '$3' (has: '$(fleet_greeting "$1" "$2" || true)')"
}

fleet_set_greeting() {   # HOST NAME GREETING: edits the inventory
        sed -i "/^  $2:/,/^  [a-z]/ s/Environment=GREETING=.*/Environment=GREETING=$3/" "$FLEET/inventory/host_vars/$1.yml"
}

# 1. One run creates the containers on every host, enabled (WantedBy=multi-user.target), and they run.
# vm-timeout: 200
test_apply_creates() {
        fleet_need
        fleet_booted
        mkdir -p "$FLEET/inventory"
        cp -r "$CTR_VM_PAYLOAD/fleet/inventory.yml" "$CTR_VM_PAYLOAD/fleet/host_vars" "$FLEET/inventory/"
        fleet_run "$FLEET/run1"
        assert_recaps "$FLEET/run1" "changed=1 unreachable=0 failed=0" "changed=1 unreachable=0 failed=0" \
                "changed=1 unreachable=0 failed=0"
        local h n
        for h in "${FLEET_HOSTS[@]}"; do
                for n in app job; do
                        wait_greeting "$h" "$n" "$n-on-$h"
                done
                # one value per unit, the units' blocks separated by an empty line
                assert_eq "$(systemctl -M "$h" show -P WantedBy ctr@app.service ctr@job.service | tr -s '\n' ' ')" \
                        "multi-user.target multi-user.target " "$h: ctr@app, ctr@job WantedBy="
        done
        fleet_snapshot "$FLEET/snap1"
        assert_states "$FLEET/snap1"
}

# 2. The same run again: changed=0 everywhere, nothing restarted (start timestamps the same).
# vm-timeout: 200
test_apply_idempotent() {
        fleet_need
        [[ -s $FLEET/snap1 ]] || fail "no snapshot of step 1"
        local sum
        sum=$(fleet_config_sum)
        fleet_run "$FLEET/run2"
        assert_eq "$(<"$FLEET/rc")" 0 "ansible-playbook's exit status"
        assert_recaps "$FLEET/run2" "changed=0 unreachable=0 failed=0" "changed=0 unreachable=0 failed=0" \
                "changed=0 unreachable=0 failed=0"
        fleet_snapshot "$FLEET/snap2"
        assert_states "$FLEET/snap2"
        assert_eq "$(fleet_restarted "$FLEET/snap1" "$FLEET/snap2")" "" "units restarted by the second run"
        assert_eq "$(fleet_config_sum)" "$sum" "every /etc/ctr (contents and times)"
}

# 3. One key of one container on one host: only that container on that host restarts.
# vm-timeout: 200
test_apply_one_key() {
        fleet_need
        [[ -s $FLEET/snap2 ]] || fail "no snapshot of step 2"
        fleet_set_greeting h2 job job-on-h2-v2
        fleet_run "$FLEET/run3"
        assert_recaps "$FLEET/run3" "changed=0 unreachable=0 failed=0" "changed=1 unreachable=0 failed=0" \
                "changed=0 unreachable=0 failed=0"
        wait_greeting h2 job job-on-h2-v2
        fleet_snapshot "$FLEET/snap3"
        assert_states "$FLEET/snap3"
        assert_eq "$(fleet_restarted "$FLEET/snap2" "$FLEET/snap3")" "h2/ctr@job.service" "units restarted"
        assert_eq "$(fleet_greeting h2 app)" app-on-h2 "h2's app, not restarted"
}

# 4. An invalid file for h3 (beside a valid change there) fails the play for h3 with nothing written there;
# h1's change in the same run goes through.
# vm-timeout: 200
test_apply_invalid_host() {
        fleet_need
        [[ -s $FLEET/snap3 ]] || fail "no snapshot of step 3"
        local inv=$FLEET/inventory/host_vars before out
        cp "$inv/h3.yml" "$FLEET/h3.yml.good"
        fleet_set_greeting h3 app app-on-h3-v2
        printf '%s\n' "  bad:" "    content: |" "      [Container]" "      Image=host" "      NoSuchKey=1" >>"$inv/h3.yml"
        fleet_set_greeting h1 app app-on-h1-v2
        before=$(fleet_config_sum)
        fleet_run "$FLEET/run4"
        assert_eq "$(<"$FLEET/rc")" 2 "ansible-playbook's exit status (a host failed)"
        assert_recaps "$FLEET/run4" "changed=1 unreachable=0 failed=0" "changed=0 unreachable=0 failed=0" \
                "changed=0 unreachable=0 failed=1"
        out=$(<"$FLEET/run4")
        assert_contains "$out" "bad.ctr:3" "h3's error (file:line)"
        assert_contains "$out" "NoSuchKey" "h3's error (the key)"
        assert_eq "$(fleet_config_sum | sed -n 3p)" "$(sed -n 3p <<<"$before")" "h3's /etc/ctr (contents and times)"
        [[ ! -e $FLEET/h3/root/etc/ctr/bad.ctr ]] || fail "bad.ctr was written on h3"
        wait_greeting h1 app app-on-h1-v2
        fleet_snapshot "$FLEET/snap4"
        assert_states "$FLEET/snap4"
        assert_eq "$(fleet_restarted "$FLEET/snap3" "$FLEET/snap4")" "h1/ctr@app.service" "units restarted"
        assert_eq "$(fleet_greeting h3 app)" app-on-h3 "h3's app, untouched"
        cp "$FLEET/h3.yml.good" "$inv/h3.yml"
}

# 5. --check --diff of a removal (h1's job, pruned) and a change (h2's app): both reported
# (changed, the diff's lines), nothing done (every /etc/ctr and every unit as before).
# vm-timeout: 240
test_apply_check() {
        fleet_need
        [[ -s $FLEET/snap4 ]] || fail "no snapshot of step 4"
        local inv=$FLEET/inventory/host_vars before out
        sed -i '/^  job:/,$d' "$inv/h1.yml"
        fleet_set_greeting h2 app app-on-h2-v2
        before=$(fleet_config_sum)
        # --check alone is the ansible suite's (tests/ansible); here the two together, one run under TCG
        fleet_run "$FLEET/run5d" --check --diff
        assert_eq "$(<"$FLEET/rc")" 0 "ansible-playbook --check --diff's exit status"
        assert_recaps "$FLEET/run5d" "changed=1 unreachable=0 failed=0" "changed=1 unreachable=0 failed=0" \
                "changed=0 unreachable=0 failed=0"
        out=$(<"$FLEET/run5d")
        assert_contains "$out" "-Environment=GREETING=app-on-h2" "the diff (h2's old line)"
        assert_contains "$out" "+Environment=GREETING=app-on-h2-v2" "the diff (h2's new line)"
        assert_contains "$out" "-Environment=GREETING=job-on-h1" "the diff (h1's removed file)"
        assert_eq "$(fleet_config_sum)" "$before" "every /etc/ctr (contents and times) after --check"
        fleet_snapshot "$FLEET/snap5"
        assert_states "$FLEET/snap5"
        assert_eq "$(fleet_restarted "$FLEET/snap4" "$FLEET/snap5")" "" "units restarted by --check"
}

# 6. The same for real: h1's job stopped and removed (its writable layer kept), h2's app restarted.
# vm-timeout: 200
test_apply_prune() {
        fleet_need
        [[ -s $FLEET/snap5 ]] || fail "no snapshot of step 5"
        fleet_run "$FLEET/run6"
        assert_eq "$(<"$FLEET/rc")" 0 "ansible-playbook's exit status"
        assert_recaps "$FLEET/run6" "changed=1 unreachable=0 failed=0" "changed=1 unreachable=0 failed=0" \
                "changed=0 unreachable=0 failed=0"
        wait_greeting h2 app app-on-h2-v2
        fleet_snapshot "$FLEET/snap6"
        assert_states "$FLEET/snap6" "h1/ctr@job.service=inactive"
        assert_eq "$(fleet_restarted "$FLEET/snap5" "$FLEET/snap6")" "h1/ctr@job.service h2/ctr@app.service" \
                "units stopped or restarted"
        # ctr@job.service still loads (an instance of the template ctr@.service, as any name would): what the
        # prune removes is the generator's drop-in (job.ctr gone) and its [Install] link, as 52-apply asserts
        assert_eq "$(systemctl -M h1 show -P DropInPaths ctr@job.service)" "" "h1's ctr@job's drop-ins after the prune"
        assert_eq "$(systemctl -M h1 show -P WantedBy ctr@job.service)" "" "what wants h1's ctr@job after the prune"
        [[ ! -e $FLEET/h1/root/etc/ctr/job.ctr ]] || fail "h1's job.ctr is still there"
        assert_eq "$(fleet_greeting h1 job)" job-on-h1 "h1's job's writable layer, kept"
}

# 7. The role installs the ctr package when given one (ctr_deb; issue 20's "instead of building on each host"):
# on h3, the .deb tests/vm/stage-debs built from this tree on the build host, where the controller is. The
# package arrives over the controller's ssh, apt installs it (its dependencies are the guest's, resolved from
# dpkg's status), and nothing restarts: the containers keep their monitors (the package restarts no ctr@). The
# same run again copies and installs nothing (changed=0).
# vm-timeout: 300
test_role_installs_the_package() {
        fleet_need
        [[ -s $FLEET/snap6 ]] || fail "no snapshot of step 6"
        local r=$FLEET/h3/root
        ! chroot "$r" dpkg-query -W ctr >/dev/null 2>&1 || fail "h3 has a ctr package before the run"
        fleet_run "$FLEET/run7" --limit=h3 --package
        assert_eq "$(<"$FLEET/rc")" 0 "ansible-playbook's exit status"
        # the directory the package is copied to, the copy and the install; the containers unchanged
        assert_eq "$(fleet_recap "$FLEET/run7" h3)" "changed=3 unreachable=0 failed=0" "h3's PLAY RECAP"
        assert_eq "$(grep -A1 -E '^TASK \[ctr.containers.ctr : (Create the directory|Copy the ctr package|Install the ctr package|Apply the ctr containers)' \
                "$FLEET/run7" | grep -E '^(changed|ok): ' | tr '\n' ' ')" "changed: [h3] changed: [h3] changed: [h3] ok: [h3] " \
                "the role's tasks: directory, copy and install changed, apply unchanged"
        ! grep -qE '^(h1|h2) +:' "$FLEET/run7" || fail "--limit=h3 reached another host"
        assert_eq "$(chroot "$r" dpkg-query -W -f '${Status}' ctr)" "install ok installed" "h3's dpkg status"
        # the package's ctrctl, which reports the package's version
        assert_eq "$(chroot "$r" /usr/bin/ctrctl --version)" "ctrctl $(chroot "$r" dpkg-query -W -f '${Version}' ctr)" \
                "h3's /usr/bin/ctrctl --version"
        fleet_snapshot "$FLEET/snap7"
        assert_states "$FLEET/snap7" "h1/ctr@job.service=inactive"
        assert_eq "$(fleet_restarted "$FLEET/snap6" "$FLEET/snap7")" "" "units restarted by the install"
        fleet_run "$FLEET/run8" --limit=h3 --package
        assert_eq "$(<"$FLEET/rc")" 0 "ansible-playbook's exit status (again)"
        assert_eq "$(fleet_recap "$FLEET/run8" h3)" "changed=0 unreachable=0 failed=0" "h3's PLAY RECAP (again)"
}

test_cleanup() {
        local h d
        # one job each, stopped together (one after the other cost ~12 s a machine)
        systemctl stop "${FLEET_HOSTS[@]/#/fleet-}" 2>/dev/null || true
        for h in "${FLEET_HOSTS[@]}"; do
                umount "$FLEET/$h/root" 2>/dev/null || true
        done
        rm -rf "$FLEET"
        for d in /sys/class/net/*; do
                [[ $(<"$d/address") == "$FLEET_MAC" ]] || continue
                ip link set "${d##*/}" down
                ip addr flush dev "${d##*/}"
        done
}
