#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, on a free loopback port.
#   scripts/pg_test_server.sh start DIR   -> initdb + start; writes DIR/uri (postgresql://...)
#   scripts/pg_test_server.sh stop DIR    -> stop the server and delete its data
# initdb refuses to run as root, so as root the server runs as the unprivileged 'postgres' user,
# with its data in a fresh directory under /tmp (the checkout's parents may not be readable by
# that user). DIR only records the URI and where the data lives.
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
    data=$(mktemp -d /tmp/alphaloom-pg.XXXXXX)
    echo "$data" > "$dir/datadir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$data"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/initdb" -D "$data/db" -U alphaloom --auth=trust -E UTF8 >/dev/null
    as_owner "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off" start >/dev/null
    echo "postgresql://alphaloom@127.0.0.1:$port/postgres" > "$dir/uri"
    cat "$dir/uri"
    ;;
  stop)
    if [ -f "$dir/datadir" ]; then
      data=$(cat "$dir/datadir")
      if [ -f "$data/db/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$data/db" -m immediate -w stop >/dev/null || true
      fi
      case "$data" in /tmp/alphaloom-pg.*) rm -rf "$data" ;; esac
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
