#!/usr/bin/env bash
# Smoke test: the release binary serves a fresh data directory, answers
# /healthz and /readyz, takes a sign-up and a company registration over HTTP,
# and stops cleanly on SIGTERM.
set -euo pipefail
binary="$1"
work=$(mktemp -d /tmp/hanse-smoke.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$binary" --version
"$binary" serve --data-dir "$work/data" --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
pid=$!
address=""
for _ in $(seq 1 100); do
    address=$(sed -n 's/^listening on \(http:\/\/.*\)$/\1/p' "$work/stdout" | head -n 1)
    [ -n "$address" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/stderr" >&2; exit 1; }
    sleep 0.2
done
[ -n "$address" ] || { echo "no 'listening on' line" >&2; cat "$work/stderr" >&2; exit 1; }
echo "serving at $address"
test -f "$work/data/hanse.db" || { echo "no SQLite file in the data dir" >&2; exit 1; }

curl -fsS "$address/healthz"
curl -fsS "$address/readyz"
jar="$work/cookies"
curl -fsS -c "$jar" -b "$jar" -H 'content-type: application/json' -o /dev/null -w 'sign-up: %{http_code}\n' \
    -d '{"email":"smoke@hanse.test","password":"smoke test password","display_name":"Smoke","language":"en","time_zone":"UTC"}' \
    "$address/api/v1/auth/signup"
curl -fsS -c "$jar" -b "$jar" -H 'content-type: application/json' -o /dev/null -w 'company: %{http_code}\n' \
    -d '{"legal_name":"Smoke Test GmbH","registration_number":"HRB 1","country":"DE","region":"Hamburg","city":"Hamburg","address":"Hafenstraße 1","industry":"other","size":"1-9"}' \
    "$address/api/v1/companies"
company=$(curl -fsS -b "$jar" "$address/api/v1/company")
grep -q '"legal_name":"Smoke Test GmbH"' <<<"$company"
# The market answers, with its search index opened under the data directory.
search=$(curl -fsS "$address/api/v1/search/products?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF")
grep -q '"total":0' <<<"$search"
curl -fsS -o /dev/null -w 'search page: %{http_code}\n' "$address/search?q=vacuum+flask"
test -d "$work/data/search/products" || { echo "no search index in the data dir" >&2; exit 1; }

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = 0 ] || { echo "hanse exited with $status after SIGTERM" >&2; cat "$work/stderr" >&2; exit 1; }
grep -q "stopped" "$work/stderr" || { echo "no clean stop logged" >&2; exit 1; }
echo "smoke test passed"
