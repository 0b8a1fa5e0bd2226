# SPDX-License-Identifier: LGPL-2.1-or-later
# ctrctl apply against systemd as PID 1 (issue 15): one daemon-reload only when a file changed, new containers
# started and enabled per [Install], only the running containers whose effective configuration changed
# restarted (asserted from systemd's own start timestamps), --prune stopping and removing, --start, --check,
# a failed start reported. The cases share /etc/ctr's aply* containers and run in order.

APPLY_SRC=/var/lib/ctr-apply-test/src

apply_need() {
        command -v ctrctl >/dev/null || skip "ctrctl is not in the installed tree"
        need_launch_scope
}

# SOURCE file NAME.ctr: an Image=host sleeper, persistent (a writable layer), extra [Container] lines after
apply_src() {   # NAME [LINE…]
        local name=$1
        shift
        mkdir -p "$APPLY_SRC"
        {
                printf '[Unit]\nDescription=apply test %s\n\n[Container]\nImage=host\n' "$name"
                printf 'Exec=/bin/sh -c "trap \\"exit 0\\" TERM; while :; do sleep 1 & wait; done"\n'
                printf '%s\n' "$@"
        } >"$APPLY_SRC/$name.ctr"
}

# "ActiveState MainPID ExecMainStartTimestampMonotonic" of each NAME, one line each
apply_starts() {
        local n
        for n in "$@"; do
                echo "$n $(systemctl show -P ActiveState ctr@"$n".service) $(systemctl show -P ExecMainStartTimestampMonotonic ctr@"$n".service)"
        done
}

# how many times systemd reloaded since the journal cursor in $1. PID 1's messages reach the journal in order
# but late under load: a transient unit started now marks the end, and the count is taken once its message
# is there (a reload that had not arrived yet would come before it).
reloads_since() {
        # No _PID=1 match on journalctl: with a match, --after-cursor skips the first
        # *matching* entry after the cursor whenever the cursor's own entry does not
        # match (journalctl steps twice under the match), which dropped the reload
        # when the last entry before the run was a generator's message. PID 1's
        # lines are picked from the unfiltered output instead.
        local mark=ctrtest-apply-mark-$RANDOM$RANDOM cursor
        cursor=$(<"$1")
        systemd-run -q --unit="$mark" /bin/true
        wait_for 60 bash -c "journalctl -q --after-cursor='$cursor' -o short | grep -q ' systemd\[1\]: .*$mark'" >/dev/null ||
                fail "PID 1's message about $mark did not reach the journal"
        journalctl -q --after-cursor="$cursor" -o short | sed "/ systemd\[1\]: .*$mark/q" |
                grep -cE " systemd\[1\]: Reloading(\.| requested)" || true
}

journal_mark() {        # FILE: the journal's current cursor into FILE
        # the last entry is usually not PID 1's; make it so always, so reloads_since() is
        # exercised the way the full suite meets it
        logger -t ctrtest-apply "journal mark"
        journalctl -q -n 0 --show-cursor | sed -n 's/^-- cursor: //p' >"$1"
        [[ -s $1 ]] || journalctl -q -n 1 --show-cursor -o cat | sed -n 's/^-- cursor: //p' >"$1"
}

test_apply_creates_starts_and_enables() {
        apply_need
        rm -rf "$APPLY_SRC"
        apply_src aplyweb '' '[Install]' 'WantedBy=multi-user.target'
        apply_src aplydb 'Environment=MODE=one'
        apply_src aplyside
        journal_mark /tmp/apply.cursor
        local out
        out=$(ctrctl apply --json "$APPLY_SRC") || fail "apply failed: $out"
        echo "$out"
        assert_contains "$out" '"systemd":true'
        assert_contains "$out" '"reloaded":true'
        assert_contains "$out" '{"name":"aplyweb","state":"created"'
        assert_contains "$out" '"job":"start","result":"done"'
        [[ $(grep -o '"job":"start","result":"done"' <<<"$out" | wc -l) == 3 ]] || fail "not 3 starts done: $out"
        assert_eq "$(reloads_since /tmp/apply.cursor)" 1 "daemon-reloads"
        assert_props ctr@aplyweb.service ActiveState=active NeedDaemonReload=no
        assert_props ctr@aplydb.service ActiveState=active
        assert_props ctr@aplyside.service ActiveState=active
        # [Install] is the generator's: enabled by the reload, as systemctl enable would
        [[ -L /run/systemd/generator/multi-user.target.wants/ctr@aplyweb.service ]] ||
                fail "aplyweb's WantedBy= link is missing"
        [[ ! -e /run/systemd/generator/multi-user.target.wants/ctr@aplydb.service ]] ||
                fail "aplydb has no [Install] but was enabled"
        cmp "$APPLY_SRC/aplydb.ctr" /etc/ctr/aplydb.ctr || fail "/etc/ctr/aplydb.ctr is not the SOURCE's"
}

test_apply_second_run_changes_nothing() {
        apply_need
        local before after out
        before=$(apply_starts aplyweb aplydb aplyside)
        journal_mark /tmp/apply.cursor
        out=$(ctrctl apply "$APPLY_SRC") || fail "apply failed: $out"
        echo "$out"
        assert_contains "$out" "Nothing to change: 3 unchanged."
        out=$(ctrctl apply --json "$APPLY_SRC")
        assert_contains "$out" '"changed":false'
        assert_contains "$out" '"reloaded":false'
        after=$(apply_starts aplyweb aplydb aplyside)
        assert_eq "$before" "$after"
        assert_eq "$(reloads_since /tmp/apply.cursor)" 0 "daemon-reloads"
}

test_apply_restarts_only_what_changed() {
        apply_need
        local before out web db side
        before=$(apply_starts aplyweb aplydb aplyside)
        apply_src aplydb 'Environment=MODE=two'
        # a comment and another key order in aplyweb: its files change, what it runs does not
        { echo '# managed by apply'; cat "$APPLY_SRC/aplyweb.ctr"; } >"$APPLY_SRC/aplyweb.ctr.new"
        mv "$APPLY_SRC/aplyweb.ctr.new" "$APPLY_SRC/aplyweb.ctr"
        out=$(ctrctl apply --diff "$APPLY_SRC") || fail "apply failed: $out"
        echo "$out"
        assert_contains "$out" "aplydb: restarted"
        assert_contains "$out" "aplyweb: updated (the effective configuration is the same)"
        assert_contains "$out" "aplyside: unchanged"
        assert_contains "$out" "-Environment=MODE=one"
        assert_contains "$out" "+Environment=MODE=two"
        web=$(apply_starts aplyweb)
        side=$(apply_starts aplyside)
        db=$(apply_starts aplydb)
        assert_contains "$before" "$web"
        assert_contains "$before" "$side"
        assert_not_contains "$before" "$db"
        assert_contains "$db" "aplydb active"
        # the restarted container runs the new value
        local pid
        pid=$(sed -n 's/^INIT_PID=//p' /run/ctr/aplydb/state)
        tr '\0' '\n' <"/proc/$pid/environ" | grep -qx MODE=two || fail "aplydb's workload does not see MODE=two"
}

test_apply_check_reports_without_doing() {
        apply_need
        local before out
        before=$(apply_starts aplyweb aplydb aplyside)
        apply_src aplyside 'MemoryMax=96M'
        out=$(ctrctl apply --check --diff "$APPLY_SRC") || fail "apply --check failed: $out"
        echo "$out"
        assert_contains "$out" "aplyside: restarted"
        assert_contains "$out" "+MemoryMax=96M"
        assert_contains "$out" "(--check: nothing written)"
        out=$(ctrctl apply --check --json "$APPLY_SRC")
        assert_contains "$out" '"check":true'
        assert_contains "$out" '"changed":true'
        assert_contains "$out" '"job":"restart","result":null'
        assert_eq "$before" "$(apply_starts aplyweb aplydb aplyside)"
        assert_not_contains "$(cat /etc/ctr/aplyside.ctr)" "MemoryMax=96M"
        # now for real: only aplyside restarts, and its scope has the new limit
        out=$(ctrctl apply "$APPLY_SRC") || fail "apply failed: $out"
        assert_contains "$out" "aplyside: restarted"
        assert_prop ctr-aplyside.scope MemoryMax $((96 * 1024 * 1024))
}

# A run killed between its writes and its restarts (or a hand edit without a restart): the files already say
# what the SOURCE says, but the container runs the older configuration. The next run restarts it.
test_apply_restarts_a_container_running_an_older_config() {
        apply_need
        local out before
        apply_src aplydb 'Environment=MODE=three'
        cp "$APPLY_SRC/aplydb.ctr" /etc/ctr/aplydb.ctr
        systemctl daemon-reload
        before=$(apply_starts aplydb)
        out=$(ctrctl apply "$APPLY_SRC") || fail "apply failed: $out"
        echo "$out"
        assert_contains "$out" "aplydb: restarted (it ran an older configuration than its files')"
        assert_not_contains "$(apply_starts aplydb)" "$before"
        out=$(ctrctl apply "$APPLY_SRC")
        assert_contains "$out" "Nothing to change"
}

test_apply_leaves_a_stopped_container_stopped_unless_start() {
        apply_need
        local out
        systemctl stop ctr@aplyside.service
        out=$(ctrctl apply "$APPLY_SRC") || fail "apply failed: $out"
        assert_contains "$out" "Nothing to change"
        assert_prop ctr@aplyside.service ActiveState inactive
        # a change to a stopped container: written, not started
        apply_src aplyside 'MemoryMax=80M'
        out=$(ctrctl apply "$APPLY_SRC") || fail "apply failed: $out"
        assert_contains "$out" "aplyside: updated (not running: its next start runs it)"
        assert_prop ctr@aplyside.service ActiveState inactive
        out=$(ctrctl apply --start "$APPLY_SRC") || fail "apply --start failed: $out"
        echo "$out"
        assert_contains "$out" "aplyside: started"
        assert_prop ctr@aplyside.service ActiveState active
}

test_apply_no_restart_reloads_only() {
        apply_need
        local before out
        before=$(apply_starts aplydb)
        apply_src aplydb 'Environment=MODE=four'
        out=$(ctrctl apply --no-restart --json "$APPLY_SRC") || fail "apply failed: $out"
        assert_contains "$out" '"reloaded":true'
        assert_contains "$out" '{"name":"aplydb","state":"updated","config_changed":true'
        assert_eq "$before" "$(apply_starts aplydb)"
        assert_prop ctr@aplydb.service NeedDaemonReload no
        # ctrctl status sees the drift the restart would fix
        assert_contains "$(ctrctl status aplydb 2>&1)" "changed since"
        out=$(ctrctl apply "$APPLY_SRC")
        assert_contains "$out" "aplydb: restarted"
}

test_apply_failed_start_is_reported() {
        apply_need
        local out rc=0
        # an image that is not in the store and cannot be pulled (nothing listens there): validate warns,
        # the start fails
        mkdir -p /var/lib/ctr-apply-test/bad
        printf '[Container]\nImage=127.0.0.1:9/nosuch:1\n' >/var/lib/ctr-apply-test/bad/aplybad.ctr
        out=$(ctrctl apply /var/lib/ctr-apply-test/bad/aplybad.ctr 2>&1) || rc=$?
        echo "$out"
        assert_eq 1 "$rc"
        assert_contains "$out" "aplybad: created, start failed: Job for ctr@aplybad.service failed"
        [[ -f /etc/ctr/aplybad.ctr ]] || fail "the file of a container that failed to start was not kept"
}

test_apply_prune_stops_removes_and_keeps_data() {
        apply_need
        local out
        wait_for 20 test -f /run/ctr/aplyside/state
        ctrctl exec aplyside -- /bin/sh -c 'echo kept >/var/tmp/apply-marker'
        rm -f "$APPLY_SRC/aplyside.ctr"
        out=$(ctrctl apply --prune "$APPLY_SRC") || fail "apply --prune failed: $out"
        echo "$out"
        assert_contains "$out" "aplyside: removed, stopped"
        assert_contains "$out" "aplybad: removed"
        [[ ! -e /etc/ctr/aplyside.ctr ]] || fail "aplyside.ctr is still there"
        assert_prop ctr@aplyside.service ActiveState inactive
        [[ ! -e /run/systemd/generator/ctr@aplyside.service.d ]] || fail "the generator still makes ctr@aplyside"
        grep -qx kept /var/lib/ctr/containers/aplyside/upper/var/tmp/apply-marker ||
                fail "--prune removed aplyside's writable layer"
        # --remove-data: the layer goes too
        rm -f "$APPLY_SRC/aplydb.ctr"
        out=$(ctrctl apply --prune --remove-data "$APPLY_SRC") || fail "apply --prune --remove-data failed: $out"
        assert_contains "$out" "aplydb: removed, stopped"
        [[ ! -e /var/lib/ctr/containers/aplydb ]] || fail "--remove-data left aplydb's layer"
        [[ -e /var/lib/ctr/containers/aplyside ]] || fail "--remove-data removed a container pruned before"
        out=$(ctrctl apply --prune "$APPLY_SRC")
        assert_contains "$out" "Nothing to change: 1 unchanged."
}

test_apply_cleanup() {
        apply_need
        rm -rf "$APPLY_SRC"
        mkdir -p "$APPLY_SRC"
        ctrctl apply --prune --remove-data "$APPLY_SRC" >/dev/null || fail "the cleanup apply failed"
        rm -rf /var/lib/ctr-apply-test /var/lib/ctr/containers/aplyside
        assert_eq "" "$(ls /etc/ctr | grep '^aply' || true)"
}
