# SPDX-License-Identifier: LGPL-2.1-or-later
# AddDevice= under systemd (issue 19): the scope ctr-NAME.scope gets DeviceAllow= for each added device, by its
# number and with its permissions, beside DevicePolicy=closed; inside, the added character device opens for
# reading and writing, the block device added read-only reads but does not open for writing, and a node of
# another host device, bound in with Volume=…:dev (so not stopped by nodev), does not open at all: the cgroup's
# device filter refuses it (EPERM), not the file system.

# MAJOR:MINOR of the node PATH, in decimal
dev_number() {
        local n
        n=$(stat -L -c '%t:%T' "$1")
        echo "$((16#${n%:*})):$((16#${n#*:}))"
}

test_add_device_allowed_by_the_scope() {
        need_launch_scope
        [[ -c /dev/net/tun ]] || skip "no /dev/net/tun in the guest"
        [[ -b /dev/nvme0n1 && -c /dev/kmsg ]] || fail "no /dev/nvme0n1 or /dev/kmsg to probe with"
        local tun disk allow log
        tun=$(dev_number /dev/net/tun)
        disk=$(dev_number /dev/nvme0n1)
        write_ctr devices 'AddDevice=/dev/net/tun' 'AddDevice=/dev/nvme0n1:/dev/disk0:r' \
                'Volume=/dev/kmsg:/dev/kmsg-bound:ro,dev' \
                'Exec=/bin/sh -c "true 3<>/dev/net/tun && echo tun-rw-ok; head -c 1 /dev/disk0 >/dev/null && echo disk-read-ok; true 4<>/dev/disk0 || echo disk-write-denied; head -c 1 /dev/kmsg-bound >/dev/null || echo kmsg-denied; echo devices-done; trap \"exit 0\" TERM; sleep infinity & wait"'
        systemctl daemon-reload
        start_ctr devices
        assert_prop ctr-devices.scope DevicePolicy closed
        allow=$(unit_prop ctr-devices.scope DeviceAllow)
        assert_contains "$allow" "/dev/char/$tun rwm" "DeviceAllow= of the added character device"
        assert_contains "$allow" "/dev/block/$disk r" "DeviceAllow= of the added block device, read-only"
        assert_contains "$allow" "/dev/null rw" "DeviceAllow= keeps ctr's own nodes"
        assert_not_contains "$allow" "/dev/kmsg" "no DeviceAllow= for a node bound with Volume="
        wait_for 30 bash -c 'journalctl -u ctr@devices.service -o cat --no-pager | grep -q devices-done'
        log=$(journalctl -u ctr@devices.service -o cat --no-pager)
        assert_contains "$log" tun-rw-ok "the added /dev/net/tun opens for reading and writing"
        assert_contains "$log" disk-read-ok "the disk added with r reads"
        assert_contains "$log" disk-write-denied "the disk added with r does not open for writing"
        assert_contains "$log" kmsg-denied "a node of a device not added does not open"
        assert_contains "$log" "Operation not permitted" "refused by the device filter (EPERM)"
        assert_not_contains "$log" "Permission denied" "not by file permissions or nodev (EACCES)"
        systemctl stop ctr@devices.service
        assert_props ctr@devices.service ActiveState=inactive Result=success
}

# A disk added at the name devtmpfs gives it: ctr-default denies that name inside (the host's disks by name),
# so the node would open with EACCES; the start is refused instead, naming the line and another path. Under
# AppArmorProfile=unconfined the same line starts and the disk reads.
test_add_device_name_denied_by_ctr_default() {
        need_launch_scope
        [[ $(cat /sys/module/apparmor/parameters/enabled 2>/dev/null) == Y ]] || fail "AppArmor is not enabled in the guest"
        [[ -b /dev/nvme0n1 ]] || fail "no /dev/nvme0n1 to probe with"
        local log
        write_ctr devname 'AddDevice=/dev/nvme0n1:r' 'Exec=/bin/sh -c "head -c 1 /dev/nvme0n1 >/dev/null && echo disk-read-ok; trap \"exit 0\" TERM; sleep infinity & wait"'
        systemctl daemon-reload
        timeout 90 systemctl start ctr@devname.service && fail "AddDevice=/dev/nvme0n1 started under ctr-default"
        log=$(journalctl -u ctr@devname.service -o cat --no-pager)
        assert_contains "$log" "/etc/ctr/devname.ctr:3: AddDevice=/dev/nvme0n1: the AppArmor profile ctr-default denies '/dev/nvme0n1'" \
                "the refusal names the line and the profile"
        assert_contains "$log" "AddDevice=/dev/nvme0n1:/dev/ctr-nvme0n1" "the refusal names another path"
        systemctl reset-failed ctr@devname.service 2>/dev/null || true

        write_ctr devname 'AppArmorProfile=unconfined' 'AddDevice=/dev/nvme0n1:r' 'Exec=/bin/sh -c "head -c 1 /dev/nvme0n1 >/dev/null && echo disk-read-ok; trap \"exit 0\" TERM; sleep infinity & wait"'
        systemctl daemon-reload
        start_ctr devname
        wait_for 30 bash -c 'journalctl -u ctr@devname.service -o cat --no-pager | grep -q disk-read-ok' ||
                fail "the disk at its own name did not read under AppArmorProfile=unconfined"
        systemctl stop ctr@devname.service
}
