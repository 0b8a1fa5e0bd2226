# SPDX-License-Identifier: LGPL-2.1-or-later
# Power cuts, a reboot and a full disk (issue 17), with the multi-boot cases of guest-run (tests/vm/README.md):
# the halves before run at the end of the first boot, one power cut (qemu killed) serves them all, then one clean
# reboot. Cut mid-way: an image import (its second layer fed through a FIFO that stops halfway, so the cut lands
# inside the unpack for sure) and a pull (tests/registry/registry-proxy stalls the second layer); after the
# boot the store is consistent: neither image is listed, no layer is there half-written, the stale temporary
# directories go with the next import, both run again and their images run, and the image imported before the
# cut still verifies. A container's synced data (persistent writable layer and volume) survives the cut, and
# enabled containers come back from the reboot with their layers and volumes, the disabled one does not.
# Before the cut each case fsyncs a file of its own while its import waits: as any program on the machine may,
# that commits the filesystem's journal, the store's renames with it, so a layer renamed into place before its
# files were written out would be found empty after the boot.

PC_STORE=/var/lib/ctr/images
PC_REG=127.0.0.1:5085
pc_idle='trap \"exit 0\" TERM; sleep infinity & wait'

pc_need() {
        need_registry_cases
}

# pc_layout DIR FLAVOUR MIB: an OCI layout (lib.sh's oci_layout) of two layers: A the guest's busybox with
# /etc/flavour = FLAVOUR, B one file /big-FLAVOUR of MIB random MiB (so it unpacks for a while); its files: a,
# b (the layers' digests, their diff_ids), big.sha256, and b.tar, a copy of B's blob; its entrypoint prints
# the flavour and sha256sum's line for /big-FLAVOUR
pc_layout() {
        local d=$1 r=$1.src x sum
        rm -rf "$d" "$r"
        mkdir -p "$d" "$r/a/bin" "$r/a/etc" "$r/a/tmp" "$r/b"
        chmod 1777 "$r/a/tmp"
        cp /bin/busybox "$r/a/bin/busybox"
        for x in sh cat echo sleep sha256sum; do ln -s busybox "$r/a/bin/$x"; done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/a/etc/passwd"
        echo "$2" >"$r/a/etc/flavour"
        head -c "$(($3 << 20))" /dev/urandom >"$r/b/big-$2"
        sum=$(sha256sum "$r/b/big-$2")
        echo "${sum%% *}" >"$d/big.sha256"
        (cd "$r/a" && tar -cf "$d/a.tar" bin etc tmp)
        (cd "$r/b" && tar -cf "$d/b.tar" "big-$2")
        oci_layout "$d" "[\"/bin/sh\",\"-c\",\"echo \\\"\$(cat /etc/flavour) \$(sha256sum /big-$2)\\\"\"]" "$d/a.tar" "$d/b.tar"
        sed -n 1p "$d/layers" >"$d/a"
        sed -n 2p "$d/layers" >"$d/b"
        cp "$d/blobs/sha256/$(sed 's/^sha256://' "$d/b")" "$d/b.tar"
        rm -rf "$r"
}

pc_layer_dir() {   # DIGEST: the store's directory of that layer
        echo "$PC_STORE/layers/sha256/${1#sha256:}"
}

# pc_wait_midway DIR FLAVOUR: until layer A of pc_layout DIR is in the store and B is being unpacked (its
# /big-FLAVOUR has data in a temporary directory)
pc_wait_midway() {
        local a
        a=$(pc_layer_dir "$(<"$1/a")")
        wait_for 90 test -d "$a" || fail "layer A never reached the store"
        wait_for 90 bash -c "for f in $PC_STORE/tmp/*/layer.*/big-$2; do [[ -s \$f ]] && exit 0; done; exit 1" ||
                fail "layer B is not being unpacked"
        ls -la "$PC_STORE"/tmp/*/layer.*/big-"$2"
}

# pc_commit_journal: fsyncs a file of its own (a program's synced write): the root filesystem's journal
# commits what the store did so far, renames included
pc_commit_journal() {
        echo "$1" >"/var/lib/ctrtest-pc-$1.synced"
        sync "/var/lib/ctrtest-pc-$1.synced"
}

# pc_after_cut DIR NAME: the store after the cut of the import or pull of pc_layout DIR as NAME: the image not
# there, layer A whole or absent, B absent
pc_after_cut() {
        local d=$1 a b
        assert_file_eq "/var/lib/ctrtest-pc-$2.synced" "$2"
        assert_not_contains "$(ctrctl image list)" "$2" "ctrctl image list after the cut"
        a=$(pc_layer_dir "$(<"$d/a")")
        b=$(pc_layer_dir "$(<"$d/b")")
        if [[ -e $a ]]; then
                cmp "$a/bin/busybox" /bin/busybox || fail "layer A is in the store, but not whole: bin/busybox differs"
                assert_file_eq "$a/etc/flavour" "$2"
                # its size record (image list's SIZE): a layer found there is never measured again
                [[ $(<"$a.size") -gt 0 ]] || fail "layer A's size record is '$(<"$a.size")'"
        fi
        [[ ! -e $b ]] || fail "the half-unpacked layer B is in the store: $b"
        ls -la "$PC_STORE/tmp/" || true
}

# pc_image_runs IMAGE FLAVOUR BIG_SHA256: a container of IMAGE (of pc_layout) sees both layers whole
pc_image_runs() {
        local out
        out=$(timeout 90 ctrctl run --rm "$1") || fail "ctrctl run $1 failed: $out"
        assert_eq "$out" "$2 $3  /big-$2" "what a container of $1 reads"
}

# pc_store_verifies REF…: every blob's content has its name's digest, and each REF resolves
pc_store_verifies() {
        local line
        while read -r line; do
                [[ ${line%% *} == "${line##*/}" ]] || fail "blob ${line##*/} has digest ${line%% *}"
        done < <(sha256sum "$PC_STORE"/blobs/sha256/*)
        ctrctl image inspect "$@" >/dev/null || fail "not every one of $* resolves"
}

# A container with a persistent writable layer and a volume, enabled, writes and fsyncs its data; after the
# cut it is back (enabled) and the data is whole.
# vm-boot: powercut
test_synced_data_survives() {
        pc_need
        local v=/var/lib/ctrtest-pcdata
        systemctl stop ctr@pcdata.service 2>/dev/null || true
        rm -rf "$v" /var/lib/ctr/containers/pcdata
        mkdir -p "$v"
        write_ctr pcdata "Volume=$v:/m" \
                "Exec=/bin/sh -c \"if [ ! -e /data/ok ]; then mkdir -p /data; head -c 1048576 /dev/urandom >/data/blob; cp /data/blob /m/blob; echo layer-ok >/data/ok; echo volume-ok >/m/ok; sync /data/blob /data/ok /data /m/blob /m/ok /m; echo synced >/m/synced; sync /m/synced /m; fi; echo started >>/m/starts; sync /m/starts; $pc_idle\""
        printf '%s\n' "[Install]" "WantedBy=multi-user.target" >>/etc/ctr/pcdata.ctr
        systemctl daemon-reload
        [[ -L /run/systemd/generator/multi-user.target.wants/ctr@pcdata.service ]] ||
                fail "the generator did not enable ctr@pcdata ([Install] WantedBy=multi-user.target)"
        start_ctr pcdata
        wait_for 60 test -e "$v/synced" || fail "the workload did not sync its data"
        sha256sum <"$v/blob" >"$CTR_VM_CASE_STATE/blob.sha256"
}

after_synced_data_survives() {
        local v=/var/lib/ctrtest-pcdata upper=/var/lib/ctr/containers/pcdata/upper
        # enabled: started by the boot, before the runner
        assert_prop ctr@pcdata.service ActiveState active
        wait_for 30 bash -c "[[ \$(wc -l <$v/starts) -ge 2 ]]" || fail "the container did not start again: $(cat "$v/starts")"
        assert_eq "$(sha256sum <"$v/blob")" "$(<"$CTR_VM_CASE_STATE/blob.sha256")" "the volume's synced file"
        assert_eq "$(sha256sum <"$upper/data/blob")" "$(<"$CTR_VM_CASE_STATE/blob.sha256")" "the writable layer's synced file"
        assert_file_eq "$v/ok" volume-ok
        assert_eq "$(ctrctl exec pcdata -- cat /data/ok)" layer-ok "/data/ok in the container"
        systemctl stop ctr@pcdata.service
        rm -f /etc/ctr/pcdata.ctr
        systemctl daemon-reload
        rm -rf "$v" /var/lib/ctr/containers/pcdata
}

# `ctrctl image import` cut while it unpacks the second layer (fed through a FIFO that stops after half of it);
# an image imported before is there afterwards and verifies, the import runs again.
# vm-timeout: 180
# vm-boot: powercut
test_import_interrupted() {
        pc_need
        local d=$CTR_VM_CASE_STATE/layout b
        ctrctl image rm --force localhost/pcbase:1 localhost/pcimp:1 >/dev/null 2>&1 || true
        # the image that was there before: in the store and synced (the import's reference is)
        oci_busybox_layout "$CTR_VM_CASE_STATE/base" pcbase '["/bin/cat","/etc/flavour"]'
        ctrctl image import --quiet "oci:$CTR_VM_CASE_STATE/base" localhost/pcbase:1 || fail "importing pcbase failed"
        # the layout on the payload disk (synced before the cut: the source must be whole afterwards)
        pc_layout "$d" pcimp 16
        b=$d/blobs/sha256/$(sed 's/^sha256://' "$d/b")
        rm "$b"
        mkfifo "$b"
        systemd-run --unit=ctrtest-pc-feed --collect bash -c \
                "exec 3>'$b'; head -c $((8 << 20)) '$d/b.tar' >&3; exec sleep infinity" >/dev/null
        systemd-run --unit=ctrtest-pc-import --collect \
                ctrctl image import --quiet "oci:$d" localhost/pcimp:1 >/dev/null
        pc_wait_midway "$d" pcimp
        pc_commit_journal pcimp
        assert_prop ctrtest-pc-import.service ActiveState active
}

# vm-timeout: 180
after_import_interrupted() {
        local d=$CTR_VM_CASE_STATE/layout b
        pc_after_cut "$d" pcimp
        # the source whole again, and the import again
        b=$d/blobs/sha256/$(sed 's/^sha256://' "$d/b")
        rm -f "$b"
        cp "$d/b.tar" "$b"
        ctrctl image import --quiet "oci:$d" localhost/pcimp:1 || fail "the import failed after the cut"
        assert_contains "$(ctrctl image list)" localhost/pcimp
        # the import's stale temporary directory is gone with the next import
        assert_eq "$(ls -A "$PC_STORE/tmp")" "" "the store's tmp/ after an import"
        pc_image_runs localhost/pcimp:1 pcimp "$(<"$d/big.sha256")"
        # the image from before the cut
        assert_eq "$(timeout 90 ctrctl run --rm localhost/pcbase:1)" pcbase "what a container of pcbase reads"
        pc_store_verifies localhost/pcimp:1 localhost/pcbase:1
        ctrctl image rm localhost/pcimp:1 localhost/pcbase:1 >/dev/null
        rm -f /var/lib/ctrtest-pc-pcimp.synced
}

# `ctrctl image pull` cut while it downloads and unpacks the second layer (the proxy stalls every blob after
# 4 MiB: layer A, smaller, arrives whole). The registry keeps its data on the payload disk, synced before the
# cut (docker-registry's own writes are not what this tests).
# vm-timeout: 180
# vm-boot: powercut
test_pull_interrupted() {
        pc_need
        local s=$CTR_VM_CASE_STATE proxy
        ctrctl image rm --force "$PC_REG/ctr/pcpull:1" >/dev/null 2>&1 || true
        mkdir -p "$s/conf"
        registry_serve ctrtest-pc-registry "$s/reg" "$PC_REG"
        pc_layout "$s/layout" pcpull 12
        [[ $(stat -c %s "$s/layout/blobs/sha256/$(sed 's/^sha256://' "$s/layout/a")") -lt $((4 << 20)) ]] ||
                fail "layer A is not under the proxy's 4 MiB"
        registry_push "$PC_REG" "$s/layout" ctr/pcpull 1 || fail "pushing pcpull failed"
        rm -f "$s/proxy.port"
        systemd-run --unit=ctrtest-pc-proxy --collect python3 "$CTR_VM_PAYLOAD/bin/registry-proxy" \
                --upstream "http://$PC_REG" --port-file "$s/proxy.port" --log "$s/proxy.log" \
                --stall-after $((4 << 20)) >/dev/null
        wait_for 30 test -s "$s/proxy.port"
        proxy=127.0.0.1:$(<"$s/proxy.port")
        printf '%s\n' "$PC_REG" "$proxy" >"$s/conf/insecure-registries"
        systemd-run --unit=ctrtest-pc-pull --collect -E "CTR_REGISTRY_CONFIG_DIR=$s/conf" \
                ctrctl image pull --quiet "$proxy/ctr/pcpull:1" >/dev/null
        echo "$proxy" >"$s/proxy"
        pc_wait_midway "$s/layout" pcpull
        pc_commit_journal pcpull
        assert_prop ctrtest-pc-pull.service ActiveState active
}

# vm-timeout: 180
after_pull_interrupted() {
        local s=$CTR_VM_CASE_STATE
        export CTR_REGISTRY_CONFIG_DIR=$s/conf
        pc_after_cut "$s/layout" pcpull
        assert_not_contains "$(ctrctl image list)" "$(<"$s/proxy")" "ctrctl image list after the cut"
        registry_serve ctrtest-pc-registry "$s/reg" "$PC_REG"
        ctrctl image pull --quiet "$PC_REG/ctr/pcpull:1" || fail "the pull failed after the cut"
        assert_eq "$(ls -A "$PC_STORE/tmp")" "" "the store's tmp/ after a pull"
        pc_image_runs "$PC_REG/ctr/pcpull:1" pcpull "$(<"$s/layout/big.sha256")"
        pc_store_verifies "$PC_REG/ctr/pcpull:1"
        systemctl stop ctrtest-pc-registry.service
        ctrctl image rm "$PC_REG/ctr/pcpull:1" >/dev/null
        rm -f /var/lib/ctrtest-pc-pcpull.synced
}

# A clean reboot with containers running: the enabled ones ([Install] WantedBy=multi-user.target, one on the
# host's /usr with a bind volume, one on a store image with a named volume) stop cleanly at the shutdown and
# come back with their writable layers and volumes; a disabled one does not start.
# vm-timeout: 180
# vm-boot: reboot
test_enabled_containers_come_back() {
        pc_need
        local v=/var/lib/ctrtest-pcrb n
        for n in pcrbhost pcrbimg pcrboff; do
                systemctl stop "ctr@$n.service" 2>/dev/null || true
                rm -rf "/var/lib/ctr/containers/$n" "/var/lib/ctr/containers/$n.mstack"
        done
        rm -rf "$v" /var/lib/ctr/volumes/pcrbvol
        mkdir -p "$v/host" "$v/off"
        oci_busybox_layout "$CTR_VM_CASE_STATE/img" pcrb null
        ctrctl image import --quiet "oci:$CTR_VM_CASE_STATE/img" localhost/pcrb:1 || fail "importing pcrb failed"
        # each: its layer's /kept written at the first start, a line per start and per stop in its volume
        body() {
                echo "Exec=/bin/sh -c \"[ -e /kept ] || echo layer-$1 >/kept; echo start >>/m/starts; trap 'echo stop >>/m/stops; exit 0' TERM; sleep infinity & wait\""
        }
        write_ctr pcrbhost "Volume=$v/host:/m" "$(body pcrbhost)"
        printf '%s\n' "[Install]" "WantedBy=multi-user.target" >>/etc/ctr/pcrbhost.ctr
        printf '%s\n' "[Container]" "Image=localhost/pcrb:1" "Volume=pcrbvol:/m" "$(body pcrbimg)" \
                "[Install]" "WantedBy=multi-user.target" >/etc/ctr/pcrbimg.ctr
        write_ctr pcrboff "Volume=$v/off:/m" "$(body pcrboff)"
        systemctl daemon-reload
        for n in pcrbhost pcrbimg pcrboff; do
                start_ctr "$n"
        done
        wait_for 30 test -e "$v/host/starts"
        wait_for 30 test -e /var/lib/ctr/volumes/pcrbvol/starts
        wait_for 30 test -e "$v/off/starts"
}

# vm-timeout: 180
after_enabled_containers_come_back() {
        local v=/var/lib/ctrtest-pcrb vol=/var/lib/ctr/volumes/pcrbvol n
        assert_prop ctr@pcrbhost.service ActiveState active
        assert_prop ctr@pcrbimg.service ActiveState active
        assert_props ctr@pcrboff.service ActiveState=inactive "ActiveEnterTimestampMonotonic=0"
        # stopped by the shutdown (their TERM handler ran), started by the boot
        wait_for 30 bash -c "[[ \$(wc -l <$v/host/starts) == 2 && \$(wc -l <$vol/starts) == 2 ]]" ||
                fail "the enabled containers did not start again: $(cat "$v/host/starts" "$vol/starts")"
        assert_file_eq "$v/host/stops" stop
        assert_file_eq "$vol/stops" stop
        assert_file_eq "$v/off/stops" stop
        assert_file_eq "$v/off/starts" start
        # their writable layers: what the first start wrote
        assert_eq "$(ctrctl exec pcrbhost -- cat /kept)" layer-pcrbhost "pcrbhost's /kept"
        assert_eq "$(ctrctl exec pcrbimg -- cat /kept)" layer-pcrbimg "pcrbimg's /kept"
        assert_file_eq /var/lib/ctr/containers/pcrbhost/upper/kept layer-pcrbhost
        assert_file_eq /var/lib/ctr/containers/pcrbimg.mstack/rw/data/kept layer-pcrbimg
        for n in pcrbhost pcrbimg; do
                systemctl stop "ctr@$n.service"
        done
        rm -f /etc/ctr/pcrbhost.ctr /etc/ctr/pcrbimg.ctr /etc/ctr/pcrboff.ctr
        systemctl daemon-reload
        ctrctl image rm localhost/pcrb:1 >/dev/null
        rm -rf "$v" "$vol" /var/lib/ctr/containers/pcrb*
}

# The store's filesystem full during an import (a small ext4 image loop-mounted as the state directory,
# CTR_STATE_DIR): the import fails naming ENOSPC, nothing of it is listed or left in tmp/, the image that was
# there still runs; with room again the import works.
# vm-timeout: 180
test_import_into_full_filesystem() {
        pc_need
        local img=/var/tmp/ctrtest-pcfull.img mnt=/var/tmp/ctrtest-pcfull d=/var/tmp/ctrtest-pcfull-src rc=0 out avail
        umount "$mnt" 2>/dev/null || true
        rm -rf "$img" "$mnt" "$d"
        truncate -s 48M "$img"
        mkfs.ext4 -q -F "$img" || fail "mkfs.ext4 failed"
        mkdir -p "$mnt"
        mount -o loop "$img" "$mnt" || fail "could not loop-mount $img"
        trap 'umount "$mnt" 2>/dev/null || umount -l "$mnt"' EXIT
        export CTR_STATE_DIR=$mnt
        oci_busybox_layout "$d/base" pcfullbase '["/bin/cat","/etc/flavour"]'
        ctrctl image import --quiet "oci:$d/base" localhost/pcfullbase:1 || fail "importing pcfullbase failed"
        pc_layout "$d/layout" pcfull 16
        # 8 MiB left: layer A fits, B's 16 MiB do not
        avail=$(df --output=avail -B1 "$mnt" | tail -n 1)
        fallocate -l $((avail - (8 << 20))) "$mnt/filler" || fail "fallocate failed"
        out=$(ctrctl image import --quiet "oci:$d/layout" localhost/pcfull:1 2>&1) || rc=$?
        echo "$out"
        [[ $rc -ne 0 ]] || fail "the import into a full filesystem succeeded"
        assert_contains "$out" "No space left on device" "the import's error"
        assert_not_contains "$(ctrctl image list)" localhost/pcfull:1 "ctrctl image list after the failed import"
        assert_eq "$(ls -A "$mnt/images/tmp")" "" "the store's tmp/ after the failed import"
        [[ ! -e $mnt/images/layers/sha256/$(sed 's/^sha256://' "$d/layout/b") ]] || fail "layer B is in the store"
        assert_eq "$(timeout 90 ctrctl run --rm localhost/pcfullbase:1)" pcfullbase "the image from before"
        # room again
        rm "$mnt/filler"
        ctrctl image import --quiet "oci:$d/layout" localhost/pcfull:1 || fail "the import failed with room again"
        assert_contains "$(ctrctl image list)" localhost/pcfull
        PC_STORE=$mnt/images pc_image_runs localhost/pcfull:1 pcfull "$(<"$d/layout/big.sha256")"
        PC_STORE=$mnt/images pc_store_verifies localhost/pcfull:1 localhost/pcfullbase:1
        umount "$mnt" || umount -l "$mnt"
        trap - EXIT
        rm -rf "$img" "$mnt" "$d"
}
