# SPDX-License-Identifier: LGPL-2.1-or-later
# Pull at start under systemd as PID 1 (issue 13's acceptance): docker-registry in the guest on 127.0.0.1,
# busybox images (lib.sh's oci_busybox_layout, one flavour each, so no two share a layer) pushed to it.
# `systemctl start ctr@web` with nothing in the store pulls and runs; through tests/registry/registry-proxy
# throttled so that the pull lasts longer than the unit's TimeoutStartSec= (5 s), the start still succeeds
# (ctr-launch's EXTEND_TIMEOUT_USEC= while bytes flow); through the proxy stalling midway it fails on the
# timeout, its status naming the pull and the stall. Then auto-update with Notify=yes: a new image that never
# says READY=1 is rolled back, the container ready on the old digest again. Cases run in order, share $PS.

PS=/var/tmp/ctr-ps
PS_REG=127.0.0.1:5076
export CTR_REGISTRY_CONFIG_DIR=$PS/conf

ps_need() {
        need_registry_cases
}

idle="trap 'exit 0' TERM; sleep infinity & wait"

# ps_ctr NAME IMAGE [LINE…]: /etc/ctr/NAME.ctr on IMAGE, the registry config in its environment, a start
# bounded by TimeoutStartSec=$PS_TIMEOUT, 5 s unless set (the drop-in the generator writes from [Service])
ps_ctr() {
        local name=$1 image=$2
        shift 2
        mkdir -p /etc/ctr
        printf '%s\n' "[Container]" "Image=$image" "$@" "[Service]" \
                "Environment=CTR_REGISTRY_CONFIG_DIR=$PS/conf" "TimeoutStartSec=${PS_TIMEOUT:-5}" >"/etc/ctr/$name.ctr"
}

# ps_proxy NAME OPTION…: registry-proxy in front of the registry as ctrtest-proxy-NAME; prints its address
ps_proxy() {
        local name=$1
        shift
        rm -f "$PS/$name.port"
        systemd-run --unit="ctrtest-proxy-$name" --collect python3 "$CTR_VM_PAYLOAD/bin/registry-proxy" \
                --upstream "http://$PS_REG" --port-file "$PS/$name.port" --log "$PS/$name.log" "$@" >/dev/null
        wait_for 30 test -s "$PS/$name.port"
        echo "127.0.0.1:$(<"$PS/$name.port")"
}

journal_of() {   # UNIT: its journal, messages only
        journalctl -u "$1" -o cat --no-pager
}

# ps_image NAME: an image of flavour NAME (echoes it, then idles) pushed as ctr/NAME:1
ps_image() {
        oci_busybox_layout "$PS/$1" "flavour-$1" "[\"/bin/sh\",\"-c\",\"echo running \$(cat /etc/flavour); $idle\"]"
        registry_push "$PS_REG" "$PS/$1" "ctr/$1" 1 || fail "pushing $1 failed"
}

# vm-timeout: 90
test_setup() {
        ps_need
        rm -rf "$PS"
        mkdir -p "$PS/conf"
        echo "$PS_REG" >"$PS/conf/insecure-registries"
        registry_serve ctrtest-ps-registry "$PS/reg" "$PS_REG"
}

# vm-timeout: 90
test_start_pulls_missing_image() {
        ps_need
        ps_image web
        [[ $(ctrctl image list) != *"ctr/web"* ]] || fail "ctr/web is in the store before the start"
        ps_ctr web "$PS_REG/ctr/web:1"
        systemctl daemon-reload
        start_ctr web
        wait_for 10 bash -c "journalctl -u ctr@web.service -o cat --no-pager | grep -qF 'running flavour-web'"
        assert_contains "$(ctrctl inspect web)" "\"image_digest\":\"$(<"$PS/web/digest")\""
        systemctl stop ctr@web.service
        assert_props ctr@web.service ActiveState=inactive Result=success
}

# the layer is ~2 MB: at 150 kB/s its download alone takes far longer than TimeoutStartSec=5
# vm-timeout: 120
test_throttled_pull_outlasts_timeout() {
        ps_need
        local proxy started entered
        ps_image webslow
        proxy=$(ps_proxy slow --throttle 150000)
        printf '%s\n' "$PS_REG" "$proxy" >"$PS/conf/insecure-registries"
        ps_ctr webslow "$proxy/ctr/webslow:1"
        systemctl daemon-reload
        start_ctr webslow
        assert_props ctr@webslow.service ActiveState=active Result=success TimeoutStartUSec=5s
        # the start lasted longer than TimeoutStartSec= (systemd's own timestamps): EXTEND_TIMEOUT_USEC= carried it
        started=$(unit_prop ctr@webslow.service InactiveExitTimestampMonotonic)
        entered=$(unit_prop ctr@webslow.service ActiveEnterTimestampMonotonic)
        echo "start took $(( (entered - started) / 1000 )) ms"
        [[ $((entered - started)) -gt 5000000 ]] || fail "the start did not outlast TimeoutStartSec=5: the proxy did not throttle"
        wait_for 10 bash -c "journalctl -u ctr@webslow.service -o cat --no-pager | grep -qF 'running flavour-webslow'"
        # the blob came through the proxy
        grep -q '"path": "/v2/ctr/webslow/blobs/sha256:' "$PS/slow.log" || fail "the proxy served no blob"
        systemctl stop ctr@webslow.service ctrtest-proxy-slow.service
}

# a stall gets no more extensions: the start ends ~30 s (PULL_EXTEND_USEC) after the last byte
# vm-timeout: 150
test_stalled_pull_times_out_with_status() {
        ps_need
        local proxy status
        ps_image webstall
        proxy=$(ps_proxy stall --throttle 300000 --stall-after 300000)
        printf '%s\n' "$PS_REG" "$proxy" >"$PS/conf/insecure-registries"
        ps_ctr webstall "$proxy/ctr/webstall:1"
        systemctl daemon-reload
        systemctl start --no-block ctr@webstall.service
        # while it starts: STATUS= names the pull and says it stalled
        wait_for 60 bash -c '[[ $(systemctl show -P StatusText ctr@webstall.service) == *"stalled: no data for"* ]]'
        assert_prop ctr@webstall.service ActiveState activating
        assert_contains "$(unit_prop ctr@webstall.service StatusText)" "Pulling $proxy/ctr/webstall:1"
        # no more extensions: TimeoutStartSec= ends it, and the status still names the pull
        wait_for 90 bash -c '[[ $(systemctl show -P ActiveState ctr@webstall.service) == failed ]]'
        status=$(systemctl status --no-pager -n 20 ctr@webstall.service || true)
        echo "$status"
        assert_props ctr@webstall.service ActiveState=failed Result=timeout
        assert_contains "$status" "Pulling $proxy/ctr/webstall:1" "systemctl status"
        assert_contains "$status" "stalled: no data for" "systemctl status"
        # nothing half-pulled in the store
        [[ $(ctrctl image list) != *"ctr/webstall"* ]] || fail "the stalled pull left an image in the store"
        systemctl stop ctrtest-proxy-stall.service
        systemctl reset-failed ctr@webstall.service 2>/dev/null || true
}

# Notify=yes: n1 says READY=1 (the guest's systemd-notify through Volume=/usr), n2 never does; the restart
# onto n2 times out (TimeoutStartSec=8: room for n1's start, which does not pull) and ctrctl auto-update
# rolls back to n1, which is ready again
# vm-timeout: 150
test_auto_update_rolls_back_never_ready() {
        ps_need
        local rc=0
        oci_busybox_layout "$PS/n1" notify-n1 "[\"/bin/sh\",\"-c\",\"echo running \$(cat /etc/flavour); /usr/bin/systemd-notify --ready; $idle\"]"
        oci_busybox_layout "$PS/n2" notify-n2 "[\"/bin/sh\",\"-c\",\"echo running \$(cat /etc/flavour), never ready; $idle\"]"
        registry_push "$PS_REG" "$PS/n1" ctr/notify stable || fail "pushing n1 failed"
        printf '%s\n' "$PS_REG" >"$PS/conf/insecure-registries"
        PS_TIMEOUT=8 ps_ctr ctrnot "$PS_REG/ctr/notify:stable" Notify=yes AutoUpdate=registry Volume=/usr:/usr:ro
        systemctl daemon-reload
        start_ctr ctrnot
        assert_contains "$(ctrctl inspect ctrnot)" "\"image_digest\":\"$(<"$PS/n1/digest")\""

        registry_push "$PS_REG" "$PS/n2" ctr/notify stable || fail "pushing n2 failed"
        ctrctl auto-update >"$PS/out" 2>"$PS/err" || rc=$?
        cat "$PS/out" "$PS/err"
        assert_eq "$rc" 1 "auto-update's exit status"
        assert_eq "$(awk '$1 == "ctrnot" { print $NF }' "$PS/out")" rolled-back
        assert_contains "$(<"$PS/err")" "failed to start on $(<"$PS/n2/digest")"
        assert_contains "$(<"$PS/err")" "rolled back: ctrnot runs $(<"$PS/n1/digest") again"
        # n2 ran and never said READY=1; n1 runs again, ready (active)
        assert_contains "$(journal_of ctr@ctrnot.service)" "running notify-n2, never ready"
        assert_props ctr@ctrnot.service ActiveState=active SubState=running
        assert_contains "$(ctrctl inspect ctrnot)" "\"image_digest\":\"$(<"$PS/n1/digest")\""
        systemctl stop ctr@ctrnot.service
}

test_cleanup_pull_start() {
        ps_need
        local n
        systemctl stop ctr@web.service ctr@webslow.service ctr@webstall.service ctr@ctrnot.service \
                ctrtest-proxy-slow.service ctrtest-proxy-stall.service ctrtest-ps-registry.service 2>/dev/null || true
        systemctl reset-failed ctr@webstall.service 2>/dev/null || true
        for n in web webslow webstall ctrnot; do
                rm -f "/etc/ctr/$n.ctr"
                ctrctl rm "$n" >/dev/null 2>&1 || true
        done
        systemctl daemon-reload
        ctrctl image rm "$PS_REG/ctr/web:1" "$PS_REG/ctr/notify:stable" >/dev/null 2>&1 || true
        rm -rf "$PS"
}
