# SPDX-License-Identifier: LGPL-2.1-or-later
# tools/quickstart's demo, run in the project's VM when the host's PID 1 is not systemd: the same steps
# an administrator types on a systemd machine.

test_hello() {
        install -d /etc/ctr
        install -m 0644 "$CTR_VM_PAYLOAD/examples/hello.ctr" /etc/ctr/hello.ctr
        echo "# systemctl daemon-reload && systemctl start ctr@hello"
        systemctl daemon-reload
        systemctl start ctr@hello
        sleep 2
        echo "# systemctl status ctr@hello"
        systemctl status --no-pager ctr@hello || true
        echo "# journalctl -u ctr@hello"
        journalctl --no-pager -u ctr@hello -n 20
        echo "# systemctl show ctr-hello.scope -p Slice -p MemoryMax -p TasksMax"
        systemctl show ctr-hello.scope -p Slice -p MemoryMax -p TasksMax
        systemctl is-active ctr@hello
}
