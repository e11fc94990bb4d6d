#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, on a free loopback port in a temporary directory.
#   scripts/pg_test_server.sh start DIR   -> initdb + start; writes DIR/uri (postgresql://...)
#   scripts/pg_test_server.sh stop DIR    -> stop and delete DIR
# initdb refuses to run as root, so as root the server runs as the unprivileged 'postgres' user.
set -euo pipefail
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg_test_server: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$action" in
  start)
    "$0" stop "$dir" 2>/dev/null || true
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$dir/data" -U alphaloom --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" start >/dev/null
    echo "postgresql://alphaloom@127.0.0.1:$port/postgres" > "$dir/uri"
    cat "$dir/uri"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
