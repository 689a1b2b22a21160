# Sourced by the example scripts that run PostgreSQL clusters of their
# own: a work directory ($work) and the trap that cleans it up, killing
# every process in pids and stopping every cluster; finding (or, as
# root, installing) the server binaries, running them as the postgres
# user, and starting throwaway clusters and server replicas on free
# ports.

# shellcheck source=examples/ports.sh
source examples/ports.sh

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  pg_stop_all
  rm -rf "$work"
}
trap cleanup EXIT

# as_pg CMD...: runs CMD as the postgres user when the script runs as
# root, since PostgreSQL refuses to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing postgresql with apt-get"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)")
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL server binaries: cannot run"; exit 1; }
chmod 755 "$work" # the postgres user must reach its data directories inside

# pg_start DIR PORT [SERVER OPTIONS...]: starts the cluster in $work/DIR
# on 127.0.0.1:PORT, its socket and log in $work/DIR too.
pg_start() {
  as_pg "$pgbin/pg_ctl" -D "$work/$1/data" -l "$work/$1/log" -w \
    -o "-p $2 -k $work/$1 -c listen_addresses=127.0.0.1 ${*:3}" start >/dev/null
}

# pg_init DIR: a new cluster in $work/DIR, trusting local connections
# (replication ones included).
pg_init() {
  mkdir -p "$work/$1"
  [ "$(id -u)" = 0 ] && chown postgres "$work/$1"
  as_pg "$pgbin/initdb" -D "$work/$1/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
}

# pg_stop_all: stops every cluster under $work, for the exit trap.
pg_stop_all() {
  for data in "$work"/*/data; do
    if [ -f "$data/postmaster.pid" ]; then
      as_pg "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true # a killed one is already gone
    fi
  done
}

# psql_at PORT SQL: runs SQL on the cluster at PORT.
psql_at() {
  as_pg "$pgbin/psql" -qtA -h 127.0.0.1 -p "$1" -U postgres -c "$2" postgres
}

# replica NAME N DSN [ARGS...]: starts replica N of the server built at
# $work/NAME on the database DSN, with the key k; sets ports[N] and
# rpids[N], and adds the process to pids.
declare -A ports rpids
replica() {
  local port
  for _ in 1 2 3 4 5; do # a port taken between the check and the bind: another one
    port=$(free_port)
    "$work/$1" -addr "127.0.0.1:$port" -key k -db "$3" "${@:4}" 2>"$work/$1-$2.log" &
    rpids[$2]=$!
    ports[$2]=$port
    for _ in $(seq 100); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        pids+=("${rpids[$2]}")
        return
      fi
      kill -0 "${rpids[$2]}" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "${rpids[$2]}" 2>/dev/null || true
  done
  echo "replica $2 of $1 did not start:"
  cat "$work/$1-$2.log"
  exit 1
}
