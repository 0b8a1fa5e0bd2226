# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/quickstart's second demo, in the VM beside hello: the Debian 12 root the host made from Debian's
# packages (mmdebstrap), carried in the payload as a tarball, imported into the guest's store as debian:12
# and run as ctr@debian with Image=debian:12 — the steps an administrator types on a systemd machine.

# vm-timeout: 300
test_debian() {
        echo "# ctrctl image import debian-12.tar debian:12"
        ctrctl image import "$CTR_VM_PAYLOAD/images/debian-12.tar" debian:12
        echo "# ctrctl image list"
        ctrctl image list
        install -d /etc/ctr
        install -m 0644 "$CTR_VM_PAYLOAD/examples/debian.ctr" /etc/ctr/debian.ctr
        echo "# systemctl daemon-reload && systemctl start ctr@debian"
        systemctl daemon-reload
        systemctl start ctr@debian
        local _
        for _ in {1..20}; do
                journalctl -u ctr@debian -o cat --no-pager | grep -q "hello from Debian" && break
                sleep 0.5
        done
        echo "# systemctl status ctr@debian"
        systemctl status --no-pager ctr@debian || true
        echo "# journalctl -u ctr@debian"
        journalctl --no-pager -u ctr@debian -n 20
        echo "# ctrctl status debian"
        # its first lines: the image and its digest, the command, the writable layer, the limits (the
        # mount table after them is long)
        ctrctl status --no-pager debian | sed '/Mounts:/q' || true
        systemctl is-active ctr@debian
        journalctl -u ctr@debian -o cat --no-pager | grep "hello from Debian GNU/Linux 12"
}
