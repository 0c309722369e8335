#!/usr/bin/env bash
# Load test of the house page and the paged house API against a release build,
# on loopback only, bounded in time.
#
#   DATABASE_URL=postgres://user:pass@host:port/any scripts/loadtest.sh
#
# Builds the release binary, creates a scratch database on DATABASE_URL's
# server (the role needs CREATEDB), seeds it with one 2,000-apartment house
# (`kvartplata demo --houses 1 --apartments 2000`), starts the server on
# 127.0.0.1 and runs wrk for LOADTEST_SECONDS (default 20) per target at
# LOADTEST_CONNECTIONS (default 64) connections:
#   - the house page, with a signed-in session cookie;
#   - GET /api/v1/houses/{id}?page=1&per_page=100, with an API token.
# Prints requests/s, p50/p99 and errors for each; exits 1 when a target has
# errors or a p99 of LOADTEST_P99_MS (default 500) or more. The server and
# the scratch database are removed at the end, also after a failure.
#
# Needs wrk (Debian: apt-get install wrk), curl and psql. CARGO names the
# cargo to build with (default cargo).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$KVARTPLATA_ROOT"

SECONDS_EACH="${LOADTEST_SECONDS:-20}"
CONNECTIONS="${LOADTEST_CONNECTIONS:-64}"
P99_LIMIT_MS="${LOADTEST_P99_MS:-500}"
CARGO="${CARGO:-cargo}"

for tool in wrk curl psql; do
    command -v "$tool" >/dev/null || { err "$tool is needed (Debian: apt-get install wrk curl postgresql-client)"; exit 2; }
done
[ -n "${DATABASE_URL:-}" ] || { err "set DATABASE_URL to a PostgreSQL server whose role may create databases"; exit 2; }

log "building the release binary"
"$CARGO" build --release --bin kvartplata
bin="$KVARTPLATA_ROOT/target/release/kvartplata"

# The same server and credentials, another database.
server_url="${DATABASE_URL%/*}/postgres"
db_name="kvartplata_load_$$_${RANDOM}"
db_url="${DATABASE_URL%/*}/${db_name}"
work="$(mktemp -d)"
server_pid=""

cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    psql -q "$server_url" -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null 2>&1 ||
        warn "could not drop the scratch database $db_name"
    rm -rf "$work"
}
trap cleanup EXIT

log "seeding $db_name with one 2,000-apartment house"
psql -q "$server_url" -c "CREATE DATABASE \"$db_name\"" >/dev/null
export DATABASE_URL="$db_url"
"$bin" demo --houses 1 --apartments 2000 >/dev/null
password="load-test-$RANDOM-$RANDOM"
printf '%s\n' "$password" | "$bin" user create loadtest --admin >/dev/null
token="$("$bin" token create loadtest --label load-test)"

port="${LOADTEST_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
base="http://127.0.0.1:$port"
log "starting the server on $base (log: $work/server.log)"
BIND_ADDR="127.0.0.1:$port" "$bin" serve >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fsS "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { err "the server exited"; cat "$work/server.log" >&2; exit 1; }
    sleep 0.2
done

house_id="$(curl -fsS -H "Authorization: Bearer $token" "$base/api/v1/houses" |
    grep -o '"id":[0-9]*' | head -n 1 | cut -d: -f2)"
[ -n "$house_id" ] || { err "no house in the scratch database"; exit 1; }

# Sign in as a browser does: the form's CSRF token, then POST /login.
jar="$work/cookies"
csrf="$(curl -fsS -c "$jar" -b "$jar" "$base/login" |
    grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')"
curl -fsS -o /dev/null -c "$jar" -b "$jar" \
    --data-urlencode "csrf_token=$csrf" --data-urlencode "name=loadtest" \
    --data-urlencode "password=$password" --data-urlencode "next=/" "$base/login"
cookie="$(awk '$6 == "kvartplata" { print $6 "=" $7 }' "$jar" | tail -n 1)"
[ -n "$cookie" ] || { err "signing in gave no session cookie"; exit 1; }

page_url="$base/houses/$house_id"
api_url="$base/api/v1/houses/$house_id?page=1&per_page=100"
# Both must answer 200 before they are measured (a lost session is a 303).
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$page_url")" = 200 ] ||
    { err "the house page does not answer 200 with the session cookie"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$api_url")" = 200 ] ||
    { err "the paged house API does not answer 200 with the token"; exit 1; }

failed=0
results=()
run() {
    local name="$1" url="$2" header="$3" line
    log "$name: ${SECONDS_EACH}s at $CONNECTIONS connections"
    line="$(wrk -t 2 -c "$CONNECTIONS" -d "${SECONDS_EACH}s" --timeout 10s \
        -s scripts/lib/loadtest.lua -H "$header" "$url" | grep '^RESULT')"
    results+=("$name $line")
    local p99 errors
    p99="$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")"
    errors="$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(not_200|socket_errors|timeouts)=/) { split($i, kv, "="); n += kv[2] } } END { print n + 0 }' <<<"$line")"
    if [ "$errors" != 0 ] || awk -v p="$p99" -v l="$P99_LIMIT_MS" 'BEGIN { exit !(p >= l) }'; then
        failed=1
    fi
}

run "house-page" "$page_url" "Cookie: $cookie"
run "house-api-page" "$api_url" "Authorization: Bearer $token"

printf '\n%-16s %9s %9s %9s %9s %8s %s\n' target requests req/s p50_ms p99_ms errors "(${SECONDS_EACH}s, $CONNECTIONS connections, release build, $(nproc) CPUs)"
for r in "${results[@]}"; do
    name="${r%% *}"
    get() { sed "s/.* $1=\([0-9.]*\).*/\1/" <<<"$r"; }
    errors=$(($(get not_200) + $(get socket_errors) + $(get timeouts)))
    printf '%-16s %9s %9s %9s %9s %8s\n' "$name" "$(get requests)" "$(get rps)" "$(get p50_ms)" "$(get p99_ms)" "$errors"
done
if [ "$failed" = 1 ]; then
    err "a target missed 0 errors and p99 < ${P99_LIMIT_MS} ms"
    exit 1
fi
log "both targets: 0 errors, p99 < ${P99_LIMIT_MS} ms"
