# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The escape suite's helpers, sourced by run-escape once; every case (tests/escape/cases/*.sh) runs in a
# subshell of it and may use:
#
#   $LAUNCH $CTRCTL $ATTACK $PAYLOAD   absolute host paths of ctr-launch, ctrctl, the attack binary, the payload
#   $T      the run's temporary directory;  $CONF the config dir ($CTR_CONFIG_PATH)
#   $ROOT   a fresh container root for each case: /attack, /payload, /etc/passwd (root, app = uid 1001),
#           /etc/group, /tmp, /root, /home/app
#   $OUT $ERR $RC   the last command's output, errors and exit status
#   conf NAME LINE…        writes $CONF/NAME.ctr: "[Container]" then the lines
#   conf_host NAME LINE…   the same with Image=host, $ROOT bound read-only at /x (so /x/attack) and at /attack
#   conf_userns NAME LINE… the same with the store image userns_image made, PrivateUsers=pick, every capability
#                          in its namespace and no seccomp filter ($ROOT read-only at /x): only the user
#                          namespace stands between root in it and the host
#   userns_image           imports that image once (the template root and a static busybox as /bin/sh …);
#                          fails when there is no static busybox (the case then skips)
#   script NAME            stdin becomes the executable $ROOT/NAME (/NAME in the root, /x/NAME with Image=host)
#   launch NAME [ARG…]     ctr-launch --no-scope [ARG…] NAME (stdin /dev/null, timeout 60)
#   launch_bg NAME [ARG…]  the same in the background ($BG: the launcher's pid), output appended to $OUT/$ERR;
#                          stop_bg stops it (SIGTERM, bounded) and sets $RC
#   ctl ARG…               $CTRCTL ARG… (stdin /dev/null, timeout 60)
#   wait_for TEXT FILE     until FILE contains TEXT (bounded: 10 s)
#   canary NAME            creates the host file $T/canary/NAME holding a random token, prints its path
#   canary_intact PATH     the file still holds its token and is still the same file
#   canary_token PATH      the token (to assert that it did not leak into $OUT)
#   check DESC COMMAND…    one TAP case, passing when COMMAND succeeds
#   has/lacks TEXT, err_has TEXT, rc_is N
#   knobs_snapshot         "PATH=VALUE" for each host file in $KNOBS;  knobs_restore SNAPSHOT writes back what changed
#   container_pids         the host PIDs of the processes below $BG (a background container)
#   host_ns_of PID TYPE    readlink /proc/PID/ns/TYPE
#
# CTR_ESCAPE_PRIVILEGED=1 adds AddCapability=ALL, SeccompProfile=unconfined and AppArmorProfile=unconfined (where
# AppArmor is enabled: ctr-default would still deny mounts) to every .ctr that conf writes:
# the attacks then succeed, and every case that runs through conf must fail. That is how a case is shown to
# detect the escape it guards against (the ctrctl run cases have no .ctr and stay confined).
# conf_userns's containers are privileged already: CTR_ESCAPE_PRIVILEGED=1 gives them PrivateUsers=no instead,
# the control that shows each user-namespace case detects the escape the namespace alone prevents.
#
# Results go to $T/results (one line per case), so that counting works across the cases' subshells.

OUT=$T/out
ERR=$T/err
RC=0
BG=
CONF=$T/conf
export CTR_CONFIG_PATH=$CONF
export CTR_RUNTIME_DIR=$T/run
export CTR_STATE_DIR=$T/state
export CTR_LAUNCH=$LAUNCH
mkdir -p "$CONF" "$CTR_RUNTIME_DIR" "$CTR_STATE_DIR" "$T/canary" "$T/.tokens"
: > "$T/results"
: > "$T/bg-pids"

# check DESCRIPTION COMMAND…: one case, passing when COMMAND succeeds
check() {
        local desc=$1 n
        shift
        if "$@"; then
                echo ok >> "$T/results"
                n=$(wc -l < "$T/results")
                echo "ok $n - $desc"
        else
                echo fail >> "$T/results"
                n=$(wc -l < "$T/results")
                echo "not ok $n - $desc"
                echo "# exit status: $RC"
                sed 's/^/# out: /' "$OUT" 2>/dev/null | head -40
                sed 's/^/# err: /' "$ERR" 2>/dev/null | head -20
        fi
}

# skip DESCRIPTION REASON: a case that cannot run here, said so (counts neither way)
skip() {
        echo skip >> "$T/results"
        echo "ok $(wc -l < "$T/results") - $1 # SKIP $2"
}

# conf NAME LINES…: writes CONF/NAME.ctr with a [Container] section
conf() {
        local name=$1
        shift
        {
                echo "[Container]"
                printf '%s\n' "$@"
                [ "${CTR_ESCAPE_PRIVILEGED:-0}" = 0 ] ||
                        printf '%s\n' "AddCapability=ALL" "SeccompProfile=unconfined" "AppArmorProfile=unconfined"
        } > "$CONF/$name.ctr"
}

conf_host() {
        local name=$1
        shift
        conf "$name" "Image=host" "Volume=$ROOT:/x:ro" "Volume=$ROOT/attack:/attack:ro" "$@"
}

conf_userns() {
        local name=$1 users=pick
        shift
        [ "${CTR_ESCAPE_PRIVILEGED:-0}" = 0 ] || users=no
        conf "$name" "Image=localhost/escape-userns" "PrivateUsers=$users" "AddCapability=ALL" \
                "SeccompProfile=unconfined" "Volume=$ROOT:/x:ro" "$@"
}

userns_image() {
        local bb r=$T/userns-image x
        [ -e "$T/userns-image.tar" ] && return 0
        bb=$(command -v busybox) && file -L "$bb" | grep -q 'statically linked' || return 1
        cp -a "$T/root.template" "$r"
        mkdir -p "$r"/{bin,proc,sys,dev,mnt}
        cp "$bb" "$r/bin/busybox"
        for x in sh cat chmod chown cp echo id ls mkdir mount rm sleep stat touch; do
                ln -s busybox "$r/bin/$x"
        done
        tar -C "$r" -cf "$T/userns-image.tar.part" . &&
                "$CTRCTL" image import --quiet "$T/userns-image.tar.part" localhost/escape-userns > /dev/null &&
                mv "$T/userns-image.tar.part" "$T/userns-image.tar"
}

script() {
        { echo "#!/bin/sh"; cat; } > "$ROOT/$1"
        chmod 755 "$ROOT/$1"
}

launch() {
        local name=$1
        shift
        timeout 60 "$LAUNCH" --no-scope "$@" "$name" > "$OUT" 2> "$ERR" < /dev/null
        RC=$?
}

launch_bg() {
        local name=$1
        shift
        # emptied here, not by the background job's redirection: wait_for must not see the last case's output
        : > "$OUT"
        : > "$ERR"
        "$LAUNCH" --no-scope "$@" "$name" >> "$OUT" 2>> "$ERR" < /dev/null &
        BG=$!
        echo "$BG" >> "$T/bg-pids"
}

# bg_running: $BG has not exited (an exited child stays a zombie until waited for, so kill -0 cannot tell)
bg_running() {
        local st
        st=$(sed 's/.*) //' "/proc/$BG/stat" 2>/dev/null) || return 1
        [ "${st%% *}" != Z ]
}

# stop_bg: SIGTERM to the launcher, SIGKILL if it is still there after 30 s; $RC is its status
stop_bg() {
        local i
        [ -n "$BG" ] || return 0
        kill -TERM "$BG" 2>/dev/null
        for i in $(seq 1 300); do
                bg_running || break
                sleep 0.1
        done
        kill -KILL "$BG" 2>/dev/null
        wait "$BG" 2>/dev/null
        RC=$?
        BG=
}

ctl() {
        timeout 60 "$CTRCTL" "$@" > "$OUT" 2> "$ERR" < /dev/null
        RC=$?
}

wait_for() {
        local _
        for _ in $(seq 1 1000); do
                grep -qF -- "$1" "$2" 2>/dev/null && return 0
                sleep 0.01
        done
        return 1
}

token() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

canary() {
        local path=$T/canary/$1 tok
        tok=$(token)
        printf 'canary %s\n' "$tok" > "$path"
        sync "$path"
        # the token and the inode are kept apart from the file, where no container could rewrite them
        printf '%s %s\n' "$tok" "$(stat -c %d:%i "$path")" > "$T/.tokens/$(printf '%s' "$path" | tr / _)"
        echo "$path"
}

canary_intact() {
        local rec tok ident
        rec=$(cat "$T/.tokens/$(printf '%s' "$1" | tr / _)" 2>/dev/null) || return 1
        tok=${rec%% *}
        ident=${rec#* }
        [ -f "$1" ] && [ ! -L "$1" ] && [ "$(stat -c %d:%i "$1")" = "$ident" ] &&
                [ "$(cat "$1")" = "canary $tok" ]
}

canary_token() { cut -d' ' -f1 "$T/.tokens/$(printf '%s' "$1" | tr / _)"; }

# tiocsti_possible: python3 is there to give a command a terminal, and the kernel lets TIOCSTI type into one
# (dev.tty.legacy_tiocsti, where it exists, is on); the terminal-injection cases skip otherwise
PY=/usr/bin/python3
tiocsti_possible() {
        [ -x "$PY" ] && [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 1 ]
}

# on_terminal COMMAND…: runs COMMAND with a new pty as its terminal (python3's pty module: a session of its
# own with the pty as controlling terminal, as a login shell has); what it wrote there → $OUT
on_terminal() {
        timeout 60 "$PY" -c 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))' \
                "$@" > "$OUT" 2> "$ERR" < /dev/null
        RC=$?
}

# then_shell COMMAND: a shell on a new terminal runs COMMAND, then runs the next line it reads there within
# 3 s (an operator's shell reading its next command line)
then_shell() {
        on_terminal /bin/bash -c "$1; read -t 3 -r line && eval \"\$line\"; exit 0"
}

knobs_snapshot() { local k; for k in $KNOBS; do printf '%s=%s\n' "$k" "$(cat "$k" 2>/dev/null)"; done; }
knobs_restore() {
        local line
        while IFS= read -r line; do
                [ -n "${line#*=}" ] && [ "$(cat "${line%%=*}" 2>/dev/null)" != "${line#*=}" ] &&
                        printf '%s\n' "${line#*=}" > "${line%%=*}"
        done <<< "$1"
}

has() { grep -qF -- "$1" "$OUT"; }
lacks() { ! grep -qF -- "$1" "$OUT"; }
err_has() { grep -qF -- "$1" "$ERR"; }
rc_is() { [ "$RC" = "$1" ]; }

host_ns_of() { readlink "/proc/$1/ns/$2" 2>/dev/null; }

# container_pids: every process below the background launcher $BG
container_pids() {
        local todo=("$BG") p c
        while [ ${#todo[@]} -gt 0 ]; do
                p=${todo[0]}
                todo=("${todo[@]:1}")
                for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
                        echo "$c"
                        todo+=("$c")
                done
        done
}

# the container root every case starts from, copied fresh for each case by new_root
make_root() {
        local r=$1
        mkdir -p "$r"/{etc,root,tmp,home/app}
        chmod 1777 "$r/tmp"
        cp "$ATTACK" "$r/attack"
        cp "$PAYLOAD" "$r/payload"
        cat > "$r/etc/passwd" <<EOF
root:x:0:0:root:/root:/payload
app:x:1001:1001:app:/home/app:/payload
EOF
        cat > "$r/etc/group" <<EOF
root:x:0:
app:x:1001:
EOF
}
