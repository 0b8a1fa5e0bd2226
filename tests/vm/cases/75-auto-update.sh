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
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
        command -v docker-registry >/dev/null || skip "no docker-registry in the guest (tests/vm/vm GUEST_PKGS)"
}

# au_image NAME FLAVOUR ENTRYPOINT-JSON: an OCI layout $AU/NAME of one layer (busybox, /etc/flavour)
au_image() {
        local d=$AU/$1 r=$AU/$1.root h size
        rm -rf "$d" "$r"
        mkdir -p "$d/blobs/sha256" "$r"/{bin,etc,tmp}
        cp /bin/busybox "$r/bin/busybox"
        local x
        for x in sh cat echo sleep; do ln -s busybox "$r/bin/$x"; done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
        echo "$2" >"$r/etc/flavour"
        (cd "$r" && tar -cf "$d/layer.tar" bin etc tmp)
        h=$(sha256sum "$d/layer.tar") h=${h%% *}
        size=$(stat -c %s "$d/layer.tar")
        mv "$d/layer.tar" "$d/blobs/sha256/$h"
        local config c m manifest
        config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$h\"]},\"config\":{\"Entrypoint\":$3}}"
        printf '%s' "$config" >"$d/blob"
        c=$(sha256sum "$d/blob") c=${c%% *}
        mv "$d/blob" "$d/blobs/sha256/$c"
        manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$c\",\"size\":${#config}},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$h\",\"size\":$size}]}"
        printf '%s' "$manifest" >"$d/blob"
        m=$(sha256sum "$d/blob") m=${m%% *}
        mv "$d/blob" "$d/blobs/sha256/$m"
        echo "sha256:$m" >"$d/digest"
}

# au_push NAME: the layout's blobs and manifest to $AU_REG/ctr/app:stable (monolithic uploads)
au_push() {
        python3 - "$AU_REG" "$AU/$1" <<'PY'
import sys, urllib.request
reg, layout = sys.argv[1:]
base = "http://%s/v2/ctr/app" % reg
def call(method, url, data=None, ctype=None):
    req = urllib.request.Request(url, data=data, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    return urllib.request.urlopen(req, timeout=30)
digest = open(layout + "/digest").read().strip()
manifest = open(layout + "/blobs/sha256/" + digest[7:], "rb").read()
import json
m = json.loads(manifest)
for d in [m["config"]] + m["layers"]:
    data = open(layout + "/blobs/sha256/" + d["digest"][7:], "rb").read()
    loc = call("POST", base + "/blobs/uploads/").headers["Location"]
    if loc.startswith("/"):
        loc = "http://%s%s" % (reg, loc)
    call("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + d["digest"], data, "application/octet-stream")
call("PUT", base + "/manifests/stable", manifest, m["mediaType"])
PY
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
        mkdir -p "$AU/conf" "$AU/reg"
        echo "$AU_REG" >"$AU/conf/insecure-registries"
        printf '%s\n' "version: 0.1" "log:" "  level: warn" "storage:" "  filesystem:" \
                "    rootdirectory: $AU/reg/data" "http:" "  addr: $AU_REG" >"$AU/reg/config.yml"
        systemd-run --unit=ctrtest-registry --collect docker-registry serve "$AU/reg/config.yml" >/dev/null
        wait_for 30 python3 -c "import socket; socket.create_connection(('127.0.0.1', $AU_PORT), 1)"
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
