#!/usr/bin/env bash
# test.sh runs the tests of every module in this repository (the root
# library, sqlstore, examples, schematest, bench and clienttest), each from its own
# directory, so that each is tested against its own go.mod. Arguments go
# to every `go test`: `bash test.sh -race -count=1 -cover` is what CI runs.
# The SQL store's tests start a PostgreSQL server of their own and fail
# when none can be had; CONTACTPATCH_POSTGRES=skip skips that half.
set -euo pipefail
cd "$(dirname "$0")"
for m in . sqlstore examples schematest bench clienttest; do
  echo "== $m: go test $* ./..."
  (cd "$m" && go test "$@" ./...)
done
