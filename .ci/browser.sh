#!/usr/bin/env bash
# The browser test: Debian's chromium driven by playwright-core (from npm) on a
# fresh `hanse serve --demo`, as a newcomer would click through an order.
# Installs chromium and fonts-noto-cjk when missing (Chinese text renders as
# boxes without them) and playwright-core into a cache outside the clone;
# fails, never skips, when it cannot. Screenshots land under target/browser/.
# Usage: .ci/browser.sh PATH_TO_HANSE_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
hanse="$1"

if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
    echo "installing chromium and fonts-noto-cjk"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium fonts-noto-cjk >/dev/null \
        || { $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium fonts-noto-cjk >/dev/null; } \
        || { echo "cannot install chromium and fonts-noto-cjk" >&2; exit 1; }
fi
command -v chromium >/dev/null || { echo "chromium is missing" >&2; exit 1; }

# playwright-core at the version package.json pins, cached by that file's hash.
cache="${HOME}/.cache/hanse-ci/browser-$(sha256sum .ci/browser/package.json | cut -c1-16)"
if [ ! -d "$cache/node_modules/playwright-core" ]; then
    echo "installing playwright-core into $cache"
    mkdir -p "$cache"
    cp .ci/browser/package.json "$cache/"
    (cd "$cache" && npm install --no-audit --no-fund --silent >/dev/null) \
        || { echo "cannot install playwright-core" >&2; rm -rf "$cache"; exit 1; }
fi

work=$(mktemp -d /tmp/hanse-browser.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
"$hanse" serve --demo --listen 127.0.0.1:0 --data-dir "$work/data" >"$work/stdout" 2>"$work/stderr" &
pid=$!
address=""
for _ in $(seq 1 600); do
    address=$(sed -n 's/^listening on \(http:\/\/.*\)$/\1/p' "$work/stdout" | head -n 1)
    [ -n "$address" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "hanse serve --demo stopped" >&2; tail -n 30 "$work/stderr" >&2; exit 1; }
    sleep 0.2
done
[ -n "$address" ] || { echo "no 'listening on' line" >&2; exit 1; }
echo "demo serving at $address"

shots="${root}/target/browser"
rm -rf "$shots"
mkdir -p "$shots"
HANSE_BROWSER_MODULES="$cache" node .ci/browser/journey.mjs "$address" "$shots"
echo "screenshots in $shots"
