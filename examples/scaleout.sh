#!/usr/bin/env bash
# Scale-out proof (rule R14 across replicas, G4 across replicas): starts a
# throwaway PostgreSQL, three replicas of the L server on one database,
# and sends 16 clients x 100 note appends spread round-robin over them;
# then a second wave, during which one replica is killed with SIGKILL.
# Every append a client saw acknowledged (200) must be in the notes.
# Then three replicas of the G server on another database, and 50
# concurrent PATCHes giving one email to 50 different contacts across
# them: exactly one may win, the others get 409.
#
# The last line reads: acknowledged N present N lost 0 email_winners 1.
# Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin; as root
# it installs Debian's postgresql package when they are missing), curl
# and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${CLIENTS:-16}
appends=${APPENDS:-100}
work=$(mktemp -d)
chmod 755 "$work" # the postgres user must reach its data directory inside
pids=()
pgbin=""
cleanup() {
  for pid in "${pids[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done
  if [ -n "$pgbin" ]; then as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# as_pg CMD...: runs CMD as the postgres user when this script runs as
# root, since PostgreSQL refuses to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing postgresql with apt-get"
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL server binaries: cannot run"; exit 1; }

# shellcheck source=examples/ports.sh
source examples/ports.sh # the script runs from the repository root

echo "== PostgreSQL"
mkdir -p "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
pgport=$(free_port)
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pgport -k $work/pg -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
pgurl="postgres://postgres@127.0.0.1:$pgport"
for db in leadlex gomry; do
  as_pg "$pgbin/psql" -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE $db" postgres
done

for server in leadlex gomry; do go build -o "$work/$server" "./examples/$server"; done

# replica NAME N DB [ARGS...]: starts replica N of a server, sets ports[N].
declare -A ports rpids
replica() {
  local port
  for _ in 1 2 3 4 5; do # a port taken between the check and the bind: another one
    port=$(free_port)
    "$work/$1" -addr "127.0.0.1:$port" -key k -db "$pgurl/$3" "${@:4}" 2>"$work/$1-$2.log" &
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

echo "== three L replicas on one database"
for n in 1 2 3; do replica leadlex "$n" leadlex; done
contact=/v1/contacts/123e4567-e89b-12d3-a456-426614174000

# wave W: each client appends its notes, round-robin over the replicas,
# and records each acknowledged one.
cpids=()
wave() {
  cpids=()
  for c in $(seq "$clients"); do
    (
      for i in $(seq "$appends"); do
        n=$(((c + i) % 3 + 1))
        note="w$1-c$c-n$i"
        code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH "http://127.0.0.1:${ports[$n]}$contact" \
          -H "Authorization: Bearer k" -H "Content-Type: application/json" -d "{\"notes\": \"$note\"}" || true)
        if [ "$code" = 200 ]; then echo "$note" >>"$work/acked-$1-$c"; fi
      done
    ) &
    cpids+=($!)
  done
}

wave 1
wait_clients() { wait "${cpids[@]}"; }
wait_clients
echo "wave 1: $(cat "$work"/acked-1-* | wc -l) acknowledged"

wave 2
half=$((clients * appends / 2))
while [ "$(cat "$work"/acked-2-* 2>/dev/null | wc -l)" -lt "$half" ]; do sleep 0.1; done
kill -9 "${rpids[3]}"
wait "${rpids[3]}" 2>/dev/null || true # the shell's own "Killed" notice goes nowhere
echo "wave 2: replica 3 killed with SIGKILL after $(cat "$work"/acked-2-* | wc -l) acknowledged appends"
wait_clients
echo "wave 2: $(cat "$work"/acked-2-* | wc -l) acknowledged"

notes=$(curl -s "http://127.0.0.1:${ports[1]}$contact" -H "Authorization: Bearer k" | jq -r '.data.notes')
acknowledged=$(cat "$work"/acked-* | wc -l)
present=$(grep -cxFf <(printf '%s\n' "$notes") <(cat "$work"/acked-*) || true)
lost=$((acknowledged - present))
echo "notes hold $(printf '%s\n' "$notes" | wc -l) lines; $present of $acknowledged acknowledged appends present"

echo "== three G replicas on one database: 50 contacts race for one email"
{
  echo '{"contacts": ['
  for i in $(seq 50); do
    printf '{"data": {"id": "contact%02d", "first_name": "C%d", "last_name": "Race", "email": "c%d@example.com", "status": "active", "tags": []}}' "$i" "$i" "$i"
    [ "$i" -lt 50 ] && echo ","
  done
  echo ']}'
} >"$work/gomry-seed.json"
for n in 4 5 6; do replica gomry "$n" gomry -seed "$work/gomry-seed.json"; done
cpids=()
for i in $(seq 50); do
  n=$((i % 3 + 4))
  curl -s -o "$work/race-$i.json" -w '%{http_code}\n' -X PATCH "http://127.0.0.1:${ports[$n]}/api/v1/contacts/$(printf 'contact%02d' "$i")" \
    -H "X-API-KEY: k" -H "Content-Type: application/json" -d '{"email": "winner@example.com"}' >"$work/race-$i.code" &
  cpids+=($!)
done
wait_clients
winners=$(cat "$work"/race-*.code | grep -c '^200$' || true)
conflicts=$(cat "$work"/race-*.code | grep -c '^409$' || true)
echo "email race: $winners answered 200, $conflicts answered 409, of 50"
owners=$(for i in $(seq 50); do
  curl -s "http://127.0.0.1:${ports[5]}/api/v1/contacts/$(printf 'contact%02d' "$i")" -H "X-API-KEY: k" | jq -r '.data.email'
done | grep -c '^winner@example.com$' || true)
echo "contacts holding the email afterwards: $owners"

echo "acknowledged $acknowledged present $present lost $lost email_winners $winners"
[ "$lost" = 0 ] && [ "$winners" = 1 ] && [ "$conflicts" = 49 ] && [ "$owners" = 1 ]
