#!/usr/bin/env bash
# Runs every check CI runs: formatting, clippy, all tests against a real
# PostgreSQL, and schemathesis against the API. Extra arguments go to both
# `cargo test` commands.
# SKIP_BROWSER_INSTALL=1 skips installing chromium for the browser tests.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$KVARTPLATA_ROOT"

ensure_build_deps
ensure_database
if [ "${SKIP_BROWSER_INSTALL:-0}" != 1 ]; then
    apt_install chromium chromium-driver
fi
# Receipts are checked by reading them back: their PDF's text and pages
# (poppler-utils: pdftotext, pdfinfo, pdftoppm), their QR code (zbarimg).
apt_install poppler-utils zbar-tools

# Tests make one kvartplata_test_* database each and share a kvartplata_tpl_*
# template; a killed run leaves them behind, so clean before and after.
drop_test_databases() {
    if ! command -v psql >/dev/null; then
        if have_dpkg; then
            apt_install postgresql-client
        else
            warn "psql not found: leftover test databases not dropped"
            return 0
        fi
    fi
    # Not fatal: databases owned by another role may be left for their owner.
    if ! psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 <<'SQL'; then
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname)
  FROM pg_database
 WHERE (starts_with(datname, 'kvartplata_test_') OR starts_with(datname, 'kvartplata_tpl_')
        OR starts_with(datname, 'kvartplata_schemathesis_'))
   AND datname <> current_database()\gexec
SQL
        warn "could not drop every leftover test database"
    fi
}

log "dropping leftover test databases"
drop_test_databases
trap drop_test_databases EXIT

# A clean checkout builds everything once: incremental compilation only
# adds its bookkeeping there (a developer's repeated runs keep it).
if [ -n "${CI:-}" ]; then
    export CARGO_INCREMENTAL=0
fi

log "cargo fmt --check"
cargo fmt --all -- --check

log "cargo clippy"
cargo clippy --all-targets -- -D warnings

log "cargo test"
cargo test --all-targets "$@"

log "cargo test --doc"
cargo test --doc "$@"

log "schemathesis against the OpenAPI document"
# The binary `cargo test` built for the integration tests.
KVARTPLATA_BIN="${CARGO_TARGET_DIR:-$KVARTPLATA_ROOT/target}/debug/kvartplata" "$KVARTPLATA_ROOT/scripts/schemathesis.sh"
