#!/usr/bin/env bash
# The README's run command, as a newcomer types it: it must build, load the
# demo network and serve it. Run from the project's root with the command as
# the argument; the data directory and the address come from HANSE_* variables
# so that the run leaves nothing behind and takes no fixed port.
set -euo pipefail
run_command="$1"
work=$(mktemp -d /tmp/hanse-demo.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

HANSE_DATA_DIR="$work/data" HANSE_LISTEN=127.0.0.1:0 bash -c "exec ${run_command}" >"$work/stdout" 2>"$work/stderr" &
pid=$!
address=""
# The first run builds the release binary: allow for it.
for _ in $(seq 1 3000); do
    address=$(sed -n 's/^listening on \(http:\/\/.*\)$/\1/p' "$work/stdout" | head -n 1)
    [ -n "$address" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "the run command stopped" >&2; tail -n 30 "$work/stderr" >&2; exit 1; }
    sleep 0.2
done
[ -n "$address" ] || { echo "no 'listening on' line" >&2; tail -n 30 "$work/stderr" >&2; exit 1; }
echo "demo serving at $address"
grep -q "operator@hanse.demo" "$work/stdout" || { echo "no demo sign-ins printed" >&2; exit 1; }
curl -fsS "$address/readyz" >/dev/null
# The demo catalog is searchable in Chinese once the feed has caught up.
for _ in $(seq 1 100); do
    total=$(curl -fsS "$address/api/v1/search/products?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF" | sed -n 's/.*"total":\([0-9]*\).*/\1/p')
    [ "${total:-0}" -gt 0 ] && break
    sleep 0.2
done
[ "${total:-0}" -gt 0 ] || { echo "the demo catalog is not searchable" >&2; exit 1; }
echo "demo search 保温杯: ${total} products"
# The operator signs in with the printed password and sees the market settings.
jar="$work/cookies"
curl -fsS -c "$jar" -b "$jar" -H 'content-type: application/json' -o /dev/null \
    -d '{"email":"operator@hanse.demo","password":"hanse-demo-2026"}' "$address/api/v1/auth/signin"
# Read whole before grep: `grep -q` stops reading at the first match, and
# curl then fails writing the rest (error 23), which pipefail would report.
market_page=$(curl -fsS -b "$jar" "$address/operator/market")
grep -q "/operator/market/companies/" <<<"$market_page" || { echo "no operator market page" >&2; exit 1; }
# Every demo company's books agree with its wallets and escrow in the ledger,
# once the books have caught up with the outbox.
for _ in $(seq 1 100); do
    reconciliation=$(curl -fsS -b "$jar" "$address/api/v1/operator/books/reconciliation")
    grep -q '"all_match":true' <<<"$reconciliation" && break
    sleep 0.2
done
grep -q '"all_match":true' <<<"$reconciliation" || { echo "the demo's books do not reconcile: $reconciliation" >&2; exit 1; }
echo "demo books reconcile with the ledger"
echo "demo run passed"
