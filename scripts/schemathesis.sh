#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis (from PyPI) against its own OpenAPI
# document: the real binary on a scratch database with the demo data, an
# admin's API token, and the checks of schemathesis.toml: "no 5xx", "every
# response matches the schema" and "data valid by the schema is accepted"
# (with the statuses each operation may refuse valid data with). Exits
# non-zero on any failure.
#   MAX_EXAMPLES (default 100): test cases per operation and phase; about
#     a minute on two cores.
#   SCHEMATHESIS_PROFILE=release: test the release binary (default: debug,
#     which the tests build anyway).
#   SCHEMATHESIS_SEED: replay a run (its seed is printed at the start).
#   KVARTPLATA_BIN: test this binary instead of building one (scripts/test.sh
#     passes the one `cargo test` just built: `cargo build` alone resolves
#     other dependency features and would compile every dependency again).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$KVARTPLATA_ROOT"

MAX_EXAMPLES="${MAX_EXAMPLES:-100}"
PROFILE="${SCHEMATHESIS_PROFILE:-debug}"
VENV="$KVARTPLATA_ROOT/target/schemathesis-venv"
REPORT_DIR="$KVARTPLATA_ROOT/target/schemathesis-report"

ensure_build_deps
ensure_database
command -v psql >/dev/null || apt_install postgresql-client
command -v curl >/dev/null || apt_install curl
command -v python3 >/dev/null || apt_install python3 python3-venv

if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q 'version 4\.'; then
    log "installing schemathesis 4 into $VENV"
    python3 -m venv "$VENV" 2>/dev/null || {
        apt_install python3-venv
        python3 -m venv "$VENV"
    }
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.*'
fi

if [ -n "${KVARTPLATA_BIN:-}" ]; then
    BIN="$KVARTPLATA_BIN"
else
    log "building kvartplata ($PROFILE)"
    if [ "$PROFILE" = release ]; then
        cargo build --release --bin kvartplata
    else
        cargo build --bin kvartplata
    fi
    BIN="$KVARTPLATA_ROOT/target/$PROFILE/kvartplata"
fi

# A scratch database on DATABASE_URL's server, like the tests use.
ADMIN_URL="$DATABASE_URL"
SCRATCH_DB="kvartplata_schemathesis_$$"
base="${DATABASE_URL%%\?*}"
query=""
[ "$base" = "$DATABASE_URL" ] || query="?${DATABASE_URL#*\?}"
SCRATCH_URL="${base%/*}/$SCRATCH_DB$query"

SERVER_PID=""
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    psql "$ADMIN_URL" -X -q -c "DROP DATABASE IF EXISTS \"$SCRATCH_DB\" WITH (FORCE)" ||
        warn "could not drop the scratch database $SCRATCH_DB"
}
trap cleanup EXIT

psql "$ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$SCRATCH_DB\""
export DATABASE_URL="$SCRATCH_URL"
export RUST_LOG="${RUST_LOG:-warn}"

log "loading the demo data"
"$BIN" demo --houses 2 --apartments 20 >/dev/null

log "creating an admin and an API token"
USER_NAME=schemathesis
# The password is never used again: the token authenticates.
PASSWORD="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$PASSWORD" | "$BIN" user create "$USER_NAME" --admin >/dev/null
TOKEN="$("$BIN" token create "$USER_NAME")"
[ -n "$TOKEN" ] || {
    err "kvartplata token create printed no token"
    exit 1
}

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
SERVER_LOG="$KVARTPLATA_ROOT/target/schemathesis-server.log"
log "starting the server on $BASE (log: $SERVER_LOG)"
BIND_ADDR="127.0.0.1:$PORT" BILLING_WORKERS=1 "$BIN" serve >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break
    kill -0 "$SERVER_PID" 2>/dev/null || {
        err "the server exited; its log:"
        cat "$SERVER_LOG" >&2
        exit 1
    }
    sleep 0.5
done
curl -fsS "$BASE/healthz" >/dev/null

log "schemathesis: $MAX_EXAMPLES examples per operation"
seed=()
[ -z "${SCHEMATHESIS_SEED:-}" ] || seed=(--seed "$SCHEMATHESIS_SEED")
status=0
# Run from target/: schemathesis keeps a .schemathesis/ cache in its working directory.
(cd "$KVARTPLATA_ROOT/target" && "$VENV/bin/schemathesis" \
    --config-file "$KVARTPLATA_ROOT/schemathesis.toml" \
    run "$BASE/api/v1/openapi.json" \
    --header "Authorization: Bearer $TOKEN" \
    --max-examples "$MAX_EXAMPLES" \
    --workers 2 \
    --generation-database none \
    --report junit --report-dir "$REPORT_DIR" \
    --no-color \
    "${seed[@]}") || status=$?

# A 5xx is logged by the server with its cause: show those lines.
if grep -E 'ERROR kvartplata|panicked' "$SERVER_LOG" >&2; then
    err "the server logged errors (above)"
    [ "$status" -ne 0 ] || status=1
fi
exit "$status"
