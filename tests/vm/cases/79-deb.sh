# SPDX-License-Identifier: LGPL-2.1-or-later
# The Debian package (issue 20's acceptance): installed with apt from the .deb built from this tree, a container
# started, a newer version (the changelog's version bumped, built again: tools/build-deb) installed while it
# runs: the container is not restarted (same MainPID, same ActiveEnterTimestamp) and ctrctl status names the
# newer launcher on disk; apt remove leaves it running and its data in place; apt purge removes what
# README.Debian says and keeps the rest. The host builds the two ctr_*.deb (debs/v1, debs/v2) and its lintian
# output of the first (debs/lintian.txt) while the cases before this file run (tests/vm/stage-debs, started by
# tests/vm/vm run only when this file's cases are selected), and sends them as a tar on the virtio-serial port
# ctr.debs; the first case here reads it into the payload, waiting for the build if it is not done yet.
#
# A clean guest: 00-system copied the payload's meson install (prefix /usr/local, units and generator under
# /lib/systemd) into /. The first case removes exactly those files (the payload's own list of them), so the
# package's ctrctl is the one on PATH and its units are the only ones; the last case puts that install back,
# for any case after this file.

debs=$CTR_VM_PAYLOAD/debs
debs_port=/dev/virtio-ports/ctr.debs
idle='trap \"exit 0\" TERM; sleep infinity & wait'

# The host's tar, read once into $debs (through a scratch directory: a read cut short leaves nothing
# half-there), waiting for the build at most $1 seconds (or the case's timeout); a failed build sends its log
# instead of packages. One attempt per boot: after one that got nothing, the cases fail at once.
receive_debs() {   # SECONDS
        local t0=$SECONDS rc=0
        [[ ! -e $debs.tried ]] || fail "the packages did not arrive from the host (see deb.packages_arrive)"
        : >"$debs.tried"
        wait_for 10 test -c "$debs_port" ||
                fail "no $debs_port: the host offers no packages (tests/vm/vm run builds them when a deb case is selected)"
        rm -rf "$debs.part"
        mkdir -p "$debs.part"
        # the port never ends: tar stops at the archive's end (-B: the port delivers short reads; -m: the
        # guest's clock may be behind the host's)
        timeout "$1" tar -x -B -m -f - -C "$debs.part" <"$debs_port" || rc=$?
        [[ $rc -eq 0 ]] || fail "no packages from the host within $1 s (tar: exit $rc)"
        [[ -f $debs.part/status ]] || fail "the host's tar has no status"
        mv "$debs.part" "$debs"
        echo "the packages arrived from the host after $((SECONDS - t0)) s of waiting"
}

need_debs() {
        [[ -f $debs/status ]] || receive_debs 870
        if [[ $(<"$debs/status") != ready ]]; then
                tail -n 80 "$debs/failed.log"
                fail "the host's package build failed (its log above)"
        fi
        compgen -G "$debs/v1/ctr_*.deb" >/dev/null && compgen -G "$debs/v2/ctr_*.deb" >/dev/null ||
                fail "no .debs from the host"
}

inspect_runtime() {   # NAME KEY: that field of ctrctl inspect's runtime object, as JSON
        ctrctl inspect "$1" | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)[0]["runtime"][sys.argv[1]]))' "$2"
}

apt_quiet() {   # apt as an administrator runs it, its output in this log; no network in the guest
        DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Use-Pty=0 -y "$@"
}

# Where this file waits for the host's builds (0 s when they were done before the guest got here).
# vm-timeout: 900
test_packages_arrive() {
        need_debs
        cat "$debs/build.log"
        ls -l "$debs"/v1 "$debs"/v2
}

test_lintian_clean() {
        need_debs
        [[ -f $debs/lintian.txt ]] || fail "no lintian output staged"
        echo "lintian (host, default level) on $(cd "$debs/v1" && ls ctr_*.changes):"
        cat "$debs/lintian.txt"
        if grep -E '^[EW]: ' "$debs/lintian.txt"; then
                fail "lintian reports errors or warnings"
        fi
}

test_uninstall_tree() {
        need_debs
        local f n=0
        # the files 00-system copied from the payload's meson install, and nothing else
        while IFS= read -r f; do
                rm -f "/$f"
                n=$((n + 1))
        done < <(cd "$CTR_VM_PAYLOAD/root" && find . \( -type f -o -type l \) -printf '%P\n')
        echo "removed $n files of the meson install"
        systemctl daemon-reload
        hash -r
        ! command -v ctrctl || fail "ctrctl still on PATH: $(command -v ctrctl)"
        [[ ! -e /lib/systemd/system/ctr@.service && ! -e /usr/lib/systemd/system/ctr@.service ]] ||
                fail "ctr@.service is still installed"
        ! dpkg -s ctr >/dev/null 2>&1 || fail "a ctr package is installed already"
}

# vm-timeout: 240
test_install() {
        need_debs
        local deb dep depends
        deb=$(echo "$debs"/v1/ctr_*.deb)
        # what an administrator enabled is in /etc/systemd/system: the package adds nothing there
        find /etc/systemd/system -printf '%p %l\n' | sort >/tmp/deb-etc-systemd.before
        # every dependency is in the guest image already: apt resolves them from dpkg's status, no lists
        apt_quiet install "$deb"
        dpkg -s ctr | grep -E '^(Status|Version|Depends):'
        # the libraries ctr dlopen()s (no linked reference tells dpkg-shlibdeps): libcrypto and the network
        # libraries of Network=bridge, which ctr-launch loads for a bridged container
        depends=$(dpkg-query -W -f '${Depends}' ctr)
        for dep in libssl3 libnftables1 libnftnl11 libmnl0 libnl-route-3-200 libnl-3-200; do
                [[ ", $depends," == *", $dep "* || ", $depends," == *", $dep,"* ]] || fail "Depends lacks $dep: $depends"
        done
        assert_eq "$(dpkg-query -W -f '${Status}' ctr)" "install ok installed" "dpkg status"
        assert_eq "$(command -v ctrctl)" /usr/bin/ctrctl "ctrctl on PATH"
        assert_eq "$(ctrctl --version)" "ctrctl $(dpkg-query -W -f '${Version}' ctr)" "ctrctl --version"
        # firewalld's zone for ctr0, where firewalld looks (57-firewalld tests what it does)
        dpkg -L ctr | grep -qx /usr/lib/firewalld/zones/ctr.xml || fail "the package has no /usr/lib/firewalld/zones/ctr.xml"
        # the template, not enabled by the package (an instance an earlier case left enabled would make it
        # "indirect": what counts is that the package linked nothing); the timer installed, disabled
        find /etc/systemd/system -printf '%p %l\n' | sort >/tmp/deb-etc-systemd.after
        diff /tmp/deb-etc-systemd.before /tmp/deb-etc-systemd.after ||
                fail "the package changed /etc/systemd/system (it enables nothing)"
        # (the generator's [Install] links of other cases' containers, in /run, make it "indirect" too)
        if [[ -z $(find /etc/systemd/system /run/systemd/generator /run/systemd/generator.late \
                        -name 'ctr@?*.service' 2>/dev/null) ]]; then
                assert_eq "$(systemctl is-enabled ctr@.service || true)" disabled "ctr@.service"
        fi
        assert_eq "$(systemctl is-enabled ctr-auto-update.timer || true)" disabled "ctr-auto-update.timer"
        assert_eq "$(unit_prop ctr-auto-update.timer ActiveState)" inactive "ctr-auto-update.timer"
        # tmpfiles.d made the state directories
        assert_eq "$(stat -c %a /var/lib/ctr)" 700 "/var/lib/ctr's mode"
        [[ -d /run/ctr ]] || fail "no /run/ctr"
        # the generator runs from the package's path on daemon-reload (the postinst's)
        write_ctr debpkg 'Volume=debdata:/data' \
                "Exec=/bin/sh -c \"echo layer >/kept; echo volume >/data/kept; $idle\""
        systemctl daemon-reload
        [[ -f /run/systemd/generator/ctr@debpkg.service.d/50-ctr.conf ]] || fail "the generator did not run"
        start_ctr debpkg
        wait_for 20 test -f /var/lib/ctr/volumes/debdata/kept
        ctrctl status -n 0 debpkg
}

# vm-timeout: 240
test_upgrade_keeps_container() {
        need_debs
        local deb pid since since_mono v1 v2 out
        deb=$(echo "$debs"/v2/ctr_*.deb)
        v1=$(dpkg-query -W -f '${Version}' ctr)
        pid=$(unit_prop ctr@debpkg.service MainPID)
        since=$(unit_prop ctr@debpkg.service ActiveEnterTimestamp)
        since_mono=$(unit_prop ctr@debpkg.service ActiveEnterTimestampMonotonic)
        [[ $pid -gt 0 ]] || fail "ctr@debpkg has no MainPID"
        apt_quiet install "$deb"
        v2=$(dpkg-query -W -f '${Version}' ctr)
        dpkg --compare-versions "$v2" gt "$v1" || fail "the second package ($v2) is not newer than $v1"
        assert_props ctr@debpkg.service ActiveState=active MainPID="$pid" ActiveEnterTimestamp="$since" \
                ActiveEnterTimestampMonotonic="$since_mono" NRestarts=0
        assert_eq "$(readlink /proc/"$pid"/exe)" "/usr/libexec/ctr-launch (deleted)" "the monitor's binary"
        out=$(ctrctl status -n 0 debpkg)
        echo "$out"
        assert_contains "$out" "Launcher: $v1 (running), $v2 installed: the next restart runs the new one" \
                "ctrctl status"
        assert_eq "$(inspect_runtime debpkg launcher_version)" "\"$v1\"" "inspect's launcher_version"
        assert_eq "$(inspect_runtime debpkg launcher_replaced)" true "inspect's launcher_replaced"
        # the administrator's restart moves it to the new launcher
        systemctl restart ctr@debpkg.service
        [[ $(unit_prop ctr@debpkg.service MainPID) != "$pid" ]] || fail "the restart kept the old monitor"
        out=$(ctrctl status -n 0 debpkg)
        assert_not_contains "$out" "Launcher:" "ctrctl status after the restart"
        assert_eq "$(inspect_runtime debpkg launcher_version)" "\"$v2\"" "inspect's launcher_version after the restart"
        assert_eq "$(inspect_runtime debpkg launcher_replaced)" false "inspect's launcher_replaced after the restart"
}

# vm-timeout: 240
test_remove_keeps_container() {
        need_debs
        local pid
        pid=$(unit_prop ctr@debpkg.service MainPID)
        systemctl enable ctr-auto-update.timer --now
        apt_quiet remove ctr
        assert_eq "$(dpkg-query -W -f '${Status}' ctr)" "deinstall ok config-files" "dpkg status"
        [[ ! -e /usr/bin/ctrctl && ! -e /usr/libexec/ctr-launch ]] || fail "the programs are still installed"
        # stopped nothing the administrator did not ask for: the container runs on, its monitor the same
        assert_props ctr@debpkg.service ActiveState=active MainPID="$pid"
        assert_eq "$(unit_prop ctr-debpkg.scope ActiveState)" active "ctr-debpkg.scope"
        # the timer is stopped: the command it runs is gone
        assert_eq "$(unit_prop ctr-auto-update.timer ActiveState)" inactive "ctr-auto-update.timer"
        assert_eq "$(</var/lib/ctr/containers/debpkg/upper/kept)" layer "the writable layer"
        assert_eq "$(</var/lib/ctr/volumes/debdata/kept)" volume "the volume"
        [[ -f /etc/ctr/debpkg.ctr ]] || fail "/etc/ctr/debpkg.ctr is gone"
        systemctl stop ctr@debpkg.service
}

# vm-timeout: 240
test_purge_as_documented() {
        need_debs
        local out store_empty=0
        # an image store holding nothing (none imported before in this boot): its directories go too
        [[ -z $(find /var/lib/ctr/images -mindepth 1 2>/dev/null | head -n 1) ]] && store_empty=1
        # what README.Debian says purge removes: an unfinished import's directory, the lock files
        mkdir -p /var/lib/ctr/images/tmp/123.abc /var/lib/ctr/userns
        : >/var/lib/ctr/images/tmp/123.abc/blob
        : >/var/lib/ctr/images/.lock
        : >/var/lib/ctr/userns/.lock
        out=$(apt_quiet purge ctr 2>&1)
        echo "$out"
        assert_contains "$out" "ctr: kept /var/lib/ctr" "apt purge's output"
        ! dpkg -s ctr >/dev/null 2>&1 || fail "ctr is still known to dpkg"
        [[ ! -e /var/lib/ctr/images/tmp && ! -e /var/lib/ctr/images/.lock && ! -e /var/lib/ctr/userns/.lock ]] ||
                fail "purge left what README.Debian says it removes"
        # and what it keeps: the layer, the volume, the administrator's .ctr
        assert_eq "$(</var/lib/ctr/containers/debpkg/upper/kept)" layer "the writable layer after purge"
        assert_eq "$(</var/lib/ctr/volumes/debdata/kept)" volume "the volume after purge"
        [[ -f /etc/ctr/debpkg.ctr ]] || fail "/etc/ctr/debpkg.ctr is gone"
        # the empty store directories went (images/ held nothing else), the state directory holding data stayed
        [[ $store_empty -eq 0 || ! -e /var/lib/ctr/images ]] ||
                { ls -laR /var/lib/ctr/images; fail "the empty image store stayed"; }
        [[ -d /var/lib/ctr/containers ]] || fail "/var/lib/ctr/containers is gone"
}

test_restore_tree() {
        # the meson install of 00-system back in place, as the cases after this file expect it
        rm -rf /var/lib/ctr/containers/debpkg /var/lib/ctr/volumes/debdata /etc/ctr/debpkg.ctr
        tar -C "$CTR_VM_PAYLOAD/root" -c . | tar -C / -x --keep-directory-symlink --no-same-owner
        systemctl daemon-reload
        [[ -x /usr/local/bin/ctrctl ]] || fail "the meson install is not back"
}
