# SPDX-License-Identifier: LGPL-2.1-or-later
# Store images under systemd as PID 1 (issue 12): an image made here from files (a root filesystem tarball of
# the guest's static busybox, imported with `ctrctl image import FILE NAME`) runs as ctr@NAME.service with
# Image= from the store, in ctr-NAME.scope under its limits, its output in the service's journal as for any
# container; its writable layer is the mstack directory's rw/; a 128-layer image (an OCI layout written here
# with tar and sha256sum) runs on the guest's kernel. The cases run in order and share /var/tmp/ctr-image.

journal_has() {   # NAME TEXT: the service's journal has TEXT
        journalctl -u "ctr@$1.service" -o cat --no-pager | grep -qF -- "$2"
}

img_need() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

test_import_rootfs_tarball() {
        img_need
        local d=/var/tmp/ctr-image r
        rm -rf "$d"
        r=$d/root
        mkdir -p "$r"/{bin,etc,tmp,srv}
        chmod 1777 "$r/tmp"
        cp /bin/busybox "$r/bin/busybox"
        local x
        for x in sh cat id echo sleep ls wc pwd; do ln -s busybox "$r/bin/$x"; done
        printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/srv:/bin/sh\n' >"$r/etc/passwd"
        printf 'root:x:0:\napp:x:1000:\n' >"$r/etc/group"
        echo vm-image-1 >"$r/etc/flavour"
        tar -C "$r" -czf "$d/root.tar.gz" bin etc tmp srv
        ctrctl image import --quiet "$d/root.tar.gz" localhost/vmimg:1 || fail "the import failed"
        assert_contains "$(ctrctl image list)" "localhost/vmimg"
}

test_service_from_store_image() {
        img_need
        mkdir -p /etc/ctr
        printf '%s\n' "[Container]" "Image=localhost/vmimg:1" "User=app" "MemoryMax=48M" "TasksMax=32" \
                "Exec=/bin/sh -c \"echo hello-from-image uid=\$(id -u) \$(cat /etc/flavour); echo kept >/tmp/mark; trap 'exit 0' TERM; sleep infinity & wait\"" \
                >/etc/ctr/ctrimg.ctr
        systemctl daemon-reload
        start_ctr ctrimg
        # under its scope, with its limits
        assert_props ctr-ctrimg.scope ActiveState=active MemoryMax=50331648 TasksMax=32
        local init
        init=$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-ctrimg.scope/cgroup.procs)
        [[ -n $init ]] || fail "no process in ctr-ctrimg.scope"
        wait_for 10 journal_has ctrimg hello-from-image
        assert_contains "$(journalctl -u ctr@ctrimg.service -o cat --no-pager)" "hello-from-image uid=1000 vm-image-1"
        # the root is the image's layer under the mstack directory's writable layer
        assert_contains "$(ctrctl status --no-pager ctrimg)" "Image: localhost/vmimg:1 (sha256:"
        assert_contains "$(ctrctl inspect ctrimg)" '"image_digest":"sha256:'
        systemctl stop ctr@ctrimg.service
        assert_props ctr@ctrimg.service ActiveState=inactive Result=success
        [[ $(</var/lib/ctr/containers/ctrimg.mstack/rw/data/tmp/mark) == kept ]] ||
                fail "the writable layer is not NAME.mstack/rw/data"
        [[ -L /var/lib/ctr/containers/ctrimg.mstack/layer@0 ]] || fail "no layer@0 in the mstack directory"
}

test_missing_image_fails_start() {
        img_need
        printf '%s\n' "[Container]" "Image=localhost/nothere:1" >/etc/ctr/ctrgone.ctr
        systemctl daemon-reload
        timeout 60 systemctl start ctr@ctrgone.service && fail "a container on a missing image started"
        wait_for 10 journal_has ctrgone "ctrctl image import"
        assert_prop ctr@ctrgone.service ExecMainStatus 125
}

# vm-timeout: 300
test_128_layers() {
        img_need
        local d=/var/tmp/ctr-image/oci128 n h size diff_ids="" layers=""
        rm -rf "$d"
        mkdir -p "$d/blobs/sha256" "$d/src"
        # one uncompressed tar per layer (its digest is its diff_id): busybox at the bottom, then a file each,
        # and /top rewritten by every layer (the highest wins)
        for n in $(seq 0 127); do
                local r=$d/src/$n
                mkdir -p "$r/l"
                if [[ $n == 0 ]]; then
                        mkdir "$r/bin"
                        cp /bin/busybox "$r/bin/busybox"
                        ln -s busybox "$r/bin/sh"; ln -s busybox "$r/bin/cat"; ln -s busybox "$r/bin/ls"
                        ln -s busybox "$r/bin/wc"
                fi
                echo "$n" >"$r/l/$n"
                echo "$n" >"$r/top"
                (cd "$r" && tar -cf "$d/layer.tar" -- *)
                h=$(sha256sum "$d/layer.tar") h=${h%% *}
                size=$(stat -c %s "$d/layer.tar")
                mv "$d/layer.tar" "$d/blobs/sha256/$h"
                layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$h\",\"size\":$size}"
                diff_ids+="${diff_ids:+,}\"sha256:$h\""
        done
        blob() {        # TEXT: stored under its digest; prints "DIGEST SIZE"
                printf '%s' "$1" >"$d/blob"
                local bh
                bh=$(sha256sum "$d/blob") bh=${bh%% *}
                mv "$d/blob" "$d/blobs/sha256/$bh"
                echo "sha256:$bh ${#1}"
        }
        local config manifest c m
        config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$diff_ids]},\"config\":{\"Cmd\":[\"/bin/sh\",\"-c\",\"echo layers \$(cat /top) \$(ls /l | wc -l)\"]}}"
        read -r -a c <<<"$(blob "$config")"
        manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"${c[0]}\",\"size\":${c[1]}},\"layers\":[$layers]}"
        read -r -a m <<<"$(blob "$manifest")"
        printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"128"}}]}' \
                "${m[0]}" "${m[1]}" >"$d/index.json"
        echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
        ctrctl image import --quiet "oci:$d:128" localhost/many:128 || fail "the 128-layer import failed"

        printf '%s\n' "[Container]" "Image=localhost/many:128" >/etc/ctr/ctrmany.ctr
        systemctl daemon-reload
        timeout 90 systemctl start ctr@ctrmany.service || true
        wait_for 20 journal_has ctrmany "layers "
        assert_contains "$(journalctl -u ctr@ctrmany.service -o cat --no-pager)" "layers 127 128"
}
