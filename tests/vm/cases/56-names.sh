# SPDX-License-Identifier: LGPL-2.1-or-later
# Names on ctr0 under systemd as PID 1 (issue 16's acceptance): two bridged containers, namea (Hostname=alpha)
# and nameb, resolve each other by name from inside (`ctrctl exec … getent hosts`, the C library reading the
# container's /etc/hosts); a third, namec, started later appears in both without a restart and leaves them
# when it stops. Cases run in order and share the containers.

names_need() {
        need_launch_scope
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

# a bridged container that waits for its stop
names_write() {
        write_ctr "$1" "Network=bridge" "${@:2}" \
                "Exec=/bin/busybox sh -c 'trap \"exit 0\" TERM; /bin/busybox sleep infinity & wait'"
}

# names_resolve CONTAINER NAME: the address getent finds for NAME inside CONTAINER ("" when none)
names_resolve() {
        ctrctl exec "$1" -- getent hosts "$2" 2>/dev/null | awk '{ print $1; exit }'
}

names_address() {
        sed -n 's/^ADDRESS=//p' "/run/ctr/$1/state"
}

test_names_two_containers() {
        names_need
        names_write namea "Hostname=alpha"
        names_write nameb
        systemctl daemon-reload
        start_ctr namea
        start_ctr nameb
        local a b
        a=$(names_address namea)
        b=$(names_address nameb)
        [[ $a == 10.121.* && $b == 10.121.* ]] || fail "no bridge addresses: '$a' '$b'"
        assert_eq "$(names_resolve namea nameb)" "$b" "nameb resolved inside namea"
        assert_eq "$(names_resolve nameb namea)" "$a" "namea resolved inside nameb"
        assert_eq "$(names_resolve nameb alpha)" "$a" "namea's Hostname= alpha resolved inside nameb"
        assert_eq "$(ctrctl exec namea -- hostname)" alpha "namea's hostname"
}

test_names_third_appears_and_leaves() {
        names_need
        names_write namec
        systemctl daemon-reload
        start_ctr namec
        local c
        c=$(names_address namec)
        [[ $c == 10.121.* ]] || fail "no bridge address for namec: '$c'"
        # namea and nameb were not restarted: their launchers rewrote their /etc/hosts
        wait_for 20 bash -c "[[ \$(ctrctl exec namea -- getent hosts namec | awk '{ print \$1 }') == $c ]]"
        assert_eq "$(names_resolve namea namec)" "$c" "namec resolved inside namea"
        assert_eq "$(names_resolve nameb namec)" "$c" "namec resolved inside nameb"
        assert_eq "$(names_resolve namec namea)" "$(names_address namea)" "namea resolved inside namec"
        timeout 60 systemctl stop ctr@namec.service
        wait_for 20 bash -c "! ctrctl exec namea -- getent hosts namec >/dev/null"
        assert_eq "$(names_resolve nameb namec)" "" "namec inside nameb after its stop"
        assert_eq "$(names_resolve namea nameb)" "$(names_address nameb)" "nameb still resolved inside namea"
}

test_names_cleanup() {
        names_need
        systemctl stop ctr@namea.service ctr@nameb.service ctr@namec.service || true
        rm -f /etc/ctr/namea.ctr /etc/ctr/nameb.ctr /etc/ctr/namec.ctr
        systemctl daemon-reload
        ! grep -qE '[[:space:]]name[abc]( |$)' /run/ctr/.network/hosts ||
                fail "the names list still lists them: $(cat /run/ctr/.network/hosts)"
}
