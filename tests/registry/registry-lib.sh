# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by the registry tests (run-pull, run-pull-start, run-auto-update): TAP results, free ports,
# docker-registry started on 127.0.0.1 with its access log, registry-proxy in front of it, and counting what was served. They use
# $t (the test's directory) and $proxy (registry-proxy's path).

n=0 failed=0
result() {   # NAME RC
        n=$((n + 1))
        if [[ $2 -eq 0 ]]; then echo "ok $n - $1"; else echo "not ok $n - $1"; failed=$((failed + 1)); fi
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {        # PORT: until something accepts on 127.0.0.1:PORT
        local i
        for ((i = 0; i < 300; i++)); do
                python3 -c "import socket, sys; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return 0
                sleep 0.1
        done
        echo "# nothing listens on port $1"; return 1
}
wait_file() {        # FILE: until it exists
        local i
        for ((i = 0; i < 300; i++)); do [[ -s $1 ]] && return 0; sleep 0.1; done
        echo "# $1 never appeared"; return 1
}
# registry NAME PORT [YAML-LINES]: docker-registry on 127.0.0.1:PORT, storage and access log in $t/reg-NAME
registry() {
        local name=$1 port=$2
        mkdir -p "$t/reg-$name"
        cat >"$t/reg-$name/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $t/reg-$name/data
http:
  addr: 127.0.0.1:$port
${3:-}
EOF
        docker-registry serve "$t/reg-$name/config.yml" >"$t/reg-$name/log" 2>&1 &
        wait_port "$port"
}
# start_proxy NAME ARGS…: registry-proxy, its port in $PROXY_PORT, its log $t/proxy-NAME.log
start_proxy() {
        local name=$1; shift
        rm -f "$t/proxy-$name.port"
        "$proxy" --port-file "$t/proxy-$name.port" --log "$t/proxy-$name.log" "$@" &
        wait_file "$t/proxy-$name.port"
        PROXY_PORT=$(cat "$t/proxy-$name.port")
}
# blob GETs answered 200 for DIGEST in an access log (docker-registry's combined log or the proxy's)
served() {   # LOG DIGEST
        grep -c "\"GET /v2/[^ ]*/blobs/$2 HTTP/1.1\" 200\|\"method\": \"GET\", \"path\": \"/v2/[^\"]*/blobs/$2\", \"status\": 200" "$1" || true
}

