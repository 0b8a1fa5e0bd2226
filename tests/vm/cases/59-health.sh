# SPDX-License-Identifier: LGPL-2.1-or-later
# Health checks under systemd as PID 1 (issue 16): Notify=healthy holds the start until the first check passes
# and StatusText follows the state; HealthOnFailure=restart is restarted by systemd through the generator's
# RestartForceExitStatus= although the unit has no Restart=; WatchdogSec= fails an unhealthy container through
# systemd's own watchdog and Restart= brings it back; kill fails the unit, stop leaves it inactive; no timer
# unit is ever made, and nothing of a check is left once the container stops. The checks read files in a
# volume the case writes (/h), so the case decides when a check passes.

HC_DIR=/run/ctrtest-health
HC_IDLE='trap \"exit 0\" TERM; sleep infinity & wait'

health_need() {
        need_launch_scope
        mkdir -p "$HC_DIR"
}

# health_ctr NAME LINE…: a container whose check passes while $HC_DIR/NAME.ok exists
health_ctr() {
        local name=$1
        shift
        write_ctr "$name" "Volume=$HC_DIR:/h" "Exec=/bin/sh -c \"$HC_IDLE\"" \
                "HealthCmd=/bin/sh -c 'echo checked-$name; test -e /h/$name.ok'" "$@"
}

status_text() {
        systemctl show -P StatusText "ctr@$1.service"
}

no_timers() {
        assert_eq "$(systemctl list-units --all --no-legend --type=timer 'ctr*' | wc -l)" 0 "ctr timer units"
}

# vm-timeout: 180
test_notify_healthy_waits_for_the_first_pass() {
        health_need
        rm -f "$HC_DIR/hready.ok"
        health_ctr hready "Notify=healthy" "HealthInterval=200ms" "HealthRetries=1000"
        systemctl daemon-reload
        systemctl start --no-block ctr@hready.service
        wait_for 60 systemctl -q is-active ctr-hready.scope || fail "the container did not start"
        wait_for 60 bash -c "[[ \$(systemctl show -P StatusText ctr@hready.service) == starting* ]]" ||
                fail "StatusText is '$(status_text hready)', not starting"
        # failing checks: the service is not started yet
        assert_prop ctr@hready.service ActiveState activating
        touch "$HC_DIR/hready.ok"
        wait_for 60 systemctl -q is-active ctr@hready.service || fail "ctr@hready did not become active"
        assert_eq "$(status_text hready)" healthy "StatusText once the check passes"
        no_timers
        systemctl stop ctr@hready.service
}

# vm-timeout: 180
test_unhealthy_then_healthy_in_status_text() {
        health_need
        touch "$HC_DIR/hflip.ok"
        health_ctr hflip "HealthInterval=200ms" "HealthRetries=2"
        systemctl daemon-reload
        start_ctr hflip
        wait_for 60 bash -c "[[ \$(systemctl show -P StatusText ctr@hflip.service) == healthy ]]" ||
                fail "StatusText is '$(status_text hflip)'"
        rm -f "$HC_DIR/hflip.ok"
        wait_for 60 bash -c "[[ \$(systemctl show -P StatusText ctr@hflip.service) == unhealthy* ]]" ||
                fail "StatusText is '$(status_text hflip)'"
        assert_contains "$(status_text hflip)" "checked-hflip" "the check's output in StatusText"
        # HealthOnFailure=none: it keeps running
        assert_prop ctr@hflip.service ActiveState active
        touch "$HC_DIR/hflip.ok"
        wait_for 60 bash -c "[[ \$(systemctl show -P StatusText ctr@hflip.service) == healthy ]]" ||
                fail "StatusText is '$(status_text hflip)' after the check passed again"
        # each change logged once, not every interval
        assert_eq "$(journalctl -q -o cat -u ctr@hflip.service | grep -c 'unhealthy')" 1 "log lines about turning unhealthy"
        systemctl stop ctr@hflip.service
        assert_prop ctr@hflip.service Result success
}

# vm-timeout: 180
test_on_failure_restart_without_restart_setting() {
        health_need
        touch "$HC_DIR/hrestart.ok"
        health_ctr hrestart "HealthInterval=200ms" "HealthRetries=1" "HealthOnFailure=restart"
        systemctl daemon-reload
        assert_contains "$(unit_prop ctr@hrestart.service RestartForceExitStatus)" 122 "RestartForceExitStatus"
        assert_prop ctr@hrestart.service Restart no
        start_ctr hrestart
        local n0
        n0=$(unit_prop ctr@hrestart.service NRestarts)
        rm -f "$HC_DIR/hrestart.ok"
        wait_for 90 bash -c "[[ \$(systemctl show -P NRestarts ctr@hrestart.service) -gt $n0 ]]" ||
                fail "ctr@hrestart was not restarted (NRestarts $(unit_prop ctr@hrestart.service NRestarts))"
        touch "$HC_DIR/hrestart.ok"
        wait_for 90 systemctl -q is-active ctr@hrestart.service || fail "ctr@hrestart is not active after its restart"
        assert_prop ctr@hrestart.service ExecMainStatus 0
        systemctl stop ctr@hrestart.service
}

# vm-timeout: 180
test_watchdog_fails_unhealthy_and_restart_acts() {
        health_need
        touch "$HC_DIR/hdog.ok"
        health_ctr hdog "HealthInterval=200ms" "HealthRetries=1" "[Service]" "WatchdogSec=10s" \
                "Restart=on-failure" "RestartSec=100ms"
        systemctl daemon-reload
        start_ctr hdog
        # healthy: the watchdog is fed (a while longer than WatchdogSec=, and still active, not restarted)
        local n0
        n0=$(unit_prop ctr@hdog.service NRestarts)
        sleep 15
        assert_prop ctr@hdog.service ActiveState active
        assert_prop ctr@hdog.service NRestarts "$n0"
        rm -f "$HC_DIR/hdog.ok"
        wait_for 90 bash -c "journalctl -q -o cat -u ctr@hdog.service | grep -q 'Watchdog timeout'" ||
                fail "systemd's watchdog did not fire"
        wait_for 90 bash -c "[[ \$(systemctl show -P NRestarts ctr@hdog.service) -gt $n0 ]]" ||
                fail "Restart= did not act"
        touch "$HC_DIR/hdog.ok"
        wait_for 90 systemctl -q is-active ctr@hdog.service || fail "ctr@hdog is not active after the restart"
        systemctl stop ctr@hdog.service
}

# vm-timeout: 180
test_on_failure_kill_fails_stop_does_not() {
        health_need
        rm -f "$HC_DIR/hkill.ok" "$HC_DIR/hstop.ok"
        health_ctr hkill "HealthInterval=200ms" "HealthRetries=1" "HealthOnFailure=kill"
        health_ctr hstop "HealthInterval=200ms" "HealthRetries=1" "HealthOnFailure=stop"
        systemctl daemon-reload
        systemctl reset-failed ctr@hkill.service ctr@hstop.service 2>/dev/null || true
        systemctl start --no-block ctr@hkill.service ctr@hstop.service
        wait_for 90 bash -c "[[ \$(systemctl show -P ActiveState ctr@hkill.service) == failed ]]" ||
                fail "ctr@hkill is $(unit_prop ctr@hkill.service ActiveState), not failed"
        wait_for 90 bash -c "[[ \$(systemctl show -P ActiveState ctr@hstop.service) == inactive ]]" ||
                fail "ctr@hstop is $(unit_prop ctr@hstop.service ActiveState), not inactive"
        assert_prop ctr@hstop.service Result success
        assert_eq "$(systemctl list-units --all --no-legend 'ctr-hkill.scope' 'ctr-hstop.scope' | wc -l)" 0 "scopes left"
        systemctl reset-failed ctr@hkill.service 2>/dev/null || true
}

# A check still running when the container stops: nothing of it survives, no unit of ours is left.
# vm-timeout: 180
test_stop_during_a_check_leaves_nothing() {
        health_need
        write_ctr hbusy "Exec=/bin/sh -c \"$HC_IDLE\"" "HealthInterval=200ms" "HealthTimeout=1h" \
                "HealthCmd=/bin/sh -c 'echo busy > /tmp/in-check; exec sleep 4242'"
        systemctl daemon-reload
        start_ctr hbusy
        wait_for 60 pgrep -f 'sleep 4242' >/dev/null || fail "the check did not start"
        systemctl stop ctr@hbusy.service
        ! pgrep -f 'sleep 4242' >/dev/null || fail "the check's process survived the stop: $(pgrep -af 'sleep 4242')"
        assert_eq "$(systemctl list-units --all --no-legend 'ctr-hbusy*' | wc -l)" 0 "units of hbusy left"
        no_timers
}

test_health_cleanup() {
        local n
        for n in hready hflip hrestart hdog hkill hstop hbusy; do
                systemctl stop "ctr@$n.service" 2>/dev/null || true
                systemctl reset-failed "ctr@$n.service" 2>/dev/null || true
                rm -f "/etc/ctr/$n.ctr"
                rm -rf "/var/lib/ctr/containers/$n"
        done
        rm -rf "$HC_DIR"
        systemctl daemon-reload
}
