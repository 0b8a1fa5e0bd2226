# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# /etc/resolv.conf, /etc/hosts and /etc/hostname of a root are symlinks in real images
# (/etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf wherever systemd-resolved is installed), and a
# hostile image points them where a launcher that follows them on the host would write or mount: a host file
# by its absolute path, the host's /etc/shadow, ".." beyond the root. Each link is resolved inside the root,
# what is missing is made in the container's tree (the target file and its directories, as runc does), the
# generated file is bound over the target, and the container starts and sees it there. Asserted on the host:
# the canaries and /etc/shadow are the same files with the same content, no mount of the host's names them,
# the image (RootDirectory=, a lower layer) gained nothing, and what was made lies in the writable layer.
# (A defence of the launcher itself: CTR_ESCAPE_PRIVILEGED changes nothing here; before the fix every kind
# of dangling link failed the start with "Failed to create the mount point '/etc/resolv.conf'".)

C_RESOLV=$(canary etc-resolv)
C_HOSTS=$(canary etc-hosts)
C_HOSTNAME=$(canary etc-hostname)
shadow_id() { stat -c %d:%i:%s:%Y /etc/shadow 2>/dev/null; sha256sum /etc/shadow 2>/dev/null; }
SHADOW_ID=$(shadow_id)

# what the container's /etc/resolv.conf holds: the host's, or systemd-resolved's when the host's names only
# its loopback stub (ctr-launch picks the same)
NS=$(grep -m1 '^nameserver' /etc/resolv.conf 2>/dev/null)
case $NS in
*" 127."* | *" ::1"*)
        [ -e /run/systemd/resolve/resolv.conf ] && NS=$(grep -m1 '^nameserver' /run/systemd/resolve/resolv.conf) ;;
esac

# etc_links KIND DIR: the three links of one kind in DIR (an image's /etc, or a writable layer's);
# prints the paths inside the container where resolv.conf, hosts and hostname then lie
etc_links() {
        local dir=$2
        mkdir -p "$dir"
        rm -f "$dir/resolv.conf" "$dir/hosts" "$dir/hostname"
        case $1 in
        relative)       # into /run, dangling, its directories missing
                ln -s ../run/systemd/resolve/stub-resolv.conf "$dir/resolv.conf"
                ln -s ../run/hosts "$dir/hosts"
                ln -s ./../run/a/b/hostname "$dir/hostname"
                echo /run/systemd/resolve/stub-resolv.conf /run/hosts /run/a/b/hostname ;;
        absolute)       # absolute, dangling
                ln -s /run/systemd/resolve/stub-resolv.conf "$dir/resolv.conf"
                ln -s /var/lib/net/hosts "$dir/hosts"
                ln -s /etc/hostname.d/name "$dir/hostname"
                echo /run/systemd/resolve/stub-resolv.conf /var/lib/net/hosts /etc/hostname.d/name ;;
        host)           # host paths: a canary's absolute path, the host's /etc/shadow, /root
                ln -s "$C_RESOLV" "$dir/resolv.conf"
                ln -s /etc/shadow "$dir/hosts"
                ln -s /root/hostname "$dir/hostname"
                echo "$C_RESOLV" /etc/shadow /root/hostname ;;
        dotdot)         # ".." beyond the root, to the host's canaries
                ln -s "../../../../../../../../../..$C_RESOLV" "$dir/resolv.conf"
                ln -s "../../../../../../../../../..$C_HOSTS" "$dir/hosts"
                ln -s "../../../../../../../../../..$C_HOSTNAME" "$dir/hostname"
                echo "$C_RESOLV" "$C_HOSTS" "$C_HOSTNAME" ;;
        chain)          # a link to a link to a dangling link; a file the image has; a sibling
                ln -s resolv.1 "$dir/resolv.conf"
                ln -sf /run/resolv.2 "$dir/resolv.1"
                mkdir -p "$dir/../run"
                ln -sf ../srv/final/resolv.conf "$dir/../run/resolv.2"
                mkdir -p "$dir/../srv"
                echo "image's own hosts" > "$dir/../srv/hosts"
                ln -s /srv/hosts "$dir/hosts"
                ln -s hostname.real "$dir/hostname"
                echo /srv/final/resolv.conf /srv/hosts /etc/hostname.real ;;
        esac
}

# sees NAME RESOLV HOSTS HOSTNAME: the container NAME saw its generated files at /etc and at the targets
sees() {
        local name=$1 resolv=$2 hosts=$3 hostname=$4
        rc_is 0 && lacks ": error " &&
                [ "$(grep -c "^$name\$" "$OUT")" = 2 ] &&
                [ "$(grep -c "^127\.0\.1\.1[[:space:]]$name\$" "$OUT")" = 2 ] &&
                { [ -z "$NS" ] || [ "$(grep -cxF "$NS" "$OUT")" = 2 ]; } &&
                has "cat $resolv" && has "cat $hosts" && has "cat $hostname"
}

# the host is as it was: canaries, /etc/shadow, no mount of the host's over any of them
host_intact() {
        canary_intact "$C_RESOLV" && canary_intact "$C_HOSTS" && canary_intact "$C_HOSTNAME" &&
                [ "$(shadow_id)" = "$SHADOW_ID" ] &&
                ! grep -qE " ($C_RESOLV|$C_HOSTS|$C_HOSTNAME|/etc/shadow|/root/hostname) " /proc/self/mountinfo
}

# start NAME ROOT RESOLV HOSTS HOSTNAME [KEY=VALUE…]: runs a container that prints the three files at /etc
# and at the targets (each "cat" echoed first, so a missing one shows)
start() {
        local name=$1 root=$2 r=$3 h=$4 n=$5
        shift 5
        conf "$name" "RootDirectory=$root" "$@" "Exec=/payload echo 'cat $r' + cat /etc/resolv.conf + cat $r + \
                echo 'cat $h' + cat /etc/hosts + cat $h + echo 'cat $n' + cat /etc/hostname + cat $n"
        launch "$name"
}

# 1. the links in the image (RootDirectory=, the lower layer), the default persistent writable layer
for kind in relative absolute host dotdot chain; do
        R=$T/etcl-$kind
        cp -a "$ROOT" "$R"
        # shellcheck disable=SC2046
        set -- $(etc_links "$kind" "$R/etc")
        find "$R" | sort > "$T/etcl-$kind.before"
        MADE=$CTR_STATE_DIR/containers/etcl-$kind/upper$1
        start "etcl-$kind" "$R" "$@"
        check "/etc links ($kind) in the image: the container starts and sees its files at /etc and at $*" \
                sees "etcl-$kind" "$@"
        check "/etc links ($kind) in the image: the host is intact, nothing mounted over its files" host_intact
        check "/etc links ($kind) in the image: the image gained nothing, what was made is in the writable layer" \
                eval '[ "$(find "$R" | sort)" = "$(cat "$T/etcl-$kind.before")" ] &&
                      [ -f "$MADE" ]'
done

# a second start finds what the first made (in its writable layer) and starts the same
start etcl-relative "$T/etcl-relative" /run/systemd/resolve/stub-resolv.conf /run/hosts /run/a/b/hostname
check "/etc links (relative): a second start over what the first made" \
        sees etcl-relative /run/systemd/resolve/stub-resolv.conf /run/hosts /run/a/b/hostname

# 2. the links in the writable layer (a root that made them itself), the image without them
for kind in relative host; do
        R=$T/etcw-$kind
        cp -a "$ROOT" "$R"
        # shellcheck disable=SC2046
        set -- $(etc_links "$kind" "$CTR_STATE_DIR/containers/etcw-$kind/upper/etc")
        start "etcw-$kind" "$R" "$@"
        check "/etc links ($kind) in the writable layer: the container starts and sees its files" \
                sees "etcw-$kind" "$@"
        check "/etc links ($kind) in the writable layer: the host is intact" host_intact
        check "/etc links ($kind) in the writable layer: the image gained nothing" \
                eval '[ ! -e "$R/run" ] && [ ! -e "$R/etc/resolv.conf" ] && [ ! -e "$R/etc/hosts" ]'
done

# 3. a writable layer on tmpfs (Ephemeral=yes): made there, gone afterwards
R=$T/etce-relative
cp -a "$ROOT" "$R"
# shellcheck disable=SC2046
set -- $(etc_links relative "$R/etc")
start etce-relative "$R" "$@" "Ephemeral=yes"
check "/etc links (relative) with Ephemeral=yes: the container starts and sees its files" \
        sees etce-relative "$@"
check "/etc links (relative) with Ephemeral=yes: nothing left in the image or the state directory" \
        eval 'host_intact && [ ! -e "$R/run" ] && [ ! -e "$CTR_STATE_DIR/containers/etce-relative/upper/run" ]'

# 4. a link to a directory cannot take a file: refused, naming it, and still nothing outside
R=$T/etcd
cp -a "$ROOT" "$R"
ln -s /root "$R/etc/hosts"
start etcd "$R" /etc/resolv.conf /root /etc/hostname
check "/etc/hosts -> /root (a directory): the start is refused, naming /etc/hosts" \
        eval 'rc_is 125 && err_has "/etc/hosts" && host_intact'
