#!/usr/bin/env bash
# The API contract: schemathesis, with all of its checks, over the release
# binary's own /api/v1/openapi.json, signed in as a demo member and as the
# operator. Any failure, and any server error, fails the run. Takes the
# binary's path, like smoke.sh.
set -euo pipefail
binary="$1"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/hanse-schemathesis.XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

# A pinned schemathesis in a virtual environment kept outside the clone, so
# repeated runs install nothing.
version=4.32.5
venv="${HOME}/.cache/hanse-ci/venv-schemathesis-${version}"
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$version"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${version}"
fi

HANSE_DATA_DIR="$work/data" "$binary" serve --demo --listen 127.0.0.1:0 >"$work/stdout" 2>"$work/stderr" &
pid=$!
address=""
for _ in $(seq 1 600); do
    address=$(sed -n 's/^listening on \(http:\/\/.*\)$/\1/p' "$work/stdout" | head -n 1)
    [ -n "$address" ] && break
    kill -0 "$pid" 2>/dev/null || { tail -n 30 "$work/stderr" >&2; exit 1; }
    sleep 0.2
done
[ -n "$address" ] || { echo "no 'listening on' line" >&2; tail -n 30 "$work/stderr" >&2; exit 1; }
echo "demo serving at $address"

# A session of a demo person, signed in over the API: the cookie's value.
session_of() {
    local jar="$work/jar-$1"
    curl -fsS -c "$jar" -o /dev/null -H 'content-type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"hanse-demo-2026\"}" "$address/api/v1/auth/signin"
    awk '$6 == "hanse_session" {print $7}' "$jar"
}

# An order to test the order routes against, whatever the demo holds: the demo
# buyer orders the demo supplier's first product at its MOQ. The config gives
# its id to every `order_id`, so the steps of an order reach their rules
# (`invalid_transition`, the body's fields) instead of "not found", and its
# answers are checked against the document.
place_order() {
    local supplier buyer company line
    supplier=$(session_of chen.li@hengxin-thermos.demo)
    company=$(curl -fsS -b "hanse_session=$supplier" "$address/api/v1/me" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["active_company_id"])')
    line=$(curl -fsS "$address/api/v1/storefronts/$company/products?limit=1" |
        python3 -c 'import json, sys; p = json.load(sys.stdin)["items"][0]; print(json.dumps({"product_id": p["id"], "quantity": p["moq"]}))')
    buyer=$(session_of thomas.vogel@vogel-haushalt.demo)
    curl -fsS -b "hanse_session=$buyer" -H 'content-type: application/json' \
        -d "{\"lines\": [$line], \"delivery_address\": \"Vogel Haushalt GmbH, Hamburg\", \"terms\": \"FOB\"}" \
        "$address/api/v1/orders" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
export HANSE_ORDER_ID
HANSE_ORDER_ID=$(place_order)
echo "an order to test against: $HANSE_ORDER_ID"

# The config names the `session` scheme, so schemathesis knows the cookie is
# the credential: `ignored_auth` then checks each secured operation without
# it. Only positive_data_acceptance is widened, by 422: a request the
# document allows may still break a rule no JSON Schema can state (a credit
# code's check character, an unknown category, a time zone), and Hanse
# answers those `invalid_field` 422, while everything the document does state
# is refused with 400 and must be.
config="$here/schemathesis.toml"
# Fixed, so that a run is repeatable; the variables are for trying others by hand.
seed="${HANSE_SCHEMATHESIS_SEED:-11}"
examples="${HANSE_SCHEMATHESIS_EXAMPLES:-25}"
status=0
run() {
    local name="$1" session="$2"
    shift 2
    echo
    echo "==> schemathesis as ${name}"
    # From the temporary directory, so that nothing is written into the clone.
    # The time budget: each run takes well under a minute on two cores.
    (cd "$work" && HANSE_SESSION="$session" timeout --kill-after=10 180 \
        "$venv/bin/schemathesis" --config-file "$config" run "$address/api/v1/openapi.json" \
        --checks all --seed "${seed}" --max-examples "${examples}" --workers 1 \
        --max-failures 50 --no-color "$@") || status=1
}

# Signing out and revoking a session end the credential the run uses, and
# every later request would get 401, which the document allows, so the rest
# of the run would test nothing. They are left out of the two main runs and
# get a third run of their own, with a session made for it alone.
own_credential='^/api/v1/(auth/signout|me/sessions/\{session_id\})$'
run member "$(session_of chen.li@hengxin-thermos.demo)" --exclude-path-regex "$own_credential"
run operator "$(session_of operator@hanse.demo)" --exclude-path-regex "$own_credential"
run throwaway "$(session_of thomas.vogel@vogel-haushalt.demo)" --include-path-regex "$own_credential"

# Server errors are failures of their own check; this also catches a panic or
# an error logged away from any answer.
if grep -E 'ERROR|panicked' "$work/stderr" >"$work/errors"; then
    echo "the server logged errors:" >&2
    head -n 20 "$work/errors" >&2
    status=1
fi
[ "$status" = 0 ] || { echo "schemathesis: failures (see above)" >&2; exit 1; }
echo "schemathesis: no failures, no server errors"
