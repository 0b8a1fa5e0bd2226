# SPDX-License-Identifier: LGPL-2.1-or-later
# ctr-generator as systemd runs it: on daemon-reload, from /etc/ctr, into /run/systemd/generator.

gen=/run/systemd/generator

need_generator() {
        ctr_generator >/dev/null || skip "ctr-generator is not in the installed tree (not built yet)"
}

test_template_unit_installed() {
        need_generator
        local frag
        frag=$(unit_prop ctr@probe.service FragmentPath)
        [[ $frag == */systemd/system/ctr@.service ]] || fail "ctr@probe.service comes from '$frag'"
        assert_contains "$(unit_prop ctr@probe.service ExecStart)" "ctr-launch" ExecStart
}

test_daemon_reload_generates() {
        need_generator
        mkdir -p /etc/ctr
        cat >/etc/ctr/web.ctr <<'CTR'
[Unit]
Description=Web test

[Container]
Image=host
Exec=/bin/sleep infinity
MemoryMax=64M

[Install]
WantedBy=multi-user.target
CTR
        # a file that only warns (bad resource value, line 3), one that is rejected (bad capability, line 4)
        # and one rejected for an unknown key (line 3)
        printf '[Container]\nImage=host\nMemoryMax=lots\n' >/etc/ctr/warn.ctr
        printf '[Container]\nImage=host\nImagee=typo\n' >/etc/ctr/typo.ctr
        printf '[Container]\nImage=host\n\nAddCapability=CAP_BOGUS\n' >/etc/ctr/reject.ctr
        rm -rf "$gen"/ctr@*
        systemctl daemon-reload
        ls -lR "$gen" | grep -i ctr || true
        [[ -f $gen/ctr@web.service.d/50-ctr.conf ]] || fail "no $gen/ctr@web.service.d/50-ctr.conf"
        [[ -f $gen/ctr@warn.service.d/50-ctr.conf ]] || fail "no drop-in for warn.ctr (warnings only)"
}

test_install_symlink() {
        need_generator
        local l=$gen/multi-user.target.wants/ctr@web.service
        [[ -L $l ]] || fail "no symlink $l"
        assert_contains "$(readlink "$l")" "ctr@.service" "link target"
        assert_contains "$(unit_prop multi-user.target Wants)" "ctr@web.service" "multi-user.target Wants"
}

test_unit_properties_from_dropin() {
        need_generator
        assert_prop ctr@web.service SyslogIdentifier web
        assert_prop ctr@web.service Description "Web test"
        assert_contains "$(unit_prop ctr@web.service LogExtraFields)" "CONTAINER_NAME=web" LogExtraFields
        assert_contains "$(unit_prop ctr@web.service DropInPaths)" "$gen/ctr@web.service.d/50-ctr.conf" DropInPaths
        assert_prop ctr@web.service LoadState loaded
}

test_rejected_file_skipped_and_logged() {
        need_generator
        [[ ! -e $gen/ctr@reject.service.d ]] || fail "a drop-in was generated for the rejected reject.ctr"
        local log
        log=$(journalctl -b --no-pager -o cat | grep -F "/etc/ctr/reject.ctr" || true)
        echo "$log"
        assert_contains "$log" "/etc/ctr/reject.ctr:4:" "journal"
        assert_contains "$log" "CAP_BOGUS" "journal"
        [[ ! -e $gen/ctr@typo.service.d ]] || fail "a drop-in was generated for typo.ctr (unknown key)"
        log=$(journalctl -b --no-pager -o cat | grep -F "/etc/ctr/typo.ctr:3:" || true)
        assert_contains "$log" "did you mean 'Image'?" "journal"
}

test_warning_logged_with_line() {
        need_generator
        local log
        log=$(journalctl -b --no-pager -o cat | grep -F "/etc/ctr/warn.ctr" || true)
        echo "$log"
        assert_contains "$log" "/etc/ctr/warn.ctr:3:" "journal"
        assert_contains "$log" "MemoryMax" "journal"
}

test_masked_file() {
        need_generator
        mkdir -p /usr/lib/ctr
        printf '[Container]\nImage=host\n[Install]\nWantedBy=multi-user.target\n' >/usr/lib/ctr/hidden.ctr
        ln -sf /dev/null /etc/ctr/hidden.ctr
        systemctl daemon-reload
        [[ ! -e $gen/ctr@hidden.service.d ]] || fail "a drop-in was generated for the masked hidden.ctr"
        [[ ! -e $gen/multi-user.target.wants/ctr@hidden.service ]] || fail "masked hidden.ctr got an [Install] link"
        # the mask is what hid it: without the link the same generator produces it (run by hand: a second
        # daemon-reload costs seconds in the emulated guest)
        rm -f /etc/ctr/hidden.ctr
        local out
        out=$(mktemp -d)
        "$(ctr_generator)" "$out" "$out" "$out"
        [[ -e $out/ctr@hidden.service.d ]] || fail "unmasked hidden.ctr is not generated"
        rm -rf "$out"
}

test_systemctl_enable() {
        need_generator
        systemctl enable --no-reload ctr@web.service
        [[ -L /etc/systemd/system/multi-user.target.wants/ctr@web.service ]] ||
                fail "systemctl enable made no multi-user.target.wants link"
        assert_eq "$(systemctl is-enabled ctr@web.service)" enabled "is-enabled"
        systemctl disable --no-reload ctr@web.service
}
