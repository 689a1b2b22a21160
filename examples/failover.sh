#!/usr/bin/env bash
# Failover proof (rules O1-O5 across a primary's death): a PostgreSQL
# primary with a synchronous streaming standby made by pg_basebackup,
# and three L replicas connected to both with a multi-host connection
# string (target_session_attrs=read-write). Clients append notes round-
# robin over the replicas; midway the primary is killed with SIGKILL and
# the standby promoted. The replicas find the new primary by themselves.
# Every append a client saw acknowledged (200) must be in the notes,
# since a commit is acknowledged only once the standby holds it.
#
# The last line reads: acknowledged N present N lost 0 unavailable S
# (the seconds from the kill to the first acknowledged append after it).
# Needs PostgreSQL's server binaries (as root it installs Debian's
# postgresql package when they are missing), curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${CLIENTS:-8}
appends=${APPENDS:-60}
# shellcheck source=examples/pg.sh
source examples/pg.sh # the script runs from the repository root; sets $work

echo "== a primary and its synchronous standby"
pg_init primary
primary=$(free_port)
pg_start primary "$primary" -c wal_level=replica -c max_wal_senders=5
psql_at "$primary" "CREATE DATABASE leadlex"
mkdir -p "$work/standby"
[ "$(id -u)" = 0 ] && chown postgres "$work/standby"
as_pg "$pgbin/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$work/standby/data" -X stream --no-sync
touch "$work/standby/data/standby.signal"
[ "$(id -u)" = 0 ] && chown postgres "$work/standby/data/standby.signal"
echo "primary_conninfo = 'host=127.0.0.1 port=$primary user=postgres application_name=standby1'" |
  as_pg tee -a "$work/standby/data/postgresql.auto.conf" >/dev/null
standby=$(free_port)
pg_start standby "$standby"
psql_at "$primary" "ALTER SYSTEM SET synchronous_standby_names = 'standby1'" >/dev/null
psql_at "$primary" "SELECT pg_reload_conf()" >/dev/null
for _ in $(seq 100); do
  [ "$(psql_at "$primary" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'standby1'")" = sync ] && break
  sleep 0.1
done
echo "standby: $(psql_at "$primary" "SELECT application_name || ' ' || sync_state FROM pg_stat_replication")"

go build -o "$work/leadlex" ./examples/leadlex
dsn="postgres://postgres@127.0.0.1:$primary,127.0.0.1:$standby/leadlex?target_session_attrs=read-write&sslmode=disable"
echo "== three L replicas on $dsn"
for n in 1 2 3; do replica leadlex "$n" "$dsn"; done
contact=/v1/contacts/123e4567-e89b-12d3-a456-426614174000

# Each client appends its notes round-robin over the replicas, and
# records each acknowledged one with the time it was acknowledged.
cpids=()
for c in $(seq "$clients"); do
  (
    for i in $(seq "$appends"); do
      n=$(((c + i) % 3 + 1))
      note="c$c-n$i"
      code=$(curl -s -o /dev/null -m 30 -w '%{http_code}' -X PATCH "http://127.0.0.1:${ports[$n]}$contact" \
        -H "Authorization: Bearer k" -H "Content-Type: application/json" -d "{\"notes\": \"$note\"}" || true)
      if [ "$code" = 200 ]; then echo "$(date +%s.%N) $note" >>"$work/acked-$c"; fi
      sleep 0.05
    done
  ) &
  cpids+=($!)
done

half=$((clients * appends / 3))
while [ "$( (cat "$work"/acked-* 2>/dev/null || true) | wc -l)" -lt "$half" ]; do sleep 0.1; done
killed=$(date +%s.%N)
kill -9 "$(head -1 "$work/primary/data/postmaster.pid")"
echo "primary killed with SIGKILL after $(cat "$work"/acked-* | wc -l) acknowledged appends"
sleep 1 # what an operator's or a tool's detection takes, at least
as_pg "$pgbin/pg_ctl" -D "$work/standby/data" -w promote >/dev/null
echo "standby promoted"
wait "${cpids[@]}"
[ -z "${FAILOVER_DEBUG:-}" ] || tail -20 "$work/leadlex-1.log" # the log of a replica through the failover

notes=$(curl -s "http://127.0.0.1:${ports[1]}$contact" -H "Authorization: Bearer k" | jq -r '.data.notes')
acknowledged=$(cat "$work"/acked-* | wc -l)
present=$(grep -cxFf <(printf '%s\n' "$notes") <(cut -d' ' -f2 "$work"/acked-*) || true)
lost=$((acknowledged - present))
# The unavailability is the longest silence between two acknowledged
# appends from a second before the kill on: the failover as clients saw it.
after=$(cut -d' ' -f1 "$work"/acked-* | sort -n | awk -v k="$killed" '$1 > k' | wc -l)
[ "$after" -gt 0 ] || { echo "no append was acknowledged after the failover"; exit 1; }
unavailable=$(cut -d' ' -f1 "$work"/acked-* | sort -n |
  awk -v k="$killed" '$1 > k - 1 { if (prev) { gap = $1 - prev; if (gap > max) max = gap } prev = $1 } END { printf "%.1f", max }')
echo "notes hold $(printf '%s\n' "$notes" | wc -l) lines; $present of $acknowledged acknowledged appends present"
echo "acknowledged $acknowledged present $present lost $lost unavailable $unavailable"
[ "$lost" = 0 ] && [ "$acknowledged" -gt "$half" ]
