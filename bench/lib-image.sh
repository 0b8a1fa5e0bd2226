# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by bench/image, bench/pull and bench/userns: the multi-layer image made from the cached Debian
# packages, and the runner that times tools taking turns (wall time and the CPU time of each process tree).
# The caller sets BENCH (its name, for messages) and W (its work directory) before calling these.

DEBS=/var/cache/apt/archives
PKG_BASE=${PKG_BASE-busybox-static perl-base libssl3 openssl}
PKG_MID=${PKG_MID-perl-modules-5.36 libperl5.36}
PKG_TOP=${PKG_TOP-golang-1.19-src}

unmount_below() { findmnt -rn -o TARGET | grep "^$1/" | sort -r | while read -r m; do umount -l "$m"; done; }

deb() {         # PACKAGE: its cached .deb, or fail naming it
        local f
        f=$(ls "$DEBS/$1"_*_amd64.deb "$DEBS/$1"_*_all.deb 2> /dev/null | head -1)
        [ -n "$f" ] || { echo "$BENCH: $1 is not in $DEBS (apt-get install --download-only $1)" >&2; exit 1; }
        echo "$f"
}

# bench_debian_image OCI: four layers of cached Debian packages (PKG_BASE, PKG_MID, PKG_TOP, then a config
# layer adding one file and deleting another: a whiteout), made through `buildah mount` on a private overlay
# storage in $W (no OCI runtime, no cgroup) and copied with skopeo to oci:OCI:bench with gzip layers. Sets
# BLOBS (the layer blobs' paths, bottom first) and prints the sizes.
bench_debian_image() {
        local oci=$1 c m p
        local b=(buildah --root "$W/buildah" --runroot "$W/buildah-run" --storage-driver overlay)
        echo "# making the image from $DEBS ..." >&2
        c=$("${b[@]}" from scratch)
        m=$("${b[@]}" mount "$c")
        for p in $PKG_BASE; do dpkg-deb -x "$(deb "$p")" "$m"; done
        mkdir -p "$m"/{etc,root,tmp,proc,sys,dev}
        printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/nonexistent:/bin/sh\n' > "$m/etc/passwd"
        printf 'root:x:0:\nnogroup:x:65534:\n' > "$m/etc/group"
        "${b[@]}" commit -q "$c" bench-base > /dev/null
        c=$("${b[@]}" from bench-base)
        m=$("${b[@]}" mount "$c")
        for p in $PKG_MID; do dpkg-deb -x "$(deb "$p")" "$m"; done
        "${b[@]}" commit -q "$c" bench-perl > /dev/null
        c=$("${b[@]}" from bench-perl)
        m=$("${b[@]}" mount "$c")
        for p in $PKG_TOP; do dpkg-deb -x "$(deb "$p")" "$m"; done
        "${b[@]}" commit -q "$c" bench-go > /dev/null
        c=$("${b[@]}" from bench-go)
        m=$("${b[@]}" mount "$c")
        echo "bench=1" > "$m/etc/bench.conf"
        rm -f "$m/usr/bin/openssl"
        "${b[@]}" config --env BENCH=1 --cmd '["/bin/busybox","true"]' "$c"
        "${b[@]}" commit -q "$c" bench-top > /dev/null
        skopeo copy -q "containers-storage:[overlay@$W/buildah+$W/buildah-run]localhost/bench-top" "oci:$oci:bench"
        "${b[@]}" rm --all > /dev/null
        "${b[@]}" rmi --all -f > /dev/null 2>&1 || true
        unmount_below "$W/buildah"

        mapfile -t BLOBS < <(python3 - "$oci" <<'EOF'
import json, sys
d = sys.argv[1]
blob = lambda dg: json.load(open("%s/blobs/sha256/%s" % (d, dg.split(":")[1])))
man = blob(json.load(open(d + "/index.json"))["manifests"][0]["digest"])
for l in man["layers"]:
    assert l["mediaType"].endswith("tar+gzip"), l["mediaType"]
    print("%s/blobs/sha256/%s" % (d, l["digest"].split(":")[1]))
EOF
)
        local unpacked files blob
        mkdir "$W/probe"
        for blob in "${BLOBS[@]}"; do gzip -dc "$blob" | tar -xp -C "$W/probe"; done
        unpacked=$(du -sm "$W/probe" | cut -f1)
        files=$(find "$W/probe" | wc -l)
        rm -rf "$W/probe"
        echo "# image: ${#BLOBS[@]} layers, $(du -cm "${BLOBS[@]}" | tail -1 | cut -f1) MB of gzip blobs, $unpacked MB and $files entries unpacked"
}

# bench_runner: $W/runner.py SPEC ROUNDS PER OUT runs each tool of SPEC (a JSON list of tool_json lines) PER
# times in each of ROUNDS rounds, tools taking turns, after one untimed warm-up round. Each sample: prep, sync
# if asked, the timed command (wall; user+sys of its process tree from wait4()), an optional second timed step
# "after", clean; stderr to /dev/null if "quiet" is set. $W/report.py SAMPLES UNIT REF [CTR] prints medians, min–max, CPU, × REF and × CTR (default:
# the first tool whose name starts with "ctr").
bench_runner() {
        cat > "$W/runner.py" <<'EOF'
import json, os, shlex, subprocess, sys, time
spec, rounds, per, out = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def sh(cmd):
    if cmd:
        subprocess.run(["bash", "-c", cmd], check=True, stdout=subprocess.DEVNULL)
samples = {t["name"]: [] for t in spec}
for r in range(rounds + 1):            # round 0: warm-up, not recorded
    for t in spec:
        for _ in range(per if r else 1):
            sh(t.get("prep"))
            if t.get("sync"):
                os.sync()
            cmd = t["cmd"]
            argv = ["bash", "-c", cmd] if any(c in cmd for c in "|;&$") else shlex.split(cmd)
            a = time.monotonic()
            quiet = [(os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)] if t.get("quiet") else []
            pid = os.posix_spawnp(argv[0], argv, os.environ,
                                  file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)] + quiet)
            _, status, ru = os.wait4(pid, 0)
            wall = time.monotonic() - a
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit("runner: %s failed: %s" % (t["name"], cmd))
            extra = {}
            if t.get("after"):         # a second timed step, reported as "NAME + after"
                a = time.monotonic()
                sh(t["after"])
                extra["after"] = time.monotonic() - a
            sh(t.get("clean"))
            if r:
                samples[t["name"]].append({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, **extra})
json.dump(samples, open(out, "w"))
EOF

        cat > "$W/report.py" <<'EOF'
import json, statistics, sys
samples, unit, floor = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
scale = 1000.0 if unit == "ms" else 1.0
rows = []
for name, xs in samples.items():
    rows.append((name, [x["wall"] for x in xs], [x["cpu"] for x in xs]))
    if xs and "after" in xs[0]:
        rows.append((name + " + sync", [x["wall"] + x["after"] for x in xs], [x["cpu"] for x in xs]))
med = {n: statistics.median(w) for n, w, _ in rows}
ref = sys.argv[4] if len(sys.argv) > 4 else [n for n, _, _ in rows if n.startswith("ctr")][0]
label = sys.argv[4] if len(sys.argv) > 4 else "ctr"
print("| tool | runs | median %s | min–max %s | CPU (user+sys) median %s | × %s | × %s |" % (unit, unit, unit, floor, label))
print("|---|---|---|---|---|---|---|")
for n, w, c in rows:
    print("| %s | %d | %.*f | %.*f–%.*f | %.*f | %.2f | %.2f |" % (
        n, len(w), 2 if unit == "ms" else 2, med[n] * scale, 2, min(w) * scale, 2, max(w) * scale,
        2, statistics.median(c) * scale, med[n] / med[floor], med[n] / med[ref]))
EOF
}

tool_json() {   # NAME PREP CMD CLEAN [AFTER [SYNC [QUIET]]]: one tool's line for the runner
        python3 -c 'import json, sys; print(json.dumps(dict(zip(("name", "prep", "cmd", "clean", "after", "sync", "quiet"), sys.argv[1:]))))' "$@"
}
