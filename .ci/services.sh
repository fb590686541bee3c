#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the integration tests and prints the variable that points them at it:
#
#   eval "$(bash .ci/services.sh)"
#
# Installs PostgreSQL from Debian's packages when its server binaries are missing, runs the cluster as
# the unprivileged `postgres` user (the server refuses to run as root), listens on 127.0.0.1 only, and
# creates role `tokenwise` (password `tokenwise`) owning database `tokenwise`. A second run reuses the
# running cluster. Only the export line goes to stdout; progress and errors go to stderr.
set -euo pipefail

ROOT="${TOKENWISE_PG_ROOT:-/tmp/tokenwise-pg}"
DATA="$ROOT/data"
RUN="$ROOT/run"
LOG="$ROOT/postgresql.log"
START_TIMEOUT=60

say() { echo "services.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# The newest server binaries: on PATH first, then Debian's versioned folders.
find_bindir() {
  local ctl
  if ctl="$(command -v pg_ctl 2>/dev/null)" && [ -x "$(dirname "$(readlink -f "$ctl")")/initdb" ]; then
    dirname "$(readlink -f "$ctl")"
    return 0
  fi
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then
    echo "$dir"
    return 0
  fi
  return 1
}

BINDIR="$(find_bindir || true)"
if [ -z "$BINDIR" ]; then
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL is not installed and installing it needs root"
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get to install it"
  say "installing PostgreSQL from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
  BINDIR="$(find_bindir)" || die "PostgreSQL was installed but pg_ctl/initdb are not to be found"
fi
PSQL="$BINDIR/psql"
[ -x "$PSQL" ] || PSQL="$(command -v psql)" || die "psql is missing"

# Run a command as the cluster's owner: `postgres` when we are root, else ourselves.
if [ "$(id -u)" -eq 0 ]; then
  OWNER=postgres
  if ! id "$OWNER" >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash "$OWNER" >&2
  fi
else
  OWNER="$(id -un)"
fi
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    (cd /tmp && "$@")
  elif command -v runuser >/dev/null; then
    (cd /tmp && runuser -u "$OWNER" -- "$@")
  else
    (cd /tmp && su "$OWNER" -s /bin/bash -c "$(printf '%q ' "$@")")
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

running_port() {
  # Line 4 of postmaster.pid is the port of the server that owns the data folder.
  if as_owner "$BINDIR/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    sed -n 4p "$DATA/postmaster.pid"
    return 0
  fi
  return 1
}

mkdir -p "$ROOT"
chown "$OWNER" "$ROOT"
chmod 700 "$ROOT"

if PORT="$(running_port)"; then
  say "reusing the PostgreSQL cluster already running in $DATA on port $PORT"
else
  major="$("$BINDIR/pg_ctl" --version | sed -E 's/[^0-9]*([0-9]+).*/\1/')"
  if [ ! -f "$DATA/PG_VERSION" ] || [ "$(cat "$DATA/PG_VERSION")" != "$major" ]; then
    # Half-made or from another major version: the cluster is throwaway, so start over.
    rm -rf "$DATA"
    say "creating a PostgreSQL $major cluster in $DATA"
    as_owner "$BINDIR/initdb" -D "$DATA" -U postgres -E UTF8 --no-locale \
      --auth-local=trust --auth-host=scram-sha-256 >&2
  fi
  rm -f "$DATA/postmaster.pid"
  mkdir -p "$RUN"
  chown "$OWNER" "$RUN"

  PORT="${TOKENWISE_PG_PORT:-5432}"
  while port_in_use "$PORT"; do
    PORT=$((PORT + 1))
    [ "$PORT" -le 5532 ] || die "no free port between 5432 and 5532"
  done
  # Durability is pointless for a test cluster; speed is not.
  cat >"$ROOT/tokenwise.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$RUN'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
  chown "$OWNER" "$ROOT/tokenwise.conf"
  grep -q "^include_if_exists = '$ROOT/tokenwise.conf'" "$DATA/postgresql.conf" ||
    echo "include_if_exists = '$ROOT/tokenwise.conf'" >>"$DATA/postgresql.conf"

  say "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG)"
  touch "$LOG"
  chown "$OWNER" "$LOG"
  if ! as_owner "$BINDIR/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_TIMEOUT" start >&2; then
    tail -n 30 "$LOG" >&2 || true
    die "PostgreSQL did not start within $START_TIMEOUT s"
  fi
fi

SOCKET_DIR="$(sed -n 5p "$DATA/postmaster.pid")"
ready=""
for _ in $(seq 1 "$START_TIMEOUT"); do
  if as_owner "$PSQL" -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -qtAc "SELECT 1" >/dev/null 2>&1; then
    ready=yes
    break
  fi
  sleep 1
done
[ -n "$ready" ] || die "PostgreSQL on port $PORT does not accept connections after $START_TIMEOUT s"

sql() { as_owner "$PSQL" -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ -z "$(sql "SELECT 1 FROM pg_roles WHERE rolname = 'tokenwise'")" ]; then
  sql "CREATE ROLE tokenwise LOGIN PASSWORD 'tokenwise'" >&2
else
  sql "ALTER ROLE tokenwise LOGIN PASSWORD 'tokenwise'" >&2
fi
if [ -z "$(sql "SELECT 1 FROM pg_database WHERE datname = 'tokenwise'")" ]; then
  sql "CREATE DATABASE tokenwise OWNER tokenwise" >&2
fi

# The tests connect over TCP with the password, as the gateway does; check that path too.
PGPASSWORD=tokenwise "$PSQL" -h 127.0.0.1 -p "$PORT" -U tokenwise -d tokenwise -qtAc "SELECT 1" >/dev/null ||
  die "role tokenwise cannot log in to database tokenwise on 127.0.0.1:$PORT"

say "PostgreSQL is ready on 127.0.0.1:$PORT"
echo "export TOKENWISE_TEST_PG_URL=postgresql://tokenwise:tokenwise@127.0.0.1:$PORT/tokenwise"
