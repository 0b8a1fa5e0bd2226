# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# cgroupfs: a new cgroup, its limits, moving a process; and the classic release_agent escape — mount a cgroup
# v1 hierarchy, point release_agent at a script in the container's root (by its host path) and have a
# cgroup empty itself, so that the kernel runs the script as root on the host. The script would create a
# file on the host; the host asserts it never appears and no cgroup of the container's making exists.

TOK=escape-$(token)
mkdir -p "$T/released"
cat > "$ROOT/agent" <<EOF
#!/bin/sh
touch $T/released/$TOK
EOF
chmod 755 "$ROOT/agent"

script cg <<EOF
for d in /sys/fs/cgroup /sys/fs/cgroup/memory /sys/fs/cgroup/pids /sys/fs/cgroup/unified; do
        /attack mount cgroup2 \$d cgroup2 2>/dev/null
        mkdir \$d/$TOK 2>/dev/null && echo "mkdir \$d: ok"
        /attack write \$d/cgroup.procs 1
        /attack write \$d/release_agent $ROOT/agent
        /attack write \$d/notify_on_release 1
        /attack write \$d/memory.max 4096
        /attack write \$d/pids.max 1
done
/attack release-agent /tmp/cg $ROOT/agent $TOK
echo cg-done
EOF
conf_host cg "Exec=/x/cg"
launch cg
host_cgroups_clean() { [ -z "$(find /sys/fs/cgroup -maxdepth 6 -name "$TOK" 2>/dev/null)" ]; }
check "no cgroup of the container's making on the host" eval 'has cg-done && host_cgroups_clean && lacks "mkdir /sys"'
check "release_agent: the agent never ran on the host" eval '[ ! -e "$T/released/$TOK" ] && lacks "write: ok"'
# should any of it have passed, the host gets rid of it
find /sys/fs/cgroup -maxdepth 5 -depth -type d -name "$TOK" -exec rmdir {} + 2>/dev/null
check "refused: mounting a cgroup v1 hierarchy" eval 'has "release-agent cgroup v1 none,name=ctr-escape: refused" && lacks "release-agent cgroup v1 rdma: ok"'
