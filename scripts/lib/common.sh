# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Meant to be sourced. It changes no shell
# options, so every function checks its own critical steps and returns
# non-zero on failure (set -e is ignored in functions called from `if`/`||`).

KVARTPLATA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export KVARTPLATA_ROOT

# Credentials of the local development database (unused when DATABASE_URL is given).
KVARTPLATA_DB_USER=kvartplata
KVARTPLATA_DB_PASSWORD=kvartplata
KVARTPLATA_DB_NAME=kvartplata

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
err() { printf 'error: %s\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo "$@"
    fi
}

# Runs from / so the postgres user is not left in a directory it cannot read.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -u postgres "$@")
    fi
}

have_dpkg() { command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; }

# `dpkg -s` also succeeds for a removed package whose config files remain,
# so the status word itself is checked.
pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

_APT_UPDATED=0
apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        pkg_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    if ! have_dpkg; then
        err "missing packages (${missing[*]}) and this is not an apt system: install them by hand"
        return 1
    fi
    log "installing ${missing[*]}"
    if [ "$_APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return
        _APT_UPDATED=1
    fi
    # C.UTF-8 so a PostgreSQL cluster created by the postinst is UTF8, not SQL_ASCII.
    as_root env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" || return
}

ensure_build_deps() {
    have_dpkg || return 0
    # diesel's postgres backend links libpq, which the build finds via pkg-config.
    apt_install libpq-dev pkg-config
}

# "host[:port]/db" of a postgres URL: safe to print (no user, no password).
db_url_target() {
    local rest="${1#*://}" authority path
    authority="${rest%%/*}"
    path="${rest#"$authority"}"
    authority="${authority##*@}"
    path="${path#/}"
    path="${path%%\?*}"
    printf '%s/%s' "${authority:-localhost}" "${path:-?}"
}

# DATABASE_URL from the repo's .env, if any (the last assignment wins).
dotenv_database_url() {
    local env_file="$KVARTPLATA_ROOT/.env" line value=""
    [ -f "$env_file" ] || return 0
    while IFS= read -r line || [ -n "$line" ]; do
        line="${line%$'\r'}"
        line="${line#"${line%%[![:space:]]*}"}"
        line="${line#export }"
        case "$line" in
        DATABASE_URL=*) value="${line#DATABASE_URL=}" ;;
        esac
    done <"$env_file"
    value="${value%"${value##*[![:space:]]}"}"
    case "$value" in
    \"*\")
        value="${value#\"}"
        value="${value%\"}"
        ;;
    \'*\')
        value="${value#\'}"
        value="${value%\'}"
        ;;
    esac
    printf '%s' "$value"
}

# Exports DATABASE_URL: the given one (environment, then .env) untouched, or
# a local PostgreSQL cluster brought up with a kvartplata role and database.
ensure_database() {
    local url="${DATABASE_URL:-}"
    [ -n "$url" ] || url="$(dotenv_database_url)"
    if [ -n "$url" ]; then
        export DATABASE_URL="$url"
        log "using the given DATABASE_URL ($(db_url_target "$url"))"
        return 0
    fi
    _ensure_local_postgres
}

# The cluster on PostgreSQL's default port when there is one (a machine may
# hold others for other work), else the first listed.
_default_cluster() {
    local clusters
    clusters="$(pg_lsclusters -h)"
    awk '$3 == 5432 { print; found = 1; exit } END { exit !found }' <<<"$clusters" ||
        head -n 1 <<<"$clusters"
}

_ensure_local_postgres() {
    local line ver name port status newest enc i
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        apt_install postgresql || return
    fi
    if ! command -v pg_lsclusters >/dev/null; then
        err "pg_lsclusters not found: Debian's postgresql-common is needed"
        return 1
    fi

    line="$(_default_cluster)"
    if [ -z "$line" ]; then
        newest="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
        log "creating PostgreSQL cluster $newest/main"
        as_root pg_createcluster --locale=C.UTF-8 --encoding=UTF8 "$newest" main >/dev/null || return
        line="$(_default_cluster)"
    fi
    read -r ver name port status _ <<<"$line"
    if [ -z "${port:-}" ]; then
        err "cannot read a cluster from pg_lsclusters: '$line'"
        return 1
    fi

    # pg_ctlcluster needs no systemd (and hands over to systemctl when it runs).
    case "$status" in
    online*) ;;
    *)
        log "starting PostgreSQL cluster $ver/$name on port $port"
        as_root pg_ctlcluster "$ver" "$name" start || return
        ;;
    esac
    for ((i = 0; i < 30; i++)); do
        pg_isready -q -p "$port" && break
        sleep 1
    done
    if ! pg_isready -q -p "$port"; then
        err "PostgreSQL $ver/$name is not accepting connections on port $port after 30 s (see /var/log/postgresql/)"
        return 1
    fi

    # Role and database are created only when missing; the role's attributes
    # and password are (re)set every time so the URL below always works.
    as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 -d postgres \
        -v user="$KVARTPLATA_DB_USER" -v password="$KVARTPLATA_DB_PASSWORD" \
        -v db="$KVARTPLATA_DB_NAME" >/dev/null <<'SQL' || return
SELECT format('CREATE ROLE %I', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user')\gexec
ALTER ROLE :"user" WITH LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')\gexec
SQL

    export DATABASE_URL="postgres://$KVARTPLATA_DB_USER:$KVARTPLATA_DB_PASSWORD@127.0.0.1:$port/$KVARTPLATA_DB_NAME"

    # The app connects over TCP with a password: prove that works (pg_hba.conf).
    if ! enc="$(psql "$DATABASE_URL" -X -tA -c 'SHOW server_encoding' 2>&1)"; then
        err "cannot log in as $KVARTPLATA_DB_USER over TCP on 127.0.0.1:$port: $enc"
        err "pg_hba.conf of $ver/$name needs: host all all 127.0.0.1/32 scram-sha-256"
        return 1
    fi
    # Test databases copy template1: a SQL_ASCII cluster would mangle Cyrillic text.
    [ "$enc" = UTF8 ] || warn "cluster $ver/$name has server encoding $enc, not UTF8"
    log "using local PostgreSQL $ver/$name ($(db_url_target "$DATABASE_URL"))"
}
