#!/usr/bin/env bash
# Counts the instructions each benchmark of the targets executes per
# operation, under valgrind's callgrind, and prints the targets' ratios
# by that count. A count does not depend on what else the machine runs,
# so it shows a change in the code where bench/run.sh's times, on a
# shared VM, drift by more than the change; it does not see caches,
# branch prediction or the GC's background work, which times do. Needs
# valgrind (Debian's valgrind package); bench/run.sh stays the measure of
# record. REV=<commit> counts that commit instead, from a worktree.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "icount.sh needs valgrind (apt-get install valgrind)"; exit 1; }
out=$(mktemp -d)
trap 'git worktree remove --force "$out/src" 2>/dev/null || true; rm -rf "$out"' EXIT
src=.
if [ -n "${REV:-}" ]; then
  git worktree add -q --detach "$out/src" "$REV"
  src=$out/src
fi
(cd "$src" && go test -c -o "$out/root.test" . && cd bench && go test -c -o "$out/bench.test" .)
n=${N:-2000}
# ir DIR BINARY BENCHMARK ITERATIONS: the instructions of one run.
ir() {
  (cd "$1" && GOMAXPROCS=1 GOGC=off valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$2" -test.run '^$' -test.bench "^$3\$" -test.benchtime "$4x" 2>&1 | awk '/Collected/ { print $4 }')
}
# per DIR BINARY BENCHMARK: instructions per operation, the run of one
# operation (setup and all) taken from the run of n+1.
per() { echo $(( ($(ir "$1" "$2" "$3" $((n + 1))) - $(ir "$1" "$2" "$3" 1)) / n )); }
ours=$(per "$src" "$out/root.test" BenchmarkDecodeApply/default_8)
valid=$(per "$src" "$out/root.test" BenchmarkBaselineValid/default_8)
unmarshal=$(per "$src" "$out/root.test" BenchmarkBaselineUnmarshal/default_8)
phone=$(per "$src" "$out/root.test" BenchmarkDecodeApply/default_8_phone)
phonelib=$(per "$src" "$out/root.test" BenchmarkBaselinePhone)
oursB=$(per "$src/bench" "$out/bench.test" BenchmarkDecodeApply/default_8)
merge=$(per "$src/bench" "$out/bench.test" BenchmarkBaselineMergePatch/default_8)
names=$(per "$src/bench" "$out/bench.test" BenchmarkParseFullName)
namesBefore=$(per "$src/bench" "$out/bench.test" BenchmarkBaselineSplitNameBefore)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "instructions per operation (${REV:-working tree}; callgrind, $n operations):"
echo "  Decode+Apply $ours, json.Valid $valid, encoding/json $unmarshal, with phone $phone, phonenumbers $phonelib"
echo "  in bench/: Decode+Apply $oursB, merge-patch $merge, ParseFullName $names, SplitName before $namesBefore"
echo "ratios by instructions: (b) $(ratio "$ours" "$unmarshal")  (a) $(ratio "$ours" "$valid")  (c) $(ratio "$merge" "$oursB")  phone $(ratio "$phone" "$phonelib")  names $(ratio "$names" "$namesBefore")"
