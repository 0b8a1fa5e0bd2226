# SPDX-License-Identifier: LGPL-2.1-or-later
# ctrctl convert under systemd as PID 1 (issue 19's acceptance): Quadlet files written here from
# podman-systemd.unit(5) are converted into /etc/ctr and run as their originals are documented to: a web
# server with a read-only volume and a published port (podman's default network: a bridge with NAT), a pod of
# two (the second reaches the first over 127.0.0.1 and shares its hostname, the pod's port reaches the
# first), a health-checked service (Notify=healthy: started once its plain HealthCmd=, a shell command to
# podman, passes), a user-namespaced one (UserNS=auto: root inside, a picked range outside), one with a podman
# secret (a systemd credential from /etc/credstore, on /run/secrets), a pod of no container (its infra
# container, which a container added later joins), a keep-id one (UserNS=keep-id: the host's ids on its bind
# as they are, running as uid=, its root no host root), a template with DefaultInstance= (the instance, %i
# and %p written out). The image is the guest's busybox
# imported as localhost/convert:1. Cases run in order and share the containers.

CV=/var/tmp/ctr-convert

cv_need() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
        [[ -x /bin/busybox ]] || skip "no /bin/busybox (busybox-static) in the guest"
}

idle="trap 'exit 0' TERM; sleep infinity & wait"

test_convert_quadlet_files() {
        cv_need
        local r=$CV/root q=$CV/quadlet x rc=0
        rm -rf "$CV"
        mkdir -p "$r"/{bin,etc,tmp} "$q" "$CV/www"
        chmod 1777 "$r/tmp"
        cp /bin/busybox "$r/bin/busybox"
        for x in sh cat echo sleep id hostname httpd wget test touch stat; do ln -s busybox "$r/bin/$x"; done
        echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
        echo 'root:x:0:' >"$r/etc/group"
        tar -C "$r" -czf "$CV/root.tar.gz" bin etc tmp
        ctrctl image import --quiet "$CV/root.tar.gz" localhost/convert:1 || fail "the import failed"
        echo "page-from-the-volume" >"$CV/www/index.html"

        printf '%s\n' "[Unit]" "Description=Converted web server" "" "[Container]" \
                "Image=localhost/convert:1" "Exec=/bin/httpd -f -p 80 -h /www" \
                "Volume=$CV/www:/www:ro" "PublishPort=127.0.0.1:18080:80" "" \
                "[Service]" "Restart=on-failure" "Type=notify" >"$q/cvweb.container"
        printf '%s\n' "[Pod]" "PublishPort=127.0.0.1:18081:8000" "HostName=shop" >"$q/cvshop.pod"
        printf '%s\n' "[Pod]" "HostName=lone" "Network=none" >"$q/cvlone.pod"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Pod=cvshop.pod" \
                "Exec=/bin/sh -c 'echo page-of-the-pod > /tmp/index.html; exec httpd -f -p 8000 -h /tmp'" \
                >"$q/cvshop-a.container"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Pod=cvshop.pod" \
                "Exec=/bin/sh -c \"for i in \$(seq 1 200); do wget -q -O - http://127.0.0.1:8000/index.html && break; sleep 0.05; done; echo host=\$(hostname); $idle\"" \
                >"$q/cvshop-b.container"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=none" \
                "Exec=/bin/sh -c \"sleep 1; touch /tmp/ready; $idle\"" \
                "HealthCmd=test -e /tmp/ready && test -x /bin/sh" "HealthInterval=500ms" "HealthRetries=2" \
                "Notify=healthy" >"$q/cvhealth.container"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=none" "UserNS=auto" \
                "Exec=/bin/sh -c \"echo userns-says uid=\$(id -u) map=\$(cat /proc/self/uid_map); $idle\"" \
                >"$q/cvuserns.container"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=none" "Secret=cvtoken" \
                "Exec=/bin/sh -c \"s=\$(cat /run/secrets/cvtoken); echo secret-bytes=\${#s}; $idle\"" \
                >"$q/cvsecret.container"
        # keep-id: a directory of host uid 1000 that only its owner may enter
        mkdir -p "$CV/keep"
        echo "of-host-uid-1000" >"$CV/keep/file"
        chown -R 1000:1000 "$CV/keep"
        chmod 0700 "$CV/keep"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=none" "UserNS=keep-id:uid=1000,gid=1000" \
                "Volume=$CV/keep:/keep" \
                "Exec=/bin/sh -c \"echo keep-says uid=\$(id -u) gid=\$(id -g) owner=\$(stat -c %%u /keep/file) \$(cat /keep/file); touch /keep/made; $idle\"" \
                >"$q/cvkeep.container"
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=none" \
                "Exec=/bin/sh -c \"echo tpl-says %i %p; $idle\"" "" "[Install]" "DefaultInstance=blue" \
                >"$q/cvtpl@.container"
        mkdir -p /etc/credstore
        printf 'not-for-logs' >/etc/credstore/cvtoken
        chmod 0600 /etc/credstore/cvtoken

        ctrctl convert --output /etc/ctr "$q" 2>"$CV/convert.err" || rc=$?
        cat "$CV/convert.err"
        assert_eq "$rc" 0 "convert's exit status"
        for x in cvweb cvshop-a cvshop-b cvhealth cvuserns cvsecret cvkeep cvtpl-blue; do
                [[ -f /etc/ctr/$x.ctr ]] || fail "/etc/ctr/$x.ctr was not written"
                ctrctl validate "/etc/ctr/$x.ctr" || fail "$x.ctr does not validate"
        done
        [[ ! -e /etc/ctr/cvshop.ctr && ! -e /etc/ctr/cvshop-pod.ctr ]] || fail "a .pod with containers became one"
        [[ -f /etc/ctr/cvlone-pod.ctr ]] || fail "a .pod without containers did not become its infra container"
        assert_contains "$(</etc/ctr/cvshop-b.ctr)" "Network=container:cvshop-a"
        assert_contains "$(</etc/ctr/cvhealth.ctr)" 'HealthCmd=/bin/sh -c "test -e /tmp/ready && test -x /bin/sh"'
        systemctl daemon-reload
}

test_convert_web_server() {
        cv_need
        start_ctr cvweb
        assert_prop ctr@cvweb.service Description "Converted web server"
        wait_for 30 bash -c "[[ \$(/bin/busybox wget -q -O - http://127.0.0.1:18080/index.html 2>/dev/null) == page-from-the-volume ]]"
        # the volume is read-only inside
        assert_contains "$(ctrctl exec cvweb -- /bin/sh -c 'touch /www/x 2>&1; echo rc=$?')" "Read-only file system"
}

test_convert_pod() {
        cv_need
        systemctl stop ctr@cvshop-b.service ctr@cvshop-a.service 2>/dev/null || true
        # the member alone: its unit binds to the pod's owner, which starts first
        timeout 90 systemctl start ctr@cvshop-b.service
        assert_prop ctr@cvshop-a.service ActiveState active
        wait_for 30 bash -c "journalctl -q -o cat -u ctr@cvshop-b.service | grep -qx page-of-the-pod"
        wait_for 10 bash -c "journalctl -q -o cat -u ctr@cvshop-b.service | grep -qx host=shop"
        assert_eq "$(/bin/busybox wget -q -O - http://127.0.0.1:18081/index.html)" "page-of-the-pod" "the pod's port"
}

test_convert_pod_infra() {
        cv_need
        # a .pod no container names: its infra container holds the pod's namespaces, and a container added
        # later joins them (the pod's hostname; its network, Network=none: lo alone, two header lines and lo's)
        start_ctr cvlone-pod
        printf '%s\n' "[Container]" "Image=localhost/convert:1" "Network=container:cvlone-pod" \
                "JoinNamespaces=ipc uts" "PrivateUsers=no" \
                "Exec=/bin/sh -c \"echo joined host=\$(hostname) netdev-lines=\$(busybox wc -l </proc/net/dev); $idle\"" \
                >/etc/ctr/cvlone-member.ctr
        systemctl daemon-reload
        start_ctr cvlone-member
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@cvlone-member.service | grep -qx 'joined host=lone netdev-lines=3'"
        systemctl stop ctr@cvlone-member.service ctr@cvlone-pod.service
}

test_convert_health_checked() {
        cv_need
        start_ctr cvhealth
        # Notify=healthy: active only once a check passed
        assert_contains "$(ctrctl status cvhealth 2>&1)" "Health: healthy"
        ctrctl healthcheck cvhealth || fail "the converted health check does not pass"
}

test_convert_user_namespace() {
        cv_need
        local uid
        start_ctr cvuserns
        uid=$(pid_uid "$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-cvuserns.scope/cgroup.procs)")
        [[ $uid -ge 65536 ]] || fail "UserNS=auto runs as host uid $uid, not in a picked range"
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@cvuserns.service | grep -qF userns-says"
        assert_contains "$(journalctl -q -o cat -u ctr@cvuserns.service)" "userns-says uid=0 map= 0 $uid 65536"
}

test_convert_keep_id() {
        cv_need
        local uid
        start_ctr cvkeep
        uid=$(pid_uid "$(head -n 1 /sys/fs/cgroup/machine.slice/ctr-cvkeep.scope/cgroup.procs)")
        # uid 1000 inside, a picked range's id outside: root inside is no host root
        [[ $uid -ge 65536 ]] || fail "keep-id runs as host uid $uid, not in a user namespace's range"
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@cvkeep.service | grep -qF keep-says"
        # the bind shows the host's ids as they are (podman's keep-id), and what it writes there is the host's
        assert_contains "$(journalctl -q -o cat -u ctr@cvkeep.service)" \
                "keep-says uid=1000 gid=1000 owner=1000 of-host-uid-1000"
        wait_for 10 test -e "$CV/keep/made"
        assert_eq "$(stat -c %u:%g "$CV/keep/made")" "1000:1000" "the owner on the host of a file it made"
}

test_convert_template_instance() {
        cv_need
        start_ctr cvtpl-blue
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@cvtpl-blue.service | grep -qx 'tpl-says blue cvtpl'"
}

test_convert_secret() {
        cv_need
        start_ctr cvsecret
        wait_for 20 bash -c "journalctl -q -o cat -u ctr@cvsecret.service | grep -qx secret-bytes=12"
        assert_not_contains "$(journalctl -q -o cat -u ctr@cvsecret.service)" "not-for-logs" "the journal"
}

test_convert_cleanup() {
        cv_need
        local x
        systemctl stop ctr@cvshop-b.service ctr@cvshop-a.service ctr@cvweb.service ctr@cvhealth.service \
                ctr@cvuserns.service ctr@cvsecret.service ctr@cvlone-member.service ctr@cvlone-pod.service \
                ctr@cvkeep.service ctr@cvtpl-blue.service 2>/dev/null || true
        rm -f /etc/credstore/cvtoken
        for x in cvweb cvshop-a cvshop-b cvhealth cvuserns cvsecret cvlone-pod cvlone-member cvkeep cvtpl-blue; do
                rm -f "/etc/ctr/$x.ctr"
        done
        ctrctl image rm localhost/convert:1 >/dev/null 2>&1 || true
        rm -rf "$CV"
        systemctl daemon-reload
}
