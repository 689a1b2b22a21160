#!/usr/bin/env bash
# Delivery proof (rules I1, E1, E2): a throwaway PostgreSQL, two replicas
# of the L server on one database, the first delivering the change feed
# to a webhook receiver on loopback (examples/cmd/hookrecv, which checks
# every signature and refuses every 7th delivery so that the deliverer
# retries). Clients append notes, each with an Idempotency-Key of its
# own, and retry a note that got no 200 with the same key over either
# replica. Halfway, the delivering replica is killed with SIGKILL, in
# the middle of writes and deliveries, and started again.
#
# Every acknowledged note must be in the notes exactly once, every
# committed append must have one event in the feed, and every event
# must reach the receiver. The last line reads:
# acknowledged N present N duplicated 0 events N delivered N lost 0.
# Needs PostgreSQL's server binaries (/usr/lib/postgresql/*/bin; as root
# it installs Debian's postgresql package when they are missing), curl
# and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${CLIENTS:-8}
appends=${APPENDS:-25}
# shellcheck source=examples/pg.sh
source examples/pg.sh # the script runs from the repository root; sets $work

echo "== PostgreSQL"
pg_init pg
pgport=$(free_port)
pg_start pg "$pgport"
pgurl="postgres://postgres@127.0.0.1:$pgport/leadlex"
psql_at "$pgport" "CREATE DATABASE leadlex"
go build -o "$work/leadlex" ./examples/leadlex
go build -o "$work/hookrecv" ./examples/cmd/hookrecv

echo "== a webhook receiver and two L replicas, the first delivering"
secret="whsec_$(printf 'delivery-proof-secret' | base64)"
hookport=$(free_port)
"$work/hookrecv" -addr "127.0.0.1:$hookport" -secret "$secret" -out "$work/ids.txt" -fail-every 7 2>"$work/hookrecv.log" &
pids+=($!)
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$hookport/" && break
  sleep 0.1
done
hook=(-webhook "http://127.0.0.1:$hookport/hook" -webhook-secret "$secret")
replica leadlex 1 "$pgurl" "${hook[@]}"
replica leadlex 2 "$pgurl"
contact=/v1/contacts/123e4567-e89b-12d3-a456-426614174000

# send NOTE KEY CLIENT: appends NOTE under KEY, retrying over both
# replicas until one answers 200; a 500 is recorded, and must not occur.
send() {
  for attempt in $(seq 60); do
    n=$((attempt % 2 + 1))
    code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X PATCH "http://127.0.0.1:${ports[$n]}$contact" \
      -H "Authorization: Bearer k" -H "Content-Type: application/json" -H "Idempotency-Key: $2" \
      -d "{\"notes\": \"$1\"}" || true)
    case "$code" in
    200)
      echo "$1" >>"$work/acked-$3"
      return
      ;;
    500) echo "$1" >>"$work/errors-$3" ;;
    esac
    sleep 0.1
  done
}

cpids=()
for c in $(seq "$clients"); do
  (for i in $(seq "$appends"); do send "c$c-n$i" "key-c$c-n$i" "$c"; done) &
  cpids+=($!)
done
half=$((clients * appends / 2))
while [ "$(cat "$work"/acked-* 2>/dev/null | wc -l)" -lt "$half" ]; do sleep 0.05; done
kill -9 "${rpids[1]}"
wait "${rpids[1]}" 2>/dev/null || true
echo "the delivering replica killed with SIGKILL after $(cat "$work"/acked-* | wc -l) acknowledged appends"
sleep 0.5
replica leadlex 1 "$pgurl" "${hook[@]}" # started again, as an orchestrator would
wait "${cpids[@]}"

events=$(as_pg "$pgbin/psql" -qtA -h 127.0.0.1 -p "$pgport" -U postgres -c "SELECT count(*) FROM contact_events" leadlex)
for _ in $(seq 300); do # at most 30 s for the feed to drain
  [ "$(sort -u "$work/ids.txt" | wc -l)" -ge "$events" ] && break
  sleep 0.1
done

notes=$(curl -s "http://127.0.0.1:${ports[2]}$contact" -H "Authorization: Bearer k" | jq -r '.data.notes')
acknowledged=$(cat "$work"/acked-* | wc -l)
present=$(grep -cxFf <(printf '%s\n' "$notes") <(cat "$work"/acked-*) || true)
duplicated=$(printf '%s\n' "$notes" | sort | uniq -d | wc -l)
delivered=$(sort -u "$work/ids.txt" | wc -l)
attempts=$(wc -l <"$work/ids.txt")
errors=$( (cat "$work"/errors-* 2>/dev/null || true) | wc -l)
lost=$((acknowledged - present + events - delivered))
echo "$events events in the feed, $delivered delivered ($attempts verified deliveries, repeats included), $errors answers 500"
echo "acknowledged $acknowledged present $present duplicated $duplicated events $events delivered $delivered lost $lost"
[ "$lost" = 0 ] && [ "$duplicated" = 0 ] && [ "$events" = "$acknowledged" ] && [ "$errors" = 0 ]
