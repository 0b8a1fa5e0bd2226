# SPDX-License-Identifier: LGPL-2.1-or-later
# Secret= under systemd (issue 17): a credential encrypted with systemd-creds (with the host key: the guest has no
# TPM) and given to ctr@NAME.service by LoadCredentialEncrypted= in the .ctr's [Service] reaches the workload as
# /run/secrets/NAME, the workload user's, mode 0400, on a read-only ramfs; ctrctl exec reads the same file; the
# plaintext is nowhere in the journal nor in the writable layer. The workload prints only hashes of it. A Secret=
# of a credential the unit does not get fails the start, naming file:line.

SECRET_FILE=/etc/credstore.encrypted/ctrtest-db-password

test_encrypted_credential_reaches_the_workload() {
        need_launch_scope
        local secret="vm-secret-$RANDOM$RANDOM$RANDOM" hash log
        mkdir -p /etc/credstore.encrypted
        printf '%s\n' "$secret" |
                systemd-creds encrypt --with-key=host --name=ctrtest-db-password - "$SECRET_FILE"
        grep -qF "$secret" "$SECRET_FILE" && fail "the encrypted credential holds the plaintext"
        hash=$(printf '%s\n' "$secret" | sha256sum | cut -d ' ' -f 1)

        # the bare name: systemd (251 and later) finds it in /etc/credstore.encrypted/
        write_ctr secrets 'User=nobody' 'Secret=ctrtest-db-password' 'Secret=ctrtest-db-password:app/db' \
                'Exec=/bin/sh -c "sha256sum /run/secrets/ctrtest-db-password /run/secrets/app/db; stat -c secret-file:%%u:%%a:%%F /run/secrets/ctrtest-db-password; grep \" /run/secrets \" /proc/self/mountinfo; echo secrets-done; trap \"exit 0\" TERM; sleep infinity & wait"'
        printf '[Service]\nLoadCredentialEncrypted=ctrtest-db-password\n' >>/etc/ctr/secrets.ctr
        systemctl daemon-reload
        start_ctr secrets
        wait_for 30 bash -c 'journalctl -u ctr@secrets.service -o cat --no-pager | grep -q secrets-done'
        log=$(journalctl -u ctr@secrets.service -o cat --no-pager)
        assert_contains "$log" "$hash  /run/secrets/ctrtest-db-password" "the workload reads the decrypted credential"
        assert_contains "$log" "$hash  /run/secrets/app/db" "Secret=NAME:TARGET puts it at /run/secrets/TARGET"
        assert_contains "$log" "secret-file:65534:400:regular file" "the secret is the workload user's, mode 0400"
        assert_contains "$log" " /run/secrets ro,nosuid,nodev,noexec," "/run/secrets read-only, nosuid, nodev, noexec"
        assert_contains "$log" " - ramfs ctr-secrets " "/run/secrets is a ramfs of its own"

        # compared here, never printed: the case's output must not hold the secret either
        [[ $(ctrctl exec secrets -- cat /run/secrets/app/db) == "$secret" ]] ||
                fail "ctrctl exec does not read the secret in /run/secrets/app/db"
        # every field of every entry of this boot: the plaintext is in none of them
        journalctl -b -o verbose --no-pager | grep -qF "$secret" && fail "the secret is in the journal"
        grep -rqF "$secret" /var/lib/ctr/containers/secrets && fail "the secret is in the writable layer"
        systemctl stop ctr@secrets.service
        assert_props ctr@secrets.service ActiveState=inactive Result=success
}

test_secret_not_given_fails_the_start() {
        need_launch_scope
        write_ctr secretless 'Secret=ctrtest-not-given' 'Exec=/bin/echo should-not-run'
        systemctl daemon-reload
        timeout 90 systemctl start ctr@secretless.service && fail "ctr@secretless started without its secret"
        assert_prop ctr@secretless.service ActiveState failed
        local log
        log=$(journalctl -u ctr@secretless.service -o cat --no-pager)
        assert_contains "$log" "/etc/ctr/secretless.ctr:3: Secret=ctrtest-not-given: ctr@secretless.service was given no credential 'ctrtest-not-given'" \
                "the failure names file:line and the credential"
        assert_not_contains "$log" should-not-run "the workload did not run"
        systemctl reset-failed ctr@secretless.service
}
