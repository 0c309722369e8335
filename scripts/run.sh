#!/usr/bin/env bash
# Runs the app against a database (DATABASE_URL, .env, or a local PostgreSQL
# started on demand). Arguments go to the binary; none means `serve`, which
# migrates and listens on BIND_ADDR (default http://127.0.0.1:8080).
#   scripts/run.sh --demo [ARGS...]   load the demo data set first, then serve
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$KVARTPLATA_ROOT"

ensure_build_deps
ensure_database

if [ "${1:-}" = --demo ]; then
    shift
    log "loading demo data"
    cargo run --release --bin kvartplata -- demo
fi
exec cargo run --release --bin kvartplata -- "$@"
