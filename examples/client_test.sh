#!/usr/bin/env bash
# Runs the client snippets printed in each reference API's document against
# that API's server: the cURL commands with curl, the Python `requests`
# snippet with python3, the JavaScript `fetch` snippet with node. The
# snippets under examples/*/snippets/ are copied verbatim from the
# documents; this script changes only the host (and C's {contact_id} path
# placeholder). Each server runs with the document's own placeholder key,
# so the keys stay as printed. Answers are checked with jq.
#
# Tools that are missing are installed with apt-get when running as root;
# a check whose tool cannot be had is reported as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]:-}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

passed=0 failed=0 skipped=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; shift; printf '     %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "skip $1"; skipped=$((skipped + 1)); }

# have CMD PACKAGE: true if CMD is there, after installing PACKAGE if need be.
apt_updated=""
have() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $2 with apt-get (for $1)"
    [ -n "$apt_updated" ] || { apt-get update -qq >/dev/null && apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null 2>&1 || true
  fi
  command -v "$1" >/dev/null 2>&1
}

have curl curl || { echo "curl cannot be had on this machine: no snippet can run"; exit 1; }
have jq jq || { echo "jq cannot be had on this machine: no answer can be checked"; exit 1; }

# A python3 that has requests: the one on PATH, else Debian's.
python=""
if have python3 python3; then
  if python3 -c 'import requests' 2>/dev/null; then
    python=python3
  elif have /usr/bin/python3 python3 && { /usr/bin/python3 -c 'import requests' 2>/dev/null ||
    { have apt-get apt && echo "installing python3-requests with apt-get" &&
      { [ -n "$apt_updated" ] || apt-get update -qq >/dev/null; } &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-requests >/dev/null 2>&1 &&
      /usr/bin/python3 -c 'import requests'; }; }; then
    python=/usr/bin/python3
  fi
fi
node=""
if have node nodejs; then node=node; fi

# shellcheck source=examples/ports.sh
source examples/ports.sh # the script runs from the repository root

# start NAME KEY [ARGS...]: builds and starts a server, sets $base to its URL.
start() {
  go build -o "$work/$1" "./examples/$1"
  local port
  for _ in 1 2 3 4 5; do # a port taken between the check and the bind: another one
    port=$(free_port)
    "$work/$1" -addr "127.0.0.1:$port" -key "$2" "${@:3}" 2>"$work/$1.log" &
    pids+=($!)
    base="http://127.0.0.1:$port"
    for _ in $(seq 100); do
      curl -s -o /dev/null "$base/" && return
      kill -0 "${pids[-1]}" 2>/dev/null || break
      sleep 0.1
    done
  done
  echo "the $1 server did not start:"
  cat "$work/$1.log"
  exit 1
}

# local_copy FILE HOST: the snippet with HOST replaced by the server's.
local_copy() {
  local out
  out="$work/$(basename "$(dirname "$(dirname "$1")")")-$(basename "$1")"
  sed -e "s#$2#$base#g" -e "s#{contact_id}#3c90c3cc-0d44-4b50-8888-8dd25736052a#g" "$1" >"$out"
  echo "$out"
}

# expect NAME JSON JQ-FILTER: passes when the filter is true of the JSON.
expect() {
  if jq -e "$3" >/dev/null 2>&1 <<<"$2"; then pass "$1"; else fail "$1" "got: $2" "wanted: $3"; fi
}

# stop NAME PID: SIGTERM, then a clean exit and the shutdown log line.
stop() {
  kill -TERM "$2"
  if wait "$2" && grep -q 'msg="shut down"' "$work/$1.log"; then
    pass "$1: shuts down cleanly on SIGTERM"
  else
    fail "$1: shuts down cleanly on SIGTERM" "$(tail -3 "$work/$1.log")"
  fi
}

echo "== leadlex (L)"
start leadlex wbk_your_api_key_here
out=$(bash "$(local_copy examples/leadlex/snippets/update.sh https://data.leadlex.com)" 2>>"$work/snippets.err")
expect "L cURL: the documented response" "$out" '
  (.data | del(.updated_date)) == {
    "id": "123e4567-e89b-12d3-a456-426614174000", "full_name": "Jane Doe", "email": "jane@example.com",
    "job_title": "Chief Legal Officer", "company_name": "Acme Legal",
    "notes": "Met at conference. Interested in legal automation tools.\nPromoted to CLO in Q1 2026"}
  and ([.data | keys_unsorted[]] == ["id","full_name","email","job_title","company_name","notes","updated_date"])
  and (.data.updated_date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"))'
out=$(bash "$(local_copy examples/leadlex/snippets/partial.sh https://data.leadlex.com)" 2>>"$work/snippets.err")
expect "L cURL partial update: only the phone" "$out" '.data.phone == "+1-555-9999" and .data.full_name == "John Roe" and .data.email == "john@example.com"'
if [ -n "$python" ]; then
  out=$("$python" "$(local_copy examples/leadlex/snippets/update.py https://data.leadlex.com)")
  if [ "$out" = "Updated contact: Chief Legal Officer" ]; then pass "L Python requests"; else fail "L Python requests" "got: $out"; fi
else
  skip "L Python requests (no python3 with requests can be had)"
fi
if [ -n "$node" ]; then
  out=$("$node" "$(local_copy examples/leadlex/snippets/update.mjs https://data.leadlex.com)")
  if [ "$out" = "Updated: Chief Legal Officer" ]; then pass "L JavaScript fetch"; else fail "L JavaScript fetch" "got: $out"; fi
else
  skip "L JavaScript fetch (node cannot be had)"
fi
out=$(curl -s "$base/functions/v1/api-gateway/v1/contacts/123e4567-e89b-12d3-a456-426614174000" -H "Authorization: Bearer wbk_your_api_key_here")
appended=$((1 + $([ -n "$python" ] && echo 1 || echo 0) + $([ -n "$node" ] && echo 1 || echo 0)))
expect "L: every client's note was appended" "$out" "(.data.notes | split(\"\n\") | map(select(. == \"Promoted to CLO in Q1 2026\")) | length) == $appended"
stop leadlex "${pids[-1]}"

echo "== gomry (G)"
start gomry your_api_key
out=$(bash "$(local_copy examples/gomry/snippets/update.sh https://www.gomry.com)" 2>>"$work/snippets.err")
expect "G cURL: the documented response" "$out" '
  (.data | del(.updated_at)) == {
    "id": "AbCdEfGhIjKlMnOpQrSt", "first_name": "Janet", "last_name": "Doe", "email": "jane@example.com",
    "phone_number": "+1234567890", "status": "active", "job_title": "CTO", "company": "Acme Inc",
    "university": null, "gender": null, "birthday": null, "location": "New York", "linkedin": null,
    "instagram": null, "twitter": null, "github": null, "website": null, "tags": ["vip", "speaker"],
    "created_at": "2025-03-01T00:00:00.000Z"}
  and ([.data | keys_unsorted[]] == ["id","first_name","last_name","email","phone_number","status","job_title",
    "company","university","gender","birthday","location","linkedin","instagram","twitter","github","website",
    "tags","created_at","updated_at"])
  and (.data.updated_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$"))'
out=$(curl -s -X PATCH "$base/api/v1/contacts/AbCdEfGhIjKlMnOpQrSt" -H "X-API-KEY: your_api_key" \
  -H "Content-Type: application/json" -d '{"first_name": "Janet", "organizationID": "org_1"}')
expect "G: the document's organizationID is rejected" "$out" '.error.details.fields == {"organizationID": "Unknown field"}'
stop gomry "${pids[-1]}"

echo "== callaidan (C)"
start callaidan '<api-key>'
out=$(bash "$(local_copy examples/callaidan/snippets/update.sh https://api.callaidan.com)" 2>>"$work/snippets.err")
expect "C cURL template: \"<string>\" is refused as an email, and only that" "$out" \
  '.error.code == "validation_error" and .error.details.fields == {"email": "Invalid email format"}'
out=$(curl -s "$base/contacts/3c90c3cc-0d44-4b50-8888-8dd25736052a/" -H "Authorization: <api-key>")
expect "C: the refused template changed nothing" "$out" '.name == "Maria Cruz" and .lead_source == "api"'
stop callaidan "${pids[-1]}"

echo "== hubspot (H)"
start hubspot YOUR_ACCESS_TOKEN
out=$(bash "$(local_copy examples/hubspot/snippets/update.sh https://api.hubapi.com)" 2>>"$work/snippets.err")
expect "H cURL: the sent properties overwrite, \"\" clears, values are strings" "$out" '
  .id == "101" and .archived == false and ([keys_unsorted[]] == ["id","properties","createdAt","updatedAt","archived"])
  and .properties.jobtitle == "VP of Sales" and .properties.lifecyclestage == "customer"
  and .properties.website == null and .properties.seat_count == "25" and .properties.firstname == "Ana"'
out=$(curl -s -X PATCH "$base/crm/v3/objects/contacts/101" -H "Authorization: Bearer YOUR_ACCESS_TOKEN" \
  -H "Content-Type: application/json" -d '{"properties": {"favorite_color": "blue", "lifecyclestage": "champion"}}')
expect "H: an unknown property and an invalid stage, in HubSpot's error shape" "$out" '
  .status == "error" and .category == "VALIDATION_ERROR" and (.correlationId | length) > 0
  and ([.errors[] | .context.propertyName[0]] == ["favorite_color", "lifecyclestage"])
  and ([.errors[].code] == ["PROPERTY_DOESNT_EXIST", "INVALID_OPTION"])'
out=$(curl -s "$base/crm/v3/objects/contacts/ANA.SILVA@example.com?idProperty=email" -H "Authorization: Bearer YOUR_ACCESS_TOKEN")
expect "H: ?idProperty=email finds the contact, and the refused patch changed nothing" "$out" '.id == "101" and .properties.lifecyclestage == "customer"'
stop hubspot "${pids[-1]}"

echo "== leadlex on SQLite: a change survives a restart"
start leadlex k -db "sqlite:$work/contacts.db"
curl -s -o /dev/null -X PATCH "$base/v1/contacts/123e4567-e89b-12d3-a456-426614174000" -H "Authorization: Bearer k" \
  -H "Content-Type: application/json" -d '{"job_title": "General Counsel"}'
stop leadlex "${pids[-1]}"
start leadlex k -db "sqlite:$work/contacts.db"
out=$(curl -s "$base/v1/contacts/123e4567-e89b-12d3-a456-426614174000" -H "Authorization: Bearer k")
expect "L on SQLite: after a restart the change is there, and the seed did not overwrite it" "$out" '.data.job_title == "General Counsel"'
stop leadlex "${pids[-1]}"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ]
