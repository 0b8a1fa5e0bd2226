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
