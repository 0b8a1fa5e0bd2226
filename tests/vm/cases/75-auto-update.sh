# SPDX-License-Identifier: LGPL-2.1-or-later
# ctrctl auto-update under systemd as PID 1 (issue 13): Debian's docker-registry runs in the guest on
# 127.0.0.1, images made here (OCI layouts of the guest's static busybox, tar + sha256sum) are pushed to it
# under one tag with the registry API (python3's urllib: no skopeo in the guest). A container with
# AutoUpdate=registry runs v1 as ctr@NAME.service; v2 pushed under the same tag is seen by --dry-run (nothing
# restarted), then pulled and the container restarted on it; a broken v3 (its entrypoint does not exist: the
# start fails) is rolled back: the tag points at v2 again, the container runs v2, ctrctl says so and exits 1.
# The cases run in order and share /var/tmp/ctr-au.

AU=/var/tmp/ctr-au
AU_PORT=5075
AU_REG=127.0.0.1:$AU_PORT
export CTR_REGISTRY_CONFIG_DIR=$AU/conf

au_need() {
        need_registry_cases
}

# au_image NAME FLAVOUR ENTRYPOINT-JSON: an OCI layout $AU/NAME of one layer (busybox, /etc/flavour)
au_image() {
        oci_busybox_layout "$AU/$1" "$2" "$3"
}

# au_push NAME: the layout's blobs and manifest to $AU_REG/ctr/app:stable
au_push() {
        registry_push "$AU_REG" "$AU/$1" ctr/app stable
}

au_running_digest() {
        ctrctl inspect ctrau | python3 -c 'import json, sys; d = json.load(sys.stdin); d = d[0] if isinstance(d, list) else d; print(d["runtime"]["image_digest"])'
}

au_result() {   # the RESULT column of ctrau in ctrctl auto-update's table on stdin
        awk '$1 == "ctrau" { print $NF }'
}

journal_has_au() {
        journalctl -u ctr@ctrau.service -o cat --no-pager | grep -qF -- "$1"
}

test_setup_registry() {
        au_need
        rm -rf "$AU"
        mkdir -p "$AU/conf"
        echo "$AU_REG" >"$AU/conf/insecure-registries"
        registry_serve ctrtest-registry "$AU/reg" "$AU_REG"
        local idle="trap 'exit 0' TERM; sleep infinity & wait"
        au_image v1 au-v1 "[\"/bin/sh\",\"-c\",\"echo running \$(cat /etc/flavour); $idle\"]"
        au_image v2 au-v2 "[\"/bin/sh\",\"-c\",\"echo running \$(cat /etc/flavour); $idle\"]"
        au_image v3 au-v3 '["/bin/not-there"]'
        au_push v1 || fail "pushing v1 failed"
        ctrctl image pull --quiet "$AU_REG/ctr/app:stable" >"$AU/pulled" || fail "pulling v1 failed"
        assert_eq "$(<"$AU/pulled")" "$(<"$AU/v1/digest")"
        # installed, not enabled
        assert_eq "$(systemctl is-enabled ctr-auto-update.timer || true)" disabled
        assert_prop ctr-auto-update.service Type oneshot
}

test_runs_v1() {
        au_need
        mkdir -p /etc/ctr
        printf '%s\n' "[Container]" "Image=$AU_REG/ctr/app:stable" "AutoUpdate=registry" >/etc/ctr/ctrau.ctr
        systemctl daemon-reload
        start_ctr ctrau
        wait_for 10 journal_has_au "running au-v1"
        assert_eq "$(au_running_digest)" "$(<"$AU/v1/digest")"
        ctrctl auto-update >"$AU/out" || fail "auto-update failed with nothing to do"
        assert_eq "$(au_result <"$AU/out")" unchanged
}

test_new_digest_restarts() {
        au_need
        local before after
        au_push v2 || fail "pushing v2 failed"
        before=$(unit_prop ctr@ctrau.service ExecMainStartTimestampMonotonic)
        ctrctl auto-update --dry-run >"$AU/out" || fail "auto-update --dry-run failed"
        assert_eq "$(au_result <"$AU/out")" pending
        assert_eq "$(unit_prop ctr@ctrau.service ExecMainStartTimestampMonotonic)" "$before"
        assert_eq "$(au_running_digest)" "$(<"$AU/v1/digest")"

        ctrctl auto-update --json >"$AU/out" || { cat "$AU/out"; fail "auto-update failed"; }
        assert_contains "$(<"$AU/out")" "\"result\":\"updated\""
        assert_contains "$(<"$AU/out")" "\"new_digest\":\"$(<"$AU/v2/digest")\""
        after=$(unit_prop ctr@ctrau.service ExecMainStartTimestampMonotonic)
        [[ $after != "$before" ]] || fail "ctr@ctrau.service was not restarted"
        assert_prop ctr@ctrau.service ActiveState active
        assert_eq "$(au_running_digest)" "$(<"$AU/v2/digest")"
        wait_for 10 journal_has_au "running au-v2"
}

test_broken_image_rolled_back() {
        au_need
        local rc=0
        au_push v3 || fail "pushing v3 failed"
        ctrctl auto-update >"$AU/out" 2>"$AU/err" || rc=$?
        assert_eq "$rc" 1
        assert_eq "$(au_result <"$AU/out")" rolled-back
        assert_contains "$(<"$AU/err")" "failed to start on $(<"$AU/v3/digest")"
        assert_contains "$(<"$AU/err")" "rolled back: ctrau runs $(<"$AU/v2/digest") again"
        # the old image runs again, and the tag names it
        assert_prop ctr@ctrau.service ActiveState active
        assert_eq "$(au_running_digest)" "$(<"$AU/v2/digest")"
        assert_contains "$(ctrctl image inspect --json "$AU_REG/ctr/app:stable")" "\"manifest_digest\":\"$(<"$AU/v2/digest")\""
}

test_cleanup_auto_update() {
        au_need
        systemctl stop ctr@ctrau.service ctrtest-registry.service || true
        rm -f /etc/ctr/ctrau.ctr
        systemctl daemon-reload
        ctrctl image rm "$AU_REG/ctr/app:stable" >/dev/null || true
        rm -rf "$AU"
}
