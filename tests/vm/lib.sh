# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Helpers for the VM cases (sourced by guest-run into every case's shell; set -euo pipefail is on).
# Every assertion prints what it expected and what it found, then fails the case.

fail() {
        echo "FAIL: $*" >&2
        exit 1
}

skip() {
        echo "SKIP: $*"
        exit 77
}

# assert_eq ACTUAL EXPECTED [WHAT]
assert_eq() {
        [[ $1 == "$2" ]] || fail "${3:-value}: expected '$2', got '$1'"
        echo "ok: ${3:-value} = '$2'"
}

# assert_contains HAYSTACK NEEDLE [WHAT]
assert_contains() {
        [[ $1 == *"$2"* ]] || fail "${3:-text} does not contain '$2': '$1'"
        echo "ok: ${3:-text} contains '$2'"
}

# assert_not_contains HAYSTACK NEEDLE [WHAT]
assert_not_contains() {
        [[ $1 != *"$2"* ]] || fail "${3:-text} contains '$2': '$1'"
}

# assert_file_eq FILE EXPECTED: the file's content (trailing newline stripped) is EXPECTED
assert_file_eq() {
        [[ -e $1 ]] || fail "$1 does not exist"
        assert_eq "$(<"$1")" "$2" "$1"
}

# unit_prop UNIT PROPERTY: the value systemd reports
unit_prop() {
        systemctl show -P "$2" "$1"
}

# assert_prop UNIT PROPERTY EXPECTED
assert_prop() {
        assert_eq "$(unit_prop "$1" "$2")" "$3" "$1 $2"
}

# assert_props UNIT KEY=VALUE…: one `systemctl show` for many properties (no process per property: each
# costs ~30 ms in the emulated guest)
assert_props() {
        local unit=$1 kv k v line args=()
        local -A got=()
        shift
        for kv in "$@"; do
                args+=(-p "${kv%%=*}")
        done
        while IFS= read -r line; do
                got[${line%%=*}]=${line#*=}
        done < <(systemctl show "${args[@]}" "$unit")
        for kv in "$@"; do
                k=${kv%%=*}
                v=${kv#*=}
                assert_eq "${got[$k]-<missing>}" "$v" "$unit $k"
        done
}

# unit_cgroup UNIT: the unit's cgroup directory under /sys/fs/cgroup
unit_cgroup() {
        local cg
        cg=$(unit_prop "$1" ControlGroup)
        [[ -n $cg ]] || fail "$1 has no ControlGroup"
        echo "/sys/fs/cgroup$cg"
}

# wait_for SECONDS COMMAND…: polls COMMAND until it succeeds (state, not time, decides; SECONDS only bounds
# it); returns 1 after the deadline, which fails the case under set -e
wait_for() {
        local deadline=$((SECONDS + $1))
        shift
        until "$@"; do
                if [[ $SECONDS -ge $deadline ]]; then
                        echo "FAIL: still not true after the deadline: $*" >&2
                        return 1
                fi
                sleep 0.1
        done
}

pid_alive() {
        kill -0 "$1" 2>/dev/null
}

# pid_uid PID: the process's uid on the host
pid_uid() {
        local status
        status=$(<"/proc/$1/status")
        [[ $status =~ Uid:[[:space:]]+([0-9]+) ]] || fail "no Uid: in /proc/$1/status"
        echo "${BASH_REMATCH[1]}"
}

# the unit a process belongs to, from /proc/PID/cgroup
pid_cgroup() {
        sed -n 's/^0:://p' "/proc/$1/cgroup"
}

# ctr's installed binaries (from the payload's DESTDIR tree, installed by 00-system.install_tree)
ctr_generator() {
        local g
        for g in /usr/lib/systemd/system-generators/ctr-generator /lib/systemd/system-generators/ctr-generator; do
                [[ -x $g ]] && { echo "$g"; return 0; }
        done
        return 1
}

ctr_launch() {
        local l
        for l in /usr/local/libexec/ctr-launch /usr/libexec/ctr-launch; do
                [[ -x $l ]] && { echo "$l"; return 0; }
        done
        return 1
}

need_launch() {
        ctr_launch >/dev/null || skip "ctr-launch is not in the installed tree (not built yet)"
}

# ctr-launch built with src/launch/scope.c (it names the D-Bus method it calls)
need_launch_scope() {
        need_launch
        grep -q StartTransientUnit "$(ctr_launch)" ||
                skip "ctr-launch is built without scope.c (src/launch/meson.build: launch_scope_sources)"
}

# the version of the guest's systemd, as a number ("252")
systemd_version() {
        systemctl --version | awk 'NR == 1 { print $2 }'
}

write_ctr() {   # NAME, then the lines of [Container]
        local name=$1
        shift
        mkdir -p /etc/ctr
        { echo "[Container]"; echo "Image=host"; printf '%s\n' "$@"; } >"/etc/ctr/$name.ctr"
}

# start_ctr NAME: systemctl start ctr@NAME, bounded here (not by the unit's 90 s); fails with the status shown
start_ctr() {
        # A blocking start: a unit whose start job still waits for an After= dependency is "inactive", not
        # "activating", so polling the state could stop before the job even began.
        timeout 90 systemctl start "ctr@$1.service" || true
        if [[ $(unit_prop "ctr@$1.service" ActiveState) != active ]]; then
                systemctl status --no-pager "ctr@$1.service" "ctr-$1.scope" || true
                fail "ctr@$1.service is $(unit_prop "ctr@$1.service" ActiveState), not active"
        fi
}

# the registry cases: ctrctl, the launcher, busybox for their images, docker-registry
need_registry_cases() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
        command -v docker-registry >/dev/null || skip "no docker-registry in the guest (tests/vm/vm GUEST_PKGS)"
}

# oci_layout DIR ENTRYPOINT-JSON TAR…: an OCI layout in DIR (index.json, blobs/sha256/) of uncompressed layers,
# the TARs bottom first (moved into blobs/); DIR/digest = the manifest's digest, DIR/layers = the layers'
# digests (their diff_ids), bottom first, one a line. No image tools in the guest: tar and sha256sum.
oci_layout() {
        local d=$1 entrypoint=$2 t h size layers="" diff_ids="" config c m manifest
        shift 2
        mkdir -p "$d/blobs/sha256"
        : >"$d/layers"
        for t in "$@"; do
                h=$(sha256sum "$t") h=${h%% *}
                size=$(stat -c %s "$t")
                mv "$t" "$d/blobs/sha256/$h"
                echo "sha256:$h" >>"$d/layers"
                layers+="${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$h\",\"size\":$size}"
                diff_ids+="${diff_ids:+,}\"sha256:$h\""
        done
        config="{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[$diff_ids]},\"config\":{\"Entrypoint\":$entrypoint}}"
        printf '%s' "$config" >"$d/blob"
        c=$(sha256sum "$d/blob") c=${c%% *}
        mv "$d/blob" "$d/blobs/sha256/$c"
        manifest="{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$c\",\"size\":${#config}},\"layers\":[$layers]}"
        printf '%s' "$manifest" >"$d/blob"
        m=$(sha256sum "$d/blob") m=${m%% *}
        mv "$d/blob" "$d/blobs/sha256/$m"
        echo "sha256:$m" >"$d/digest"
        printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s}]}' \
                "$m" "${#manifest}" >"$d/index.json"
        echo '{"imageLayoutVersion":"1.0.0"}' >"$d/oci-layout"
}

# oci_busybox_layout DIR FLAVOUR ENTRYPOINT-JSON: an oci_layout in DIR of one layer: the guest's static busybox as
# /bin/{sh,cat,echo,sleep,…}, /etc/flavour = FLAVOUR (so every flavour is a layer of its own), /lib and /lib64
# linked into an empty /usr (a Volume=/usr:/usr:ro brings the guest's own programs)
oci_busybox_layout() {
        local d=$1 r=$1.root x
        rm -rf "$d" "$r"
        mkdir -p "$d" "$r"/{bin,etc,tmp,usr}
        chmod 1777 "$r/tmp"
        cp /bin/busybox "$r/bin/busybox"
        for x in sh cat echo sleep mkdir id sort; do ln -s busybox "$r/bin/$x"; done
        ln -s usr/lib "$r/lib"
        ln -s usr/lib64 "$r/lib64"
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
        echo "$2" >"$r/etc/flavour"
        (cd "$r" && tar -cf "$d/layer.tar" bin etc lib lib64 tmp usr)
        oci_layout "$d" "$3" "$d/layer.tar"
        rm -rf "$r"
}

# registry_push REGISTRY DIR REPOSITORY TAG [DIR REPOSITORY TAG…]: oci_busybox_layouts' blobs and manifests
# to REGISTRY/REPOSITORY:TAG over the registry API (monolithic uploads; python3's urllib: no skopeo in the
# guest), all in one process (a python3 start costs seconds in the emulated guest)
registry_push() {
        python3 - "$@" <<'PY'
import json, sys, urllib.request
reg = sys.argv[1]
def call(method, url, data=None, ctype=None):
    req = urllib.request.Request(url, data=data, method=method)
    if ctype:
        req.add_header("Content-Type", ctype)
    return urllib.request.urlopen(req, timeout=30)
def push(layout, repo, tag):
    base = "http://%s/v2/%s" % (reg, repo)
    digest = open(layout + "/digest").read().strip()
    manifest = open(layout + "/blobs/sha256/" + digest[7:], "rb").read()
    m = json.loads(manifest)
    for d in [m["config"]] + m["layers"]:
        data = open(layout + "/blobs/sha256/" + d["digest"][7:], "rb").read()
        loc = call("POST", base + "/blobs/uploads/").headers["Location"]
        if loc.startswith("/"):
            loc = "http://%s%s" % (reg, loc)
        call("PUT", loc + ("&" if "?" in loc else "?") + "digest=" + d["digest"], data, "application/octet-stream")
    call("PUT", base + "/manifests/" + tag, manifest, m["mediaType"])
for i in range(2, len(sys.argv), 3):
    push(*sys.argv[i:i + 3])
PY
}

# registry_serve UNIT DIR ADDR: Debian's docker-registry as the transient UNIT on ADDR (127.0.0.1:PORT),
# its data in DIR; returns once it accepts connections
registry_serve() {
        mkdir -p "$2"
        printf '%s\n' "version: 0.1" "log:" "  level: warn" "storage:" "  filesystem:" \
                "    rootdirectory: $2/data" "http:" "  addr: $3" >"$2/config.yml"
        systemd-run --unit="$1" --collect docker-registry serve "$2/config.yml" >/dev/null
        wait_for 30 bash -c "exec 2>/dev/null; </dev/tcp/127.0.0.1/${3##*:}"
}
