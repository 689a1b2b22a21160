#!/usr/bin/env bash
# Runs the benchmarks of the root package and of bench/ (the baseline with
# a dependency of its own) in COUNT rounds (10 unless set), summarizes them
# with benchstat, and prints the performance targets as ratios of medians
# measured in the same run. Exits non-zero if a target is missed, unless
# BENCH_REPORT_ONLY=1.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-10}
benchstat=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(go version)"
echo "command: $count rounds of: contactpatch.test -test.bench . -test.benchmem (root), then bench.test likewise (bench/)"
# Rounds, not -count: -count repeats one benchmark before moving to the
# next, so on a machine whose speed drifts a ratio would compare different
# minutes. A round runs every benchmark once; drift then hits both sides.
go test -c -o "$out/root.test" .
(cd bench && go test -c -o "$out/bench.test" .)
# encoding/json/v2 is an experiment in this Go: its baselines build apart.
GOEXPERIMENT=jsonv2 go test -c -o "$out/rootv2.test" .
(cd sqlstore && go test -c -o "$out/sql.test" .)
for _ in $(seq "$count"); do
  "$out/root.test" -test.run '^$' -test.bench . -test.benchmem >>"$out/root.txt"
  (cd bench && "$out/bench.test" -test.run '^$' -test.bench . -test.benchmem) >>"$out/bench.txt"
  "$out/rootv2.test" -test.run '^$' -test.bench 'JSONv2' -test.benchmem >>"$out/root.txt"
  # The SQL benchmarks start a throwaway PostgreSQL (sqlstore/pgtest).
  (cd sqlstore && "$out/sql.test" -test.run '^$' -test.bench 'PatchHandler|BaselinePlain' -test.benchmem -test.benchtime 2000x) >>"$out/sql.txt"
  # Batches of 100 (rule W4) and single creates, fewer of them.
  (cd sqlstore && "$out/sql.test" -test.run '^$' -test.bench 'BatchUpdate|UpdateLoop|UpdateSet|Create|BaselineInsert' -test.benchmem -test.benchtime 100x) >>"$out/sql.txt"
done
go run "$benchstat" "$out/root.txt"
go run "$benchstat" "$out/bench.txt"
go run "$benchstat" "$out/sql.txt"

# median FILE BENCHMARK UNIT: the median value of UNIT over the runs.
median() {
  awk -v name="$2" -v unit="$3" '{
      n = $1; sub(/-[0-9]+$/, "", n)
      if (n != name) next
      for (i = 2; i <= NF; i++) if ($i == unit) print $(i - 1)
    }' "$1" | sort -g | awk '{ v[NR] = $1 }
    END {
      if (NR == 0) { print "missing"; exit 1 }
      print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

missed=0
# target LABEL VALUE OP LIMIT: prints one line, counts a miss.
target() {
  if awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == "<=") ? v <= l : v >= l) }'; then
    printf '  %-62s %8s   target %s %-5s ok\n' "$1" "$2" "$3" "$4"
  else
    printf '  %-62s %8s   target %s %-5s MISSED\n' "$1" "$2" "$3" "$4"
    missed=$((missed + 1))
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

ours=$(median "$out/root.txt" BenchmarkDecodeApply/default_8 ns/op)
ours20=$(median "$out/root.txt" BenchmarkDecodeApply/default_20 ns/op)
phone=$(median "$out/root.txt" BenchmarkDecodeApply/default_8_phone ns/op)
valid=$(median "$out/root.txt" BenchmarkBaselineValid/default_8 ns/op)
unmarshal=$(median "$out/root.txt" BenchmarkBaselineUnmarshal/default_8 ns/op)
unmarshal20=$(median "$out/root.txt" BenchmarkBaselineUnmarshal/default_20 ns/op)
phonelib=$(median "$out/root.txt" BenchmarkBaselinePhone ns/op)
allocs=$(median "$out/root.txt" BenchmarkDecodeApply/default_8 allocs/op)
oursB=$(median "$out/bench.txt" BenchmarkDecodeApply/default_8 ns/op)
names=$(median "$out/bench.txt" BenchmarkParseFullName ns/op)
namesBefore=$(median "$out/bench.txt" BenchmarkBaselineSplitNameBefore ns/op)
namesAllocs=$(median "$out/bench.txt" BenchmarkParseFullName allocs/op)
worst=$(median "$out/bench.txt" BenchmarkWorstCaseDecode ns/op)
worstStrict=$(median "$out/bench.txt" BenchmarkBaselineWorstCaseStrict ns/op)
worstValid=$(median "$out/bench.txt" BenchmarkBaselineWorstCaseValid ns/op)
merge=$(median "$out/bench.txt" BenchmarkBaselineMergePatch/default_8 ns/op)
v2decode=$(median "$out/root.txt" BenchmarkBaselineJSONv2Decode/default_8 ns/op)
v2apply=$(median "$out/root.txt" BenchmarkBaselineJSONv2DecodeApply/default_8 ns/op)
sqlite=$(median "$out/sql.txt" BenchmarkPatchHandlerSQLite ns/op)
sqlitePlain=$(median "$out/sql.txt" BenchmarkBaselinePlainSQLite ns/op)
postgres=$(median "$out/sql.txt" BenchmarkPatchHandlerPostgres ns/op)
postgresPlain=$(median "$out/sql.txt" BenchmarkBaselinePlainPostgres ns/op)
postgresNoEvents=$(median "$out/sql.txt" BenchmarkPatchHandlerPostgresNoEvents ns/op)
batchPostgresNoEvents=$(median "$out/sql.txt" BenchmarkBatchUpdatePostgresNoEvents ns/op)
for db in SQLite Postgres; do
  declare "batch$db=$(median "$out/sql.txt" "BenchmarkBatchUpdate$db" ns/op)"
  declare "loop$db=$(median "$out/sql.txt" "BenchmarkBaselineUpdateLoop$db" ns/op)"
  declare "set$db=$(median "$out/sql.txt" "BenchmarkBaselineUpdateSet$db" ns/op)"
  declare "create$db=$(median "$out/sql.txt" "BenchmarkCreate$db" ns/op)"
  declare "insert$db=$(median "$out/sql.txt" "BenchmarkBaselineInsert$db" ns/op)"
done

# The 8-field patch changes 10 string fields: its 8, plus first and last
# name, which the parsed full_name sets.
echo
echo "targets (8-field patch, default profile; medians of $count runs, ns/op):"
target "Decode+Apply / encoding/json into *string struct (b)" "$(ratio "$ours" "$unmarshal")" "<=" 0.5
target "Decode+Apply / json.Valid (a)" "$(ratio "$ours" "$valid")" "<=" 3
target "merge-patch library / Decode+Apply (c), times faster" "$(ratio "$merge" "$oursB")" ">=" 10
target "allocations per Decode+Apply (10 changed string fields + 2)" "$allocs" "<=" 12
target "Decode+Apply with phone / phonenumbers calls alone (d)" "$(ratio "$phone" "$phonelib")" "<=" 1.1
target "ParseFullName / SplitName before it (names workload)" "$(ratio "$names" "$namesBefore")" "<=" 2
target "allocations per ParseFullName of the names workload" "$namesAllocs" "<=" 0
target "1 MiB worst case decode / strict independent parser (jsontext)" "$(ratio "$worst" "$worstStrict")" "<=" 2
echo "for reference: 1 MiB worst case decode / json.Valid = $(ratio "$worst" "$worstValid")"
echo "for reference: 20-field patch / encoding/json (b) = $(ratio "$ours20" "$unmarshal20")"
echo "for reference: Decode+Apply / encoding/json/v2 strict decode = $(ratio "$ours" "$v2decode"), / v2 decode onto the stored struct = $(ratio "$ours" "$v2apply")"
echo "PATCH through contacthttp.Handler on a database / plain encoding/json handler with one UPDATE, no CAS:"
echo "  SQLite     $(ratio "$sqlite" "$sqlitePlain")  ($sqlite vs $sqlitePlain ns/op)"
echo "  PostgreSQL $(ratio "$postgres" "$postgresPlain")  ($postgres vs $postgresPlain ns/op)"
echo "PATCH on PostgreSQL recording its event / the same PATCH without the feed (DropEvents): $(ratio "$postgres" "$postgresNoEvents")  ($postgres vs $postgresNoEvents ns/op)"
target "batch update of 100 on PostgreSQL, the write / one set-based UPDATE" "$(ratio "$batchPostgresNoEvents" "$setPostgres")" "<=" 3
echo "for reference: the same batch recording its 100 events / without the feed: $(ratio "$batchPostgres" "$batchPostgresNoEvents"), / one set-based UPDATE: $(ratio "$batchPostgres" "$setPostgres")"
echo "batch update of 100 (UpdateMany) / plain loop of 100 UPDATEs, and / one set-based UPDATE with no checks:"
echo "  SQLite     $(ratio "$batchSQLite" "$loopSQLite") and $(ratio "$batchSQLite" "$setSQLite")  ($batchSQLite vs $loopSQLite and $setSQLite ns/op)"
echo "  PostgreSQL $(ratio "$batchPostgres" "$loopPostgres") and $(ratio "$batchPostgres" "$setPostgres")  ($batchPostgres vs $loopPostgres and $setPostgres ns/op)"
echo "Create / plain INSERT: SQLite $(ratio "$createSQLite" "$insertSQLite"), PostgreSQL $(ratio "$createPostgres" "$insertPostgres")"
echo "medians: ours $ours, (a) $valid, (b) $unmarshal, (c) $merge vs ours $oursB in bench/, phone $phone vs (d) $phonelib, names $names vs $namesBefore before"

if [ "$missed" -gt 0 ] && [ "${BENCH_REPORT_ONLY:-0}" != 1 ]; then
  echo "$missed target(s) missed"
  exit 1
fi
