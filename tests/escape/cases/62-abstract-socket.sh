# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# The host's abstract unix sockets (no file, no permission: the network namespace is the only fence — think of
# containerd-shim's): a listener in the host's network namespace, a connect from the container. The listener
# records the first message it gets; the host then connects itself, so the first message is the host's unless
# the container got through.

NAME=ctr-escape-$(token)
cat > "$T/listen.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind("\0" + sys.argv[1])
s.listen(8)
print("listening", flush=True)
c, _ = s.accept()
c.settimeout(10)
open(sys.argv[2], "w").write(c.recv(100).decode(errors="replace"))
EOF
python3 "$T/listen.py" "$NAME" "$T/first" > "$T/listen.out" 2>&1 &
LISTENER=$!
wait_for listening "$T/listen.out"

conf abstract "RootDirectory=$ROOT" "Exec=/attack abstract $NAME from-the-container"
launch abstract
conf_host abstracthost "Exec=/attack abstract $NAME from-the-container"
launch abstracthost
python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.connect("\0" + sys.argv[1]); s.send(b"host")' "$NAME"
wait "$LISTENER"
check "the host's abstract socket: the container never connects" \
        eval '[ "$(cat "$T/first")" = host ] && has "abstract connect: refused"'
