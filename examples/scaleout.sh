#!/usr/bin/env bash
# Scale-out proof (rule R14 across replicas, G4 across replicas): starts a
# throwaway PostgreSQL, three replicas of the L server on one database,
# and sends 16 clients x 100 note appends spread round-robin over them;
# then a second wave, during which one replica is killed with SIGKILL,
# then a third of 128 clients at once on PostgreSQL's default
# max_connections (100), which the replicas' bounded pools fit: no 500.
# Every append a client saw acknowledged (200) must be in the notes.
# Then three replicas of the G server on another database, with two
# tenants seeded with the same contacts, and in each tenant 50
# concurrent PATCHes giving one email to 50 different contacts across
# the replicas: exactly one per tenant may win, the others get 409.
# email_winners is 1 when each tenant has exactly one.
#
# The last line reads: acknowledged N present N lost 0 email_winners 1
# errors_500 0.
# Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin; as root
# it installs Debian's postgresql package when they are missing), curl
# and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${CLIENTS:-16}
appends=${APPENDS:-100}
# shellcheck source=examples/pg.sh
source examples/pg.sh # the script runs from the repository root; sets $work

echo "== PostgreSQL"
pg_init pg
pgport=$(free_port)
pg_start pg "$pgport" # at PostgreSQL's default max_connections, 100: the replicas' pools fit
pgurl="postgres://postgres@127.0.0.1:$pgport"
for db in leadlex gomry; do psql_at "$pgport" "CREATE DATABASE $db"; done

for server in leadlex gomry; do go build -o "$work/$server" "./examples/$server"; done

echo "== three L replicas on one database"
for n in 1 2 3; do replica leadlex "$n" "$pgurl/leadlex"; done
contact=/v1/contacts/123e4567-e89b-12d3-a456-426614174000

# wave W: each client appends its notes, round-robin over the replicas,
# and records each acknowledged one.
# A 500 is recorded in errors-W-C: there must be none.
cpids=()
wave() {
  cpids=()
  for c in $(seq "${2:-$clients}"); do
    (
      for i in $(seq "${3:-$appends}"); do
        n=$(((c + i) % 3 + 1))
        note="w$1-c$c-n$i"
        code=$(curl -s -o /dev/null -w '%{http_code}' -X PATCH "http://127.0.0.1:${ports[$n]}$contact" \
          -H "Authorization: Bearer k" -H "Content-Type: application/json" -d "{\"notes\": \"$note\"}" || true)
        if [ "$code" = 200 ]; then echo "$note" >>"$work/acked-$1-$c"; fi
        if [ "$code" = 500 ]; then echo "$note" >>"$work/errors-$1-$c"; fi
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

replica leadlex 3 "$pgurl/leadlex" # back again, as an orchestrator would restart it
wave 3 128 5 # 128 clients on the hot contact at once, at PostgreSQL's default max_connections
wait_clients
errors=$( (cat "$work"/errors-* 2>/dev/null || true) | wc -l)
echo "wave 3: 128 clients, $(cat "$work"/acked-3-* | wc -l) acknowledged, $errors answered 500"

notes=$(curl -s "http://127.0.0.1:${ports[1]}$contact" -H "Authorization: Bearer k" | jq -r '.data.notes')
acknowledged=$(cat "$work"/acked-* | wc -l)
present=$(grep -cxFf <(printf '%s\n' "$notes") <(cat "$work"/acked-*) || true)
lost=$((acknowledged - present))
echo "notes hold $(printf '%s\n' "$notes" | wc -l) lines; $present of $acknowledged acknowledged appends present"

echo "== three G replicas on one database, two tenants: in each, 50 contacts race for one email"
{
  echo '{"contacts": ['
  for i in $(seq 50); do
    printf '{"data": {"id": "contact%02d", "first_name": "C%d", "last_name": "Race", "email": "c%d@example.com", "status": "active", "tags": []}}' "$i" "$i" "$i"
    [ "$i" -lt 50 ] && echo ","
  done
  echo ']}'
} >"$work/gomry-seed.json"
# Both tenants get the same contacts, ids and emails included (rule T3).
echo '[{"key": "ka", "tenant": "org_a", "scopes": ["write"]}, {"key": "kb", "tenant": "org_b", "scopes": ["write"]}]' >"$work/keys.json"
for n in 4 5 6; do
  replica gomry "$n" "$pgurl/gomry" -keys "$work/keys.json" -seed "org_a=$work/gomry-seed.json" -seed "org_b=$work/gomry-seed.json"
done
cpids=()
for i in $(seq 50); do
  for key in ka kb; do
    n=$((i % 3 + 4))
    curl -s -o "$work/race-$key-$i.json" -w '%{http_code}\n' -X PATCH "http://127.0.0.1:${ports[$n]}/api/v1/contacts/$(printf 'contact%02d' "$i")" \
      -H "X-API-KEY: $key" -H "Content-Type: application/json" -d '{"email": "winner@example.com"}' >"$work/race-$key-$i.code" &
    cpids+=($!)
  done
done
wait_clients
winners=1
for key in ka kb; do
  won=$(cat "$work"/race-$key-*.code | grep -c '^200$' || true)
  conflicts=$(cat "$work"/race-$key-*.code | grep -c '^409$' || true)
  owners=$(for i in $(seq 50); do
    curl -s "http://127.0.0.1:${ports[5]}/api/v1/contacts/$(printf 'contact%02d' "$i")" -H "X-API-KEY: $key" | jq -r '.data.email'
  done | grep -c '^winner@example.com$' || true)
  echo "email race with key $key: $won answered 200, $conflicts answered 409, of 50; $owners of the tenant's contacts hold the email afterwards"
  if [ "$won" != 1 ] || [ "$conflicts" != 49 ] || [ "$owners" != 1 ]; then winners=$won; fi
done

echo "acknowledged $acknowledged present $present lost $lost email_winners $winners errors_500 $errors"
[ "$lost" = 0 ] && [ "$winners" = 1 ] && [ "$errors" = 0 ]
